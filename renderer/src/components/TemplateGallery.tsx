import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TemplateSummary } from '../../../shared/template';
import { languageName } from '../../../shared/language';
import { Modal } from './Modal';
import { HiddenFileInput } from './HiddenFileInput';

export interface TemplateGalleryProps {
  /** null while loading. */
  templates: TemplateSummary[] | null;
  error: string | null;
  onStart(name: string): void;
  onImport(file: File): void;
  onExport(name: string): void;
  onClose(): void;
}

/** Every word of the query somewhere in the template's name, title, purpose, tools or language. */
export function matchesTemplate(t: TemplateSummary, query: string): boolean {
  const haystack = [t.name, t.title, t.purpose, t.tools.join(' '), t.language, languageName(t.language), t.callDirection, t.builtIn ? 'built-in' : 'saved']
    .join(' ')
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/**
 * The New-from-template step: a searchable list of templates (name, one-line purpose, tools,
 * language). Keyboard: type to filter, ↑/↓ (and Home/End) move through the list from the search
 * box, Enter starts from the highlighted template; every option is also a click target.
 */
export function TemplateGallery({ templates, error, onStart, onImport, onExport, onClose }: TemplateGalleryProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const shown = useMemo(() => (templates ?? []).filter((t) => matchesTemplate(t, query)), [templates, query]);
  const current = shown[Math.min(active, shown.length - 1)];
  const optionId = (name: string) => `${listId}-${name}`;

  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    if (current) document.getElementById(optionId(current.name))?.scrollIntoView?.({ block: 'nearest' });
  });

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const last = shown.length - 1;
    if (e.key === 'ArrowDown') setActive((i) => Math.min(last, i + 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
    else if (e.key === 'Home' && e.ctrlKey) setActive(0);
    else if (e.key === 'End' && e.ctrlKey) setActive(last);
    else if (e.key === 'Enter' && current) onStart(current.name);
    else return;
    e.preventDefault();
  };

  const footer = (
    <>
      <button type="button" className="button" onClick={() => fileInput.current?.click()}>
        Import template file…
      </button>
      <HiddenFileInput ref={fileInput} accept=".json,application/json" onFile={onImport} />
      <button type="button" className="button" disabled={!current} onClick={() => current && onExport(current.name)}>
        Export template file
      </button>
      <button type="button" className="button button-primary" disabled={!current} onClick={() => current && onStart(current.name)}>
        Start from template
      </button>
    </>
  );

  return (
    <Modal title="New from template" description="Start from a proven design; the interview then asks only what belongs to your business." onClose={onClose} wide footer={footer}>
      <div className="template-gallery">
        <input
          type="search"
          className="search template-search"
          aria-label="Search templates"
          placeholder="Search templates (e.g. dental, outbound, Spanish)"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={current ? optionId(current.name) : undefined}
          data-autofocus
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {error ? (
          <p className="template-empty" role="alert">
            {error}
          </p>
        ) : templates === null ? (
          <p className="template-empty">Loading templates…</p>
        ) : shown.length === 0 ? (
          <p className="template-empty" role="status">
            No template matches “{query}”.
          </p>
        ) : null}
        <ul id={listId} className="template-list" role="listbox" aria-label="Templates">
          {shown.map((t) => {
            const selected = t.name === current?.name;
            return (
              <li
                key={t.name}
                id={optionId(t.name)}
                role="option"
                aria-selected={selected}
                className={`template-option${selected ? ' is-active' : ''}`}
                onMouseEnter={() => setActive(shown.indexOf(t))}
                onClick={() => onStart(t.name)}
              >
                <span className="template-title">
                  {t.title}
                  <span className={`chip${t.builtIn ? '' : ' chip-saved'}`}>{t.builtIn ? 'built-in' : 'saved'}</span>
                </span>
                <span className="template-purpose">{t.purpose}</span>
                <span className="template-meta">
                  <span>{languageName(t.language)}</span>
                  <span>{t.callDirection}</span>
                  <span>{t.tools.length ? `Tools: ${t.tools.join(', ')}` : 'No tools'}</span>
                </span>
              </li>
            );
          })}
        </ul>
      </div>
    </Modal>
  );
}
