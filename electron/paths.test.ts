import { describe, it, expect } from 'vitest';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultDataDir, resolveDataDir } from './paths';

describe('data dir', () => {
  it('matches where Electron keeps userData for Parley on each platform', () => {
    expect(defaultDataDir({}, 'linux')).toBe(join(homedir(), '.config', 'Parley'));
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(join('/x', 'Parley'));
    expect(defaultDataDir({ APPDATA: 'C:/AppData' }, 'win32')).toBe(join('C:/AppData', 'Parley'));
    expect(defaultDataDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'Parley'));
  });
  it('prefers the flag, then PARLEY_DATA_DIR', () => {
    expect(resolveDataDir('/flag', { PARLEY_DATA_DIR: '/env' })).toBe('/flag');
    expect(resolveDataDir(undefined, { PARLEY_DATA_DIR: '/env' })).toBe('/env');
  });
});

describe('app name', () => {
  it('is the productName Electron derives userData from, so the CLI and the app share one folder', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { productName?: string };
    const { APP_NAME } = await import('./paths');
    expect(pkg.productName).toBe(APP_NAME);
  });
});
