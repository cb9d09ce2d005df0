import { Bench, type FnReturnedObject } from 'tinybench';

export interface Sampled {
  /** Median of the measured samples, in ms. */
  median: number;
  p95: number;
  samples: number[];
}

export interface SampleOptions {
  /** Measured runs (the figure is their median); at least 5 outside --quick. */
  iterations: number;
  /** Un-measured runs first, so JIT and file caches are warm. */
  warmup: number;
  beforeEach?: () => Promise<void> | void;
  afterEach?: () => Promise<void> | void;
}

/** Nearest-rank percentile of already-sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs `fn` through tinybench: `warmup` discarded runs, then exactly `iterations` measured runs.
 * When `fn` returns a number, that is the sample (ms) instead of the wall time of the call: used
 * when only part of the call is the figure (e.g. a turn minus the provider, marks across processes).
 */
export async function sample(name: string, fn: () => Promise<number | void>, options: SampleOptions): Promise<Sampled> {
  const bench = new Bench({
    name,
    iterations: options.iterations,
    time: 0,
    warmup: options.warmup > 0,
    warmupIterations: options.warmup,
    warmupTime: 0,
    retainSamples: true,
    throws: true,
  });
  bench.add(
    name,
    async (): Promise<FnReturnedObject | undefined> => {
      const measured = await fn();
      return typeof measured === 'number' ? { overriddenDuration: measured } : undefined;
    },
    { beforeEach: options.beforeEach, afterEach: options.afterEach },
  );
  await bench.run();
  const task = bench.getTask(name);
  const result = task?.result;
  if (!result || !('latency' in result)) {
    const error = result && 'error' in result ? (result.error as Error) : undefined;
    throw new Error(`benchmark ${name} did not complete${error ? `: ${error.message}` : ''}`, { cause: error });
  }
  const samples = [...(result.latency.samples ?? [])].sort((a, b) => a - b);
  return { median: result.latency.p50, p95: percentile(samples, 95), samples };
}

/**
 * Two (or more) figures whose ratio is the point, on a shared noisy machine: tinybench runs them
 * in alternating rounds (A B A B …) so that a slow spell of the disk or CPU hits both sides.
 * Each side gets `iterations` measured runs in all, pooled across rounds.
 */
export async function sampleAlternating(
  tasks: Record<string, () => Promise<number | void>>,
  options: SampleOptions & { rounds: number },
): Promise<Record<string, Sampled>> {
  const pooled: Record<string, number[]> = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  const perRound = Math.max(1, Math.ceil(options.iterations / options.rounds));
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, fn] of Object.entries(tasks)) {
      const r = await sample(name, fn, { ...options, iterations: perRound, warmup: round === 0 ? options.warmup : 1 });
      pooled[name]!.push(...r.samples);
    }
  }
  return Object.fromEntries(
    Object.entries(pooled).map(([name, xs]) => {
      const sorted = xs.sort((a, b) => a - b);
      return [name, { median: median(sorted), p95: percentile(sorted, 95), samples: sorted }];
    }),
  );
}

/**
 * The disk's own price of durability, measured in the same run as the figures divided by it: one
 * 4 KB append + fdatasync (open, write, sync, close, as a journal append does). Absolute
 * milliseconds move 2× between machines; a ratio to this moves far less.
 */
export async function durableAppendCost(dir: string, iterations = 40): Promise<Sampled> {
  const { openSync, writeSync, fdatasyncSync, closeSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const file = join(dir, `fdatasync-probe-${process.pid}.log`);
  const block = 'x'.repeat(4095) + '\n';
  try {
    return await sample('fdatasync 4 KB append', async () => {
      const fd = openSync(file, 'a', 0o600);
      try {
        writeSync(fd, block);
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }, { iterations, warmup: 5 });
  } finally {
    rmSync(file, { force: true });
  }
}
