import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../electron/preview/preview';
import type { BenchContext } from '../context';
import { percentile, sampleAlternating, type Sampled } from '../measure';
import type { BenchResult } from '../types';

/** What `npx parley` runs. */
const BUNDLE = join(REPO_ROOT, 'out', 'cli', 'parley.mjs');

const fmt = (ms: number) => ms.toFixed(0);

/** The bundle, rebuilt first by the launcher behind `npm run cli` when a source is newer. */
function ensureCliBuilt(ctx: BenchContext): void {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'cli.mjs'), '--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the CLI failed: ${r.stderr}`);
  ctx.log(`  parley ${r.stdout.trim()} (${BUNDLE})`);
}

/** Wall time of one whole process, spawn to exit; its output is read and dropped, as a pipe to a script would. */
function timeProcess(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    let err = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code}: ${err.slice(0, 300)}`));
      else resolve(ms);
    });
  });
}

/** The command and `node -e 0` in alternating rounds, so a busy spell of the machine hits both. */
async function againstNode(ctx: BenchContext, args: string[]): Promise<{ parley: Sampled; node: Sampled; runs: number }> {
  const runs = Math.max(ctx.sizes.iterations * 2, 10);
  const r = await sampleAlternating(
    { parley: () => timeProcess([BUNDLE, ...args]), node: () => timeProcess(['-e', '0']) },
    { iterations: runs, warmup: ctx.sizes.warmup, rounds: 5 },
  );
  return { parley: r.parley!, node: r.node!, runs };
}

function result(name: string, budgetMs: number, what: string, m: { parley: Sampled; node: Sampled; runs: number }, over = ''): BenchResult {
  const value = m.parley.median;
  return {
    name,
    unit: 'ms',
    value,
    baseline: m.node.median,
    ratio: value / m.node.median,
    budget: `< ${budgetMs} ms`,
    pass: value < budgetMs,
    detail:
      `whole process, spawn → exit of \`node out/cli/parley.mjs ${what}\`${over} (the bundle \`npx parley\` runs), median of ${m.runs} (p95 ${fmt(percentile(m.parley.samples, 95))} ms); ` +
      `baseline \`node -e 0\` in alternating rounds, median ${fmt(m.node.median)} ms (p95 ${fmt(percentile(m.node.samples, 95))} ms): Parley's own share is ${fmt(value - m.node.median)} ms`,
  };
}

export async function cliVersion(ctx: BenchContext): Promise<BenchResult> {
  ensureCliBuilt(ctx);
  return result('cli_version', 150, '--version', await againstNode(ctx, ['--version']));
}

export async function cliList10k(ctx: BenchContext): Promise<BenchResult> {
  ensureCliBuilt(ctx);
  const count = ctx.sizes.many;
  const dataDir = await ctx.parleyData(count);
  // The figure is only worth something if every session is really listed.
  const check = spawnSync(process.execPath, [BUNDLE, '--data-dir', dataDir, '--json', 'list'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const listed = JSON.parse(check.stdout) as { items: unknown[]; total: number };
  if (check.status !== 0 || listed.total !== count || listed.items.length !== count) throw new Error(`parley list showed ${listed.items.length} of ${listed.total}, expected ${count}: ${check.stderr}`);
  const m = await againstNode(ctx, ['--data-dir', dataDir, 'list']);
  return result('cli_list_10k', 300, 'list', m, ` over ${count.toLocaleString('en-US')} sessions, every one printed`);
}
