import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_CSP } from './csp';
import { APP_ORIGIN, createAppRequestHandler, originOf, resolveAppPath } from './app-protocol';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'parley-app-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Parley</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(base, 'secret.txt'), 'outside the renderer');
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves files from the renderer folder with the CSP and a correct content type', async () => {
    const handle = createAppRequestHandler(root);
    const res = await handle(new Request(`${APP_ORIGIN}/assets/app.js`));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('console.log(1)');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const index = await handle(new Request(`${APP_ORIGIN}/`));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<title>Parley</title>');
  });

  it.each([
    `${APP_ORIGIN}/../secret.txt`,
    `${APP_ORIGIN}/%2e%2e/secret.txt`,
    `${APP_ORIGIN}/%2e%2e%2fsecret.txt`,
    `${APP_ORIGIN}/assets/%2e%2e/%2e%2e/secret.txt`,
    `${APP_ORIGIN}/..%5csecret.txt`,
    `${APP_ORIGIN}/assets%00.js`,
    `${APP_ORIGIN}/%E0%A4%A`,
    'app://elsewhere/index.html',
    'https://parley/index.html',
  ])('refuses %s', async (url) => {
    const handle = createAppRequestHandler(root);
    const res = await handle(new Request(url));
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('outside the renderer');
  });

  it('never resolves a path outside the root', () => {
    // The URL parser already folds /%2e%2e/ into the root; an encoded slash survives it and must be refused here.
    expect(resolveAppPath(root, `${APP_ORIGIN}/%2e%2e/secret.txt`)).toBe(join(root, 'secret.txt'));
    expect(resolveAppPath(root, `${APP_ORIGIN}/%2e%2e%2fsecret.txt`)).toBeNull();
    expect(resolveAppPath(root, `${APP_ORIGIN}/assets/..%2f..%2fsecret.txt`)).toBeNull();
    expect(resolveAppPath(root, `${APP_ORIGIN}/assets/app.js`)).toBe(join(root, 'assets', 'app.js'));
  });

  it('answers missing files, folders and non-GET methods with 4xx', async () => {
    const handle = createAppRequestHandler(root);
    expect((await handle(new Request(`${APP_ORIGIN}/nope.js`))).status).toBe(404);
    expect((await handle(new Request(`${APP_ORIGIN}/assets`))).status).toBe(404);
    expect((await handle(new Request(`${APP_ORIGIN}/index.html`, { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('computes origins for custom schemes (Node says "null")', () => {
    expect(originOf('app://parley/index.html#x')).toBe('app://parley');
    expect(originOf('http://127.0.0.1:5173/src/main.tsx')).toBe('http://127.0.0.1:5173');
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('not a url')).toBeNull();
  });
});
