import { useEffect, useRef, useState, type ReactNode } from 'react';
import { TOOL_FIELDS, type ToolSpec } from '../../../shared/spec';
import { afterPaint } from '../lib/afterPaint';

/** Up to this many tools are shown as full cards; more are listed virtually, one card at a time. */
export const FULL_CARDS_MAX = 20;
export const TOOL_ROW_HEIGHT = 34;
const VIEWPORT_ROWS = 8;
const OVERSCAN = 4;

export interface ToolListProps {
  tools: ToolSpec[];
  /** The field being asked about; its tool is selected. */
  awaiting: string | null;
  renderTool(index: number): ReactNode;
}

function toolIndexOf(path: string | null): number | null {
  const m = path ? /^tools\[(\d+)\]\./.exec(path) : null;
  return m ? Number(m[1]) : null;
}

/**
 * The spec's tools. A handful are cards; a long list (an import of thousands) is a virtual list of
 * one-line rows (only those on screen exist) with the chosen tool's card below it, so the panel
 * stays light whatever the count.
 */
export function ToolList({ tools, awaiting, renderTool }: ToolListProps) {
  if (tools.length <= FULL_CARDS_MAX) return <>{tools.map((_, i) => renderTool(i))}</>;
  return <VirtualTools tools={tools} awaiting={awaiting} renderTool={renderTool} />;
}

function VirtualTools({ tools, awaiting, renderTool }: ToolListProps) {
  const [selected, setSelected] = useState(() => toolIndexOf(awaiting) ?? 0);
  const [scrollTop, setScrollTop] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const asked = toolIndexOf(awaiting);
  useEffect(() => {
    if (asked !== null) setSelected(asked);
  }, [asked]);
  const current = Math.min(selected, tools.length - 1);

  const select = (i: number, focus: boolean) => {
    const next = Math.max(0, Math.min(tools.length - 1, i));
    setSelected(next);
    const el = scroller.current;
    if (el) {
      const top = next * TOOL_ROW_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + TOOL_ROW_HEIGHT > el.scrollTop + VIEWPORT_ROWS * TOOL_ROW_HEIGHT) el.scrollTop = top - (VIEWPORT_ROWS - 1) * TOOL_ROW_HEIGHT;
      setScrollTop(el.scrollTop);
      if (focus) afterPaint(() => el.querySelector<HTMLElement>(`[data-tool-index="${next}"]`)?.focus());
    }
  };

  const start = Math.max(0, Math.floor(scrollTop / TOOL_ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(tools.length, Math.ceil(scrollTop / TOOL_ROW_HEIGHT) + VIEWPORT_ROWS + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const t = tools[i]!;
    const done = TOOL_FIELDS.filter((f) => t[f]).length;
    rows.push(
      <li key={i} aria-posinset={i + 1} aria-setsize={tools.length} style={{ transform: `translateY(${i * TOOL_ROW_HEIGHT}px)` }} className={`tool-row${i === current ? ' is-selected' : ''}`}>
        <button
          type="button"
          className="tool-row-button"
          data-tool-index={i}
          aria-current={i === current ? 'true' : undefined}
          tabIndex={i === current ? 0 : -1}
          onClick={() => select(i, false)}
          onKeyDown={(e) => {
            const to = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tools.length - 1 : null;
            if (to === null) return;
            e.preventDefault();
            select(to, true);
          }}
        >
          <span className="tool-row-name">{t.name?.value ? `${i + 1}. ${t.name.value.slice(0, 120)}` : `Tool ${i + 1}`}</span>
          <span className={`chip${done === TOOL_FIELDS.length ? ' chip-ok' : ''}`}>
            {done}/{TOOL_FIELDS.length}
          </span>
        </button>
      </li>,
    );
  }
  return (
    <div className="tool-virtual">
      <p className="hint">
        {tools.length.toLocaleString('en-US')} tools; choose one to see its details.
      </p>
      <div className="tool-scroller" ref={scroller} style={{ height: VIEWPORT_ROWS * TOOL_ROW_HEIGHT }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <ul className="tool-rows" aria-label="Tools" style={{ height: tools.length * TOOL_ROW_HEIGHT }}>
          {rows}
        </ul>
      </div>
      {renderTool(current)}
    </div>
  );
}
