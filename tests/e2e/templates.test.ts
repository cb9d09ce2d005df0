import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailability, startPreviewProcess, type PreviewProcess } from './harness';
import { Template } from '../../shared/template';

/**
 * Issue 20's e2e: in the preview (`npm run preview --provider offline`) in Chromium, pick a
 * template in the gallery by keyboard, personalise it in the chat, export it; then save the
 * design as a template and download its file.
 */

const availability = chromiumAvailability();

/** The dental template's personalisation questions, answered in the order the interview asks them. */
const ANSWERS = [
  'Bright Smile Dental',
  'https://booking.brightsmile-dental.com/api/slots',
  'API key in the X-API-Key header, secret BRIGHTSMILE_KEY',
  'https://booking.brightsmile-dental.com/api/appointments',
  'API key in the X-API-Key header, secret BRIGHTSMILE_KEY',
  '+1 503 555 0199',
  'English',
  'America/Los_Angeles',
  'approve',
];

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await page.getByRole('log', { name: 'Conversation' }).locator('.message-user').getByText(text, { exact: true }).last().waitFor();
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 30_000 });
  expect(await page.getByRole('alert').count(), `no error after "${text}"`).toBe(0);
}

describe.runIf(availability.run)('templates in the preview', () => {
  let preview: PreviewProcess;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const problems: string[] = [];

  beforeAll(async () => {
    preview = await startPreviewProcess();
    profile = await mkdtemp(join(tmpdir(), 'parley-e2e-templates-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, acceptDownloads: true, viewport: { width: 1440, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  });

  afterAll(async () => {
    await context?.close();
    if (preview) {
      await preview.stop();
      await rm(preview.dataDir, { recursive: true, force: true });
    }
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('picks a template in the gallery by keyboard, personalises it in the chat and exports it', async () => {
    await page.goto(preview.url);
    await page.getByRole('log', { name: 'Conversation' }).getByText('What kind of voice agent').first().waitFor();

    await page.getByRole('button', { name: 'New from template…' }).first().click();
    const gallery = page.getByRole('dialog', { name: 'New from template' });
    const search = gallery.getByRole('combobox', { name: 'Search templates' });
    await gallery.getByRole('option').first().waitFor();
    expect(await gallery.getByRole('option').count()).toBeGreaterThanOrEqual(8);
    // Focus starts in the search box; typing filters, arrows move, Enter starts.
    await page.keyboard.type('appointment');
    expect(await search.inputValue()).toBe('appointment');
    const options = gallery.getByRole('option');
    expect(await options.count()).toBe(1);
    expect(await options.first().innerText()).toMatch(/Dental appointment booking[\s\S]*Tools: find_available_slots, book_appointment/);
    await page.keyboard.press('Enter');
    await gallery.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: 'Dental appointment booking' }).waitFor();
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText(/“Dental appointment booking” template/).waitFor();

    // Before personalising, the export refuses the template's example.com endpoints.
    await page.keyboard.press('Control+e');
    const exportDialog = page.getByRole('dialog', { name: 'Export' });
    await exportDialog.getByText(/still points at scheduling\.example\.com/).first().waitFor();
    await page.keyboard.press('Escape');
    await exportDialog.waitFor({ state: 'detached' });

    for (const answer of ANSWERS) await say(page, answer);
    await log.getByText(/Your agent is ready/).waitFor();
    const spec = await page.getByRole('region', { name: 'Agent spec' }).innerText();
    expect(spec).toContain('Bright Smile Dental');
    expect(spec).toContain('https://booking.brightsmile-dental.com/api/slots');

    await page.keyboard.press('Control+e');
    await exportDialog.waitFor();
    await exportDialog.getByRole('region', { name: 'File preview' }).getByText('"conversation_config"', { exact: false }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), exportDialog.getByRole('button', { name: 'Download' }).click()]);
    const zip = join(profile, download.suggestedFilename());
    await download.saveAs(zip);
    const files = unzipSync(new Uint8Array(await readFile(zip)));
    const text = Object.entries(files)
      .filter(([name]) => name.endsWith('.json'))
      .map(([, data]) => new TextDecoder().decode(data))
      .join('\n');
    expect(text).toContain('https://booking.brightsmile-dental.com/api/slots');
    expect(text).toContain('Bright Smile Dental');
    expect(text).toContain('+15035550199');
    expect(text).not.toContain('example.com');
    await page.keyboard.press('Escape');
    await exportDialog.waitFor({ state: 'detached' });
  }, 120_000);

  it('saves the personalised design as a template and downloads its file from the gallery', async () => {
    // From the keyboard: the session's row, then Ctrl+D (the row's "Save … as template" button).
    await page.getByRole('list', { name: 'Sessions' }).getByRole('button', { name: 'Dental appointment booking', exact: true }).focus();
    await page.keyboard.press('Control+d');
    await page.getByRole('status', { name: 'Notifications' }).getByText(/Saved “Dental appointment booking” as a template/).waitFor();
    await page.getByRole('button', { name: 'New from template…' }).first().click();
    const gallery = page.getByRole('dialog', { name: 'New from template' });
    await gallery.getByRole('option').first().waitFor();
    await page.keyboard.type('saved');
    expect(await gallery.getByRole('option').count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), gallery.getByRole('button', { name: 'Export template file' }).click()]);
    expect(download.suggestedFilename()).toBe('dental-appointment-booking.parley-template.json');
    const file = join(profile, download.suggestedFilename());
    await download.saveAs(file);
    const template = Template.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(template.spec.business_name).toBe('Bright Smile Dental');
    expect(await readFile(file, 'utf8')).not.toMatch(/approve|"source"/);
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  }, 60_000);
});
