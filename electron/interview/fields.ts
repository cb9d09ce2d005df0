import { TOOL_FIELDS, TRANSFER_FIELDS, type AgentSpec, type KnowledgeSource, type ToolField, type ToolSpec, type TransferSpec } from '../../shared/spec';

/**
 * Field paths are the vocabulary shared by the model, the offline interviewer, `awaiting`,
 * candidates and hand edits: "goals", "tools[0].endpoint", "tools_done".
 */
export const TOP_FIELDS = [
  'agent_type',
  'goals',
  'tone',
  'language',
  'use_tools',
  'tools_done',
  'workflow_approved',
  'system_prompt',
  'first_message',
  'business_name',
  'call_direction',
  'timezone',
  'end_call_conditions',
  'voicemail',
  'voice_id',
  'llm',
  'temperature',
] as const;
export type TopField = (typeof TOP_FIELDS)[number];

export const BASIC_FIELDS = ['agent_type', 'goals', 'tone'] as const satisfies readonly TopField[];
export const BOOLEAN_FIELDS = ['use_tools', 'tools_done', 'workflow_approved'] as const satisfies readonly TopField[];

export type TransferField = (typeof TRANSFER_FIELDS)[number];

export type FieldPath =
  | { kind: 'top'; key: TopField }
  | { kind: 'tool'; index: number; key: ToolField }
  | { kind: 'transfer'; index: number; key: TransferField }
  /** A knowledge-base source as a whole: a web page, a file or text. */
  | { kind: 'knowledge'; index: number }
  /** A whole after-call item: a value to record (data_collection) or a success criterion. */
  | { kind: 'item'; list: ItemList; index: number };

/** After-call lists whose items are set whole, like knowledge sources. */
export const ITEM_LISTS = ['data_collection', 'success_criteria'] as const;
export type ItemList = (typeof ITEM_LISTS)[number];

/** The stored form of any field, whatever its value type. */
export interface StoredField {
  value: unknown;
  confidence: number;
  source: string;
  locked: boolean;
}

const TOOL_PATH_RE = /^tools\[(\d{1,3})\]\.([a-z_]+)$/;
const TRANSFER_PATH_RE = /^transfers\[(\d{1,2})\]\.([a-z_]+)$/;
const KNOWLEDGE_PATH_RE = /^knowledge_base\[(\d{1,2})\]$/;
const ITEM_PATH_RE = /^(data_collection|success_criteria)\[(\d{1,2})\]$/;

export function parsePath(path: string): FieldPath | null {
  if ((TOP_FIELDS as readonly string[]).includes(path)) return { kind: 'top', key: path as TopField };
  const k = KNOWLEDGE_PATH_RE.exec(path);
  if (k) return { kind: 'knowledge', index: Number(k[1]) };
  const item = ITEM_PATH_RE.exec(path);
  if (item) return { kind: 'item', list: item[1] as ItemList, index: Number(item[2]) };
  const t = TRANSFER_PATH_RE.exec(path);
  if (t) {
    const key = t[2] as TransferField;
    return (TRANSFER_FIELDS as readonly string[]).includes(key) ? { kind: 'transfer', index: Number(t[1]), key } : null;
  }
  const m = TOOL_PATH_RE.exec(path);
  if (!m) return null;
  const key = m[2] as ToolField;
  if (!(TOOL_FIELDS as readonly string[]).includes(key)) return null;
  return { kind: 'tool', index: Number(m[1]), key };
}

export function formatPath(path: FieldPath): string {
  if (path.kind === 'top') return path.key;
  if (path.kind === 'knowledge') return `knowledge_base[${path.index}]`;
  if (path.kind === 'item') return `${path.list}[${path.index}]`;
  return path.kind === 'tool' ? toolPath(path.index, path.key) : `transfers[${path.index}].${path.key}`;
}

export function toolPath(index: number, key: ToolField): string {
  return `tools[${index}].${key}`;
}

export function getField(spec: AgentSpec, path: FieldPath): StoredField | undefined {
  if (path.kind === 'top') return spec[path.key] as StoredField | undefined;
  if (path.kind === 'transfer') return spec.transfers?.[path.index]?.[path.key] as StoredField | undefined;
  if (path.kind === 'knowledge') return spec.knowledge_base?.[path.index] as StoredField | undefined;
  if (path.kind === 'item') return spec[path.list]?.[path.index] as StoredField | undefined;
  return spec.tools[path.index]?.[path.key] as StoredField | undefined;
}

/** How many items the list a path points into holds (tools or transfers); a path may add the next one. */
export function listLength(spec: AgentSpec, path: FieldPath): number {
  if (path.kind === 'tool') return spec.tools.length;
  if (path.kind === 'transfer') return spec.transfers?.length ?? 0;
  if (path.kind === 'knowledge') return spec.knowledge_base?.length ?? 0;
  if (path.kind === 'item') return spec[path.list]?.length ?? 0;
  return 0;
}

