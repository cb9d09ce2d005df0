import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/session';
import { exportSession } from '../../electron/export';
import { customerSupportSession, restaurantSession, surveySession } from '../support/export/sessions';
import { startElevenLabsMock, type ElevenLabsMock } from '../helpers/elevenlabs-mock';
import { parleyJson } from '../helpers/cli';
import { agentBodies, cliEnv, commandProblems, deployProblems, deployProject, elevenlabs, killDeployProcesses, removeCliHome, runCommand, toolBodies } from '../helpers/elevenlabs-deploy';
import { elevenLabsCliBinary } from '../helpers/elevenlabs-openapi';

/**
 * The acceptance test of the ElevenLabs export: each project Parley writes is deployed by the
 * official CLI binary (@elevenlabs/cli from npm) against a local mock of the API that checks
 * every body against the CLI's own OpenAPI spec and refuses what the real API refuses.
 */

let mock: ElevenLabsMock;
let work: string;

beforeAll(async () => {
  mock = await startElevenLabsMock();
  work = await mkdtemp(path.join(tmpdir(), 'parley-deploy-'));
}, 120_000);

afterAll(async () => {
  killDeployProcesses();
  await mock?.close();
  await rm(work, { recursive: true, force: true });
  await removeCliHome();
});

type Json = Record<string, unknown>;
const prompt = (body: Json) => ((body.conversation_config as Json).agent as Json).prompt as Json;

/** What a user does: import the design into Parley, then `parley export` it as a project. */
async function exportWithParley(session: Session, out: string): Promise<string> {
  const dataDir = path.join(work, `data-${path.basename(out)}`);
  await mkdir(dataDir, { recursive: true });
  const design = path.join(dataDir, 'design.parley.json');
  await writeFile(design, exportSession(session, 'parley').content);
  const { id } = await parleyJson<{ id: string }>(dataDir, ['import', design]);
  const written = await parleyJson<{ file: string }>(dataDir, ['export', id, '--format', 'elevenlabs', '--out', out]);
  return written.file;
}

async function reexport(session: Session, out: string): Promise<void> {
  const dataDir = path.join(work, `data-${path.basename(out)}`);
  const { items } = await parleyJson<{ items: Array<{ id: string }> }>(dataDir, ['list']);
  await parleyJson(dataDir, ['export', items[0]!.id, '--format', 'elevenlabs', '--out', out]);
}

const SCENARIOS = [
  { name: "the brief's order-status agent", make: customerSupportSession, folder: 'order-status', link: 'script' as const, tools: 1 },
  { name: 'a Spanish booking agent with a transfer', make: restaurantSession, folder: 'booking', link: 'parley' as const, tools: 2 },
  { name: 'an outbound survey without tools', make: surveySession, folder: 'survey', link: 'script' as const, tools: 0 },
];

