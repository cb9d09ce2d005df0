import { ParleyError } from '../../shared/errors';
import type { ExistingFiles, ProjectFile } from './types';
import { isObject, type JsonObject } from './schema';

/**
 * The link step of a first deploy. `elevenlabs tools push` writes each new tool id into
 * tools.json, but `elevenlabs agents push` sends `prompt.tool_ids` verbatim and never maps names
 * to ids. Parley writes each tool's name in `tool_ids` until it has an id; this replaces those
 * names by the ids tools.json now holds. Idempotent: ids stay ids.
 */
export interface LinkResult {
  /** Agent configs whose tool_ids changed, to be written back. */
  files: ProjectFile[];
  linked: Array<{ agent: string; tool: string; id: string }>;
  /** Tool names in tool_ids whose tool has no id yet: run `elevenlabs tools push` first. Nothing is written then. */
  missing: Array<{ agent: string; tool: string }>;
}

function parse(files: ExistingFiles, path: string, required: boolean): JsonObject | null {
  const text = files.get(path);
  if (text === undefined) {
    if (required) throw new ParleyError('INVALID_INPUT', `${path} is missing: this is not an ElevenLabs agents-as-code project.`);
    return null;
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ParleyError('INVALID_INPUT', `${path} is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`);
  }
  if (!isObject(data)) throw new ParleyError('INVALID_INPUT', `${path} does not hold a JSON object.`);
  return data;
}

/** Project-relative config paths as the CLI writes them ("agent_configs/x.json", maybe "./agent_configs/x.json"). */
export function normalizeConfigPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}

export interface ProjectEntry {
  config: string;
  id?: string;
  type?: string;
  raw: JsonObject;
}

/** The entries of agents.json ("agents") or tools.json ("tools"); refuses a shape the CLI would not read. */
export function projectEntries(files: ExistingFiles, file: 'agents.json' | 'tools.json' | 'tests.json', required = false): ProjectEntry[] | null {
  const data = parse(files, file, required);
  if (!data) return null;
  const key = file.replace('.json', '');
  const list = data[key];
  if (!Array.isArray(list)) throw new ParleyError('INVALID_INPUT', `${file} has no "${key}" list.`);
  return list.map((entry, i) => {
    if (!isObject(entry) || typeof entry.config !== 'string') throw new ParleyError('INVALID_INPUT', `${file}: entry ${i + 1} has no "config" path.`);
    return {
      config: normalizeConfigPath(entry.config),
      raw: entry,
      ...(typeof entry.id === 'string' && entry.id ? { id: entry.id } : {}),
      ...(typeof entry.type === 'string' ? { type: entry.type } : {}),
    };
  });
}

export function linkToolIds(files: ExistingFiles): LinkResult {
  const tools = projectEntries(files, 'tools.json', true) ?? [];
  const agents = projectEntries(files, 'agents.json', true) ?? [];
  const idByName = new Map<string, string>();
  const unpushed = new Set<string>();
  const ids = new Set<string>();
  for (const entry of tools) {
    const config = parse(files, entry.config, false);
    const name = typeof config?.name === 'string' ? config.name : null;
    if (entry.id) ids.add(entry.id);
    if (!name) continue;
    if (entry.id) idByName.set(name, entry.id);
    else unpushed.add(name);
  }

  const result: LinkResult = { files: [], linked: [], missing: [] };
  for (const entry of agents) {
    const config = parse(files, entry.config, false);
    const agent = isObject(config?.conversation_config) ? config.conversation_config.agent : undefined;
    const prompt = isObject(agent) ? agent.prompt : undefined;
    if (!config || !isObject(prompt) || !Array.isArray(prompt.tool_ids)) continue;
    let changed = false;
    const next = prompt.tool_ids.map((value: unknown) => {
      if (typeof value !== 'string' || ids.has(value)) return value;
      const id = idByName.get(value);
      if (id) {
        changed = true;
        result.linked.push({ agent: entry.config, tool: value, id });
        return id;
      }
      // Not a name of this project's tools: an id of a tool created elsewhere, left as it is.
      if (unpushed.has(value)) result.missing.push({ agent: entry.config, tool: value });
      return value;
    });
    if (changed) {
      prompt.tool_ids = next;
      // Key order as found, so a hand-kept file diffs only in tool_ids.
      result.files.push({ path: entry.config, content: `${JSON.stringify(config, null, 2)}\n` });
    }
  }
  // Tool tests name their webhook tool as the agent does until it has an id.
  for (const entry of projectEntries(files, 'tests.json') ?? []) {
    const config = parse(files, entry.config, false);
    const params = config && isObject(config.tool_call_parameters) ? config.tool_call_parameters : undefined;
    const ref = params && isObject(params.referenced_tool) ? params.referenced_tool : undefined;
    if (!config || !ref || ref.type !== 'webhook' || typeof ref.id !== 'string' || ids.has(ref.id)) continue;
    const id = idByName.get(ref.id);
    if (id) {
      result.linked.push({ agent: entry.config, tool: ref.id, id });
      ref.id = id;
      result.files.push({ path: entry.config, content: `${JSON.stringify(config, null, 2)}\n` });
    } else if (unpushed.has(ref.id)) result.missing.push({ agent: entry.config, tool: ref.id });
  }
  if (result.missing.length) result.files = [];
  return result;
}

