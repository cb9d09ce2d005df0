import type { AgentSpec } from '../../../shared/spec';

/**
 * The designed agent's flow as positioned boxes and arrows, derived from the spec only:
 * greeting → understanding the request → one branch per tool (its trigger on the arrow, its
 * error path below it) plus the general-answer path → closing / hand-off. One layout feeds
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
}

export interface FlowLayout {
  width: number;
  height: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Nothing to draw yet (no agent type): the view shows a hint instead. */
  empty: boolean;
}

const NODE_W = 200;
const GAP_X = 36;
const PAD = 24;
const LINE = 15;
const TITLE_H = 22;
const ROW_GAP = 64;
const ERR_INDENT = 36;
/** Average glyph width of the 11.5px UI font; wrapping is by estimate, the box is sized to fit. */
const CHARS_PER_LINE = 30;

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
  return { id, kind, title, lines, w: NODE_W, h: TITLE_H + 12 + lines.length * LINE };
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

export function layoutWorkflow(spec: AgentSpec): FlowLayout {
  const tools = spec.tools.filter((t) => t.name?.value);
  const greeting = node('greeting', 'start', 'Greeting', spec.first_message?.value ?? `Answers as a ${spec.agent_type?.value ?? 'voice agent'}${spec.tone ? `, ${spec.tone.value.toLowerCase()}` : ''}.`);
  const intent = node('intent', 'intent', 'Understand the request', spec.goals?.value ?? 'Goals not collected yet.');
  const branches = tools.map((t, i) => ({
    tool: node(`tool-${i}`, 'tool', t.name!.value, [t.purpose?.value, shortEndpoint(t.method?.value, t.endpoint?.value)].filter(Boolean).join(' — '), 4),
    error: node(`error-${i}`, 'error', 'If it fails', t.error_handling?.value ?? 'Error handling not set yet.'),
    trigger: t.trigger?.value ?? 'trigger not set',
  }));
  const answer = node('answer', 'answer', tools.length ? 'Anything else' : 'Answer directly', tools.length ? 'Answer from the prompt; ask a clarifying question when unsure.' : 'Answers from its instructions; no tools are called.');
  const closing = node('closing', 'end', 'Close or hand off', 'Confirm the outcome, offer more help, or transfer to a human agent.');

  const columns = branches.length + 1;
  const width = Math.max(columns * NODE_W + (columns - 1) * GAP_X, NODE_W) + PAD * 2;
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
  y += it.h + ROW_GAP + 14; // room for trigger labels

  const colX = (c: number) => PAD + c * (NODE_W + GAP_X);
  const toolNodes = branches.map((b, c) => place(b.tool, colX(c), y));
  const a = place(answer, colX(branches.length), y);
  const rowH = Math.max(a.h, ...toolNodes.map((n) => n.h));
  y += rowH + ROW_GAP * 0.8;
  // Error boxes sit indented under their tool, leaving a lane on the left for the success path.
  const errNodes = branches.map((b, c) => place({ ...b.error, w: NODE_W - ERR_INDENT, lines: wrap(b.error.lines.join(' '), CHARS_PER_LINE - 6, 3) }, colX(c) + ERR_INDENT, y));
  const errH = errNodes.length ? Math.max(...errNodes.map((n) => n.h)) : 0;
  if (errNodes.length) y += errH + ROW_GAP * 0.8;
  const end = place(closing, cx - NODE_W / 2, y);
  y += end.h + PAD;

  const bottom = (n: FlowNode): [number, number] => [n.x + n.w / 2, n.y + n.h];
  const top = (n: FlowNode): [number, number] => [n.x + n.w / 2, n.y];
  const elbow = (from: [number, number], to: [number, number]): Array<[number, number]> => {
    if (Math.abs(from[0] - to[0]) < 1) return [from, to];
    const mid = from[1] + (to[1] - from[1]) / 2;
    return [from, [from[0], mid], [to[0], mid], to];
  };
  const edges: FlowEdge[] = [];
  edges.push({ id: 'e-greet', from: g.id, to: it.id, kind: 'flow', label: [], points: [bottom(g), top(it)] });
  toolNodes.forEach((t, i) => {
    const from = bottom(it);
    const to = top(t);
    const bendY = to[1] - 34;
    edges.push({ id: `e-trigger-${i}`, from: it.id, to: t.id, kind: 'flow', label: wrap(branches[i]!.trigger, 32, 2), points: [from, [from[0], from[1] + 14], [to[0], from[1] + 14], [to[0], bendY], to] });
    const err = errNodes[i]!;
    edges.push({ id: `e-error-${i}`, from: t.id, to: err.id, kind: 'error', label: ['if it fails'], points: [[top(err)[0], t.y + t.h], top(err)] });
    const lane = t.x + 14;
    const joinY = end.y - 22;
    edges.push({ id: `e-ok-${i}`, from: t.id, to: end.id, kind: 'flow', label: [], points: [[lane, t.y + t.h], [lane, joinY], [top(end)[0], joinY], top(end)] });
    edges.push({ id: `e-handoff-${i}`, from: err.id, to: end.id, kind: 'error', label: [], points: [bottom(err), [bottom(err)[0], joinY], [top(end)[0], joinY], top(end)] });
  });
  const af = bottom(it);
  edges.push({ id: 'e-answer', from: it.id, to: a.id, kind: 'flow', label: tools.length ? ['other requests'] : [], points: toolNodes.length ? [af, [af[0], af[1] + 14], [top(a)[0], af[1] + 14], top(a)] : [af, top(a)] });
  edges.push({ id: 'e-answer-end', from: a.id, to: end.id, kind: 'flow', label: [], points: toolNodes.length ? [bottom(a), [bottom(a)[0], end.y - 22], [top(end)[0], end.y - 22], top(end)] : elbow(bottom(a), top(end)) });
  return { width, height: y, nodes, edges, empty: !spec.agent_type };
}
