import type { AgentSpec } from '../../../shared/spec';

/**
 * The designed agent's flow as positioned boxes and arrows, derived from the spec only:
 * greeting → understanding the request → one branch per independent tool (its trigger on the
 * arrow, its error path below it), with tools that come after another ("after the lookup")
 * drawn below it in sequence, plus the general-answer path → closing / hand-off. One layout feeds
 * both the SVG on screen and the PNG export, so they always match.
 */

export type NodeKind = 'start' | 'intent' | 'tool' | 'answer' | 'error' | 'end';

export interface FlowNode {
  id: string;
  kind: NodeKind;
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  lines: string[];
}

export interface FlowEdge {
  id: string;
  from: string;
  to: string;
  kind: 'flow' | 'error';
  label: string[];
  /** Polyline points, in order. */
  points: Array<[number, number]>;
  /** Where the label's first line starts (left, baseline); otherwise beside the last segment. */
  labelAt?: [number, number];
}

export interface FlowLayout {
  width: number;
  height: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Nothing to draw yet (no agent type): the view shows a hint instead. */
  empty: boolean;
}

const NODE_W = 224;
const GAP_X = 44;
const PAD = 24;
const LINE = 17;
const TITLE_H = 26;
const ROW_GAP = 64;
const ERR_INDENT = 36;
/** Room between an error box and the next step in a sequence: the arrow and its two-line label. */
const SEQ_GAP = 56;
/** Average glyph width of the 12.5px UI font; wrapping is by estimate, the box is sized to fit. */
const CHARS_PER_LINE = 29;
/** Font sizes, shared with the SVG and the PNG: none under 12 px at 100%. */
export const FONT_SIZES = { title: 14, body: 12.5, label: 12 } as const;
/** Beyond this many tools the diagram draws the first ones and a "more" note (a 10,000-tool import). */
export const MAX_DRAWN_TOOLS = 24;

export function wrap(text: string, max = CHARS_PER_LINE, maxLines = 3): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  // Words longer than a line (URLs) are broken into line-sized pieces rather than cut off.
  const pieces = words.flatMap((w) => (w.length > max ? (w.match(new RegExp(`.{1,${max}}`, 'gu')) ?? [w]) : [w]));
  for (const word of pieces) {
    if (!cur) cur = word;
    else if (cur.length + 1 + word.length <= max) cur += ` ${word}`;
    else {
      lines.push(cur);
      cur = word;
    }
  }
  if (cur) lines.push(cur);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    const last = kept[maxLines - 1]!;
    kept[maxLines - 1] = `${last.length >= max - 1 ? last.slice(0, max - 2) : last}…`;
    return kept;
  }
  return lines;
}

function node(id: string, kind: NodeKind, title: string, body: string, maxLines = 3): Omit<FlowNode, 'x' | 'y'> {
  const lines = body ? wrap(body, CHARS_PER_LINE, maxLines) : [];
  return { id, kind, title: title.length > 40 ? `${title.slice(0, 39)}…` : title, lines, w: NODE_W, h: TITLE_H + 12 + lines.length * LINE };
}

function shortEndpoint(method: string | undefined, endpoint: string | undefined): string {
  if (!endpoint) return method ?? '';
  let path = endpoint;
  try {
    const u = new URL(endpoint.replace(/\{([^{}]+)\}/g, '__$1__'));
    path = `${u.host}${decodeURIComponent(u.pathname).replace(/__([^_]+(?:_[^_]+)*)__/g, '{$1}')}`;
  } catch {
    /* keep as typed */
  }
  return `${method ?? ''} ${path}`.trim();
}

const CUE = /\b(after|once|following|then)\b|\bwhen\b.*\b(done|finished|succeeded|verified|found|confirmed|complete[ds]?)\b/i;
const GENERIC = new Set(['get', 'set', 'the', 'and', 'for', 'tool', 'api', 'call', 'check', 'make', 'with']);
/** Word stems, so "verified" meets "verify" and "looked" meets "lookup". */
const stems = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+|(?<=[a-z])(?=[A-Z])/)
    .filter((w) => w.length >= 3 && !GENERIC.has(w))
    .map((w) => w.slice(0, 5));

