import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportSession } from './index';
import { LINK_SCRIPT_NAME, linkToolIds } from './elevenlabs-link';
import { customerSupportSession, restaurantSession } from '../../tests/support/export/sessions';

function projectOf(session = restaurantSession()): Map<string, string> {
  const result = exportSession(session, 'elevenlabs', { model: 'gpt-5.5' });
  return new Map((result.files ?? []).filter((f) => !f.path.endsWith('/')).map((f) => [f.path, f.content]));
}

/** What `elevenlabs tools push` does to tools.json: an id on every entry (its own 4-space format). */
function pushed(files: Map<string, string>, ids: string[]): Map<string, string> {
  const tools = JSON.parse(files.get('tools.json')!) as { tools: Array<Record<string, unknown>> };
  tools.tools.forEach((t, i) => (t.id = ids[i]));
  return new Map([...files, ['tools.json', JSON.stringify(tools, null, 4)]]);
}

const AGENT = 'agent_configs/la-tasca-reservations.json';

function toolIds(files: Map<string, string>, agent = AGENT): unknown {
  return (JSON.parse(files.get(agent)!) as { conversation_config: { agent: { prompt: { tool_ids: unknown } } } }).conversation_config.agent.prompt.tool_ids;
}

describe('link step', () => {
  it('replaces tool names in tool_ids by the ids tools push wrote, and only touches tool_ids', () => {
    const files = pushed(projectOf(), ['tool_aaa', 'tool_bbb']);
    const result = linkToolIds(files);
    expect(result.missing).toEqual([]);
    expect(result.linked).toEqual([
      { agent: AGENT, tool: 'create_reservation', id: 'tool_aaa' },
      { agent: AGENT, tool: 'cancel_reservation', id: 'tool_bbb' },
    ]);
    expect(result.files.map((f) => f.path)).toEqual([AGENT]);
    const linked = new Map([...files, [AGENT, result.files[0]!.content]]);
    expect(toolIds(linked)).toEqual(['tool_aaa', 'tool_bbb']);
    const strip = (text: string) => JSON.stringify({ ...JSON.parse(text), conversation_config: null });
    expect(strip(result.files[0]!.content)).toBe(strip(files.get(AGENT)!));
    // Idempotent: a second run has nothing to do.
    expect(linkToolIds(linked)).toEqual({ files: [], linked: [], missing: [] });
  });

  it('changes nothing and names the tools when tools push has not run yet', () => {
    const result = linkToolIds(projectOf());
    expect(result.files).toEqual([]);
    expect(result.missing).toEqual([
      { agent: AGENT, tool: 'create_reservation' },
      { agent: AGENT, tool: 'cancel_reservation' },
    ]);
  });

  it('keeps ids of tools created outside the project, and refuses a folder that is not a project', () => {
    const files = pushed(projectOf(customerSupportSession()), ['tool_1']);
    const agent = 'agent_configs/customer-support-agent.json';
    const body = JSON.parse(files.get(agent)!) as { conversation_config: { agent: { prompt: { tool_ids: string[] } } } };
    body.conversation_config.agent.prompt.tool_ids.push('tool_from_dashboard');
    files.set(agent, JSON.stringify(body));
    expect(toolIds(new Map([...files, [agent, linkToolIds(files).files[0]!.content]]), agent)).toEqual(['tool_1', 'tool_from_dashboard']);
    expect(() => linkToolIds(new Map())).toThrow(/tools\.json is missing/);
    expect(() => linkToolIds(new Map([['tools.json', '{'], ['agents.json', '{"agents":[]}']]))).toThrow(/tools\.json is not valid JSON/);
  });
});

describe('the project\'s own link script', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function writeProject(files: Map<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-link-'));
    dirs.push(dir);
    for (const [p, content] of files) {
      await mkdir(path.dirname(path.join(dir, p)), { recursive: true });
      await writeFile(path.join(dir, p), content);
    }
    return dir;
  }

  it('makes exactly the change linkToolIds makes', async () => {
    const files = pushed(projectOf(), ['tool_aaa', 'tool_bbb']);
    const dir = await writeProject(files);
    const run = spawnSync(process.execPath, [LINK_SCRIPT_NAME], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('create_reservation → tool_aaa');
    expect(await readFile(path.join(dir, AGENT), 'utf8')).toBe(linkToolIds(files).files[0]!.content);
    const again = spawnSync(process.execPath, [path.join(dir, LINK_SCRIPT_NAME)], { encoding: 'utf8' });
    expect(again.stdout).toMatch(/Nothing to link/);
  });

  it('exits 1 and writes nothing before tools push', async () => {
    const files = projectOf();
    const dir = await writeProject(files);
    const run = spawnSync(process.execPath, [LINK_SCRIPT_NAME], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/tool "create_reservation" has no id yet[\s\S]*Run "elevenlabs tools push" first/);
    expect(await readFile(path.join(dir, AGENT), 'utf8')).toBe(files.get(AGENT));
  });
});
