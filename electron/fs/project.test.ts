import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportSession, importAgentText, importElevenLabsProject } from '../export/index';
import { customerSupportSession, restaurantSession, sessionWith, surveySession } from '../../tests/support/export/sessions';
import { readExistingProject, readImportSource, readProjectDir, readProjectZip, writeProject } from './project';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-project-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exportTo = async (target: string, session = restaurantSession(), force = false) => {
  const result = exportSession(session, 'elevenlabs', { model: 'gpt-5.5' }, await readExistingProject(target));
  return writeProject(target, result.files!, { force });
};

async function tree(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const rel = `${prefix}${e.name}`;
    if (e.isDirectory()) out.push(`${rel}/`, ...(await tree(root, `${rel}/`)));
    else out.push(rel);
  }
  return out.sort();
}

/** What the CLI's pushes write: ids into tools.json and agents.json (its own 4-space JSON). */
async function simulateDeploy(project: string, toolIds: string[], agentId: string): Promise<void> {
  const tools = JSON.parse(await readFile(path.join(project, 'tools.json'), 'utf8')) as { tools: Array<Record<string, unknown>> };
  tools.tools.forEach((t, i) => (t.id = toolIds[i]));
  await writeFile(path.join(project, 'tools.json'), JSON.stringify(tools, null, 4));
  const agents = JSON.parse(await readFile(path.join(project, 'agents.json'), 'utf8')) as { agents: Array<Record<string, unknown>> };
  agents.agents[0]!.id = agentId;
  await writeFile(path.join(project, 'agents.json'), JSON.stringify(agents, null, 4));
}

