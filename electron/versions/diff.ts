import { STAGE_LABELS } from '../../shared/stages';
import { languageName } from '../../shared/language';
import type { DiffChange, WordOp } from '../../shared/versions';
import type { AgentSpec, ToolSpec } from '../../shared/spec';
import { canonicalJson, type Design } from './design';
import { wordDiff } from './word-diff';

/**
 * The semantic diff of two designs: each change is one readable line. Basics and the other spec
 * fields field by field; tools matched by name (or, for a rename, by endpoint, purpose or place)
 * and then field by field, a tool's parameters one by one (added, removed, type, required); the
 * prompt and first message as word diffs. Where a value only gained a lock, that is the line.
 */

const LABELS: Record<string, string> = {
  agent_type: 'Agent type',
  business_name: 'Business name',
  goals: 'Goals',
  tone: 'Tone',
  language: 'Language',
  additional_languages: 'Other languages',
  call_direction: 'Call direction',
  timezone: 'Time zone',
  llm: 'LLM',
  temperature: 'Temperature',
  voice_id: 'Voice',
  end_call_conditions: 'End-call conditions',
  voicemail: 'Voicemail',
  tool_server_url: 'Tool server URL',
  use_tools: 'Needs tools',
  tools_done: 'No more tools',
  workflow_approved: 'Workflow approved',
  system_prompt: 'System prompt',
  first_message: 'First message',
  parked: 'Skipped for now',
  knowledge_base: 'Knowledge source',
  data_collection: 'Data item',
  success_criteria: 'Success criterion',
  purpose: 'purpose',
  endpoint: 'endpoint',
  method: 'method',
  auth: 'authentication',
  trigger: 'when to call',
  error_handling: 'on error',
  phone_number: 'phone number',
  condition: 'condition',
  transfer_type: 'transfer type',
};

const BASICS = new Set(['agent_type', 'business_name', 'goals', 'tone']);
const PROMPTS = new Set(['system_prompt', 'first_message']);
/** Not part of the design a user reviews: interview bookkeeping. */
const SKIPPED = new Set(['candidates', 'tools']);

const SUMMARY_CHARS = 120;

const label = (key: string) => LABELS[key] ?? key.replace(/_/g, ' ');
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

function clip(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A value as a line shows it: quoted text, yes/no, lists joined, objects as key: value. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `"${clip(value)}"`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'string' ? v : show(v))).join(', ') : 'none';
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return clip(entries.map(([k, v]) => `${k.replace(/_/g, ' ')} ${typeof v === 'string' ? v : show(v)}`).join(', '), 80);
}

function showLanguage(value: unknown): string {
  if (typeof value !== 'string') return show(value);
  const name = languageName(value);
  return name && name !== value ? `${value} (${name})` : `"${value}"`;
}

type FieldLike = { value: unknown; locked?: boolean } | undefined;

/** One field (a `field()` object) compared: its value, else its lock. */
function fieldChange(section: DiffChange['section'], path: string, name: string, a: FieldLike, b: FieldLike, fmt: (v: unknown) => string = show): DiffChange | null {
  if (!a && !b) return null;
  if (!a) return { section, path, kind: 'added', line: `${name} set to ${fmt(b!.value)}` };
  if (!b) return { section, path, kind: 'removed', line: `${name} removed (was ${fmt(a.value)})` };
  // "Tone: a → b", but "Tool "x": method a → b" (one colon to a line).
  if (!same(a.value, b.value)) return { section, path, kind: 'changed', line: `${name}${name.includes(': ') ? '' : ':'} ${fmt(a.value)} → ${fmt(b.value)}` };
  if (Boolean(a.locked) !== Boolean(b.locked)) return { section, path, kind: 'changed', line: `${name} ${b.locked ? 'locked' : 'unlocked'}` };
  return null;
}

/** "System prompt edited: "book" → "reserve"" with the whole word diff alongside. */
function textChange(path: string, name: string, a: FieldLike, b: FieldLike): DiffChange | null {
  if (!a || !b || typeof a.value !== 'string' || typeof b.value !== 'string' || a.value === b.value) return fieldChange('prompt', path, name, a, b);
  const words = wordDiff(a.value, b.value);
  const hunks: Array<{ del: string; add: string }> = [];
  let open: { del: string; add: string } | null = null;
  for (const op of words) {
    if (op.op === 'same') {
      if (op.text.trim()) open = null;
      continue;
    }
    if (!open) hunks.push((open = { del: '', add: '' }));
    open[op.op] += op.text;
  }
  const hunk = (h: { del: string; add: string }) =>
    h.del.trim() && h.add.trim() ? `"${clip(h.del, 40)}" → "${clip(h.add, 40)}"` : h.add.trim() ? `+"${clip(h.add, 40)}"` : `−"${clip(h.del, 40)}"`;
  const first = hunks[0];
  const where = hunks.length > 1 ? ` in ${hunks.length} places` : '';
  const detail = first ? `: ${hunk(first)}${hunks.length > 1 ? '; …' : ''}` : ' (spacing only)';
  return { section: 'prompt', path, kind: 'changed', line: `${name} edited${where}${detail}`, words: words as WordOp[] };
}

