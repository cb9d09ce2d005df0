import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, chromiumAvailability, startPreviewProcess, type PreviewProcess } from './harness';

const availability = chromiumAvailability();

/** Opens a socket to the bridge and reports the HTTP status of a refused upgrade (or "open"). */
function upgradeStatus(url: string, origin: string): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', reject);
  });
}

// Under CI this always runs (and fails without Chromium), so CI never reports a skipped prerequisite.
describe.runIf(process.env.CI === 'true')('preview e2e prerequisites', () => {
  it('has Chromium (required under CI)', () => {
    expect(availability.failInCi).toBeNull();
    expect(availability.run).toBe(true);
  });
});

describe.runIf(availability.run)('preview in Chromium', () => {
  let preview: PreviewProcess;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let shots: string;
  const problems: string[] = [];
  let deltaFrames = 0;

  beforeAll(async () => {
    preview = await startPreviewProcess();
    profile = await mkdtemp(join(tmpdir(), 'parley-e2e-profile-'));
    shots = await mkdtemp(join(tmpdir(), 'parley-e2e-shots-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Console errors include CSP violations ("Refused to …"); none are allowed.
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('websocket', (ws) => ws.on('framereceived', (f) => typeof f.payload === 'string' && f.payload.startsWith('{"event":"turn:delta"') && deltaFrames++));
  });

  afterAll(async () => {
    await context?.close();
    if (preview) {
      const code = await preview.stop();
      expect(code, `preview must exit cleanly on SIGTERM\n${preview.stderr()}`).toBe(0);
      await rm(preview.dataDir, { recursive: true, force: true });
    }
    if (profile) await rm(profile, { recursive: true, force: true });
    if (shots) console.log(`screenshots: ${shots}`);
  });

  it('renders the app and round-trips app:info through the bridge', async () => {
    await page.goto(preview.url);
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    await page.getByText(`Parley ${version} · Preview · ${process.platform}`).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Connected' }).count()).toBe(1);
    // First launch greets with a session of its own.
    await page.getByRole('log', { name: 'Conversation' }).getByText('What kind of voice agent').first().waitFor();
    await expect.poll(() => page.getByRole('list', { name: 'Sessions' }).getByRole('listitem').count()).toBe(1);
  });

  it('creates a session with New session and shows its greeting', async () => {
    const list = page.getByRole('list', { name: 'Sessions' });
    const before = await list.getByRole('listitem').count();
    await page.getByRole('button', { name: 'New session' }).click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(before + 1);
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('What kind of voice agent').waitFor();
    expect(await log.getByRole('listitem').count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Stages' }).locator('[aria-current="step"]').textContent()).toContain('Getting started');
    // The message box has focus, ready to type.
    const box = page.getByRole('textbox', { name: 'Message' });
    await expect.poll(() => box.evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
  });

  it('sends a message with Enter and streams the reply', async () => {
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('A receptionist for a dental clinic that books appointments');
    deltaFrames = 0;
    await box.press('Enter');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.locator('.message-user').getByText('A receptionist for a dental clinic that books appointments', { exact: true }).waitFor();
    // The turn is over when Send is back; the reply is then the saved message.
    await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 60_000 });
    const assistant = log.locator('.message-assistant .message-body');
    await expect.poll(() => assistant.count()).toBe(2);
    const reply = (await assistant.nth(1).innerText()).trim();
    expect(reply.length).toBeGreaterThan(0);
    expect(deltaFrames, 'the reply must arrive as turn:delta events').toBeGreaterThan(1);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'chat-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(shots, 'chat-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('refuses the socket without the token or from another origin', async () => {
    const origin = `http://127.0.0.1:${preview.port}`;
    const base = `ws://127.0.0.1:${preview.port}/`;
    expect(await upgradeStatus(base, origin)).toBe(401);
    expect(await upgradeStatus(`${base}?token=wrong`, origin)).toBe(401);
    expect(await upgradeStatus(`${base}?token=${preview.token}`, 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(`${base}?token=${preview.token}`, origin)).toBe('open');

    const bare = await context.newPage();
    await bare.goto(`http://127.0.0.1:${preview.port}/`);
    await bare.getByRole('heading', { name: 'Parley cannot reach its backend' }).waitFor();
    await bare.close();
  });

  it('kept the session on disk and showed no console errors or CSP violations', async () => {
    const files = await readdir(join(preview.dataDir, 'sessions')).catch(() => [] as string[]);
    expect(files.filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(2);
    expect(problems).toEqual([]);
  });
});
