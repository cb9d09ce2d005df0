import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureRendererBuilt } from '../../../electron/preview/build';
import { REPO_ROOT } from '../../../electron/preview/preview';
import type { BenchContext } from '../context';
import { percentile, sample } from '../measure';
import type { BenchResult } from '../types';
import { spawnHost } from './browser';
import { hugeSessionFile } from '../../support/huge-session';

const HUGE = '00000000-0000-4000-8000-0000000000f9';
const SMALL = '00000000-0000-4000-8000-0000000000f1';


/** The page's own measure of the last open: the app marks the request and measures at first paint. */
async function lastOpen(page: Page, count: number): Promise<number> {
  await page.waitForFunction((n) => performance.getEntriesByName('parley:session-open').length >= n, count, { timeout: 60_000 });
  return page.evaluate(() => performance.getEntriesByName('parley:session-open').at(-1)!.duration);
}

/**
 * huge_session_open: a session holding 9 MB of unbroken text (a 100,000-character system prompt and
 * 1,000,000-character messages: the largest values a session may hold), opened from the list
 * in Chromium against the preview; from the app's open request (sessions:get) to the first paint
 * after it. Includes reading and validating the file, the socket and JSON.parse.
 */
export async function hugeSessionOpen(ctx: BenchContext): Promise<BenchResult> {
  await ensureRendererBuilt(REPO_ROOT);
  const bytes = ctx.quick ? 1024 * 1024 : 9 * 1024 * 1024;
  const dataDir = await ctx.scratch('preview-huge');
  await mkdir(join(dataDir, 'sessions'), { recursive: true });
  await writeFile(join(dataDir, 'sessions', `${HUGE}.json`), hugeSessionFile(HUGE, 'Huge prompt', '2026-11-29T10:00:00.000Z', bytes));
  await writeFile(join(dataDir, 'sessions', `${SMALL}.json`), hugeSessionFile(SMALL, 'Small', '2026-11-28T10:00:00.000Z', 9));
  const host = await spawnHost('electron/preview/host.ts', ['--port', '0', '--data-dir', dataDir, '--provider', 'offline', '--no-build']);
  const context = await (await ctx.browser()).newContext({ viewport: { width: 1440, height: 900 } });
  ctx.onClose(async () => {
    await context.close();
    await host.stop();
  });
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByRole('heading', { level: 1, name: 'Huge prompt' }).waitFor({ timeout: 60_000 });
  let opens = await page.evaluate(() => performance.getEntriesByName('parley:session-open').length);
  const list = page.getByRole('list', { name: 'Sessions' });
  const figures = await sample(
    'huge session open',
    async () => {
      await list.getByRole('button', { name: 'Small', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Small' }).waitFor();
      await list.getByRole('button', { name: 'Huge prompt', exact: true }).click();
      opens += 2;
      return lastOpen(page, opens);
    },
    { iterations: ctx.quick ? 2 : ctx.sizes.iterations, warmup: 1 },
  );
  return {
    name: 'huge_session_open',
    unit: 'ms',
    value: figures.median,
    budget: '≤ 1000 ms',
    pass: figures.median <= 1000,
    detail: `a session with ${(bytes / 1024 / 1024).toFixed(0)} MB of unbroken text (system prompt + messages, each at its limit), opened from the list in Chromium against the preview: the app's open request → first paint after it (performance marks in the page), median of ${figures.samples.length}, p95 ${percentile(figures.samples, 95).toFixed(0)} ms`,
  };
}
