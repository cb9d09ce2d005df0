import { useCallback, useEffect, useRef, useState } from 'react';
import type { ParleyApi, SessionsList } from '../../../shared/ipc';
import type { QuarantinedFile, SessionSummary } from '../../../shared/session';

export const PAGE_SIZE = 100;

export interface SessionListState {
  /** Sparse: index i holds the i-th session (newest first) once its page has loaded. */
  items: Array<SessionSummary | undefined>;
  total: number;
  quarantined: QuarantinedFile[];
  loading: boolean;
  /** The search these results answer ("" for all); differs from the box while a search runs. */
  query: string;
}

function pagesOf(start: number, end: number): number[] {
  const out: number[] = [];
  for (let p = Math.floor(start / PAGE_SIZE); p * PAGE_SIZE < Math.max(end, start + 1); p++) out.push(p);
  return out;
}

/**
 * The session browser's data: pages of sessions:list fetched as the virtual list scrolls, the
 * search sent to the backend (debounced), and a generation counter so a slow answer to an old
 * query never overwrites a newer one.
 */
export function useSessionList(api: ParleyApi, searchDelayMs: number, onError: (e: unknown) => void) {
  const [search, setSearch] = useState('');
  const [state, setState] = useState<SessionListState>({ items: [], total: 0, quarantined: [], loading: true, query: '' });
  const searchRef = useRef(search);
  searchRef.current = search;
  const generation = useRef(0);
  const loaded = useRef(new Set<number>());
  const visible = useRef<[number, number]>([0, 40]);
  const errorRef = useRef(onError);
  errorRef.current = onError;

  const query = (page: number) => {
    const q = searchRef.current.trim();
    return api.sessions.list({ ...(q ? { search: q } : {}), offset: page * PAGE_SIZE, limit: PAGE_SIZE });
  };

  /** Re-reads page 0 and the visible pages, replacing everything at once (no flicker). */
  const refresh = useCallback(async (): Promise<SessionsList | null> => {
    const gen = ++generation.current;
    const pages = [...new Set([0, ...pagesOf(...visible.current)])];
    const asked = searchRef.current.trim();
    const results = await Promise.all(pages.map((p) => query(p)));
    if (gen !== generation.current) return null;
    const last = results[results.length - 1]!;
    const first = results[0]!;
    const total = first.total;
    const items: Array<SessionSummary | undefined> = new Array(total);
    loaded.current = new Set();
    pages.forEach((p, k) => {
      loaded.current.add(p);
      results[k]!.items.forEach((it, i) => {
        if (p * PAGE_SIZE + i < total) items[p * PAGE_SIZE + i] = it;
      });
    });
    setState({ items, total, quarantined: last.quarantined, loading: false, query: asked });
    return first;
  }, [api]);

  const ensureRange = useCallback(
    (start: number, end: number) => {
      visible.current = [start, end];
      const gen = generation.current;
      for (const p of pagesOf(start, end)) {
        if (loaded.current.has(p) || p * PAGE_SIZE >= Math.max(state.total, 1)) continue;
        loaded.current.add(p);
        query(p).then(
          (r) => {
            if (gen !== generation.current) return;
            setState((s) => {
              const items = s.items.slice();
              r.items.forEach((it, i) => {
                if (p * PAGE_SIZE + i < items.length) items[p * PAGE_SIZE + i] = it;
              });
              return { ...s, items };
            });
          },
          (e: unknown) => {
            loaded.current.delete(p);
            errorRef.current(e);
          },
        );
      }
    },
    [api, state.total],
  );

  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false; // the first load is the app's start-up call
      return;
    }
    const timer = setTimeout(() => void refresh().catch((e: unknown) => errorRef.current(e)), searchDelayMs);
    return () => clearTimeout(timer);
  }, [search, refresh, searchDelayMs]);

  return { search, setSearch, ...state, refresh, ensureRange };
}
