import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Icon } from './Icon';

export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 3;
const STEP = 1.25;

export interface DiagramViewportProps {
  /** The drawing's size at 100%. */
  width: number;
  height: number;
  label: string;
  /** Taller viewport (the large view). */
  tall?: boolean;
  children(zoom: number): ReactNode;
}

const clamp = (z: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.round(z * 100) / 100));

/**
 * A scrollable window onto a drawing at a chosen zoom: 100% by default (legible text), zoom in and
 * out, fit to the window, pan by dragging or with the arrow keys; Ctrl+wheel and +/−/0 zoom.
 */
export function DiagramViewport({ width, height, label, tall, children }: DiagramViewportProps) {
  const [zoom, setZoom] = useState(1);
  const view = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);

  // The drawing starts centred on its top (the greeting), not cut at its left edge.
  useLayoutEffect(() => {
    const el = view.current;
    if (el) el.scrollLeft = Math.max(0, (el.scrollWidth - el.clientWidth) / 2);
  }, []);

  /** Zooms about the centre of the view, so what the user looks at stays in view. */
  const zoomTo = (next: number) => {
    const el = view.current;
    const z = clamp(next);
    if (el) {
      const cx = (el.scrollLeft + el.clientWidth / 2) / zoom;
      const cy = (el.scrollTop + el.clientHeight / 2) / zoom;
      const recentre = () => {
        el.scrollLeft = cx * z - el.clientWidth / 2;
        el.scrollTop = cy * z - el.clientHeight / 2;
      };
      if (typeof requestAnimationFrame === 'function') requestAnimationFrame(recentre);
    }
    setZoom(z);
  };
  const fit = () => {
    const el = view.current;
    if (!el || !el.clientWidth) return;
    setZoom(clamp(Math.min(el.clientWidth / width, el.clientHeight / height)));
  };

  return (
    <div className={`diagram${tall ? ' diagram-tall' : ''}`}>
      <div className="diagram-tools" role="toolbar" aria-label="Zoom">
        <button type="button" className="icon-button" aria-label="Zoom out" title="Zoom out (−)" disabled={zoom <= MIN_ZOOM} onClick={() => zoomTo(zoom / STEP)}>
          <Icon name="zoom-out" />
        </button>
        <button type="button" className="zoom-level" aria-label={`Zoom ${Math.round(zoom * 100)}%, reset to 100%`} title="Reset to 100% (0)" onClick={() => zoomTo(1)}>
          {Math.round(zoom * 100)}%
        </button>
        <button type="button" className="icon-button" aria-label="Zoom in" title="Zoom in (+)" disabled={zoom >= MAX_ZOOM} onClick={() => zoomTo(zoom * STEP)}>
          <Icon name="zoom-in" />
        </button>
        <button type="button" className="icon-button" aria-label="Fit to view" title="Fit to view" onClick={fit}>
          <Icon name="fit" />
        </button>
        <span className="diagram-hint">Drag to pan</span>
      </div>
      <div
        ref={view}
        className="diagram-view"
        role="group"
        aria-label={label}
        tabIndex={0}
        onWheel={(e) => {
          if (!e.ctrlKey && !e.metaKey) return;
          e.preventDefault();
          zoomTo(zoom * (e.deltaY < 0 ? STEP : 1 / STEP));
        }}
        onKeyDown={(e) => {
          if (e.ctrlKey || e.metaKey || e.altKey) return;
          if (e.key === '+' || e.key === '=') zoomTo(zoom * STEP);
          else if (e.key === '-') zoomTo(zoom / STEP);
          else if (e.key === '0') zoomTo(1);
          else return;
          e.preventDefault();
        }}
        onPointerDown={(e) => {
          if (e.button !== 0 || !view.current) return;
          drag.current = { x: e.clientX, y: e.clientY, left: view.current.scrollLeft, top: view.current.scrollTop };
          view.current.setPointerCapture?.(e.pointerId);
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d || !view.current) return;
          view.current.scrollLeft = d.left - (e.clientX - d.x);
          view.current.scrollTop = d.top - (e.clientY - d.y);
        }}
        onPointerUp={() => (drag.current = null)}
        onPointerCancel={() => (drag.current = null)}
      >
        {children(zoom)}
      </div>
    </div>
  );
}