/**
 * Returns a new spec with the field set. Only the touched containers are copied, so a merge
 * costs O(fields touched + tools), never O(history). A tool index may be at most tools.length
 * (which starts a new tool).
 */
export function setField(spec: AgentSpec, path: FieldPath, stored: StoredField): AgentSpec {
  if (path.kind === 'top') return { ...spec, [path.key]: stored };
  if (path.kind === 'knowledge') {
    const list = spec.knowledge_base?.slice() ?? [];
    if (path.index > list.length) throw new RangeError(`knowledge_base[${path.index}] does not exist yet`);
    list[path.index] = stored as { value: KnowledgeSource; confidence: number; source: string; locked: boolean };
    return { ...spec, knowledge_base: list };
  }
  if (path.kind === 'item') {
    const list: StoredField[] = spec[path.list]?.slice() ?? [];
    if (path.index > list.length) throw new RangeError(`${path.list}[${path.index}] does not exist yet`);
    list[path.index] = stored;
    // The value was checked against the list's own schema by validateValue before it got here.
    return { ...spec, [path.list]: list } as AgentSpec;
  }
  if (path.kind === 'transfer') {
    const list = spec.transfers?.slice() ?? [];
    if (path.index > list.length) throw new RangeError(`transfers[${path.index}] does not exist yet`);
    const transfer: TransferSpec = { ...(list[path.index] ?? {}), [path.key]: stored };
    list[path.index] = transfer;
    return { ...spec, transfers: list };
  }
  if (path.index > spec.tools.length) throw new RangeError(`tools[${path.index}] does not exist yet`);
  const tools = spec.tools.slice();
  const tool: ToolSpec = { ...(tools[path.index] ?? {}), [path.key]: stored };
  tools[path.index] = tool;
  return { ...spec, tools };
}

export function removeCandidate(spec: AgentSpec, path: string): AgentSpec {
  if (!(path in spec.candidates)) return spec;
  const candidates = { ...spec.candidates };
  delete candidates[path];
  return { ...spec, candidates };
}

/** A value is "stored" when present; below-threshold values live in candidates instead. */
export function hasValue(spec: AgentSpec, key: TopField): boolean {
  return spec[key] !== undefined;
}

/** Parked (skipped) paths that still have no value. */
export function stillParked(spec: AgentSpec): string[] {
  if (!spec.parked?.length) return [];
  return spec.parked.filter((path) => {
    const parsed = parsePath(path);
    if (!parsed) return false;
    if (parsed.kind !== 'top' && parsed.index >= listLength(spec, parsed)) return false;
    return getField(spec, parsed) === undefined;
  });
}

/** Parks a field (the user said "skip for now"); a field with a value is never parked. */
export function park(spec: AgentSpec, path: string): AgentSpec {
  const parsed = parsePath(path);
  if (!parsed || getField(spec, parsed) !== undefined || spec.parked?.includes(path)) return spec;
  return { ...spec, parked: [...(spec.parked ?? []), path] };
}

/** Drops parked paths that now have a value. */
export function unparkAnswered(spec: AgentSpec): AgentSpec {
  if (!spec.parked?.length) return spec;
  const still = stillParked(spec);
  if (still.length === spec.parked.length) return spec;
  const next = { ...spec };
  if (still.length) next.parked = still;
  else delete next.parked;
  return next;
}

export function missingToolFields(tool: ToolSpec): ToolField[] {
  return TOOL_FIELDS.filter((key) => tool[key] === undefined);
}

export function isToolComplete(tool: ToolSpec): boolean {
  return missingToolFields(tool).length === 0;
}

/** Display name of tool i: its name when known, else "tool 2". */
export function toolLabel(spec: AgentSpec, index: number): string {
  return spec.tools[index]?.name?.value ?? `tool ${index + 1}`;
}

/**
 * Title of a session once its agent type is known, as the user said it: "customer support agent"
 * → "Customer support agent", "reservations for Trattoria Roma" → "Reservations for Trattoria Roma"
 * (no "agent" tacked on to a name).
 */
export function titleFor(agentType: string): string {
  const base = agentType.trim().replace(/\s+/g, ' ').replace(/[.!?]+$/, '');
  if (!base) return 'New agent';
  // A title is a name, not a paragraph: at most eight words.
  const words = base.split(' ');
  const short = words.length > 8 ? `${words.slice(0, 8).join(' ')}…` : base;
  const title = short.charAt(0).toUpperCase() + short.slice(1);
  return title.length > 80 ? `${title.slice(0, 79)}…` : title;
}