describe('project folders', () => {
  it('writes the layout agents init creates, plus the README, link script and knowledge-base list', async () => {
    const out = await exportTo(path.join(dir, 'tasca'));
    expect(await tree(out)).toEqual([
      '.env.example',
      '.gitignore',
      'README.md',
      'agent_configs/',
      'agent_configs/la-tasca-reservations.json',
      'agents.json',
      'knowledge_base.json',
      'link-tools.mjs',
      'test_configs/',
      'tests.json',
      'tool_configs/',
      'tool_configs/cancel_reservation.json',
      'tool_configs/create_reservation.json',
      'tools.json',
    ]);
  });

  it('re-exporting into a deployed project keeps every id, links the tools and lists nothing twice', async () => {
    const out = await exportTo(path.join(dir, 'tasca'));
    await simulateDeploy(out, ['tool_a', 'tool_b'], 'agent_1');
    const session = restaurantSession();
    session.spec.tone = { ...session.spec.tone!, value: 'Warm, concise and cheerful' };
    await exportTo(out, session);
    const tools = JSON.parse(await readFile(path.join(out, 'tools.json'), 'utf8')) as { tools: Array<{ config: string; id?: string }> };
    expect(tools.tools).toEqual([
      { config: 'tool_configs/create_reservation.json', type: 'webhook', id: 'tool_a' },
      { config: 'tool_configs/cancel_reservation.json', type: 'webhook', id: 'tool_b' },
    ]);
    expect(JSON.parse(await readFile(path.join(out, 'agents.json'), 'utf8'))).toEqual({ agents: [{ config: 'agent_configs/la-tasca-reservations.json', id: 'agent_1' }] });
    const agent = JSON.parse(await readFile(path.join(out, 'agent_configs/la-tasca-reservations.json'), 'utf8')) as { conversation_config: { agent: { prompt: { tool_ids: string[] } } } };
    expect(agent.conversation_config.agent.prompt.tool_ids).toEqual(['tool_a', 'tool_b']);

    // A tool the design dropped stays listed (another agent may use it) and is reported.
    const fewer = restaurantSession();
    fewer.spec.tools = fewer.spec.tools.slice(0, 1);
    const result = exportSession(fewer, 'elevenlabs', {}, await readExistingProject(out));
    expect(result.losses.some((l) => /tools\.json still lists tool_configs\/cancel_reservation\.json/.test(l.message))).toBe(true);
  });

  it('adds a second agent to a project without touching the first one\'s entries', async () => {
    const out = await exportTo(path.join(dir, 'shared'));
    await simulateDeploy(out, ['tool_a', 'tool_b'], 'agent_1');
    await exportTo(out, customerSupportSession());
    const agents = JSON.parse(await readFile(path.join(out, 'agents.json'), 'utf8')) as { agents: unknown[] };
    expect(agents.agents).toEqual([
      { config: 'agent_configs/la-tasca-reservations.json', id: 'agent_1' },
      { config: 'agent_configs/customer-support-agent.json' },
    ]);
    const tools = JSON.parse(await readFile(path.join(out, 'tools.json'), 'utf8')) as { tools: Array<{ config: string }> };
    expect(tools.tools.map((t) => t.config)).toEqual(['tool_configs/create_reservation.json', 'tool_configs/cancel_reservation.json', 'tool_configs/get_order_status.json']);
  });

  it('refuses a non-empty folder that is not a project (unless forced) and a folder under a missing parent', async () => {
    const other = path.join(dir, 'photos');
    await mkdir(other);
    await writeFile(path.join(other, 'cat.jpg'), 'x');
    await expect(exportTo(other)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await readdir(other)).toEqual(['cat.jpg']);
    await expect(exportTo(other, restaurantSession(), true)).resolves.toBe(other);
    await expect(exportTo(path.join(dir, 'missing', 'x'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('project .zip files', () => {
  it('are the same bytes for the same design, unpack to the folder layout, and are not replaced without force', async () => {
    const zip = path.join(dir, 'tasca.zip');
    await exportTo(zip);
    const first = await readFile(zip);
    await expect(exportTo(zip)).rejects.toMatchObject({ code: 'CONFLICT' });
    await exportTo(zip, restaurantSession(), true);
    expect((await readFile(zip)).equals(first)).toBe(true);

    const folder = await exportTo(path.join(dir, 'tasca'));
    const unpacked = await readProjectZip(zip);
    expect(unpacked).toEqual(await readProjectDir(folder));
  });

  it('read a zip that wraps the project in one folder, and refuse unsafe paths', async () => {
    const wrapped = path.join(dir, 'wrapped.zip');
    await writeFile(wrapped, zipSync({ 'my-agent/agents.json': strToU8('{"agents":[]}'), 'my-agent/tools.json': strToU8('{"tools":[]}') }));
    expect([...(await readProjectZip(wrapped)).keys()].sort()).toEqual(['agents.json', 'tools.json']);
    const evil = path.join(dir, 'evil.zip');
    await writeFile(evil, zipSync({ '../outside.json': strToU8('{}') }));
    await expect(readProjectZip(evil)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/unsafe path/) });
    await writeFile(path.join(dir, 'not.zip'), 'hello');
    await expect(readProjectZip(path.join(dir, 'not.zip'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('import sources', () => {
  it('a folder and a .zip are projects; their import gives the design back', async () => {
    const folder = await exportTo(path.join(dir, 'tasca'));
    const zip = path.join(dir, 'tasca.zip');
    await exportTo(zip);
    for (const source of [await readImportSource(folder), await readImportSource(zip)]) {
      expect(source.kind).toBe('project');
      if (source.kind !== 'project') continue;
      const imported = importElevenLabsProject(source.files, source.agent);
      expect(imported.spec.tools.map((t) => t.name?.value)).toEqual(['create_reservation', 'cancel_reservation']);
      expect(imported.spec.knowledge_base?.[0]?.value).toEqual({ type: 'url', url: 'https://latasca.example.com/carta', name: 'Carta' });
    }
  });

  it('an agent config inside a project, or with tool configs beside it, brings its tools', async () => {
    const folder = await exportTo(path.join(dir, 'tasca'));
    await simulateDeploy(folder, ['tool_a', 'tool_b'], 'agent_1');
    await exportTo(folder); // now linked: tool_ids hold ids
    const inProject = await readImportSource(path.join(folder, 'agent_configs', 'la-tasca-reservations.json'));
    expect(inProject).toMatchObject({ kind: 'project', agent: 'agent_configs/la-tasca-reservations.json' });
    if (inProject.kind === 'project') expect(importElevenLabsProject(inProject.files, inProject.agent).spec.tools).toHaveLength(2);

    // A loose agent file with a tool_configs/ folder next to it (no tools.json): matched by tool name.
    const loose = path.join(dir, 'loose');
    await mkdir(path.join(loose, 'tool_configs'), { recursive: true });
    const result = exportSession(restaurantSession(), 'elevenlabs');
    for (const f of result.files!.filter((x) => x.path.startsWith('tool_configs/') && !x.path.endsWith('/'))) await writeFile(path.join(loose, f.path), f.content);
    await writeFile(path.join(loose, 'agent.json'), result.content);
    const source = await readImportSource(path.join(loose, 'agent.json'));
    expect(source).toMatchObject({ kind: 'project', agent: 'agent.json' });
    if (source.kind === 'project') expect(importElevenLabsProject(source.files, source.agent).spec.tools.map((t) => t.name?.value)).toEqual(['create_reservation', 'cancel_reservation']);

    // Alone, the same file still imports, saying its tools live elsewhere.
    await writeFile(path.join(dir, 'alone.json'), result.content);
    const alone = await readImportSource(path.join(dir, 'alone.json'));
    expect(alone.kind).toBe('text');
    if (alone.kind === 'text') expect(importAgentText(alone.text).losses.some((l) => /has no config beside the agent/.test(l.message))).toBe(true);
  });

  it('refuses a folder that is not a project', async () => {
    await expect(readImportSource(dir)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not an ElevenLabs agents project/) });
  });
});

describe('round trip: export → import → export is byte-identical', () => {
  for (const [label, make] of [['order status', customerSupportSession], ['Spanish booking', restaurantSession], ['outbound survey', surveySession]] as const) {
    it(`${label}: every file of the project, as a folder and as a .zip`, async () => {
      const original = make();
      const first = exportSession(original, 'elevenlabs', { model: 'gpt-5.5' });
      const zip = path.join(dir, 'first.zip');
      await writeProject(zip, first.files!);
      const source = await readImportSource(zip);
      if (source.kind !== 'project') throw new Error('not read as a project');
      const imported = importElevenLabsProject(source.files, source.agent);
      const again = exportSession(sessionWith(imported.spec, imported.title), 'elevenlabs', { model: imported.llm });
      expect(again.files).toEqual(first.files);
      const second = path.join(dir, 'second.zip');
      await writeProject(second, again.files!);
      expect((await readFile(second)).equals(await readFile(zip))).toBe(true);
    });
  }
});