interface Param {
  schema: Record<string, unknown>;
  required: boolean;
}

function paramsOf(schema: unknown): Map<string, Param> {
  const out = new Map<string, Param>();
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as { properties?: unknown; required?: unknown };
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
  if (s.properties && typeof s.properties === 'object') {
    for (const [name, p] of Object.entries(s.properties as Record<string, unknown>)) {
      out.set(name, { schema: p && typeof p === 'object' ? (p as Record<string, unknown>) : {}, required: required.has(name) });
    }
  }
  return out;
}

function typeOf(schema: Record<string, unknown>): string {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.join(' or ');
  return 'any type';
}

function schemaChanges(path: string, toolLabel: string, what: 'parameter' | 'output field', a: unknown, b: unknown): DiffChange[] {
  if (same(a, b)) return [];
  const out: DiffChange[] = [];
  const before = paramsOf(a);
  const after = paramsOf(b);
  const line = (p: string, kind: DiffChange['kind'], text: string) => out.push({ section: 'tools', path: `${path}.${p}`, kind, line: `${toolLabel}: ${what} "${p}" ${text}` });
  for (const name of before.keys()) if (!after.has(name)) line(name, 'removed', 'removed');
  for (const [name, p] of after) {
    const old = before.get(name);
    if (!old) {
      line(name, 'added', `added (${typeOf(p.schema)}, ${p.required ? 'required' : 'optional'})`);
      continue;
    }
    if (typeOf(old.schema) !== typeOf(p.schema)) line(name, 'changed', `type ${typeOf(old.schema)} → ${typeOf(p.schema)}`);
    if (old.required !== p.required) line(name, 'changed', `is now ${p.required ? 'required' : 'optional'}`);
    const { type: _a, ...restOld } = old.schema;
    const { type: _b, ...restNew } = p.schema;
    if (!same(restOld, restNew)) {
      const keys = [...new Set([...Object.keys(restOld), ...Object.keys(restNew)])].filter((k) => !same(restOld[k], restNew[k]));
      const described = keys.map((k) => (k === 'description' ? `description ${show(restOld[k])} → ${show(restNew[k])}` : `${k} changed`));
      line(name, 'changed', described.join(', '));
    }
  }
  // What the parameters do not cover (the schema's own description, its type…).
  const strip = (s: unknown) => {
    if (!s || typeof s !== 'object') return s;
    const { properties: _p, required: _r, ...rest } = s as Record<string, unknown>;
    return rest;
  };
  if (!same(strip(a), strip(b))) out.push({ section: 'tools', path, kind: 'changed', line: `${toolLabel}: ${what === 'parameter' ? 'input' : 'output'} schema changed (beyond its ${what}s)` });
  return out;
}

const toolName = (t: ToolSpec, i: number) => (typeof t.name?.value === 'string' && t.name.value ? t.name.value : `tool ${i + 1}`);

/** Pairs the tools of two versions: by name, then a renamed tool by its endpoint, purpose or place. */
function pairTools(a: ToolSpec[], b: ToolSpec[]): { pairs: Array<[number, number]>; removed: number[]; added: number[] } {
  const pairs: Array<[number, number]> = [];
  const freeA = new Set(a.keys());
  const freeB = new Set(b.keys());
  const take = (i: number, j: number) => {
    pairs.push([i, j]);
    freeA.delete(i);
    freeB.delete(j);
  };
  for (const i of [...freeA]) {
    const j = [...freeB].find((k) => a[i]?.name?.value !== undefined && b[k]?.name?.value === a[i]?.name?.value);
    if (j !== undefined) take(i, j);
  }
  const sameField = (x: ToolSpec | undefined, y: ToolSpec | undefined, key: 'endpoint' | 'purpose') => x?.[key] !== undefined && same(x[key]?.value, y?.[key]?.value);
  for (const key of ['endpoint', 'purpose'] as const) {
    for (const i of [...freeA]) {
      const j = [...freeB].find((k) => sameField(a[i], b[k], key));
      if (j !== undefined) take(i, j);
    }
  }
  // Same place, and most details alike: the same tool, renamed and edited.
  for (const i of [...freeA]) {
    if (!freeB.has(i)) continue;
    const fields = ['purpose', 'endpoint', 'method', 'auth', 'input_schema', 'output_schema', 'trigger', 'error_handling'] as const;
    const alike = fields.filter((f) => a[i]?.[f] !== undefined && same(a[i]?.[f]?.value, b[i]?.[f]?.value)).length;
    const present = fields.filter((f) => a[i]?.[f] !== undefined || b[i]?.[f] !== undefined).length;
    if (present > 0 && alike * 2 >= present) take(i, i);
  }
  return { pairs: pairs.sort((x, y) => x[1] - y[1]), removed: [...freeA], added: [...freeB] };
}

