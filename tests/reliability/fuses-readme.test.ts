/**
 * The Electron fuses the README promises are the ones the packaging config sets. (The window
 * options, CSP, navigation/permission denials, the single-instance lock and the Electronegativity
 * gate are asserted in electron/window.test.ts, electron/main.test.ts and tests/security/.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/processes';

/** README wording of each fuse, and the config key it stands for. */
const FUSES: Array<{ key: string; phrase: RegExp }> = [
  { key: 'runAsNode', phrase: /RunAsNode (on|off)/i },
  { key: 'enableCookieEncryption', phrase: /cookie\s+encryption (on|off)/i },
  { key: 'enableEmbeddedAsarIntegrityValidation', phrase: /embedded ASAR integrity (on|off)/i },
  { key: 'onlyLoadAppFromAsar', phrase: /only-load-app-from-asar (on|off)/i },
  { key: 'enableNodeOptionsEnvironmentVariable', phrase: /NODE_OPTIONS (on|off)/i },
  { key: 'enableNodeCliInspectArguments', phrase: /inspect arguments (on|off)/i },
  { key: 'grantFileProtocolExtraPrivileges', phrase: /file: extra privileges (on|off)/i },
];

describe('Electron fuses: README and packaging config agree', () => {
  it('every fuse the README states has that value in build/electron-builder.json', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const config = JSON.parse(readFileSync(join(REPO_ROOT, 'build', 'electron-builder.json'), 'utf8')) as { electronFuses?: Record<string, boolean> };
    const fuses = config.electronFuses ?? {};
    const stated = FUSES.flatMap(({ key, phrase }) => {
      const m = phrase.exec(readme);
      return m ? [{ key, readme: m[1]!.toLowerCase() === 'on', config: fuses[key] }] : [];
    });
    // The four security-critical fuses must be stated; whatever is stated must be true.
    expect(stated.map((s) => s.key)).toEqual(expect.arrayContaining(['runAsNode', 'enableCookieEncryption', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar']));
    for (const s of stated) expect({ key: s.key, value: s.config }).toEqual({ key: s.key, value: s.readme });
  });
});
