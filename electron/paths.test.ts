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