function toolChanges(a: ToolSpec[], b: ToolSpec[]): DiffChange[] {
  const out: DiffChange[] = [];
  const { pairs, removed, added } = pairTools(a, b);
  for (const i of removed) out.push({ section: 'tools', path: `tools[${i}]`, kind: 'removed', line: `Tool "${toolName(a[i]!, i)}" removed` });
  for (const [i, j] of pairs) {
    const before = a[i]!;
    const after = b[j]!;
    const path = `tools[${j}]`;
    const oldName = toolName(before, i);
    const newName = toolName(after, j);
    if (oldName !== newName) out.push({ section: 'tools', path: `${path}.name`, kind: 'renamed', line: `Tool "${oldName}" renamed to "${newName}"` });
    else {
      const lock = fieldChange('tools', `${path}.name`, `Tool "${newName}": name`, before.name, after.name);
      if (lock) out.push(lock);
    }
    const toolLabel = `Tool "${newName}"`;
    for (const key of ['purpose', 'endpoint', 'method', 'auth', 'trigger', 'error_handling'] as const) {
      const fmt = key === 'method' ? (v: unknown) => String(v) : key === 'auth' ? showAuth : show;
      const change = fieldChange('tools', `${path}.${key}`, `${toolLabel}: ${label(key)}`, before[key], after[key], fmt);
      if (change) out.push(change);
    }
    for (const [key, what] of [
      ['input_schema', 'parameter'],
      ['output_schema', 'output field'],
    ] as const) {
      const x = before[key];
      const y = after[key];
      if (!x || !y) {
        const change = fieldChange('tools', `${path}.${key}`, `${toolLabel}: ${key === 'input_schema' ? 'input' : 'output'} schema`, x, y, () => `${paramsOf((x ?? y)!.value).size} ${what}s`);
        if (change) out.push(change);
        continue;
      }
      const changes = schemaChanges(`${path}.${key}`, toolLabel, what, x.value, y.value);
      if (changes.length) out.push(...changes);
      else if (x.locked !== y.locked) out.push({ section: 'tools', path: `${path}.${key}`, kind: 'changed', line: `${toolLabel}: ${key === 'input_schema' ? 'input' : 'output'} schema ${y.locked ? 'locked' : 'unlocked'}` });
    }
  }
  for (const j of added) {
    const t = b[j]!;
    const how = [t.method?.value, t.endpoint?.value].filter(Boolean).join(' ');
    out.push({ section: 'tools', path: `tools[${j}]`, kind: 'added', line: `Tool "${toolName(t, j)}" added${how ? ` (${how})` : ''}` });
  }
  return out;
}

function showAuth(value: unknown): string {
  if (!value || typeof value !== 'object') return show(value);
  const auth = value as { type?: string; header?: string; secret_name?: string };
  const extra = [auth.header ? `header ${auth.header}` : '', auth.secret_name ? `secret ${auth.secret_name}` : ''].filter(Boolean).join(', ');
  return `${auth.type ?? 'none'}${extra ? ` (${extra})` : ''}`;
}

/** Lists of `field()` items (knowledge sources, data items, criteria): what was added and removed. */
function listChanges(key: string, a: Array<{ value: unknown }> = [], b: Array<{ value: unknown }> = []): DiffChange[] {
  const before = a.map((f) => canonicalJson(f.value));
  const after = b.map((f) => canonicalJson(f.value));
  const out: DiffChange[] = [];
  a.forEach((f, i) => {
    if (!after.includes(before[i]!)) out.push({ section: 'spec', path: `${key}[${i}]`, kind: 'removed', line: `${label(key)} removed: ${show(f.value)}` });
  });
  b.forEach((f, i) => {
    if (!before.includes(after[i]!)) out.push({ section: 'spec', path: `${key}[${i}]`, kind: 'added', line: `${label(key)} added: ${show(f.value)}` });
  });
  return out;
}