describe('ElevenLabs projects deploy with the official CLI against the local API mock', () => {
  it('the CLI binary from npm runs here', async () => {
    const run = await runCommand(elevenLabsCliBinary(), ['--version'], { cwd: work, env: await cliEnv() });
    expect(run.out).toMatch(/^elevenlabs \d+\.\d+\.\d+/);
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: tools push → link → agents push, then a re-deploy that updates in place`, async () => {
      const project = await exportWithParley(scenario.make(), path.join(work, scenario.folder));
      const first = await deployProject(project, mock, scenario.link);
      expect(commandProblems(first.runs)).toEqual([]);
      expect(deployProblems(first.requests)).toEqual([]);

      const creates = first.requests.filter((r) => r.method === 'POST' && r.route === '/v1/convai/tools');
      expect(creates).toHaveLength(scenario.tools);
      const [agent, ...more] = agentBodies(first.requests);
      expect(more).toEqual([]);
      const ids = creates.map((r) => (r.response as Json).id);
      expect(prompt(agent!).tool_ids).toEqual(ids);
      const agentId = (first.requests.find((r) => r.route === '/v1/convai/agents/create')!.response as Json).agent_id as string;
      expect(mock.state.agents.has(agentId)).toBe(true);

      // Deploy again after a re-export into the same folder: the same tools and agent are updated.
      await reexport(scenario.make(), project);
      const second = await deployProject(project, mock, scenario.link);
      expect(commandProblems(second.runs)).toEqual([]);
      expect(deployProblems(second.requests, { knownToolIds: ids as string[] })).toEqual([]);
      expect(second.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([]);
      expect(second.requests.filter((r) => r.method === 'PATCH').map((r) => r.path).sort()).toEqual([...ids.map((id) => `/v1/convai/tools/${String(id)}`), `/v1/convai/agents/${agentId}`].sort());
      expect(prompt(agentBodies(second.requests)[0]!).tool_ids).toEqual(ids);
    }, 120_000);
  }

  it('the order-status agent transfers to its E.164 number and reads its token from an environment variable', () => {
    const agent = [...mock.state.agents.values()].find((a) => a.name === 'Customer support agent')!;
    const builtIns = prompt(agent).built_in_tools as Json;
    expect(JSON.stringify(builtIns.transfer_to_number)).toContain('"phone_number":"+14155550123"');
    expect(builtIns.end_call).toBeDefined();
    const tool = toolBodies(mock.requests).find((t) => t.name === 'get_order_status')!;
    expect((tool.api_schema as Json).request_headers).toEqual({ Authorization: { env_var_label: 'ORDERS_API_TOKEN' } });
  });

  it('the Spanish booking agent speaks Spanish with eleven_flash_v2_5, greets in Spanish and can transfer', () => {
    const agent = [...mock.state.agents.values()].find((a) => a.name === 'La Tasca reservations')!;
    const config = agent.conversation_config as Json;
    expect((config.tts as Json).model_id).toBe('eleven_flash_v2_5');
    expect((config.agent as Json).language).toBe('es');
    expect((config.agent as Json).first_message).toBe('¡Hola, gracias por llamar a La Tasca! ¿En qué puedo ayudarle?');
    expect(JSON.stringify((prompt(agent).built_in_tools as Json).transfer_to_number)).toContain('"phone_number":"+34912345678"');
    expect(prompt(agent).prompt).toContain('{{system__time}}');
    expect(prompt(agent).timezone).toBe('Europe/Madrid');
  });

  it('the outbound survey can hang up and detect voicemail, and promises no transfer', () => {
    const agent = [...mock.state.agents.values()].find((a) => a.name === 'Northwind visit survey')!;
    const builtIns = prompt(agent).built_in_tools as Json;
    expect(Object.keys(builtIns).sort()).toEqual(['end_call', 'voicemail_detection']);
    expect(prompt(agent).tool_ids).toEqual([]);
    expect(prompt(agent).prompt).not.toMatch(/\btransfer (?:you|them|the (?:caller|call|person))\b|\bput (?:you|them) through\b/i);
    expect((agent.platform_settings as Json).data_collection).toBeDefined();
  });

  it('the README\'s secret commands, run as written (placeholders filled), create the variable the tool header names', async () => {
    const project = path.join(work, 'order-status');
    const readme = await readFile(path.join(project, 'README.md'), 'utf8');
    const block = /## 1\. Create the secrets[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = block.split('\n').filter((line) => line.startsWith('elevenlabs '));
    expect(commands).toHaveLength(2);
    const from = mock.requests.length;
    let secretId = '';
    for (const line of commands) {
      // The two commands' shape: elevenlabs <words> --json '<json>'
      const [, words, body] = /^elevenlabs (.+?) --json '(.+)'$/.exec(line)!;
      const filled = body!.replace('<your access token>', 'test-token-not-real').replace('<secret_id from the line above>', secretId);
      const run = await elevenlabs(project, mock, [...words!.split(' '), '--json', filled, '--format', 'json']);
      expect(run.code, run.out).toBe(0);
      if (!secretId) secretId = (JSON.parse(run.out) as { secret_id: string }).secret_id;
    }
    const requests = mock.requests.slice(from);
    expect(requests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual(['POST /v1/convai/secrets 200', 'POST /v1/convai/environment-variables 200']);
    expect(requests.every((r) => r.schemaErrors?.length === 0)).toBe(true);
    const variable = [...mock.state.envVars.values()].find((v) => v.label === 'ORDERS_API_TOKEN');
    expect(variable).toEqual({ label: 'ORDERS_API_TOKEN', type: 'secret', values: { production: { secret_id: secretId } } });
    expect(mock.state.secrets.get(secretId)?.value).toBe('Bearer test-token-not-real');
  }, 60_000);

  it('a project downloaded as a .zip unpacks to a project that deploys the same way', async () => {
    const zip = await exportWithParley(restaurantSession(), path.join(work, 'booking.zip'));
    const unpacked = path.join(work, 'booking-unzipped');
    for (const [name, data] of Object.entries(unzipSync(new Uint8Array(await readFile(zip))))) {
      const out = path.join(unpacked, name);
      if (name.endsWith('/')) await mkdir(out, { recursive: true });
      else {
        await mkdir(path.dirname(out), { recursive: true });
        await writeFile(out, data);
      }
    }
    const deploy = await deployProject(unpacked, mock, 'script');
    expect(commandProblems(deploy.runs)).toEqual([]);
    expect(deployProblems(deploy.requests)).toEqual([]);
    expect(agentBodies(deploy.requests)).toHaveLength(1);
  }, 120_000);

  it('the checks can fail: skipping the link step gets the agent refused, and the CLI still exits 0', async () => {
    const project = await exportWithParley(customerSupportSession(), path.join(work, 'unlinked'));
    const from = mock.requests.length;
    const tools = await elevenlabs(project, mock, ['tools', 'push']);
    const agents = await elevenlabs(project, mock, ['agents', 'push']);
    expect(agents.code).toBe(0);
    expect(commandProblems([tools, agents])).toEqual([expect.stringMatching(/Error processing Customer support agent: Tools not found: get_order_status/)]);
    expect(deployProblems(mock.requests.slice(from))).toEqual(
      expect.arrayContaining([expect.stringMatching(/answered 422/), expect.stringMatching(/tool_ids entry "get_order_status" was not returned by a tool create/)]),
    );
  }, 120_000);
});
