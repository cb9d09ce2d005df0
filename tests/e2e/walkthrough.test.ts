/**
 * Issue 18's walk-through in Chromium against `npm run preview --provider offline`: a pharmacy
 * refill agent whose three tools run in sequence, designed, exported and deleted (with undo) from
 * the keyboard alone with focus always on something visible; screenshots at 1440×900, 1280×800
 * and 1024×700 in light and dark; diagram text never under 12 px; no toast or banner over Send or a
 * dialog's primary button. Screenshots go to .test-results/walkthrough/ (or PARLEY_SCREENSHOTS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import { CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, chromiumAvailability, startPreviewProcess, type PreviewProcess } from './harness';
import type { PageElement, PageWindow } from './dom';

const availability = chromiumAvailability();

const PHARMACY = [
  'Pharmacy prescription refill line',
  'Help patients refill prescriptions and check refill status',
  'Calm and reassuring',
  'Yes, we need to call our pharmacy system',
  'lookup_patient',
  'Find the patient record by name and date of birth',
  'https://api.pharmacy.example/patients/search',
  'POST',
  'Bearer token in the Authorization header',
  '{"type":"object","properties":{"name":{"type":"string","description":"Full name"},"dob":{"type":"string","description":"Date of birth"}},"required":["name","dob"]}',
  '{"type":"object","properties":{"patient_id":{"type":"string"}}}',
  'When the caller gives their name and date of birth',
  'Ask them to spell their name and try again',
  'verify_identity',
  'Check that the caller is the patient',
  'https://api.pharmacy.example/patients/{patient_id}/verify',
  'POST',
  'Bearer token in the Authorization header',
  '{"type":"object","properties":{"patient_id":{"type":"string","description":"The patient"},"zip":{"type":"string","description":"ZIP code on file"}},"required":["patient_id","zip"]}',
  '{"type":"object","properties":{"verified":{"type":"boolean"}}}',
  'After the patient is looked up',
  'Say a pharmacist will call back within the hour',
  'request_refill',
  'Ask the pharmacy to refill a prescription',
  'https://api.pharmacy.example/refills',
  'POST',
  'Bearer token in the Authorization header',
  '{"type":"object","properties":{"patient_id":{"type":"string","description":"The patient"},"rx_number":{"type":"string","description":"Prescription number"}},"required":["patient_id","rx_number"]}',
  '{"type":"object","properties":{"refill_id":{"type":"string"},"ready_at":{"type":"string"}}}',
  'Once the identity is verified',
  'Apologise and offer to have a pharmacist call back',
  'No more tools',
  'Looks good, I approve',
];

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
] as const;

/** What has keyboard focus, and whether a person can see it (on screen, not hidden, not inert). */
async function focusState(page: Page): Promise<{ ok: boolean; what: string }> {
  return page.evaluate(() => {
    const w = globalThis as unknown as PageWindow;
    const el = w.document.activeElement;
    if (!el || el === w.document.body || el === w.document.documentElement) return { ok: false, what: 'body' };
    const r = el.getBoundingClientRect();
    const what = `${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < w.innerHeight && r.left < w.innerWidth;
    const shown = el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && !el.closest('[inert]');
    return { ok: onScreen && shown, what };
  });
}

async function expectFocusVisible(page: Page, step: string): Promise<void> {
  const state = await focusState(page);
  expect(state.ok, `after ${step}, focus is on ${state.what}`).toBe(true);
}

async function say(page: Page, text: string): Promise<void> {
  await page.keyboard.insertText(text);
  await page.keyboard.press('Enter');
  await page.getByRole('log', { name: 'Conversation' }).locator('.message-user').getByText(text, { exact: true }).last().waitFor();
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 30_000 });
}

/** The newest message is in view: the conversation is scrolled fully down to the last reply. */
async function expectLastMessageInView(page: Page, where: string): Promise<void> {
  const gap = await page.getByRole('log', { name: 'Conversation' }).evaluate((node) => {
    const log = node as unknown as PageElement;
    const last = log.querySelector('.message-list > li:last-child')!;
    return log.getBoundingClientRect().bottom - last.getBoundingClientRect().bottom;
  });
  expect(gap, `the last reply is cut off ${where}`).toBeGreaterThanOrEqual(0);
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every visible toast and banner, as boxes. */
async function fixedBoxes(page: Page): Promise<Array<{ what: string; box: Box }>> {
  return page.evaluate(() =>
    [...(globalThis as unknown as PageWindow).document.querySelectorAll('.toast, .banner')]
      .filter((el) => el.checkVisibility())
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { what: `${el.className}: ${(el.textContent ?? '').slice(0, 40)}`, box: { x: r.x, y: r.y, width: r.width, height: r.height } };
      }),
  );
}

async function expectNothingOver(page: Page, target: Box, name: string): Promise<number> {
  const boxes = await fixedBoxes(page);
  for (const b of boxes) expect(overlaps(b.box, target), `${b.what} covers ${name}`).toBe(false);
  return boxes.length;
}

describe.runIf(availability.run)('the walk-through in Chromium', () => {
  let preview: PreviewProcess;
  let browser: Browser;
  let page: Page;
  let shots: string;
  const problems: string[] = [];

  beforeAll(async () => {
    preview = await startPreviewProcess();
    shots = process.env.PARLEY_SCREENSHOTS || join(REPO_ROOT, '.test-results', 'walkthrough');
    await mkdir(shots, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ viewport: SIZES[0], acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    if (preview) {
      await preview.stop();
      await rm(preview.dataDir, { recursive: true, force: true });
    }
    if (shots) console.log(`walk-through screenshots: ${shots}`);
  });

  it('designs, exports and deletes with undo from the keyboard alone, focus always visible', async () => {
    const kb = page.keyboard;
    await page.goto(preview.url);
    await page.getByRole('log', { name: 'Conversation' }).getByText('What kind of voice agent').first().waitFor();
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.getAttribute('aria-label'))).toBe('Message');
    await expectFocusVisible(page, 'start');

    // The skip links are the first tab stops, and show themselves when focused.
    // From the top of the page (as after loading it without the autofocus), Tab reaches them first.
    await page.evaluate(() => {
      const { body } = (globalThis as unknown as PageWindow).document;
      body.tabIndex = -1;
      body.focus();
      body.removeAttribute('tabindex');
    });
    await kb.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.textContent)).toBe('Skip to chat');
    await expectFocusVisible(page, 'Tab to the first skip link');
    await kb.press('Enter');
    await expectFocusVisible(page, 'Skip to chat');

    for (const line of PHARMACY) {
      await say(page, line);
      await expectFocusVisible(page, `"${line.slice(0, 30)}"`);
    }
    await expect.poll(() => page.getByRole('list', { name: 'Stages' }).locator('[aria-current="step"] .stage-name').innerText()).toBe('Completed');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Pharmacy prescription refill line');
    await expectLastMessageInView(page, 'after the last turn');

    // Export: Ctrl+E, Ctrl+S downloads in the preview, Escape closes and focus comes back.
    await kb.press('Control+e');
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await dialog.getByRole('region', { name: 'File preview' }).getByText('"conversation_config"', { exact: false }).waitFor();
    await expectFocusVisible(page, 'Ctrl+E');
    const [download] = await Promise.all([page.waitForEvent('download'), kb.press('Control+s')]);
    // A project .zip: the agent lists its three tools by name in tool_ids.
    const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
    const agentPath = Object.keys(files).find((name) => name.startsWith('agent_configs/') && name.endsWith('.json'))!;
    const exported = JSON.parse(strFromU8(files[agentPath]!)) as { conversation_config: { agent: { prompt: { tool_ids: string[] } } } };
    expect(exported.conversation_config.agent.prompt.tool_ids).toEqual(['lookup_patient', 'verify_identity', 'request_refill']);
    const primary = await dialog.locator('.modal-foot .button-primary').boundingBox();
    expect(await expectNothingOver(page, primary!, 'the export dialog’s Download button')).toBeGreaterThan(0); // the "Downloaded" toast is up
    await kb.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expectFocusVisible(page, 'Escape from Export');

    // Delete from the list with Delete, focus stays on something visible, Ctrl+Z undoes.
    await kb.press('Control+k');
    await expectFocusVisible(page, 'Ctrl+K');
    await kb.press('ArrowDown');
    await expectFocusVisible(page, 'ArrowDown into the list');
    await kb.press('Delete');
    await page.getByText('Deleted “Pharmacy prescription refill line”.').waitFor();
    await expect.poll(async () => (await focusState(page)).ok).toBe(true);
    expect((await focusState(page)).what).not.toBe('body');
    await kb.press('Control+z');
    const list = page.getByRole('list', { name: 'Sessions' });
    await list.getByRole('button', { name: 'Pharmacy prescription refill line', exact: true }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Pharmacy prescription refill line' }).waitFor();
    await expectFocusVisible(page, 'Ctrl+Z');
  });

  it('draws look up → verify → refill in sequence, with no diagram text under 12 px', async () => {
    await page.getByRole('tab', { name: 'Workflow' }).click();
    const diagram = page.getByRole('img', { name: /^Workflow of Pharmacy/ });
    await diagram.waitFor();
    const sizes = await diagram.locator('text').evaluateAll((els) =>
      els.map((node) => {
        const el = node as unknown as PageElement;
        const scale = el.getScreenCTM!()!.a;
        return { text: el.textContent, px: parseFloat((globalThis as unknown as PageWindow).getComputedStyle(el).fontSize) * scale };
      }),
    );
    expect(sizes.length).toBeGreaterThan(10);
    for (const s of sizes) expect(s.px, `"${s.text}"`).toBeGreaterThanOrEqual(12);
    const x = (id: string) => diagram.locator(`[data-node="${id}"] rect`).evaluate((r) => Number(r.getAttribute('x')));
    expect(await x('tool-1')).toBe(await x('tool-0'));
    expect(await x('tool-2')).toBe(await x('tool-0'));
    expect(await diagram.locator('[data-edge="e-after-1"]').count()).toBe(1);
    expect(await diagram.locator('[data-edge="e-after-2"]').count()).toBe(1);
    // Zoom and fit work; back at 100% the text is legible again.
    await page.getByRole('button', { name: 'Fit to view' }).click();
    await page.getByRole('button', { name: /^Zoom \d+%, reset to 100%$/ }).click();
    expect(await diagram.evaluate((svg) => (svg as unknown as PageElement).getScreenCTM!()!.a)).toBeCloseTo(1, 2);
    await page.getByRole('tab', { name: 'Spec' }).click();
  });

  it('writes screenshots at three sizes in light and dark; nothing covers Send or a primary button', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const name = `${size.width}x${size.height}`;
      const narrow = size.width < 1200;
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await page.getByRole('button', { name: 'Send' }).waitFor();
        await expectLastMessageInView(page, `at ${name}`);
        await page.screenshot({ path: join(shots, `${name}-chat-${scheme}.png`) });
        if (narrow) {
          await page.getByRole('button', { name: 'Sessions', exact: true }).click();
          await page.getByRole('searchbox', { name: 'Search sessions' }).waitFor();
          await page.screenshot({ path: join(shots, `${name}-sessions-${scheme}.png`) });
          await page.keyboard.press('Escape');
          await page.getByRole('button', { name: 'Spec and workflow' }).click();
          await page.getByRole('region', { name: 'Agent spec' }).waitFor();
          await page.screenshot({ path: join(shots, `${name}-inspector-${scheme}.png`) });
        }
        // The prompt viewer opens from the spec (inside the drawer when narrow, which it then covers).
        await page.getByRole('region', { name: 'Agent spec' }).getByRole('button', { name: 'Open prompt' }).click();
        const prompt = page.getByRole('dialog', { name: 'System prompt' });
        await prompt.waitFor();
        await page.screenshot({ path: join(shots, `${name}-prompt-${scheme}.png`) });
        await page.keyboard.press('Escape');
        await prompt.waitFor({ state: 'detached' });
        if (narrow) await page.keyboard.press('Escape');
        if (!narrow) {
          await page.getByRole('tab', { name: 'Workflow' }).click();
          await page.screenshot({ path: join(shots, `${name}-workflow-${scheme}.png`) });
          await page.getByRole('tab', { name: 'Spec' }).click();
        }
      }
      // A toast up (a delete's Undo), then the export dialog: neither Send nor Download is covered.
      await page.emulateMedia({ colorScheme: 'light' });
      const send = (await page.getByRole('button', { name: 'Send' }).boundingBox())!;
      await page.keyboard.press('Control+e');
      const dialog = page.getByRole('dialog', { name: 'Export' });
      await dialog.getByRole('region', { name: 'File preview' }).waitFor();
      await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
      await page.getByRole('status', { name: 'Notifications' }).getByText(/^Downloaded /).last().waitFor();
      expect(await expectNothingOver(page, (await dialog.locator('.modal-foot .button-primary').boundingBox())!, `Download at ${name}`)).toBeGreaterThan(0);
      await page.screenshot({ path: join(shots, `${name}-export-toast.png`) });
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await expectNothingOver(page, send, `Send at ${name}`)).toBeGreaterThan(0);
    }
    await page.setViewportSize(SIZES[0]);
  });

  it('shows the provider banner (no key for the routed provider) without covering Send, and continues offline', async () => {
    // An imported session answers "auto": the routing table names Anthropic/OpenAI, and no key is set.
    const exported = await page.evaluate(async () => {
      const { parley } = globalThis as unknown as PageWindow;
      const { items } = await parley.sessions.list();
      return (await parley.export.preview({ sessionId: items[0]!.id, format: 'parley' })).content ?? '';
    });
    const file = join(await mkdtemp(join(tmpdir(), 'parley-e2e-import-')), 'pharmacy.parley.json');
    await writeFile(file, exported);
    await page.locator('input[type="file"]').setInputFiles(file);
    const banner = page.getByRole('region', { name: 'Provider not ready' });
    await banner.waitFor();
    expect(await page.getByTestId('answering').innerText()).toContain('Offline interviewer');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const send = (await page.getByRole('button', { name: 'Send' }).boundingBox())!;
      expect(await expectNothingOver(page, send, `Send at ${size.width}×${size.height} with the banner`)).toBeGreaterThan(0);
      await page.screenshot({ path: join(shots, `${size.width}x${size.height}-provider-banner.png`) });
    }
    await page.setViewportSize(SIZES[0]);
    await banner.getByRole('button', { name: 'Continue offline' }).click();
    await banner.waitFor({ state: 'detached' });
    await rm(join(file, '..'), { recursive: true, force: true });
  });

  it('had no console errors', () => {
    expect(problems).toEqual([]);
  });
});
