import { useCallback, useState } from 'react';
import type { ParleyApi } from '../../../shared/ipc';
import { asParleyError } from '../../../shared/errors';
import { templateNameFor, type TemplateSummary } from '../../../shared/template';
import type { ToastsApi } from './useToasts';
import type { SessionActions } from './useSessionActions';
import { downloadText } from './download';

export interface TemplateActions {
  /** null until loaded (the gallery loads them when it opens). */
  templates: TemplateSummary[] | null;
  error: string | null;
  load(): Promise<void>;
  /** Opens the gallery (New from template). */
  open(): void;
  start(name: string): Promise<boolean>;
  saveAsTemplate(sessionId: string, title: string): Promise<void>;
  importFile(file: File): Promise<void>;
  exportTemplate(name: string): Promise<void>;
}

/** The first of name, name-2, name-3… that no template has. */
function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base.slice(0, 60)}-${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * The template gallery and "Save as template": starting a session from a template, saving a
 * session's design as one (under a name no template has yet), importing a colleague's template
 * file and exporting one to share.
 */
export function useTemplateActions(deps: {
  api: ParleyApi;
  sessions: Pick<SessionActions, 'focusOnOpen' | 'setSession'>;
  refreshList(): Promise<unknown>;
  toast: ToastsApi['toast'];
  fail(error: unknown): void;
  openGallery(): void;
}): TemplateActions {
  const { api, sessions, refreshList, toast, fail, openGallery } = deps;
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const { items } = await api.templates.list();
      setTemplates(items);
      setError(null);
    } catch (e) {
      setError(asParleyError(e).message);
    }
  }, [api]);

  const start = useCallback(
    async (name: string) => {
      try {
        const created = await api.templates.start({ name });
        sessions.focusOnOpen.current = true;
        sessions.setSession(created);
        void refreshList();
        return true;
      } catch (e) {
        fail(e);
        return false;
      }
    },
    [api, sessions, refreshList, fail],
  );

  const saveAsTemplate = useCallback(
    async (sessionId: string, title: string) => {
      try {
        const { items } = await api.templates.list();
        const name = freeName(templateNameFor(title), new Set(items.map((t) => t.name)));
        const saved = await api.templates.save({ sessionId, name, title: title.slice(0, 80) });
        setTemplates(null);
        const left = saved.removedSecrets.length ? ` Left out what looked like a credential: ${saved.removedSecrets.join(', ')}.` : '';
        toast(`Saved “${saved.template.title}” as a template, without the conversation. Start from it with New from template.${left}`);
      } catch (e) {
        fail(e);
      }
    },
    [api, toast, fail],
  );

  const importFile = useCallback(
    async (file: File) => {
      try {
        const text = await file.text();
        const { items } = await api.templates.list();
        const taken = new Set(items.map((t) => t.name));
        let imported: TemplateSummary;
        try {
          imported = await api.templates.import({ text });
        } catch (e) {
          // A template of that name is here already: keep both.
          if (asParleyError(e).code !== 'CONFLICT') throw e;
          const named = (JSON.parse(text) as { name?: string }).name ?? 'template';
          imported = await api.templates.import({ text, name: freeName(named, taken) });
        }
        await load();
        toast(`Imported the template “${imported.title}”.`);
      } catch (e) {
        setError(asParleyError(e).message);
      }
    },
    [api, load, toast],
  );

  const exportTemplate = useCallback(
    async (name: string) => {
      try {
        const { fileName, content } = await api.templates.export({ name });
        downloadText(fileName, content, 'application/json;charset=utf-8');
        toast(`Saved ${fileName}.`);
      } catch (e) {
        setError(asParleyError(e).message);
      }
    },
    [api, toast],
  );

  const open = useCallback(() => {
    void load();
    openGallery();
  }, [load, openGallery]);

  return { templates, error, load, open, start, saveAsTemplate, importFile, exportTemplate };
}
