/**
 * Simulated calls in Chromium against `npm run preview --provider offline`: a design at the review
 * stage (the brief's order-status agent, its transfer missing a number), Simulate calls from the
 * Inspector, run, read a transcript, and see the failed scenario explained.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, chromiumAvailability, startPreviewProcess, type PreviewProcess } from './harness';
import { exportSession } from '../../electron/export';
import { customerSupportSpec, f, finalize, sessionWith } from '../support/export/sessions';
import { parleyJson } from '../helpers/cli';

const availability = chromiumAvailability();

describe.runIf(availability.run)('simulated calls in Chromium', () => {
  let preview: PreviewProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dataDir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-e2e-sim-'));
    const spec = customerSupportSpec();
    spec.transfers = [{ condition: f('The customer asks for a person'), transfer_type: f('warm' as const) }];
    const design = join(dataDir, 'design.parley.json');
    await writeFile(design, exportSession(sessionWith(finalize(spec), 'Acme support'), 'parley').content);
    await parleyJson(dataDir, ['import', design]);
    preview = await startPreviewProcess([], undefined, { dataDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('Simulate from the review stage, read a transcript, see a failed scenario explained', async () => {
    await page.goto(preview!.url);
    await page.getByRole('heading', { level: 1, name: 'Acme support' }).waitFor();
    await page.getByRole('button', { name: 'Simulate calls' }).click();
    const dialog = page.getByRole('dialog', { name: 'Simulated calls' });
    await dialog.getByText(/Runs offline: scripted callers/).waitFor();
    await dialog.getByRole('button', { name: 'Run simulation' }).click();

    const status = dialog.getByRole('status');
    await expect.poll(() => status.innerText(), { timeout: 30_000 }).toMatch(/\d of 5 passed/);
    const failed = dialog.getByRole('listitem', { name: 'Wants a human' });
    expect(await failed.innerText()).toContain('Failed');
    expect(await failed.innerText()).toMatch(/Why it failed: .*transfer 1 has no phone number, so the call could not be transferred\. Add a number \(transfers\[0\]\.phone_number\)/);
    expect(await failed.getByRole('region', { name: 'Transcript: Wants a human' }).innerText()).toContain('Caller: Hi. Can I speak to a real person, please?');
    expect(await dialog.getByRole('region', { name: 'Design holes' }).innerText()).toContain('has no phone number');

    const knows = dialog.getByRole('listitem', { name: 'Knows the order number' });
    expect(await knows.innerText()).toContain('Passed');
    await knows.getByRole('button', { name: 'Read transcript: Knows the order number' }).click();
    const transcript = await knows.getByRole('region', { name: 'Transcript: Knows the order number' }).innerText();
    expect(transcript).toContain('Agent: Sure, I can help with that. Could you tell me the order number?');
    expect(transcript).toContain('get_order_status({"order_id":"A1234"})');
    const shots = process.env.PARLEY_SCREENSHOTS || join(REPO_ROOT, '.test-results', 'simulate');
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'simulated-calls.png') });
    expect(problems).toEqual([]);
  }, 120_000);
});
