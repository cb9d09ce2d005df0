import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer guards in eslint.config.js must hold. Each file in fixtures/ is a leak: it is linted
 * (ESLint's Node API, the repository's own config) as if it sat at the product path its header
 * names, and every line marked `// leak` must be reported by the header's rule, and nothing
 * else by that rule. Linted at its `allowed-at` path instead, the same text must pass the guards,
 * so a rule cannot pass this by flagging everything.
 */

const root = resolve(import.meta.dirname, '../..');
const fixturesDir = join(import.meta.dirname, 'fixtures');
const eslint = new ESLint({ cwd: root });

interface Fixture {
  name: string;
  text: string;
  lintAs: string;
  rule: string;
  allowedAt: string;
  leakLines: number[];
}

function header(text: string, key: string, name: string): string {
  const m = new RegExp(`^// ${key}: (\\S+)$`, 'm').exec(text);
  if (!m?.[1]) throw new Error(`${name} has no "// ${key}:" line`);
  return m[1];
}

const fixtures: Fixture[] = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((name) => {
    const text = readFileSync(join(fixturesDir, name), 'utf8');
    const leakLines = text.split('\n').flatMap((line, i) => (line.endsWith('// leak') ? [i + 1] : []));
    return { name, text, lintAs: header(text, 'lint-as', name), rule: header(text, 'rule', name), allowedAt: header(text, 'allowed-at', name), leakLines };
  });

async function lint(text: string, at: string) {
  const [result] = await eslint.lintText(text, { filePath: join(root, at) });
  if (!result) throw new Error(`no lint result for ${at}`);
  return result.messages;
}

describe('lint guards', () => {
  it('cover every leak the architecture review found', () => {
    const names = fixtures.map((f) => f.name);
    // Bare fs, path and ws in renderer/ and shared/.
    for (const side of ['renderer', 'shared']) for (const leak of ['bare-fs', 'bare-path', 'ws']) expect(names).toContain(`${side}-${leak}.ts`);
    // 'electron/main', require('electron') and await import('electron') in services; node:fs in export/.
    expect(names).toEqual(expect.arrayContaining(['service-electron-main.ts', 'service-require-electron.ts', 'service-import-electron.ts', 'export-node-fs.ts']));
    for (const f of fixtures) expect(f.leakLines.length, f.name).toBeGreaterThan(0);
  });

  for (const f of fixtures) {
    it(`${f.name}: ${f.rule} reports each leak at ${f.lintAs}`, async () => {
      const messages = await lint(f.text, f.lintAs);
      const reported = messages.filter((m) => m.ruleId === f.rule).map((m) => m.line);
      expect([...new Set(reported)].sort((a, b) => a - b)).toEqual(f.leakLines);
      expect(messages.filter((m) => m.fatal)).toEqual([]);
    });

    it(`${f.name}: passes the guards at ${f.allowedAt}`, async () => {
      const messages = await lint(f.text, f.allowedAt);
      expect(messages.filter((m) => m.ruleId?.startsWith('boundaries/') || m.fatal)).toEqual([]);
    });
  }

  it('the fixtures are left out of the normal lint run (they must fail)', async () => {
    expect(await eslint.isPathIgnored(join(fixturesDir, fixtures[0]!.name))).toBe(true);
  });
});
