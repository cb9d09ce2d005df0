/**
 * The window survives any session: a session holding 9 MB of unbroken text (its system prompt and
 * messages each at the largest size a session may hold) opens, shows the prompt cut for display, and the window still answers; a
 * session recorded as "opening" when the window last died is not opened again by itself.
 *
 * How long the open takes (request → first paint, from the app's performance marks) is printed
 * here and judged in `npm run bench` (huge_session_open, budget 1 s): on this shared 2-CPU machine
 * the figure ranged 440–960 ms under other suites' load, too close to the bound for a test.
 * A freeze like the one this guards against (minutes) fails the waits below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailability, startPreviewProcess, type PreviewProcess } from './harness';
import type { PageWindow } from './dom';
import { hugeSessionFile } from '../support/huge-session';

const availability = chromiumAvailability();
const HUGE = '00000000-0000-4000-8000-0000000000f9';
const SMALL = '00000000-0000-4000-8000-0000000000f1';
const UNBROKEN_CHARS = 9 * 1024 * 1024;


async function openDuration(page: Page): Promise<number> {
  await expect.poll(() => page.evaluate(() => performance.getEntriesByName('parley:session-open').length), { timeout: 60_000 }).toBeGreaterThan(0);
  return page.evaluate(() => performance.getEntriesByName('parley:session-open').at(-1)!.duration);
}

describe.runIf(availability.run)('a session with 9 MB of unbroken text in Chromium', () => {
  let preview: PreviewProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-e2e-huge-'));
    await mkdir(join(dataDir, 'sessions'), { recursive: true });
    // Unbroken "words": the worst case for line breaking.
    await writeFile(join(dataDir, 'sessions', `${HUGE}.json`), hugeSessionFile(HUGE, 'Huge prompt', '2026-11-29T10:00:00.000Z', UNBROKEN_CHARS));
    await writeFile(join(dataDir, 'sessions', `${SMALL}.json`), hugeSessionFile(SMALL, 'Small', '2026-11-28T10:00:00.000Z', 9));
    preview = await startPreviewProcess(['--no-build'], undefined, { dataDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('opens at launch and again from the list, the prompt cut for display, the window still answering', async () => {
    await page.goto(preview.url);
    await page.getByRole('heading', { level: 1, name: 'Huge prompt' }).waitFor({ timeout: 60_000 });
    const atLaunch = await openDuration(page);
    const spec = page.getByRole('region', { name: 'Agent spec' });
    const shown = await spec.locator('[data-field="system_prompt"] .value').evaluate((el) => el.textContent!.length);
    expect(shown).toBeLessThan(1000);

    const list = page.getByRole('list', { name: 'Sessions' });
    await list.getByRole('button', { name: 'Small', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Small' }).waitFor();
    await list.getByRole('button', { name: 'Huge prompt', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Huge prompt' }).waitFor();
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('parley:session-open').length)).toBe(3);
    const fromList = await openDuration(page);
    const fetchMs = await page.evaluate(async (id) => {
      const t0 = performance.now();
      await (globalThis as unknown as PageWindow).parley.sessions.get({ id });
      return performance.now() - t0;
    }, HUGE);
    console.log(`sessions:get alone: ${fetchMs.toFixed(0)} ms`);
    console.log(`9 MB unbroken-text session: open → first paint ${atLaunch.toFixed(0)} ms at launch, ${fromList.toFixed(0)} ms from the list`);
    expect(atLaunch).toBeGreaterThan(0);
    expect(fromList).toBeGreaterThan(0);
    // The window still answers: typing reaches the message box at once.
    await page.getByRole('textbox', { name: 'Message' }).fill('still here');
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('still here');
  });

  it('does not reopen by itself a session the window was opening when it last died', async () => {
    await page.evaluate((id) => (globalThis as unknown as PageWindow).localStorage.setItem('parley.opening', id), HUGE);
    await page.reload();
    await page.getByText(/“Huge prompt” was not reopened/).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Design a voice agent by talking to it');
  });
});