function transferChanges(a: NonNullable<AgentSpec['transfers']> = [], b: NonNullable<AgentSpec['transfers']> = []): DiffChange[] {
  const out: DiffChange[] = [];
  const describe = (t: (typeof a)[number]) => [t.phone_number?.value, t.condition ? `when ${show(t.condition.value)}` : '', t.transfer_type?.value].filter(Boolean).join(', ');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    const path = `transfers[${i}]`;
    if (!x) out.push({ section: 'spec', path, kind: 'added', line: `Transfer ${i + 1} added: ${describe(y!)}` });
    else if (!y) out.push({ section: 'spec', path, kind: 'removed', line: `Transfer ${i + 1} removed (was ${describe(x)})` });
    else {
      for (const key of ['phone_number', 'condition', 'transfer_type'] as const) {
        const change = fieldChange('spec', `${path}.${key}`, `Transfer ${i + 1}: ${label(key)}`, x[key], y[key], key === 'condition' ? show : (v) => String(v));
        if (change) out.push(change);
      }
    }
  }
  return out;
}

export function diffDesigns(a: Design, b: Design): DiffChange[] {
  const out: DiffChange[] = [];
  if (a.title !== b.title) out.push({ section: 'design', path: 'title', kind: 'changed', line: `Title: ${show(a.title)} → ${show(b.title)}` });
  if (a.stage !== b.stage) out.push({ section: 'design', path: 'stage', kind: 'changed', line: `Stage: ${STAGE_LABELS[a.stage]} → ${STAGE_LABELS[b.stage]}` });
  const sa = a.spec as Record<string, unknown>;
  const sb = b.spec as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(sa), ...Object.keys(sb)])].filter((k) => !SKIPPED.has(k));
  // Basics first, then the other fields, then tools, then the prompt: the order a design is read in.
  const order = (k: string) => (BASICS.has(k) ? 0 : PROMPTS.has(k) ? 3 : 1);
  keys.sort((x, y) => order(x) - order(y));
  const rest: DiffChange[] = [];
  for (const key of keys) {
    const x = sa[key];
    const y = sb[key];
    if (same(x, y)) continue;
    const target = PROMPTS.has(key) ? rest : out;
    if (key === 'transfers') target.push(...transferChanges(x as AgentSpec['transfers'], y as AgentSpec['transfers']));
    else if (key === 'knowledge_base' || key === 'data_collection' || key === 'success_criteria') target.push(...listChanges(key, x as Array<{ value: unknown }>, y as Array<{ value: unknown }>));
    else if (key === 'parked') {
      const p = (v: unknown) => (Array.isArray(v) && v.length ? v.join(', ') : 'none');
      target.push({ section: 'spec', path: key, kind: 'changed', line: `${label(key)}: ${p(x)} → ${p(y)}` });
    } else if (PROMPTS.has(key)) {
      const change = textChange(key, label(key), x as FieldLike, y as FieldLike);
      if (change) target.push(change);
    } else {
      const fmt = key === 'language' ? showLanguage : key === 'additional_languages' ? (v: unknown) => (Array.isArray(v) ? v.map(showLanguage).join(', ') : show(v)) : show;
      const change = fieldChange(BASICS.has(key) ? 'basics' : 'spec', key, label(key), x as FieldLike, y as FieldLike, fmt);
      if (change) target.push(change);
    }
  }
  out.push(...toolChanges(a.spec.tools, b.spec.tools), ...rest);
  return out;
}

/** The one line a version list shows for the change from `before` to `after`. */
export function summarize(before: Design | null, after: Design): string {
  if (!before) {
    const what = after.spec.agent_type?.value ?? after.title ?? 'the design';
    const tools = after.spec.tools.length;
    return `First version: ${clip(String(what), 50)}, ${tools} tool${tools === 1 ? '' : 's'}, ${STAGE_LABELS[after.stage].toLowerCase()}`;
  }
  const changes = diffDesigns(before, after);
  if (changes.length === 0) return 'No change to the design';
  // A line of the version list: the first change, shortened; the diff shows each change whole.
  const more = changes.length > 1 ? ` (and ${changes.length - 1} more change${changes.length > 2 ? 's' : ''})` : '';
  return `${clip(changes[0]!.line, SUMMARY_CHARS - more.length)}${more}`;
}
