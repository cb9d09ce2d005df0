import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../electron/preview/preview';
import type { BenchContext } from '../context';
import { sample } from '../measure';
import type { BenchResult } from '../types';

const run = promisify(execFile);

/** RSS of a fresh backend process (MB) after it listed and searched the sessions in `dataDir`. */
async function measure(dataDir: string, expected: number): Promise<{ rssMb: number; heapMb: number }> {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', join(REPO_ROOT, 'tests', 'bench', 'memory-child.ts'), dataDir], {
    cwd: REPO_ROOT,
    maxBuffer: 1024 * 1024,
  });
  const line = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { rss?: number; heapUsed?: number; total?: number };
  if (typeof line.rss !== 'number' || line.total !== expected) throw new Error(`memory child reported ${stdout.trim()}`);
  return { rssMb: line.rss / 2 ** 20, heapMb: (line.heapUsed ?? 0) / 2 ** 20 };
}

export async function memory10k(ctx: BenchContext): Promise<BenchResult> {
  const { many, few } = ctx.sizes;
  const manyDir = await ctx.parleyData(many);
  const fewDir = await ctx.parleyData(few);
  const heaps: Record<string, number[]> = { many: [], few: [] };
  const runs = { iterations: ctx.quick ? 1 : 5, warmup: 0 };
  const manyRss = await sample('rss many', async () => {
    const m = await measure(manyDir, many);
    heaps.many!.push(m.heapMb);
    return m.rssMb;
  }, runs);
  const fewRss = await sample('rss few', async () => {
    const m = await measure(fewDir, few);
    heaps.few!.push(m.heapMb);
    return m.rssMb;
  }, runs);
  const ratio = manyRss.median / fewRss.median;
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return {
    name: 'memory_10k',
    unit: 'MB',
    value: manyRss.median,
    baseline: fewRss.median,
    ratio,
    budget: 'ratio ≤ 1.5',
    pass: ratio <= 1.5,
    detail: `RSS of a fresh backend process after listing + 6 searches (after GC), ${many} sessions ÷ ${few}, median of ${runs.iterations}; JS heap ${mid(heaps.many!).toFixed(1)} MB vs ${mid(heaps.few!).toFixed(1)} MB`,
  };
}
