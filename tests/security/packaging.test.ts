import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';

/** build/electron-builder.json is checked against electron-builder's own configuration schema. */
const root = process.cwd();
const config = JSON.parse(readFileSync(join(root, 'build/electron-builder.json'), 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  files: string[];
  mac: { target: string[]; entitlements: string };
  win: { target: string[] };
  linux: { target: string[]; category: string };
};
const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;

describe('packaging config', () => {
  it("is valid against electron-builder's own schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail (an unknown key and a wrong type are caught)', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate({ ...config, asar: 'yes' })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).toBe(false);
  });

  it('sets the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds dmg, nsis, AppImage and deb from an asar with only the built app', () => {
    expect(config.asar).toBe(true);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBeTruthy();
    expect(config.files).toContain('out/**');
    expect(config.files).toContain('package.json');
    expect(existsSync(join(root, config.mac.entitlements))).toBe(true);
    expect(existsSync(join(root, 'build/icon.png'))).toBe(true);
  });

  it("package.json main is the file the main build produces", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/main.cjs');
  });
});

/**
 * What the installer would ship: electron-builder packs the real app.asar from this config
 * (`--dir`, Linux), with a stand-in for the Electron binary, which cannot be downloaded here.
 * The asar holds only what the app runs: the built app and the production dependencies, not
 * the preview host's `ws`, not React (bundled into the renderer), not the CLI bundle. The
 * fuses are left out of this build: flipping them needs the real binary.
 */
describe('the packaged app.asar', () => {
  interface Asar {
    listPackage(file: string, options: { isPack: boolean }): string[];
    extractAll(file: string, dest: string): void;
  }
  const asar = createRequire(import.meta.url)('@electron/asar') as Asar;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; optionalDependencies?: Record<string, string> };
  let work = '';
  let files: string[] = [];
  let extracted = '';

  beforeAll(async () => {
    for (const built of ['out/main/main.cjs', 'out/preload/preload.cjs', 'out/renderer/index.html']) {
      if (!existsSync(join(root, built))) throw new Error(`${built} is missing: run npm run build first`);
    }
    work = await mkdtemp(join(tmpdir(), 'parley-pack-'));
    const electronDist = join(work, 'electron-dist');
    await mkdir(electronDist);
    await writeFile(join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in for the Electron binary"\n', { mode: 0o755 });
    const { $schema: _schema, electronFuses: _fuses, ...rest } = config;
    const packConfig = { ...rest, electronDist, npmRebuild: false, directories: { ...(config.directories as object), output: join(work, 'release') } };
    await writeFile(join(work, 'config.json'), JSON.stringify(packConfig));
    const child = spawn(process.execPath, [join(root, 'node_modules/electron-builder/cli.js'), '--dir', '--linux', 'dir', '--publish', 'never', '--config', join(work, 'config.json')], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    try {
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (code !== 0) throw new Error(`electron-builder exited ${code}:\n${log}`);
    } finally {
      child.kill('SIGKILL');
    }
    const file = join(work, 'release', 'linux-unpacked', 'resources', 'app.asar');
    files = asar.listPackage(file, { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    extracted = join(work, 'extracted');
    asar.extractAll(file, extracted);
  }, 300_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Top-level packages under node_modules ("@scope/name" or "name"). */
  const packages = () => {
    const out = new Set<string>();
    for (const f of files) {
      const [, top, first, second] = f.split('/');
      if (top !== 'node_modules' || !first) continue;
      if (!first.startsWith('@')) out.add(first);
      else if (second) out.add(`${first}/${second}`);
    }
    return out;
  };

  it('holds the built app, without source maps, the CLI bundle or sources', () => {
    const app = files.filter((f) => !f.startsWith('/node_modules'));
    expect(app).toContain('/package.json');
    expect(app).toContain('/out/main/main.cjs');
    expect(app).toContain('/out/preload/preload.cjs');
    expect(app).toContain('/out/renderer/index.html');
    expect(app.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(app.filter((f) => f.startsWith('/out/cli'))).toEqual([]);
    expect(new Set(app.map((f) => f.split('/')[1]))).toEqual(new Set(['package.json', 'out']));
    expect(new Set(app.filter((f) => f.startsWith('/out/')).map((f) => f.split('/')[2]))).toEqual(new Set(['main', 'preload', 'renderer']));
  });

  it('ships the production dependencies and nothing the app does not run: no ws, React or dev tools', () => {
    const shipped = packages();
    for (const dep of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]) expect(shipped, dep).toContain(dep);
    for (const absent of ['ws', 'react', 'react-dom', 'scheduler', 'electron', 'vite', 'vitest', 'typescript', 'tsx', 'esbuild', 'electron-builder', 'playwright-core', 'jsdom']) {
      expect(shipped, absent).not.toContain(absent);
    }
    // Everything shipped is a production dependency (or one of theirs), as npm sees the tree.
    const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' });
    const production = new Set(
      ls.stdout
        .split('\n')
        .filter((l) => l.includes('node_modules'))
        .map((l) => l.slice(l.lastIndexOf('node_modules/') + 'node_modules/'.length)),
    );
    expect([...shipped].filter((p) => !production.has(p))).toEqual([]);
  });

  it('every package main.cjs requires loads from the packed tree alone', () => {
    const required = new Set<string>();
    for (const f of files.filter((f) => /^\/out\/main\/[^/]+\.cjs$/.test(f))) {
      const text = readFileSync(join(extracted, f), 'utf8');
      for (const m of text.matchAll(/require\("([^".][^"]*)"\)/g)) {
        const id = m[1]!;
        if (id === 'electron' || id.startsWith('node:') || builtinModules.includes(id)) continue;
        required.add(id);
      }
    }
    // validate.ts loads Ajv on first use (createRequire), so it is named here as well.
    for (const id of ['ajv', 'ajv/dist/2019', 'ajv/dist/2020']) required.add(id);
    expect(required.has('ws')).toBe(false);
    expect([...required]).toEqual(expect.arrayContaining(['openai', '@anthropic-ai/sdk', 'zod', 'lowdb']));
    const script = `const { createRequire } = require('node:module');
const load = createRequire(${JSON.stringify(join(extracted, 'out', 'main', 'main.cjs'))});
const failed = [];
for (const id of ${JSON.stringify([...required])}) { try { load(id); } catch (e) { failed.push(id + ': ' + e.message.split('\\n')[0]); } }
process.stdout.write(JSON.stringify(failed));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: tmpdir(), encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
