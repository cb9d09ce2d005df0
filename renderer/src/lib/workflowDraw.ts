import { FONT_SIZES, type FlowEdge, type FlowLayout, type NodeKind } from './workflowModel';

export interface Palette {
  background: string;
  text: string;
  muted: string;
  edge: string;
  error: string;
  fill: Record<NodeKind, string>;
  stroke: Record<NodeKind, string>;
}

/** Explicit colours (not CSS variables), so a downloaded SVG/PNG looks the same anywhere. */
export function palette(theme: 'light' | 'dark'): Palette {
  return theme === 'dark'
    ? {
        background: '#1c1f23',
        text: '#e6e8eb',
        muted: '#a0a6ae',
        edge: '#6b7380',
        error: '#f07a7a',
        fill: { start: '#1f2b40', intent: '#24282d', tool: '#1d3328', answer: '#24282d', error: '#3a2022', end: '#1f2b40' },
        stroke: { start: '#6ea1f5', intent: '#4a515b', tool: '#5cc48a', answer: '#4a515b', error: '#f07a7a', end: '#6ea1f5' },
      }
    : {
        background: '#ffffff',
        text: '#1c2024',
        muted: '#60666f',
        edge: '#9aa1ab',
        error: '#c23b3b',
        fill: { start: '#e8f0fd', intent: '#f6f7f9', tool: '#e9f6ee', answer: '#f6f7f9', error: '#fdeeee', end: '#e8f0fd' },
        stroke: { start: '#2f6fdb', intent: '#c9ced6', tool: '#2a8a55', answer: '#c9ced6', error: '#c23b3b', end: '#2f6fdb' },
      };
}

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/** Draws the same layout onto a canvas (the PNG export; an <img> of the SVG would need a CSP exception). */
export function drawWorkflow(ctx: CanvasRenderingContext2D, layout: FlowLayout, p: Palette, scale = 2): void {
  ctx.save();
  ctx.scale(scale, scale);
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.lineWidth = 1.5;
  for (const e of layout.edges) {
    ctx.strokeStyle = e.kind === 'error' ? p.error : p.edge;
    ctx.setLineDash(e.kind === 'error' ? [5, 4] : []);
    ctx.beginPath();
    e.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    ctx.stroke();
    const [tx, ty] = e.points[e.points.length - 1]!;
    ctx.setLineDash([]);
    ctx.fillStyle = e.kind === 'error' ? p.error : p.edge;
    ctx.beginPath();
    ctx.moveTo(tx, ty);
    ctx.lineTo(tx - 4.5, ty - 8);
    ctx.lineTo(tx + 4.5, ty - 8);
    ctx.closePath();
    ctx.fill();
    if (e.label.length) {
      const [lx, ly] = labelPosition(e);
      ctx.fillStyle = e.kind === 'error' ? p.error : p.muted;
      ctx.font = `italic ${FONT_SIZES.label}px ${FONT}`;
      e.label.forEach((line, i) => ctx.fillText(line, lx, ly + i * LABEL_LINE));
    }
  }
  for (const n of layout.nodes) {
    ctx.fillStyle = p.fill[n.kind];
    ctx.strokeStyle = p.stroke[n.kind];
    ctx.setLineDash(n.kind === 'error' ? [5, 4] : []);
    ctx.beginPath();
    ctx.roundRect(n.x, n.y, n.w, n.h, 10);
    ctx.fill();
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = p.text;
    ctx.font = `600 ${FONT_SIZES.title}px ${FONT}`;
    ctx.fillText(n.title, n.x + 12, n.y + TITLE_BASELINE);
    ctx.fillStyle = p.muted;
    ctx.font = `${FONT_SIZES.body}px ${FONT}`;
    n.lines.forEach((line, i) => ctx.fillText(line, n.x + 12, n.y + BODY_BASELINE + i * BODY_LINE));
  }
  ctx.restore();
}

/** Baselines inside a box and between lines; the SVG uses the same numbers. */
export const TITLE_BASELINE = 21;
export const BODY_BASELINE = 40;
export const BODY_LINE = 17;
export const LABEL_LINE = 15;

/** Where an edge's label starts: where the layout put it, else beside its last vertical segment. */
export function labelPosition(e: Pick<FlowEdge, 'points' | 'labelAt'>): [number, number] {
  return e.labelAt ?? labelAnchor(e.points);
}

/** Where an edge's label goes: beside its last vertical segment, a little above the arrow head. */
export function labelAnchor(points: Array<[number, number]>): [number, number] {
  const end = points[points.length - 1]!;
  const prev = points[points.length - 2] ?? end;
  const midY = prev[1] + (end[1] - prev[1]) / 2;
  return [end[0] + 8, midY - 2];
}
