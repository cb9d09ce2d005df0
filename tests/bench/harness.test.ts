import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailability, REPO_ROOT } from '../e2e/harness';
import { BENCH_NAMES, formatTable } from './harness';
import { median, percentile } from './measure';
import type { BenchReport } from './types';

/**
 * Smoke check of `npm run bench -- --quick`: the harness runs every benchmark and writes a
 * well-formed report. Verdicts are never asserted: figures depend on the machine.
 */
const run = promisify(execFile);
const availability = chromiumAvailability();
const BROWSER_BENCHES = ['first_token_to_dom', 'stream_throughput', 'cold_start_preview', 'huge_session_open'];
const expected = availability.run ? BENCH_NAMES : BENCH_NAMES.filter((n) => !BROWSER_BENCHES.includes(n));

function bench(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'tests/bench/run.ts', ...args], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 110_000 });
}

describe('statistics', () => {
  it('takes nearest-rank percentiles and medians', () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(sorted, 95)).toBe(19);
    expect(percentile(sorted, 100)).toBe(20);
    expect(percentile([7], 95)).toBe(7);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

// Under CI this always runs (and fails without Chromium), so CI never reports a skipped prerequisite.
describe.runIf(process.env.CI === 'true')('bench prerequisites', () => {
  it('has Chromium (required under CI)', () => {
    expect(availability.failInCi).toBeNull();
    expect(availability.run).toBe(true);
  });
});

describe('npm run bench -- --quick', () => {
  let dir = '';
  let report: BenchReport;
  let stdout = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-bench-smoke-'));
    const out = join(dir, 'bench-results.json');
    ({ stdout } = await bench(['--quick', '--only', expected.join(','), '--out', out]));
    report = JSON.parse(await readFile(out, 'utf8')) as BenchReport;
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes bench-results.json with every benchmark and numeric figures', () => {
    expect(report.node).toBe(process.version);
    expect(report.cpus).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    expect(report.quick).toBe(true);
    expect(report.results.map((r) => r.name)).toEqual(expected);
    for (const r of report.results) {
      expect(Number.isFinite(r.value), `${r.name}: ${r.detail ?? ''}`).toBe(true);
      expect(r.unit, r.name).not.toBe('');
      expect(r.budget, r.name).not.toBe('');
      expect([true, false, null]).toContain(r.pass);
      if (r.baseline !== undefined) {
        expect(Number.isFinite(r.baseline), r.name).toBe(true);
        expect(r.ratio, r.name).toBeCloseTo(r.value / r.baseline, 6);
      }
    }
  });

  it('prints the table with one row per benchmark', () => {
    expect(stdout).toContain(formatTable(report));
    for (const name of expected) expect(stdout).toMatch(new RegExp(`^\\| ${name} +\\|`, 'm'));
  });

  it('refuses an unknown benchmark name with a usage error', async () => {
    const failed = await bench(['--only', 'no_such_bench']).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain('save_scaling');
  });
});
