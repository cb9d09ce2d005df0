import { useState } from 'react';
import type { SchemaProblem } from '../lib/schemaCheck';
import { Icon } from './Icon';

export type Kind = 'text' | 'longtext' | 'boolean' | 'method' | 'json' | 'schema-input' | 'schema-output';

/** Characters of a value shown in the panel before "Show all" (a huge import must not stall the window). */
export const VALUE_DISPLAY_LIMIT = { text: 160, longtext: 600, json: 4000 } as const;

export function Problems({ label, problems }: { label: string; problems: SchemaProblem[] }) {
  return (
    <ul className="problems" aria-label={`Problems in ${label}`}>
      {problems.map((p, i) => (
        <li key={i} className={`problem problem-${p.severity}`}>
          <Icon name="warning" />
          <span>
            {p.at ? <code>{p.at}</code> : null} {p.message}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * A string value, cut at `limit` characters with a "Show all" that expands it in place, or, when
 * `onShowAll` is given, opens a fuller view instead.
 */
function LongString({ text, limit, className, label, onShowAll }: { text: string; limit: number; className: string; label: string; onShowAll?(): void }) {
  const [all, setAll] = useState(false);
  const cut = text.length > limit && !all;
  return (
    <>
      <span className={className}>{cut ? `${text.slice(0, limit)}…` : text}</span>
      {text.length > limit ? (
        <button type="button" className="link-button show-all" aria-label={`${cut ? 'Show all of' : 'Show less of'} ${label}`} onClick={() => (onShowAll && cut ? onShowAll() : setAll((a) => !a))}>
          {cut ? `Show all (${text.length.toLocaleString('en-US')} characters)` : 'Show less'}
        </button>
      ) : null}
    </>
  );
}

export function Value({ value, kind, label, onShowAll }: { value: unknown; kind: Kind; label: string; onShowAll?(): void }) {
  if (typeof value === 'boolean') return <span className="value">{value ? 'Yes' : 'No'}</span>;
  if (kind === 'method' && typeof value === 'string') return <span className={`value method method-${value.toLowerCase()}`}>{value}</span>;
  if (typeof value === 'string' || typeof value === 'number') {
    const long = kind === 'longtext';
    return <LongString text={String(value)} limit={long ? VALUE_DISPLAY_LIMIT.longtext : VALUE_DISPLAY_LIMIT.text} className={`value${long ? ' value-long' : ''}`} label={label} onShowAll={onShowAll} />;
  }
  const item = kind === 'json' ? itemSummary(value) : null;
  if (item !== null) return <LongString text={item} limit={VALUE_DISPLAY_LIMIT.longtext} className="value value-long" label={label} onShowAll={onShowAll} />;
  if (kind === 'json' && value && typeof value === 'object' && 'type' in value) {
    const auth = value as { type: string; header?: string; secret_name?: string };
    return (
      <span className="value">
        {auth.type === 'none' ? 'None' : auth.type.replace('_', ' ')}
        {auth.header ? ` in ${auth.header}` : ''}
        {auth.secret_name ? (
          <>
            {' '}
            · secret <code>{auth.secret_name}</code>
          </>
        ) : null}
      </span>
    );
  }
  const json = JSON.stringify(value, null, 2) ?? '';
  return (
    <pre className="value value-json">
      <code>{json.length > VALUE_DISPLAY_LIMIT.json ? `${json.slice(0, VALUE_DISPLAY_LIMIT.json)}\n…` : json}</code>
    </pre>
  );
}

/**
 * One readable line for the spec's whole-item values (voicemail, a value recorded after the call,
 * a success criterion, a knowledge source); null for anything else, which is shown as JSON.
 */
export function itemSummary(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
  if (v.action === 'hang_up') return 'Hang up without a message';
  if (v.action === 'leave_message') return `Leave a message: \u201c${str('message')}\u201d`;
  if (str('goal')) return str('goal');
  if (str('name') && str('description') && ['string', 'boolean', 'integer', 'number'].includes(str('type'))) return `${str('name')} (${str('type')}): ${str('description')}`;
  if (v.type === 'url' && str('url')) return str('name') ? `${str('name')}: ${str('url')}` : str('url');
  if (v.type === 'file' && str('path')) return str('name') ? `${str('name')}: ${str('path')}` : str('path');
  if (v.type === 'text' && str('text')) return `${str('name')}: ${str('text')}`;
  return null;
}

export function Confidence({ value, label }: { value: number; label: string }) {
  const pct = Math.round(value * 100);
  return (
    <span className="confidence" title={`${pct}% confident`}>
      <meter min={0} max={1} low={0.6} high={0.85} optimum={1} value={value} aria-label={`${label} confidence`} />
      <span className="confidence-text">{pct}%</span>
    </span>
  );
}
