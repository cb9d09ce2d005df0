import { ParleyError } from '../../shared/errors';
import { TOOL_FIELDS, TRANSFER_FIELDS, USER_EDIT, type AgentSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import { formatPath, getField, listLength, parsePath, removeCandidate, setField, type FieldPath } from './fields';
import { validateValue } from './validate';

export interface Extracted {
  value: unknown;
  confidence: number;
}

export interface MergeOptions {
  threshold: number;
  /** The id of the user message the values came from. */
  source: string;
  stage: Stage;
}

export interface MergeResult {
  spec: AgentSpec;
  /** Paths whose stored value changed. */
  stored: string[];
  /** Valid values below the threshold, kept as candidates: ask to confirm. */
  unconfirmed: string[];
  /** Values that failed validation, with the precise question to ask. */
  rejected: Array<{ path: string; message: string }>;
  /** Paths left alone and why (locked, unknown path, not allowed in this stage). */
  ignored: Array<{ path: string; reason: string }>;
}

/**
 * Only the prompt generator and the user write the system prompt. A first message the user
 * dictates in chat ("greet them with …") is taken, and kept as written: it is stored locked, so
 * regeneration and export use the user's words.
 */
const GENERATED = new Set(['system_prompt']);
const DICTATED = new Set(['first_message']);

/** Gate answers count only in the stage that asks them, so a stray "yes" cannot skip a stage. */
function gateAllowed(key: string, stage: Stage): boolean {
  if (key === 'workflow_approved') return stage === 'REVIEWING_WORKFLOW';
  if (key === 'tools_done') return stage === 'EXPLORING_TOOLS' || stage === 'CONFIGURING_TOOLS';
  return true;
}

/** Tool fields are merged in interview order so cross-checks (endpoint ↔ input schema) see earlier ones. */
function order(path: FieldPath): number {
  if (path.kind === 'top') return -1;
  if (path.kind === 'knowledge') return 200_000 + path.index;
  if (path.kind === 'item') return (path.list === 'data_collection' ? 300_000 : 400_000) + path.index;
  if (path.kind === 'transfer') return 100_000 + path.index * 10 + TRANSFER_FIELDS.indexOf(path.key);
  return path.index * 100 + TOOL_FIELDS.indexOf(path.key);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Folds a turn's extraction into the spec: locked fields are never touched, values at or above
 * the threshold are validated and stored, valid values below it become visible candidates.
 */
export function mergeExtraction(spec: AgentSpec, extracted: Record<string, Extracted>, options: MergeOptions): MergeResult {
  const result: MergeResult = { spec, stored: [], unconfirmed: [], rejected: [], ignored: [] };
  const entries: Array<[FieldPath, Extracted]> = [];
  for (const [raw, proposal] of Object.entries(extracted)) {
    const path = parsePath(raw);
    if (!path) result.ignored.push({ path: raw, reason: 'unknown field' });
    else if (path.kind === 'top' && GENERATED.has(path.key)) result.ignored.push({ path: raw, reason: 'generated, not extracted' });
    else if (path.kind === 'top' && !gateAllowed(path.key, options.stage)) result.ignored.push({ path: raw, reason: `not asked in ${options.stage}` });
    else entries.push([path, proposal]);
  }
  entries.sort((a, b) => order(a[0]) - order(b[0]));

  for (const [path, proposal] of entries) {
    const key = formatPath(path);
    let next = result.spec;
    if (path.kind !== 'top' && path.index > listLength(next, path)) {
      result.ignored.push({ path: key, reason: `${path.kind === 'tool' ? 'tools' : 'transfers'}[${path.index}] skips one` });
      continue;
    }
    const existing = getField(next, path);
    if (existing?.locked) {
      result.ignored.push({ path: key, reason: 'locked' });
      continue;
    }
    const checked = validateValue(next, path, proposal.value);
    if (!checked.ok) {
      result.rejected.push({ path: key, message: checked.message });
      continue;
    }
    const confidence = Math.min(1, Math.max(0, proposal.confidence));
    if (confidence < options.threshold) {
      next = { ...next, candidates: { ...next.candidates, [key]: { value: checked.value, confidence, source: options.source } } };
      result.unconfirmed.push(key);
    } else {
      const changed = !existing || !sameValue(existing.value, checked.value);
      next = removeCandidate(setField(next, path, { value: checked.value, confidence, source: options.source, locked: DICTATED.has(key) }), key);
      if (changed) result.stored.push(key);
    }
    result.spec = next;
  }
  return result;
}

function pathOrThrow(path: string): FieldPath {
  const parsed = parsePath(path);
  if (!parsed) {
    throw new ParleyError('INVALID_INPUT', `"${path}" is not a spec field. Use a path such as "goals", "tone" or "tools[0].endpoint".`);
  }
  return parsed;
}

/** A hand edit: validated like an extraction, then stored with full confidence and locked. */
export function editField(spec: AgentSpec, path: string, value: unknown): AgentSpec {
  const parsed = pathOrThrow(path);
  if (parsed.kind !== 'top' && parsed.index > listLength(spec, parsed)) {
    const what = parsed.kind === 'tool' ? 'tool' : 'transfer';
    throw new ParleyError('INVALID_INPUT', `There is no ${what} ${parsed.index + 1} yet; add ${what} ${listLength(spec, parsed) + 1} first.`);
  }
  const checked = validateValue(spec, parsed, value);
  if (!checked.ok) throw new ParleyError('INVALID_INPUT', checked.message);
  return removeCandidate(setField(spec, parsed, { value: checked.value, confidence: 1, source: USER_EDIT, locked: true }), path);
}

/** Locks or unlocks a stored field; an unconfirmed candidate is confirmed (as a user edit) when locked. */
export function setLocked(spec: AgentSpec, path: string, locked: boolean): AgentSpec {
  const parsed = pathOrThrow(path);
  const existing = getField(spec, parsed);
  if (!existing) {
    const candidate = spec.candidates[path];
    if (candidate && locked) return editField(spec, path, candidate.value);
    throw new ParleyError('NOT_FOUND', `"${path}" has no value yet, so there is nothing to ${locked ? 'lock' : 'unlock'}.`);
  }
  if (existing.locked === locked) return spec;
  return setField(spec, parsed, { ...existing, locked });
}

/** Reopening a stage clears the answers that closed it and the ones after it (unless locked). */
export function reopenStage(spec: AgentSpec, target: Stage): AgentSpec {
  let next = spec;
  const clear = (key: 'tools_done' | 'workflow_approved') => {
    if (next[key] && !next[key].locked) {
      next = { ...next };
      delete next[key];
    }
  };
  // Reopening the basics keeps tools_done, so after an edit the interview runs on to the review.
  if (target === 'EXPLORING_TOOLS' || target === 'CONFIGURING_TOOLS') clear('tools_done');
  if (target !== 'FINALIZING' && target !== 'COMPLETED') clear('workflow_approved');
  return next;
}
