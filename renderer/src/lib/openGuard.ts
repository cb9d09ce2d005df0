/**
 * Remembers which session is being opened until it has painted, so a session that froze the
 * window (or was killed while frozen) is not opened again automatically at the next launch.
 * The record lives in localStorage, which survives a crash of the renderer.
 */
const OPENING = 'parley.opening';
const SLOW = 'parley.slowSession';
/** An open that took longer than this counts as a freeze too, even if it finished. */
export const SLOW_OPEN_MS = 3000;

export interface OpenGuard {
  /** Called before a session's data is requested. */
  start(id: string): void;
  /** Called once the session has painted; returns how long the open took (ms), or null. */
  painted(id: string): number | null;
  /** A session the last launch did not finish opening (or opened too slowly), if any. */
  suspect(): string | null;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled
  }
}

export function createOpenGuard(store: () => Storage | null = storage, now: () => number = () => performance.now()): OpenGuard {
  let started: { id: string; at: number } | null = null;
  return {
    start(id) {
      started = { id, at: now() };
      store()?.setItem(OPENING, id);
      if (typeof performance !== 'undefined' && performance.mark) performance.mark(`parley:open:${id}`);
    },
    painted(id) {
      if (started?.id !== id) return null;
      const took = now() - started.at;
      started = null;
      const s = store();
      if (s?.getItem(OPENING) === id) s.removeItem(OPENING);
      if (took > SLOW_OPEN_MS) s?.setItem(SLOW, id);
      else if (s?.getItem(SLOW) === id) s.removeItem(SLOW);
      if (typeof performance !== 'undefined' && performance.measure) {
        try {
          performance.measure('parley:session-open', `parley:open:${id}`);
        } catch {
          /* the mark was cleared */
        }
      }
      return took;
    },
    suspect() {
      const s = store();
      return s?.getItem(OPENING) ?? s?.getItem(SLOW) ?? null;
    },
  };
}

export const openGuard = createOpenGuard();