/** The project's own copy of the link step, for people without the Parley CLI: node link-tools.mjs */
export const LINK_SCRIPT_NAME = 'link-tools.mjs';

export const LINK_SCRIPT = `#!/usr/bin/env node
// Written by Parley. Run after \`elevenlabs tools push\` and before \`elevenlabs agents push\`:
// puts the tool ids that \`tools push\` wrote into tools.json into each agent's prompt.tool_ids
// and each tool test's referenced_tool, where this project names tools until they have ids.
// Safe to run again.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
const read = (path) => JSON.parse(readFileSync(join(root, path), 'utf8').replace(/^\\uFEFF/, ''));
const clean = (path) => path.replace(/\\\\/g, '/').replace(/^(?:\\.\\/)+/, '');

const idByName = new Map();
const unpushed = new Set();
const ids = new Set();
for (const entry of read('tools.json').tools ?? []) {
  if (entry.id) ids.add(entry.id);
  let name;
  try {
    name = read(clean(entry.config)).name;
  } catch {
    continue;
  }
  if (typeof name !== 'string') continue;
  if (entry.id) idByName.set(name, entry.id);
  else unpushed.add(name);
}

const writes = [];
const missing = [];
for (const entry of read('agents.json').agents ?? []) {
  const path = clean(entry.config);
  let config;
  try {
    config = read(path);
  } catch {
    continue;
  }
  const prompt = config?.conversation_config?.agent?.prompt;
  if (!prompt || !Array.isArray(prompt.tool_ids)) continue;
  let changed = false;
  prompt.tool_ids = prompt.tool_ids.map((value) => {
    if (typeof value !== 'string' || ids.has(value)) return value;
    const id = idByName.get(value);
    if (id) {
      changed = true;
      console.log(\`\${path}: \${value} → \${id}\`);
      return id;
    }
    if (unpushed.has(value)) missing.push(\`\${path}: tool "\${value}" has no id yet\`);
    return value;
  });
  if (changed) writes.push([path, \`\${JSON.stringify(config, null, 2)}\\n\`]);
}

// Tool tests (tests.json) name their webhook tool the same way.
let tests = [];
try {
  tests = read('tests.json').tests ?? [];
} catch {
  tests = [];
}
for (const entry of tests) {
  const path = clean(entry.config);
  let config;
  try {
    config = read(path);
  } catch {
    continue;
  }
  const ref = config?.tool_call_parameters?.referenced_tool;
  if (!ref || ref.type !== 'webhook' || typeof ref.id !== 'string' || ids.has(ref.id)) continue;
  const id = idByName.get(ref.id);
  if (id) {
    console.log(\`\${path}: \${ref.id} → \${id}\`);
    ref.id = id;
    writes.push([path, \`\${JSON.stringify(config, null, 2)}\\n\`]);
  } else if (unpushed.has(ref.id)) missing.push(\`\${path}: tool "\${ref.id}" has no id yet\`);
}
if (missing.length) {
  console.error(\`\${missing.join('\\n')}\\nRun "elevenlabs tools push" first; nothing was changed.\`);
  process.exit(1);
}
for (const [path, text] of writes) writeFileSync(join(root, path), text);
console.log(writes.length ? 'Linked. Next: elevenlabs agents push' : 'Nothing to link: tool_ids already hold ids.');
`;
