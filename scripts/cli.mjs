#!/usr/bin/env node
// npm run cli -- <args>: runs the built CLI (out/cli/parley.mjs, what `npx parley` runs), first
// rebuilding it when a source it is built from is newer than the bundle. Rebuild output goes to
// stderr only if the build fails: stdout and stderr belong to the command.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'cli', 'parley.mjs');
const lockFile = join(root, 'out', '.cli-build.lock');
const SOURCE_DIRS = ['electron', 'shared'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'vite.config.ts'];
/** A build lock older than this was left by a build that died. */
const STALE_LOCK_MS = 120_000;

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time among the CLI's sources (tests are not part of the bundle). */
function newestSource() {
  let newest = Math.max(...SOURCE_FILES.map((f) => mtime(join(root, f))));
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) newest = Math.max(newest, mtime(path));
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(root, dir));
  return newest;
}

const stale = () => mtime(bundle) < newestSource();

function takeLock() {
  mkdirSync(dirname(lockFile), { recursive: true });
  try {
    closeSync(openSync(lockFile, 'wx'));
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    if (Date.now() - mtime(lockFile) > STALE_LOCK_MS) rmSync(lockFile, { force: true });
    return false;
  }
}

/** One rebuild at a time: parallel `npm run cli` calls wait for the one that builds, then use its bundle. */
function rebuild() {
  while (!takeLock()) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    if (!stale()) return;
  }
  try {
    if (!stale()) return;
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', '--mode', 'cli', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) {
      process.stderr.write(`parley: rebuilding ${bundle} failed:\n${r.stdout}${r.stderr}`);
      process.exit(1);
    }
  } finally {
    rmSync(lockFile, { force: true });
  }
}

if (stale()) rebuild();
const { main } = await import(pathToFileURL(bundle).href);
main(process.argv.slice(2));
