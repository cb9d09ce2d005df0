import { TOOL_FIELDS, type AgentSpec, type ToolSpec } from '../../shared/spec';
import { toolLabel } from './fields';
import { validateValue } from './validate';

/**
 * Removing, renaming and reordering tools by chat ("remove the refill tool", "rename X to Y",
 * "move lookup first"). Paths that name a tool by index (candidates, parked fields) follow the
 * tool to its new index, so nothing points at the wrong tool afterwards.
 */

export type ToolOperation =
  | { op: 'remove'; tool: number }
  | { op: 'rename'; tool: number; name: string }
  | { op: 'move'; tool: number; position: number };

export interface ToolOpsResult {
  spec: AgentSpec;
  /** One line per change, for the reply ("Removed refill_prescription."). */
  done: string[];
  /** Operations that could not be applied, with the reason. */
  refused: string[];
}

function reindex(path: string, map: (index: number) => number | null): string | null {
  const m = /^tools\[(\d+)\](\..+)$/.exec(path);
  if (!m) return path;
  const next = map(Number(m[1]));
  return next === null ? null : `tools[${next}]${m[2]}`;
}

function remapPaths(spec: AgentSpec, map: (index: number) => number | null): AgentSpec {
  const candidates: AgentSpec['candidates'] = {};
  for (const [path, candidate] of Object.entries(spec.candidates)) {
    const next = reindex(path, map);
    if (next) candidates[next] = candidate;
  }
  const parked = spec.parked?.map((p) => reindex(p, map)).filter((p): p is string => p !== null);
  const out: AgentSpec = { ...spec, candidates };
  if (parked) out.parked = parked;
  return out;
}

function locked(tool: ToolSpec | undefined): boolean {
  return !!tool && TOOL_FIELDS.some((key) => tool[key]?.locked);
}

export function applyToolOps(spec: AgentSpec, ops: ToolOperation[], source: string): ToolOpsResult {
  let next = spec;
  const done: string[] = [];
  const refused: string[] = [];
  for (const op of ops) {
    const tool = next.tools[op.tool];
    if (!tool) {
      refused.push(`There is no tool ${op.tool + 1}.`);
      continue;
    }
    const label = toolLabel(next, op.tool);
    if (op.op === 'remove') {
      if (locked(tool)) {
        refused.push(`${label} has locked fields, so I kept it; unlock them in the spec panel to remove it.`);
        continue;
      }
      const tools = next.tools.filter((_, i) => i !== op.tool);
      next = remapPaths({ ...next, tools }, (i) => (i === op.tool ? null : i > op.tool ? i - 1 : i));
      if (tools.length === 0 && next.tools_done && !next.tools_done.locked) {
        next = { ...next };
        delete next.tools_done;
      }
      done.push(`Removed ${label}.`);
    } else if (op.op === 'rename') {
      if (tool.name?.locked) {
        refused.push(`${label}'s name is locked; unlock it in the spec panel to rename it.`);
        continue;
      }
      const checked = validateValue(next, { kind: 'tool', index: op.tool, key: 'name' }, op.name);
      if (!checked.ok) {
        refused.push(checked.message);
        continue;
      }
      const tools = next.tools.slice();
      tools[op.tool] = { ...tool, name: { value: checked.value as string, confidence: 1, source, locked: false } };
      next = { ...next, tools };
      done.push(`Renamed ${label} to ${String(checked.value)}.`);
    } else {
      const position = Math.max(0, Math.min(next.tools.length - 1, op.position));
      if (position === op.tool) continue;
      const tools = next.tools.slice();
      const [moved] = tools.splice(op.tool, 1);
      if (moved) tools.splice(position, 0, moved);
      const map = (i: number): number => {
        if (i === op.tool) return position;
        if (op.tool < position && i > op.tool && i <= position) return i - 1;
        if (op.tool > position && i >= position && i < op.tool) return i + 1;
        return i;
      };
      next = remapPaths({ ...next, tools }, map);
      done.push(`Moved ${label} to position ${position + 1}.`);
    }
  }
  return { spec: next, done, refused };
}
