#!/usr/bin/env node
// npm run dev: the renderer from Vite's dev server (HMR), main + preload rebuilt on change, and
// Electron pointed at the dev server through VITE_DEV_SERVER_URL (main.ts trusts that origin
// only when the app is not packaged).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, createServer } from 'vite';

/**
 * Where the electron package keeps its binary, found the way its index.js does but without its
 * side effect: requiring 'electron' tries to download a missing binary, which cannot work here.
 */
function electronBinary() {
  const pkg = join(process.cwd(), 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const binary = join(dist, relative);
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
if (!binary) {
  console.error(
    [
      'Parley dev: the Electron binary is not installed (node_modules/electron has no dist/).',
      'Its download is unreachable from this machine. To work on the app without it, run:',
      '',
      '  npm run preview      # the same backend in Node + the renderer in your browser',
      '',
      'On a machine with network access, `node node_modules/electron/install.js` fetches it.',
    ].join('\n'),
  );
  process.exit(1);
}

const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'info' });
await server.listen();
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('Vite did not report a local URL');

let electron = null;
let restarting = false;

function launch() {
  electron = spawn(binary, ['.'], { stdio: 'inherit', env: { ...process.env, VITE_DEV_SERVER_URL: url } });
  electron.on('exit', (code) => {
    if (restarting) return;
    void server.close();
    process.exit(code ?? 0);
  });
}

function relaunch() {
  if (!electron) return launch();
  restarting = true;
  electron.once('exit', () => {
    restarting = false;
    launch();
  });
  electron.kill();
}

// Rebuild main and preload on change; a main rebuild restarts Electron, a preload rebuild reloads it too
// (preloads are read once per page load, and a restart is the simple, reliable way).
let pending = 2;
for (const mode of ['main', 'preload']) {
  const watcher = await build({ configFile: 'vite.config.ts', mode, logLevel: 'warn', build: { watch: {} } });
  watcher.on('event', (event) => {
    if (event.code === 'ERROR') console.error(`[dev] ${mode} build failed:`, event.error?.message ?? event.error);
    if (event.code !== 'END') return;
    if (pending > 0 && --pending === 0) launch();
    else if (pending === 0) relaunch();
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    electron?.kill();
    void server.close().then(() => process.exit(0));
  });
}
