#!/usr/bin/env node
// Written by Parley. Run after `elevenlabs tools push` and before `elevenlabs agents push`:
// puts the tool ids that `tools push` wrote into tools.json into each agent's prompt.tool_ids
// and each tool test's referenced_tool, where this project names tools until they have ids.
// Safe to run again.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
const read = (path) => JSON.parse(readFileSync(join(root, path), 'utf8').replace(/^\uFEFF/, ''));
const clean = (path) => path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');

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
      console.log(`${path}: ${value} → ${id}`);
      return id;
    }
    if (unpushed.has(value)) missing.push(`${path}: tool "${value}" has no id yet`);
    return value;
  });
  if (changed) writes.push([path, `${JSON.stringify(config, null, 2)}\n`]);
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
    console.log(`${path}: ${ref.id} → ${id}`);
    ref.id = id;
    writes.push([path, `${JSON.stringify(config, null, 2)}\n`]);
  } else if (unpushed.has(ref.id)) missing.push(`${path}: tool "${ref.id}" has no id yet`);
}
if (missing.length) {
  console.error(`${missing.join('\n')}\nRun "elevenlabs tools push" first; nothing was changed.`);
  process.exit(1);
}
for (const [path, text] of writes) writeFileSync(join(root, path), text);
console.log(writes.length ? 'Linked. Next: elevenlabs agents push' : 'Nothing to link: tool_ids already hold ids.');
