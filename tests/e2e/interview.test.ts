import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailability, startPreviewProcess, type PreviewProcess } from './harness';
import { parseWithElevenLabsSdk } from '../support/export/elevenlabs-schema';
import { codeword, writeFixtureSessions } from '../support/session-fixtures';
import { startElevenLabsMock, type ElevenLabsMock } from '../helpers/elevenlabs-mock';
import { commandProblems, deployProblems, deployProject, killDeployProcesses, removeCliHome } from '../helpers/elevenlabs-deploy';

/**
 * The product brief's example interview, typed into the chat of the real app in Chromium against
 * `npm run preview --provider offline`: tracker, spec panel, edit + lock, workflow, export,
 * reload + search, 2,000 sessions, keyboard-only use, screenshots in light and dark.
 */

const availability = chromiumAvailability();

const SCRIPT = [
  'I want to build a customer support agent',
  'Help customers track orders and handle returns',
  'Friendly and empathetic',
  'Yes, I want to integrate our order API',
  'get_order_status',
  'Look up the current status of an order',
  'https://api.example.com/orders/{order_id}',
  'GET',
  'Bearer token in the Authorization header',
  '{"type":"object","properties":{"order_id":{"type":"string","description":"The order number"}},"required":["order_id"]}',
  '{"type":"object","properties":{"status":{"type":"string"}}}',
  'When the caller asks where their order is',
  'Apologise and offer a human agent',
  'No more tools',
  'Looks good, I approve',
];
const EDITED_TONE = 'Warm, patient and reassuring';

/** Any CSP violation or console error, reported from inside the page. */
const WATCH_CSP = `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`;

async function launch(profileDir: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  await page.addInitScript(WATCH_CSP);
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { context, page, problems };
}

const currentStep = (page: Page) => page.getByRole('list', { name: 'Stages' }).locator('[aria-current="step"] .stage-name').innerText();

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await page.getByRole('log', { name: 'Conversation' }).locator('.message-user').getByText(text, { exact: true }).last().waitFor();
  // The turn is over when Send is back (Stop is shown while it runs).
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 30_000 });
  expect(await page.getByRole('alert').count(), `no error after "${text}"`).toBe(0);
}

