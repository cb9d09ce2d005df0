/**
 * Agent tests generated from simulated calls deploy with the project: the official CLI
 * (`tools push` → link → `agents push` → `tests push`) against the local API mock, which checks
 * every body against the CLI's OpenAPI spec; each test body also passes the SDK's strict schema.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSession } from '../../electron/export';
import { customerSupportSession } from '../support/export/sessions';
import { parseTestWithElevenLabsSdk } from '../support/export/elevenlabs-schema';
import { startElevenLabsMock, type ElevenLabsMock } from '../helpers/elevenlabs-mock';
import { parleyJson } from '../helpers/cli';
import { commandProblems, deployProblems, deployProject, elevenlabs, killDeployProcesses, removeCliHome } from '../helpers/elevenlabs-deploy';

let mock: ElevenLabsMock;
let work: string;

beforeAll(async () => {
  mock = await startElevenLabsMock();
  work = await mkdtemp(path.join(tmpdir(), 'parley-simdeploy-'));
}, 120_000);

afterAll(async () => {
  killDeployProcesses();
  await mock?.close();
  await rm(work, { recursive: true, force: true });
  await removeCliHome();
});

type Json = Record<string, unknown>;

describe('generated agent tests are pushed with the project', () => {
  it('simulate → export → tools push, link, agents push, tests push: every test created, tool tests on the created tool', async () => {
    const dataDir = path.join(work, 'data');
    await mkdir(dataDir, { recursive: true });
    const design = path.join(dataDir, 'design.parley.json');
    await writeFile(design, exportSession(customerSupportSession(), 'parley').content);
    const { id } = await parleyJson<{ id: string }>(dataDir, ['import', design]);
    const run = await parleyJson<{ passed: number; total: number }>(dataDir, ['simulate', id]);
    expect(run).toMatchObject({ passed: 5, total: 5 });
    const project = path.join(work, 'project');
    await parleyJson(dataDir, ['export', id, '--format', 'elevenlabs', '--out', project]);

    const deploy = await deployProject(project, mock, 'script');
    expect(commandProblems(deploy.runs)).toEqual([]);
    expect(deployProblems(deploy.requests)).toEqual([]);
    const toolId = mock.createdToolIds()[0]!;

    const from = mock.requests.length;
    const push = await elevenlabs(project, mock, ['tests', 'push']);
    expect(commandProblems([push])).toEqual([]);
    const requests = mock.requests.slice(from);
    expect(deployProblems(requests)).toEqual([]);
    const creates = requests.filter((r) => r.route === '/v1/convai/agent-testing/create');
    expect(creates.map((r) => (r.body as Json).name)).toEqual(['Knows the order number (Parley)', 'Wants a human (Parley)', 'Goes off topic (Parley)', "Doesn't know the order number (Parley)"]);
    for (const r of creates) expect([(r.body as Json).name, parseTestWithElevenLabsSdk(r.body)]).toEqual([(r.body as Json).name, expect.objectContaining({ ok: true })]);
    const knows = creates[0]!.body as Json;
    expect((knows.tool_call_parameters as Json).referenced_tool).toEqual({ id: toolId, type: 'webhook' });
    expect(mock.state.tests.size).toBe(4);
    const listed = JSON.parse(await readFile(path.join(project, 'tests.json'), 'utf8')) as { tests: Array<{ id?: string }> };
    expect(listed.tests.every((t) => typeof t.id === 'string')).toBe(true);

    // Pushing again updates the same tests.
    const again = mock.requests.length;
    expect(commandProblems([await elevenlabs(project, mock, ['tests', 'push'])])).toEqual([]);
    expect(mock.requests.slice(again).map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual(Array(4).fill('PUT /v1/convai/agent-testing/{test_id} 200'));
  }, 180_000);
});
