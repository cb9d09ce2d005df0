import { useMemo, useRef, useState } from 'react';
import type { AgentSpec } from '../../../shared/spec';
import { FONT_SIZES, layoutWorkflow, type FlowLayout } from '../lib/workflowModel';
import { BODY_BASELINE, BODY_LINE, drawWorkflow, FONT, LABEL_LINE, labelPosition, palette, TITLE_BASELINE, type Palette } from '../lib/workflowDraw';
import { downloadBlob } from '../lib/download';
import { resolvedTheme } from '../lib/theme';
import { Icon } from './Icon';
import { Modal } from './Modal';
import { DiagramViewport } from './DiagramViewport';

export interface WorkflowViewProps {
  spec: AgentSpec;
  title: string;
  /** Which palette to draw with; follows the app theme. */
  theme: 'light' | 'dark';
}

function fileBase(title: string): string {
  return (title || 'agent').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'agent';
}

/**
 * The designed agent's flow, drawn from the spec at a legible size (zoom, pan and fit in the
 * panel, or larger in its own window); downloadable as SVG or PNG.
 */
export function WorkflowView({ spec, title, theme }: WorkflowViewProps) {
  const layout = useMemo(() => layoutWorkflow(spec), [spec]);
  const svgRef = useRef<SVGSVGElement>(null);
  const [large, setLarge] = useState(false);
  const p = palette(theme);

  const saveSvg = () => {
    const svg = svgRef.current;
    if (!svg) return;
    // The file is the diagram at 100%, whatever the zoom on screen.
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('width', String(layout.width));
    copy.setAttribute('height', String(layout.height));
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
    downloadBlob(`${fileBase(title)}-workflow.svg`, new Blob([text], { type: 'image/svg+xml' }));
  };
  const savePng = () => {
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(layout.width * scale);
    canvas.height = Math.ceil(layout.height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    drawWorkflow(ctx, layout, palette(resolvedTheme()), scale);
    canvas.toBlob((blob) => blob && downloadBlob(`${fileBase(title)}-workflow.png`, blob), 'image/png');
  };

  return (
    <section className="panel workflow" aria-labelledby="workflow-title">
      <div className="panel-head">
        <h2 id="workflow-title" className="panel-title">
          Workflow
        </h2>
        <span className="workflow-actions">
          <button type="button" className="button button-small" onClick={() => setLarge(true)} disabled={layout.empty} aria-label="Open the workflow in a large view" title="Large view">
            <Icon name="expand" />
          </button>
          <button type="button" className="button button-small" onClick={saveSvg} disabled={layout.empty}>
            <Icon name="download" />
            SVG
          </button>
          <button type="button" className="button button-small" onClick={savePng} disabled={layout.empty}>
            <Icon name="download" />
            PNG
          </button>
        </span>
      </div>
      {layout.empty ? (
        <p className="panel-empty">The diagram appears once Parley knows what kind of agent you are building.</p>
      ) : (
        <DiagramViewport width={layout.width} height={layout.height} label="Workflow diagram">
          {(zoom) => <FlowSvg ref={svgRef} layout={layout} p={p} title={title} zoom={zoom} idPrefix="wf" />}
        </DiagramViewport>
      )}
      {large && !layout.empty ? (
        <Modal title={`Workflow of ${title || 'the agent'}`} full onClose={() => setLarge(false)}>
          <DiagramViewport width={layout.width} height={layout.height} label="Workflow diagram, large view" tall>
            {(zoom) => <FlowSvg layout={layout} p={p} title={title} zoom={zoom} idPrefix="wf-large" />}
          </DiagramViewport>
        </Modal>
      ) : null}
    </section>
  );
}

function FlowSvg({ layout, p, title, zoom, idPrefix, ref }: { layout: FlowLayout; p: Palette; title: string; zoom: number; idPrefix: string; ref?: React.Ref<SVGSVGElement> }) {
  const arrow = (kind: 'flow' | 'error') => `${idPrefix}-arrow-${kind}`;
  return (
    <svg
      ref={ref}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width * zoom}
      height={layout.height * zoom}
      role="img"
      aria-label={`Workflow of ${title || 'the agent'}: ${layout.nodes.map((n) => n.title).join(', then ')}`}
      fontFamily={FONT}
    >
      <defs>
        {(['flow', 'error'] as const).map((k) => (
          <marker key={k} id={arrow(k)} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0L10 5L0 10z" fill={k === 'error' ? p.error : p.edge} />
          </marker>
        ))}
      </defs>
      <rect width={layout.width} height={layout.height} fill={p.background} />
      {layout.edges.map((e) => {
        const [lx, ly] = labelPosition(e);
        return (
          <g key={e.id} data-edge={e.id}>
            <polyline
              points={e.points.map(([x, y]) => `${x},${y}`).join(' ')}
              fill="none"
              stroke={e.kind === 'error' ? p.error : p.edge}
              strokeWidth="1.5"
              strokeDasharray={e.kind === 'error' ? '5 4' : undefined}
              markerEnd={`url(#${arrow(e.kind)})`}
            />
            {e.label.length ? (
              <text x={lx} y={ly} fontSize={FONT_SIZES.label} fontStyle="italic" fill={e.kind === 'error' ? p.error : p.muted}>
                {e.label.map((line, i) => (
                  <tspan key={i} x={lx} dy={i === 0 ? 0 : LABEL_LINE}>
                    {line}
                  </tspan>
                ))}
              </text>
            ) : null}
          </g>
        );
      })}
      {layout.nodes.map((n) => (
        <g key={n.id} data-node={n.id}>
          <rect x={n.x} y={n.y} width={n.w} height={n.h} rx="10" fill={p.fill[n.kind]} stroke={p.stroke[n.kind]} strokeWidth="1.5" strokeDasharray={n.kind === 'error' ? '5 4' : undefined} />
          <text x={n.x + 12} y={n.y + TITLE_BASELINE} fontSize={FONT_SIZES.title} fontWeight="600" fill={p.text}>
            {n.title}
          </text>
          <text fontSize={FONT_SIZES.body} fill={p.muted}>
            {n.lines.map((line, i) => (
              <tspan key={i} x={n.x + 12} y={n.y + BODY_BASELINE + i * BODY_LINE}>
                {line}
              </tspan>
            ))}
          </text>
        </g>
      ))}
    </svg>
  );
}