describe.runIf(availability.run)('the brief’s interview in Chromium', () => {
  let preview: PreviewProcess;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let profile: string;
  let shots: string;
  let exported = '';
  /** The ElevenLabs API the preview publishes to (its $ELEVENLABS_BASE_URL). */
  let api: ElevenLabsMock;

  const shoot = async (name: string) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: join(shots, `${name}-light.png`), animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(shots, `${name}-dark.png`), animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'light' });
  };

  beforeAll(async () => {
    api = await startElevenLabsMock();
    preview = await startPreviewProcess([], undefined, { env: { ELEVENLABS_BASE_URL: api.url, ELEVENLABS_API_KEY: 'e2e-dummy-elevenlabs-key' } });
    profile = await mkdtemp(join(tmpdir(), 'parley-e2e-profile-'));
    shots = process.env.PARLEY_SCREENSHOTS || (await mkdtemp(join(tmpdir(), 'parley-e2e-shots-')));
    ({ context, page, problems } = await launch(profile));
  });

  afterAll(async () => {
    await context?.close();
    if (preview) {
      await preview.stop();
      await rm(preview.dataDir, { recursive: true, force: true });
    }
    await api?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    if (shots) console.log(`screenshots: ${shots}`);
  });

  it('completes the interview by typing in the chat; the tracker walks every stage and the spec fills in', async () => {
    await page.goto(preview.url);
    await page.getByRole('log', { name: 'Conversation' }).getByText('What kind of voice agent').first().waitFor();
    const seen: string[] = [await currentStep(page)];
    for (const [i, line] of SCRIPT.entries()) {
      await say(page, line);
      const step = await currentStep(page);
      if (seen.at(-1) !== step) seen.push(step);
      if (i === 2) {
        // Edit the tone by hand: it is then locked and survives the next turn.
        const spec = page.getByRole('region', { name: 'Agent spec' });
        await spec.getByRole('button', { name: 'Edit Tone' }).click();
        const input = spec.getByRole('textbox', { name: 'Tone value' });
        await input.fill(EDITED_TONE);
        await input.press('Enter');
        await spec.locator('[data-field="tone"]').getByText(EDITED_TONE).waitFor();
        expect(await spec.getByRole('button', { name: 'Unlock Tone' }).getAttribute('aria-pressed')).toBe('true');
        await shoot('spec-edit');
      }
      if (i === 3) {
        const tone = page.getByRole('region', { name: 'Agent spec' }).locator('[data-field="tone"]');
        expect(await tone.innerText()).toContain(EDITED_TONE);
        expect(await tone.innerText()).toContain('Locked');
      }
      if (i === 9) await shoot('chat-configuring');
    }
    // FINALIZING runs inside the approving turn (the prompt is generated, then COMPLETED): the
    // tracker shows it done; every other stage was the current step at some point.
    expect(seen).toEqual(['Getting started', 'Collecting basics', 'Exploring tools', 'Configuring tools', 'Reviewing workflow', 'Completed']);
    const stages = page.getByRole('list', { name: 'Stages' });
    expect(await stages.locator('[data-stage="FINALIZING"]').innerText()).toContain(', done');

    const spec = page.getByRole('region', { name: 'Agent spec' });
    const text = await spec.innerText();
    for (const value of ['customer support agent', 'Help customers track orders and handle returns', EDITED_TONE, 'get_order_status', 'https://api.example.com/orders/{order_id}', 'GET', 'When the caller asks where their order is', 'Apologise and offer a human agent', 'order_id']) {
      expect(text, value).toContain(value);
    }
    // The panel shows the start of the prompt; the whole of it is in the prompt viewer.
    await spec.locator('[data-field="system_prompt"]').getByRole('button', { name: 'Open prompt' }).click();
    const prompt = page.getByRole('dialog', { name: 'System prompt' });
    expect(await prompt.getByRole('textbox', { name: 'System prompt text' }).inputValue()).toContain('get_order_status');
    await page.keyboard.press('Escape');
    await prompt.waitFor({ state: 'detached' });
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Customer support agent');
    await shoot('chat-completed');
  });

  it('shows a source link that scrolls to the message a value came from', async () => {
    const spec = page.getByRole('region', { name: 'Agent spec' });
    await spec.getByRole('button', { name: 'Show the message Goals came from' }).click();
    const target = page.getByRole('log', { name: 'Conversation' }).locator('.message.is-highlighted');
    expect(await target.innerText()).toContain('Help customers track orders and handle returns');
  });

  it('draws the workflow and downloads it as SVG and PNG', async () => {
    await page.getByRole('tab', { name: 'Workflow' }).click();
    const diagram = page.getByRole('img', { name: /^Workflow of Customer support agent/ });
    await diagram.waitFor();
    expect(await diagram.locator('text').evaluateAll((els) => els.map((el) => el.textContent))).toEqual(expect.arrayContaining(['get_order_status', 'If it fails', 'Close or hand off']));
    await shoot('workflow');
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'SVG' }).click()]);
    const svgText = await readFile((await svg.path())!, 'utf8');
    expect(svg.suggestedFilename()).toBe('customer-support-agent-workflow.svg');
    expect(svgText).toMatch(/^<\?xml/);
    expect(svgText).toContain('get_order_status');
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'PNG' }).click()]);
    const pngBytes = await readFile((await png.path())!);
    expect([...pngBytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    await page.getByRole('tab', { name: 'Spec' }).click();
  });

  it('exports to ElevenLabs: preview, loss list, Download .zip, and the project deploys with the official CLI', async () => {
    await page.keyboard.press('Control+e');
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await dialog.waitFor();
    expect(await dialog.getByRole('radio', { name: /ElevenLabs agent/ }).isChecked()).toBe(true);
    const preview = dialog.getByRole('region', { name: 'File preview' });
    await preview.getByText('"conversation_config"', { exact: false }).waitFor();
    const losses = dialog.getByRole('region', { name: 'What this target cannot express' });
    expect(await losses.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await losses.innerText()).toMatch(/secret/i);
    await shoot('export');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('customer-support-agent-elevenlabs.zip');
    exported = join(profile, download.suggestedFilename());
    await download.saveAs(exported);

    // The .zip unpacks to an agents-as-code project: agent with tool_ids, the tool beside it.
    const project = join(profile, 'unzipped');
    for (const [name, data] of Object.entries(unzipSync(new Uint8Array(await readFile(exported))))) {
      if (name.endsWith('/')) await mkdir(join(project, name), { recursive: true });
      else {
        await mkdir(dirname(join(project, name)), { recursive: true });
        await writeFile(join(project, name), data);
      }
    }
    const read = async <T>(rel: string) => JSON.parse(await readFile(join(project, rel), 'utf8')) as T;
    const [entry] = (await read<{ agents: Array<{ config: string }> }>('agents.json')).agents;
    const agent = await read<{ conversation_config: { agent: { prompt: Record<string, unknown> } } }>(entry!.config);
    const parsed = parseWithElevenLabsSdk(agent);
    expect(parsed.errors ?? []).toEqual([]);
    expect(agent.conversation_config.agent.prompt.tool_ids).toEqual(['get_order_status']);
    expect(agent.conversation_config.agent.prompt).not.toHaveProperty('tools');
    const tool = await read<{ name: string; api_schema: { method: string; path_params_schema?: Record<string, unknown> } }>('tool_configs/get_order_status.json');
    expect([tool.name, tool.api_schema.method]).toEqual(['get_order_status', 'GET']);
    expect(Object.keys(tool.api_schema.path_params_schema ?? {})).toEqual(['order_id']);

    // …and passes the same push test as every exported project.
    const mock = await startElevenLabsMock();
    try {
      const deploy = await deployProject(project, mock, 'script');
      expect(commandProblems(deploy.runs)).toEqual([]);
      expect(deployProblems(deploy.requests)).toEqual([]);
      expect(deploy.requests.filter((r) => r.route === '/v1/convai/agents/create')).toHaveLength(1);
    } finally {
      killDeployProcesses();
      await mock.close();
      await removeCliHome();
    }
    await page.getByRole('status', { name: 'Notifications' }).getByText(`Downloaded ${download.suggestedFilename()}.`).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('publishes from the Export dialog: the tool secret typed once, each step shown, then an update of the same agent', async () => {
    await page.keyboard.press('Control+e');
    await page.getByRole('dialog', { name: 'Export' }).getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish to ElevenLabs' });
    await dialog.waitFor();
    const publish = dialog.getByRole('button', { name: 'Publish', exact: true });
    expect(await publish.isDisabled()).toBe(true); // the tool's secret has no value yet
    const secretValue = 'Bearer e2e-planted-order-token';
    await dialog.getByLabel(/for get_order_status/).fill(secretValue);
    await publish.click();
    await dialog.getByRole('link', { name: 'Open it in ElevenLabs' }).waitFor({ timeout: 30_000 });
    const steps = dialog.getByRole('list', { name: 'Publish steps' });
    expect(await steps.getByRole('listitem').filter({ hasText: 'Create or update the agent' }).innerText()).toContain('Done');
    await page.getByRole('status', { name: 'Notifications' }).getByText('The agent is live on ElevenLabs.').waitFor();
    await shoot('publish');
    expect([...api.state.agents.values()]).toHaveLength(1);
    const agent = [...api.state.agents.values()][0] as { conversation_config: { agent: { prompt: { tool_ids: string[] } } } };
    expect(agent.conversation_config.agent.prompt.tool_ids).toEqual(api.createdToolIds());
    expect([...api.state.secrets.values()].map((s) => s.value)).toEqual([secretValue]);
    // The value went to the workspace secret only: never in a request header, never into the session file.
    expect(api.requests.some((r) => JSON.stringify(r.headers).includes('e2e-planted-order-token'))).toBe(false);
    const sessionFiles = (await readdir(join(preview.dataDir, 'sessions'))).filter((f) => f.endsWith('.json'));
    for (const f of sessionFiles) expect(await readFile(join(preview.dataDir, 'sessions', f), 'utf8')).not.toContain('e2e-planted-order-token');

    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await page.keyboard.press('Control+e');
    await page.getByRole('dialog', { name: 'Export' }).getByRole('button', { name: 'Publish…' }).click();
    // Without a reachable keychain (this machine) the value served that publish only: typed again.
    const again = dialog.getByLabel(/for get_order_status/);
    await dialog.getByRole('button', { name: 'Update agent' }).waitFor();
    if ((await again.getAttribute('aria-required')) === 'true') await again.fill(secretValue);
    await dialog.getByRole('button', { name: 'Update agent' }).click();
    await page.getByRole('status', { name: 'Notifications' }).getByText('The ElevenLabs agent is updated.').waitFor({ timeout: 30_000 });
    expect([...api.state.agents.values()]).toHaveLength(1);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('finds the session again after a reload, by search', async () => {
    await page.reload();
    const search = page.getByRole('searchbox', { name: 'Search sessions' });
    await search.fill('order');
    const list = page.getByRole('list', { name: 'Sessions' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await list.getByRole('button', { name: 'Customer support agent', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Customer support agent' }).waitFor();
    await search.fill('no such session anywhere');
    await page.getByText('No sessions match “no such session anywhere”.').waitFor();
    await search.fill('');
  });

  it('works from the keyboard alone: new, search, open, rename, settings + theme, export, delete + undo', async () => {
    const kb = page.keyboard;
    const list = page.getByRole('list', { name: 'Sessions' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await kb.press('Control+n');
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    const box = page.getByRole('textbox', { name: 'Message' });
    await expect.poll(() => box.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await kb.type('A booking agent for a dentist');
    await kb.press('Enter');
    await page.getByRole('button', { name: 'Send' }).waitFor();

    // Search, move into the list, open with Enter.
    await kb.press('Control+k');
    await kb.type('customer');
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await kb.press('ArrowDown');
    await kb.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Customer support agent' }).waitFor();

    // Rename with F2.
    await kb.press('Control+k');
    await kb.press('ArrowDown');
    await kb.press('F2');
    await kb.press('Control+a');
    await kb.type('Order desk');
    await kb.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Order desk' }).waitFor();

    // Settings: open, switch to dark with the arrow keys, Escape closes and focus returns.
    await kb.press('Control+,');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('group', { name: 'OpenAI API key' }).waitFor();
    await shoot('settings');
    // Tab through the dialog to the theme switch, keyboard only.
    for (let i = 0; i < 40 && !(await settings.getByRole('radio', { name: 'System' }).evaluate((el) => el === el.ownerDocument.activeElement)); i++) await kb.press('Tab');
    await kb.press('ArrowRight'); // Light
    await kb.press('ArrowRight'); // Dark
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.screenshot({ path: join(shots, 'settings-forced-dark.png') });
    await kb.press('ArrowLeft');
    await kb.press('ArrowLeft'); // back to System
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(null);
    await kb.press('Escape');
    await settings.waitFor({ state: 'detached' });

    // Export opens and closes from the keyboard.
    await kb.press('Control+e');
    await page.getByRole('dialog', { name: 'Export' }).waitFor();
    await kb.press('Escape');
    await page.getByRole('dialog', { name: 'Export' }).waitFor({ state: 'detached' });

    // Delete the open session with Delete, undo with Ctrl+Z.
    await kb.press('Control+k');
    await kb.type('Order desk');
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await kb.press('ArrowDown');
    await kb.press('Delete');
    await page.getByText('Deleted “Order desk”.').waitFor();
    await kb.press('Control+k');
    await kb.press('Escape'); // clears the search
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await kb.press('Tab'); // into the list, out of any text field
    await kb.press('Control+z');
    await list.getByRole('button', { name: 'Order desk', exact: true }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Order desk' }).waitFor();
  });

  it('imports the exported ElevenLabs project (.zip) as a new session ready for review', async () => {
    const list = page.getByRole('list', { name: 'Sessions' });
    const before = await list.getByRole('listitem').count();
    await page.locator('input[type="file"]').setInputFiles(exported);
    await expect.poll(() => list.getByRole('listitem').count()).toBe(before + 1);
    await page.getByRole('status', { name: 'Notifications' }).getByText(/^Imported “/).waitFor();
    expect(await currentStep(page)).toBe('Reviewing workflow');
    expect(await page.getByRole('region', { name: 'Agent spec' }).innerText()).toContain('get_order_status');
  });

  it('had no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});

describe.runIf(availability.run)('2,000 sessions in Chromium', () => {
  let preview: PreviewProcess;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let profile: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-e2e-many-'));
    await writeFixtureSessions(dataDir, 2000, { messages: 6 });
    preview = await startPreviewProcess([], undefined, { dataDir });
    profile = await mkdtemp(join(tmpdir(), 'parley-e2e-profile-'));
    ({ context, page, problems } = await launch(profile));
  });

  afterAll(async () => {
    await context?.close();
    await preview?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('lists them virtually, scrolls to the oldest, and search answers while typing', async () => {
    await page.goto(preview.url);
    await page.getByText('2000 sessions').waitFor({ timeout: 60_000 });
    const list = page.getByRole('list', { name: 'Sessions' });
    // Only the rows on screen exist: the list stays light whatever the count.
    const rendered = await list.getByRole('listitem').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(await list.getByRole('listitem').first().getAttribute('aria-setsize')).toBe('2000');

    // Scroll to the very end: the last page loads on demand and the oldest session appears.
    await page.locator('.session-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await list.getByRole('button', { name: /^customer support #0 — appointment$/ }).waitFor();

    const shots = process.env.PARLEY_SCREENSHOTS;
    const search = page.getByRole('searchbox', { name: 'Search sessions' });
    await search.pressSequentially('dental clinic', { delay: 20 });
    // Typing is never blocked: the box has every character while results stream in.
    expect(await search.inputValue()).toBe('dental clinic');
    // Every fifth fixture is a dental clinic receptionist: 400 of 2,000.
    await page.getByText(/^400 matches$/).waitFor();
    expect(await list.getByRole('listitem').first().innerText()).toMatch(/^dental clinic receptionist #1999/);
    expect(await list.getByRole('listitem').first().getAttribute('aria-setsize')).toBe('400');
    if (shots) {
      await page.screenshot({ path: join(shots, 'many-sessions-light.png') });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: join(shots, 'many-sessions-dark.png') });
      await page.emulateMedia({ colorScheme: 'light' });
    }
    // A word said once in one session's chat finds exactly that session.
    await search.fill(codeword(1234));
    await page.getByText(/^1 match$/).waitFor();
    await list.getByRole('button', { name: /^[a-z ]+ #1234 — \S+$/u }).click();
    await page.getByRole('heading', { level: 1, name: /#1234 — / }).waitFor();
    await search.fill('qxxxnothing');
    await page.getByText('No sessions match “qxxxnothing”.').waitFor();
    expect(problems).toEqual([]);
  });
});
