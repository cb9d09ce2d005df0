/**
 * Collects streamed text pieces per key and hands them over once per animation frame, in arrival
 * order, so a fast stream causes one render per frame instead of one per token.
 */
export interface FrameBatcher {
  push(key: string, text: string): void;
  /** Delivers whatever is pending now (before a turn ends, so no piece is lost or reordered). */
  flush(): void;
  /** Drops pending text of one key (the reply was reset). */
  drop(key: string): void;
  dispose(): void;
}

type Schedule = (cb: () => void) => () => void;

const rafSchedule: Schedule = (cb) => {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(cb);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(cb, 16);
  return () => clearTimeout(id);
};

export function createFrameBatcher(deliver: (pending: Map<string, string>) => void, schedule: Schedule = rafSchedule): FrameBatcher {
  let pending = new Map<string, string>();
  let cancel: (() => void) | null = null;
  const flush = () => {
    cancel?.();
    cancel = null;
    if (pending.size === 0) return;
    const out = pending;
    pending = new Map();
    deliver(out);
  };
  return {
    push(key, text) {
      pending.set(key, (pending.get(key) ?? '') + text);
      cancel ??= schedule(flush);
    },
    flush,
    drop(key) {
      pending.delete(key);
    },
    dispose() {
      cancel?.();
      cancel = null;
      pending.clear();
    },
  };
}
