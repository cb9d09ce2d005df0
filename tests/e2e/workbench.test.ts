import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Session } from '../../shared/session';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailability, startPreviewProcess, type PreviewProcess } from './harness';
import { startWorkbenchServer, type WorkbenchServer } from '../helpers/workbench-server';

/**
 * The tool workbench in the browser preview: import an OpenAPI file from the spec panel, fire the
 * GET it describes at a local API, and accept the output schema learned from the answer.
 */

const availability = chromiumAvailability();

function catalogApi(server: string): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Catalog', version: '1' },
    servers: [{ url: server }],
    paths: {
      '/catalog/{sku}': {
        get: {
          operationId: 'getProduct',
          summary: 'Look up a product',
          parameters: [
            { name: 'sku', in: 'path', required: true, schema: { type: 'string', example: 'TEA-1' } },
            { name: 'currency', in: 'query', schema: { type: 'string', enum: ['EUR', 'USD'] } },
          ],
          responses: { '200': { description: 'The product.', content: { 'application/json': { schema: { type: 'object', properties: { sku: { type: 'string' } } } } } } },
        },
      },
      '/slow': { get: { operationId: 'waitForever', summary: 'Never answers', responses: { '200': { description: 'never' } } } },
    },
  });
}

describe.runIf(availability.run)('tool workbench in the preview', () => {
  let preview: PreviewProcess;
  let server: WorkbenchServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let files: string;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startWorkbenchServer({ token: 'unused-token-e2e' });
    preview = await startPreviewProcess();
    profile = await mkdtemp(join(tmpdir(), 'parley-e2e-profile-'));
    files = await mkdtemp(join(tmpdir(), 'parley-e2e-api-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1400, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (preview) {
      const code = await preview.stop();
      expect(code, preview.stderr()).toBe(0);
      await rm(preview.dataDir, { recursive: true, force: true });
    }
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    if (files) await rm(files, { recursive: true, force: true });
  });

  it('imports an OpenAPI file, fires a GET and accepts the proposed output schema', async () => {
    const file = join(files, 'catalog.json');
    await writeFile(file, catalogApi(server.httpUrl));
    await page.goto(preview.url);
    await page.getByRole('log', { name: 'Conversation' }).getByText('What kind of voice agent').first().waitFor();

    await page.getByRole('button', { name: 'Import tools from an API…' }).click();
    const importer = page.getByRole('dialog', { name: 'Import tools from an API' });
    await importer.getByLabel('API description file').setInputFiles(file);
    await expect.poll(() => importer.getByLabel('Or paste it').inputValue()).toContain('getProduct');
    await importer.getByRole('button', { name: 'List operations' }).click();
    await importer.getByRole('checkbox', { name: /get_product/ }).waitFor();
    expect(await importer.getByRole('checkbox', { name: /get_product/ }).isChecked()).toBe(true);
    await importer.getByRole('checkbox', { name: /wait_forever/ }).uncheck();
    await importer.getByRole('button', { name: 'Import 1 tool' }).click();
    await importer.waitFor({ state: 'detached' });
    await page.getByRole('group', { name: 'Tool 1: get_product' }).waitFor();
    await page.getByRole('log', { name: 'Conversation' }).getByText(/Imported 1 tool from Catalog/).waitFor();

    await page.getByRole('button', { name: 'Test-fire get_product' }).click();
    const tryer = page.getByRole('dialog', { name: 'Test-fire get_product' });
    const inputs = tryer.getByLabel('Inputs (JSON)');
    await expect.poll(async () => inputs.inputValue()).toContain('"sku": "TEA-1"');
    await tryer.getByLabel('Allow loopback and private addresses for this tool').check();
    await tryer.getByRole('button', { name: 'Send request' }).click();
    await tryer.getByRole('button', { name: `Send to 127.0.0.1:${new URL(server.httpUrl).port}` }).click();
    await tryer.getByRole('status').filter({ hasText: '200 OK' }).waitFor();
    expect(await tryer.getByRole('status').filter({ hasText: '200 OK' }).innerText()).toMatch(/200 OK · \d+ ms · \d+ bytes/);
    expect(await tryer.getByLabel('Response body').innerText()).toContain('"name": "Green tea"');
    await tryer.getByText('new field: price (object)').waitFor();
    await tryer.getByRole('button', { name: 'Accept proposed output schema' }).click();
    await tryer.getByText('Output schema updated.').waitFor();
    await tryer.getByRole('button', { name: 'Save as fixture' }).click();
    await tryer.getByText('Saved as a fixture on the tool.').waitFor();

    // On disk: the accepted schema and the fixture.
    const sessionsDir = join(preview.dataDir, 'sessions');
    const findTool = async () => {
      for (const name of await readdir(sessionsDir)) {
        if (!name.endsWith('.json')) continue;
        const tool = (JSON.parse(await readFile(join(sessionsDir, name), 'utf8')) as Session).spec.tools[0];
        if (tool?.output_schema && tool.workbench?.examples?.length) return tool;
      }
      return null;
    };
    await expect.poll(findTool).not.toBeNull();
    const tool = (await findTool())!;
    expect(tool.output_schema!.value).toMatchObject({ properties: { sku: { type: 'string' }, price: { type: 'object', properties: { amount: { type: 'number' } } }, in_stock: { type: 'boolean' } } });
    expect(tool.workbench!.examples![0]!.response.status).toBe(200);
    expect(server.seen.some((s) => s.url === '/catalog/TEA-1?currency=EUR')).toBe(true);
    expect(problems).toEqual([]);
  }, 180_000);

  it('a request that hangs is cancelled from the dialog', async () => {
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Import tools from an API…' }).click();
    const importer = page.getByRole('dialog', { name: 'Import tools from an API' });
    await importer.getByLabel('Or paste it').fill(catalogApi(server.httpUrl));
    await importer.getByRole('button', { name: 'List operations' }).click();
    await importer.getByRole('checkbox', { name: /get_product/ }).uncheck();
    await importer.getByRole('button', { name: 'Import 1 tool' }).click();
    await page.getByRole('button', { name: 'Test-fire wait_forever' }).click();
    const tryer = page.getByRole('dialog', { name: 'Test-fire wait_forever' });
    await tryer.getByLabel('Allow loopback and private addresses for this tool').check();
    await tryer.getByRole('button', { name: 'Send request' }).click();
    await tryer.getByRole('button', { name: /^Send to 127\.0\.0\.1:/ }).click();
    await tryer.getByText('Calling…').waitFor();
    await expect.poll(() => server.seen.some((s) => s.url === '/slow')).toBe(true);
    await tryer.getByRole('button', { name: 'Cancel request' }).click();
    await tryer.getByRole('alert').filter({ hasText: 'The test-fire was cancelled.' }).waitFor();
    await tryer.getByRole('button', { name: 'Send request' }).waitFor();
    expect(problems).toEqual([]);
  }, 120_000);
});
