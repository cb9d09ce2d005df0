import { availableParallelism } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { BenchContext } from './context';
import { FULL, QUICK, type BenchReport, type BenchResult } from './types';
import { list10k, saveScaling, saveVsLowdb, saveVsNaive, search10k } from './benches/store';
import { promptGrowth, turnOverhead } from './benches/turn';
import { offlineTurn600 } from './benches/interview';
import { exportMany } from './benches/export';
import { memory10k } from './benches/memory';
import { rendererBundle } from './benches/bundle';
import { coldStartPreview, firstTokenToDom, streamThroughput } from './benches/browser';
import { cliList10k, cliVersion } from './benches/cli';
import { stopMidStream } from './benches/stop';
import { hugeSessionOpen } from './benches/huge';
import { simulate5x3 } from './benches/simulate';
import { versionsDiff, versionsOpen, versionsSize } from './benches/versions';

export interface BenchDef {
  name: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

/** Every benchmark, in the order they run and print (the names are the issue's). */
export const BENCHES: readonly BenchDef[] = [
  { name: 'save_scaling', run: saveScaling },
  { name: 'save_vs_naive_10k', run: saveVsNaive },
  { name: 'save_vs_lowdb_10k', run: saveVsLowdb },
  { name: 'list_10k', run: list10k },
  { name: 'search_10k', run: search10k },
  { name: 'turn_overhead', run: turnOverhead },
  { name: 'prompt_growth', run: promptGrowth },
  { name: 'offline_turn_600', run: offlineTurn600 },
  { name: 'renderer_bundle', run: rendererBundle },
  { name: 'first_token_to_dom', run: firstTokenToDom },
  { name: 'stream_throughput', run: streamThroughput },
  { name: 'stop_mid_stream', run: stopMidStream },
  { name: 'cold_start_preview', run: coldStartPreview },
  { name: 'huge_session_open', run: hugeSessionOpen },
  { name: 'export_500', run: exportMany },
  { name: 'memory_10k', run: memory10k },
  { name: 'cli_list_10k', run: cliList10k },
  { name: 'cli_version', run: cliVersion },
  { name: 'simulate_5x3', run: simulate5x3 },
  { name: 'versions_500_size', run: versionsSize },
  { name: 'versions_500_open', run: versionsOpen },
  { name: 'versions_500_diff', run: versionsDiff },
];

export const BENCH_NAMES = BENCHES.map((b) => b.name);

export interface RunOptions {
  quick?: boolean;
  /** Run only these benchmarks (names from BENCH_NAMES). */
  only?: string[];
  log?: (line: string) => void;
}

/**
 * Runs the benchmarks in this process (children only where a clean process is the point) and
 * returns the report. A benchmark that throws becomes a failed line with the error as its detail,
 * so one broken figure never hides the others.
 */
export async function runBenches(options: RunOptions = {}): Promise<BenchReport> {
  const quick = options.quick ?? false;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const unknown = (options.only ?? []).filter((n) => !BENCH_NAMES.includes(n));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCH_NAMES.join(', ')}`);
  const selected = options.only?.length ? BENCHES.filter((b) => options.only!.includes(b.name)) : BENCHES;
  const ctx = await BenchContext.create(quick ? QUICK : FULL, quick, log);
  const results: BenchResult[] = [];
  try {
    for (const bench of selected) {
      const started = performance.now();
      log(`▶ ${bench.name}`);
      let result: BenchResult;
      try {
        result = await bench.run(ctx);
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(message);
        result = { name: bench.name, unit: '', value: Number.NaN, budget: '', pass: false, detail: `error: ${error instanceof Error ? error.message : String(error)}` };
      }
      log(`  ${formatFigure(result)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      results.push(result);
    }
  } finally {
    await ctx.close();
  }
  return { node: process.version, cpus: availableParallelism(), date: new Date().toISOString(), quick, results };
}

function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : abs >= 0.1 ? value.toFixed(2) : value.toPrecision(2);
}

export function formatFigure(r: BenchResult): string {
  const figure = `${num(r.value)} ${r.unit}`.trim();
  return r.ratio === undefined ? figure : `${figure} (÷ ${num(r.baseline ?? Number.NaN)} = ${num(r.ratio)})`;
}

export function verdict(r: BenchResult): string {
  return r.pass === null ? 'reported' : r.pass ? 'pass' : 'FAIL';
}

/** The table printed at the end (Markdown, so the README can take it as it is). */
export function formatTable(report: BenchReport): string {
  const rows = report.results.map((r) => [r.name, formatFigure(r), r.budget || '—', verdict(r)]);
  const header = ['name', 'figure', 'budget', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export async function writeReport(report: BenchReport, file: string): Promise<void> {
  // JSON has no NaN: a figure that could not be measured is written as null.
  await writeFile(file, `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
}