/**
 * Which tool each tool comes after, read from its trigger: "after the identity is verified"
 * follows verify_identity. Only a trigger with a sequence cue counts; the best-matching earlier
 * named tool wins. -1: no dependency (an alternative reached from the request).
 */
export function toolDependencies(tools: ReadonlyArray<{ name?: { value: string }; trigger?: { value: string } }>): number[] {
  const names = tools.map((t) => stems((t.name?.value ?? '').replace(/_/g, ' ')));
  return tools.map((t, j) => {
    const trigger = t.trigger?.value ?? '';
    const cue = CUE.exec(trigger);
    if (!cue) return -1;
    const words = new Set(stems(trigger.slice(cue.index)));
    let best = -1;
    let bestScore = 0;
    names.forEach((name, i) => {
      if (i === j || name.length === 0) return;
      const score = name.filter((w) => words.has(w)).length;
      // Ties go to the nearest earlier tool: sequences are usually told in order.
      if (score > bestScore || (score === bestScore && score > 0 && i < j && (best > j || i > best))) {
        best = i;
        bestScore = score;
      }
    });
    return best;
  });
}

/** Dependencies without cycles: a tool whose chain leads back to itself starts its own branch. */
function acyclic(deps: number[]): number[] {
  return deps.map((d, j) => {
    const seen = new Set([j]);
    for (let k = d; k >= 0; k = deps[k]!) {
      if (seen.has(k)) return -1;
      seen.add(k);
    }
    return d;
  });
}

