// Fault injection for a real Parley process, loaded with `node --import <this file> <entry> …`.
// It wraps node:fs and node:fs/promises (then syncs the ESM bindings, so bundled code that
// imported them by name sees the wrappers) and counts every call that changes something under
// one of the PARLEY_FAULT_DIRS. The PARLEY_FAULT_AT-th such call fails, the way PARLEY_FAULT_KIND says:
//   throw     it fails with PARLEY_FAULT_CODE (ENOSPC, EIO, …), as the kernel would report it
//   reject    it succeeds, and an unrelated promise rejects with nobody listening (an unhandled rejection)
//   uncaught  it succeeds, and an exception is thrown from a timer (an uncaught exception)
// At exit the number of counted calls and the labels of the calls are written to PARLEY_FAULT_REPORT,
// so a test can first count a command's steps, then fail each of them in turn.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';

const dirs = (process.env.PARLEY_FAULT_DIRS ?? '').split(':').filter(Boolean).map((d) => resolve(d));
const at = Number(process.env.PARLEY_FAULT_AT ?? 0);
const kind = process.env.PARLEY_FAULT_KIND ?? 'throw';
const code = process.env.PARLEY_FAULT_CODE ?? 'EIO';
const report = process.env.PARLEY_FAULT_REPORT;
const writeReport = fs.writeFileSync;

const inside = (path) => typeof path === 'string' && dirs.some((d) => resolve(path) === d || resolve(path).startsWith(`${d}/`));
const writes = (flags) => (typeof flags === 'string' ? /[wa+]/.test(flags) : typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0);
const fdPaths = new Map();
const handlePaths = new WeakMap();
const calls = [];

/** Counts a call; returns the error to fail it with, if this is the chosen one. */
function step(label, path) {
  if (!inside(path)) return null;
  calls.push(`${label} ${path.slice(path.lastIndexOf('/') + 1)}`);
  if (calls.length !== at) return null;
  if (kind === 'reject') {
    void Promise.reject(new Error(`injected unhandled rejection at ${label}`));
    return null;
  }
  if (kind === 'uncaught') {
    setImmediate(() => {
      throw new Error(`injected uncaught exception at ${label}`);
    });
    return null;
  }
  return Object.assign(new Error(`${code}: injected fault, ${label} '${path}'`), { code, syscall: label, path });
}

function wrapSync(name, pathOf, counted = () => true) {
  const original = fs[name];
  fs[name] = function (...args) {
    const path = pathOf(args);
    const error = counted(args) ? step(name, path) : null;
    if (error) throw error;
    const result = original.apply(this, args);
    if (name === 'openSync' && typeof path === 'string') fdPaths.set(result, path);
    if (name === 'closeSync') fdPaths.delete(args[0]);
    return result;
  };
}

function wrapAsync(name, pathOf, counted = () => true) {
  const original = fsp[name];
  fsp[name] = async function (...args) {
    const path = pathOf(args);
    const error = counted(args) ? step(`promises.${name}`, path) : null;
    if (error) throw error;
    const result = await original.apply(this, args);
    if (name === 'open' && typeof path === 'string') handlePaths.set(result, path);
    return result;
  };
}

const first = (args) => (typeof args[0] === 'string' ? args[0] : args[0] instanceof URL ? args[0].pathname : undefined);
const second = (args) => (typeof args[1] === 'string' ? args[1] : undefined);
const ofFd = (args) => fdPaths.get(args[0]);

wrapSync('openSync', first, (args) => writes(args[1] ?? 'r'));
wrapSync('closeSync', ofFd, () => false);
wrapSync('writeSync', ofFd);
wrapSync('fsyncSync', ofFd);
wrapSync('fdatasyncSync', ofFd);
wrapSync('ftruncateSync', ofFd);
wrapSync('renameSync', second);
wrapSync('appendFileSync', first);
wrapSync('writeFileSync', first);
wrapSync('unlinkSync', first);
wrapSync('mkdirSync', first);
wrapSync('linkSync', second);

wrapAsync('open', first, (args) => writes(args[1] ?? 'r'));
wrapAsync('writeFile', first);
wrapAsync('appendFile', first);
wrapAsync('rename', second);
wrapAsync('unlink', first);
wrapAsync('mkdir', first);
wrapAsync('link', second);
wrapAsync('rm', first);
wrapAsync('copyFile', second);

// What the data folder's lock does with its open file.
const probe = await fsp.open(process.execPath, 'r');
const FileHandle = Object.getPrototypeOf(probe);
await probe.close();
for (const name of ['writeFile', 'write', 'sync', 'datasync', 'truncate', 'appendFile']) {
  const original = FileHandle[name];
  FileHandle[name] = async function (...args) {
    const error = step(`handle.${name}`, handlePaths.get(this));
    if (error) throw error;
    return original.apply(this, args);
  };
}

syncBuiltinESMExports();

if (report) process.on('exit', () => writeReport(report, JSON.stringify({ calls })));
