import type { AgentSpec } from '../../shared/spec';
import type { TurnResult } from '../llm/types';
import { getField, listLength, park, parsePath, unparkAnswered } from './fields';
import { STORING_KINDS } from './classify';
import { describeValue, fieldLabel } from './describe';
import { resolveToolRef } from './refs';
import { applyToolOps, type ToolOperation } from './tool-ops';
import { validateValue } from './validate';

/**
 * The parts of a turn that are not field values, applied to the spec the same way whichever
 * interviewer (offline or LLM) proposed them: tool edits, parked fields, proposals to accept.
 * Pure: spec in, spec out, plus the lines that tell the user what changed.
 */

export interface IntentOutcome {
  spec: AgentSpec;
  /** Field values the turn may store: none for questions, "don't know", skips, off-topic, undo. */
  extracted: TurnResult['extracted'];
  /** What was done or refused, one line each, for the reply. */
  lines: string[];
  /** Something other than values changed the design (a tool removed, renamed, moved). */
  designChanged: boolean;
  /** A field was parked this turn. */
  parked: string | null;
}

/** A tool reference from a model or the offline interviewer: "tools[1]", a name, or "second". */
function toolIndex(ref: string, spec: AgentSpec): number | null {
  const m = /^tools\[(\d+)\]$/.exec(ref.trim());
  if (m) return Number(m[1]) < spec.tools.length ? Number(m[1]) : null;
  return resolveToolRef(ref, spec);
}

/** Stores a proposal as an unconfirmed candidate, shown in the panel and accepted with "use your suggestion". */
function propose(spec: AgentSpec, field: string, value: unknown, source: string): AgentSpec {
  const parsed = parsePath(field);
  if (!parsed) return spec;
  if (parsed.kind !== 'top' && parsed.index >= listLength(spec, parsed)) return spec;
  if (getField(spec, parsed)?.locked) return spec;
  const checked = validateValue(spec, parsed, value);
  if (!checked.ok) return spec;
  return { ...spec, candidates: { ...spec.candidates, [field]: { value: checked.value, confidence: 0.5, source } } };
}

export function applyIntents(spec: AgentSpec, result: TurnResult, source: string): IntentOutcome {
  const kind = result.kind ?? 'answer';
  const extracted = STORING_KINDS.has(kind) ? result.extracted : {};
  let next = spec;
  const lines: string[] = [];
  let designChanged = false;
  const ops = result.intent.tool_ops ?? [];
  if (ops.length) {
    const resolved: ToolOperation[] = [];
    for (const op of ops) {
      const index = toolIndex(op.tool, next);
      if (index === null) {
        lines.push(`I couldn't find a tool called "${op.tool}".`);
        continue;
      }
      if (op.op === 'rename' && op.name) resolved.push({ op: 'rename', tool: index, name: op.name });
      else if (op.op === 'move' && op.position !== undefined) resolved.push({ op: 'move', tool: index, position: op.position });
      else if (op.op === 'remove') resolved.push({ op: 'remove', tool: index });
    }
    const applied = applyToolOps(next, resolved, source);
    next = applied.spec;
    lines.push(...applied.done, ...applied.refused);
    designChanged = applied.done.length > 0;
  }
  let parked: string | null = null;
  const skip = result.intent.skip;
  if (skip && parsePath(skip) && kind === 'skip') {
    const before = next;
    next = park(next, skip);
    if (next !== before) parked = skip;
  }
  if (result.suggestion) next = propose(next, result.suggestion.field, result.suggestion.value, source);
  return { spec: next, extracted, lines, designChanged, parked };
}

/** After values are merged: parked fields that got a value are no longer parked. */
export function settleParked(spec: AgentSpec): AgentSpec {
  return unparkAnswered(spec);
}

/** "Changed the tone from "warm" to "relaxed and friendly"." for every stored value that replaced another. */
export function changeLines(before: AgentSpec, after: AgentSpec, stored: string[], reply: string): string[] {
  const lines: string[] = [];
  for (const path of stored) {
    const parsed = parsePath(path);
    if (!parsed || (parsed.kind === 'top' && ['use_tools', 'tools_done', 'workflow_approved', 'system_prompt'].includes(parsed.key))) continue;
    const old = getField(before, parsed);
    const now = getField(after, parsed);
    if (!old || !now) continue;
    if (JSON.stringify(old.value) === JSON.stringify(now.value)) continue;
    const line = `Changed ${fieldLabel(path, after)} from ${describeValue(path, old.value, before)} to ${describeValue(path, now.value, after)}.`;
    // The reply already says it (the offline interviewer writes this line itself; a model may say it its way).
    if (reply.includes(line) || (typeof now.value === 'string' && reply.toLowerCase().includes(now.value.toLowerCase()))) continue;
    lines.push(line);
  }
  return lines;
}