export function layoutWorkflow(spec: AgentSpec): FlowLayout {
  const named = spec.tools.filter((t) => t.name?.value);
  const tools = named.slice(0, MAX_DRAWN_TOOLS);
  const hidden = named.length - tools.length;
  const deps = acyclic(toolDependencies(tools));
  const greeting = node('greeting', 'start', 'Greeting', spec.first_message?.value ?? `Answers as a ${spec.agent_type?.value ?? 'voice agent'}${spec.tone ? `, ${spec.tone.value.toLowerCase()}` : ''}.`);
  const intent = node('intent', 'intent', 'Understand the request', spec.goals?.value ?? 'Goals not collected yet.');
  const branches = tools.map((t, i) => ({
    tool: node(`tool-${i}`, 'tool', t.name!.value, [t.purpose?.value, shortEndpoint(t.method?.value, t.endpoint?.value)].filter(Boolean).join(' — '), 4),
    error: node(`error-${i}`, 'error', 'If it fails', t.error_handling?.value ?? 'Error handling not set yet.'),
    trigger: t.trigger?.value ?? 'trigger not set',
  }));
  const answerText = hidden > 0 ? `${hidden} more ${hidden === 1 ? 'tool is' : 'tools are'} not drawn. Otherwise answer from the prompt.` : 'Answer from the prompt; ask a clarifying question when unsure.';
  const answer = node('answer', 'answer', tools.length ? 'Anything else' : 'Answer directly', tools.length ? answerText : 'Answers from its instructions; no tools are called.');
  const closing = node('closing', 'end', 'Close or hand off', 'Confirm the outcome, offer more help, or transfer to a human agent.');

  // One column per sequence: a tool that comes after another goes below it, in its column.
  const children = tools.map((_, i) => deps.flatMap((d, j) => (d === i ? [j] : [])));
  const columns: number[][] = [];
  const walk = (i: number, col: number[]) => {
    col.push(i);
    for (const c of children[i]!) walk(c, col);
  };
  deps.forEach((d, i) => {
    if (d !== -1) return;
    const col: number[] = [];
    walk(i, col);
    columns.push(col);
  });

  const count = columns.length + 1;
  const width = Math.max(count * NODE_W + (count - 1) * GAP_X, NODE_W) + PAD * 2;
  const cx = width / 2;
  const nodes: FlowNode[] = [];
  const place = (n: Omit<FlowNode, 'x' | 'y'>, x: number, y: number): FlowNode => {
    const placed = { ...n, x, y };
    nodes.push(placed);
    return placed;
  };
  let y = PAD;
  const g = place(greeting, cx - NODE_W / 2, y);
  y += g.h + ROW_GAP * 0.7;
  const it = place(intent, cx - NODE_W / 2, y);
  y += it.h + ROW_GAP + 20; // room for trigger labels
  const rowTop = y;

  const colX = (c: number) => PAD + c * (NODE_W + GAP_X);
  const toolNodes: FlowNode[] = [];
  const errNodes: FlowNode[] = [];
  let bottom = rowTop;
  columns.forEach((col, c) => {
    let cy = rowTop;
    col.forEach((i, k) => {
      if (k > 0) cy += SEQ_GAP;
      toolNodes[i] = place(branches[i]!.tool, colX(c), cy);
      cy += toolNodes[i].h + ROW_GAP * 0.6;
      const e = branches[i]!.error;
      // Error boxes sit indented under their tool, leaving a lane on the left for the success path.
      errNodes[i] = place({ ...e, w: NODE_W - ERR_INDENT, lines: wrap(e.lines.join(' '), CHARS_PER_LINE - 5, 3) }, colX(c) + ERR_INDENT, cy);
      cy += errNodes[i].h;
    });
    bottom = Math.max(bottom, cy);
  });
  const a = place(answer, colX(columns.length), rowTop);
  bottom = Math.max(bottom, a.y + a.h);
  y = bottom + ROW_GAP;
  const end = place(closing, cx - NODE_W / 2, y);
  y += end.h + PAD;

  const bottomOf = (n: FlowNode): [number, number] => [n.x + n.w / 2, n.y + n.h];
  const top = (n: FlowNode): [number, number] => [n.x + n.w / 2, n.y];
  const joinY = end.y - 22;
  const edges: FlowEdge[] = [];
  edges.push({ id: 'e-greet', from: g.id, to: it.id, kind: 'flow', label: [], points: [bottomOf(g), top(it)] });
  const fork = bottomOf(it)[1] + 14;
  // Arrows run down each column's left lane; labels sit right of it, inside the column.
  const laneOf = (n: FlowNode) => n.x + 14;
  tools.forEach((_, i) => {
    const t = toolNodes[i]!;
    const err = errNodes[i]!;
    const lane = laneOf(t);
    const dep = deps[i]!;
    if (dep === -1) {
      const from = bottomOf(it);
      edges.push({ id: `e-trigger-${i}`, from: it.id, to: t.id, kind: 'flow', label: wrap(branches[i]!.trigger, 28, 2), points: [from, [from[0], fork], [lane, fork], [lane, t.y]], labelAt: [lane + 8, fork + 18] });
    } else {
      // Comes after its dependency: straight down its column's lane, past the error box.
      const before = toolNodes[dep]!;
      edges.push({ id: `e-after-${i}`, from: before.id, to: t.id, kind: 'flow', label: wrap(branches[i]!.trigger, 28, 2), points: [[lane, before.y + before.h], [lane, t.y]], labelAt: [lane + 8, t.y - SEQ_GAP + 16] });
    }
    edges.push({ id: `e-error-${i}`, from: t.id, to: err.id, kind: 'error', label: ['if it fails'], points: [[top(err)[0], t.y + t.h], top(err)] });
    if (!children[i]!.length) {
      edges.push({ id: `e-ok-${i}`, from: t.id, to: end.id, kind: 'flow', label: [], points: [[lane, t.y + t.h], [lane, joinY], [top(end)[0], joinY], top(end)] });
    }
    // The hand-off leaves on the right, through the gap between columns, so it crosses no later step.
    const gutter = t.x + NODE_W + GAP_X / 2;
    const mid = err.y + err.h / 2;
    edges.push({ id: `e-handoff-${i}`, from: err.id, to: end.id, kind: 'error', label: [], points: [[err.x + err.w, mid], [gutter, mid], [gutter, joinY], [top(end)[0], joinY], top(end)] });
  });
  const af = bottomOf(it);
  const aLane = laneOf(a);
  edges.push({
    id: 'e-answer',
    from: it.id,
    to: a.id,
    kind: 'flow',
    label: tools.length ? ['other requests'] : [],
    points: toolNodes.length ? [af, [af[0], fork], [aLane, fork], [aLane, a.y]] : [af, top(a)],
    labelAt: [aLane + 8, fork + 18],
  });
  edges.push({ id: 'e-answer-end', from: a.id, to: end.id, kind: 'flow', label: [], points: [bottomOf(a), [bottomOf(a)[0], joinY], [top(end)[0], joinY], top(end)] });
  return { width, height: y, nodes, edges, empty: !spec.agent_type };
}
