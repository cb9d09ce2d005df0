import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Electronegativity gate (docs/ARCHITECTURE.md, "Security and testing rules"). The tool always exits 0, so this reads its SARIF:
 * every finding must be listed with a reason in build/electronegativity-accepted.json, and every
 * listed rule must still be found (so the list cannot quietly outgrow the code).
 */

interface Accepted {
  ruleId: string;
  reason: string;
  /** Optional: accept only findings with exactly this message (e.g. one kind of CSP note). */
  message?: string;
}

interface Finding {
  ruleId: string;
  message: string;
  where: string;
}

const root = process.cwd();
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const accepted = JSON.parse(readFileSync(join(root, 'build/electronegativity-accepted.json'), 'utf8')) as Accepted[];

function scan(): Finding[] {
  const dir = mkdtempSync(join(tmpdir(), 'parley-electronegativity-'));
  try {
    const out = join(dir, 'report.sarif');
    const r = spawnSync('npx', ['--no-install', 'electronegativity', '-i', 'electron', '-e', electronVersion, '-r', '-o', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' },
    });
    if (r.error) throw r.error;
    // A file the tool cannot parse is skipped, not reported: treat that as a failure, not a clean scan.
    const unparsed = `${r.stdout}\n${r.stderr}`.split('\n').filter((line) => /Error parsing/.test(line));
    if (unparsed.length) throw new Error(`electronegativity could not parse:\n${unparsed.join('\n')}`);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          message: { text: string };
          locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }>;
        }>;
      }>;
    };
    return sarif.runs.flatMap((run) =>
      run.results.map((res) => {
        const loc = res.locations?.[0]?.physicalLocation;
        return { ruleId: res.ruleId, message: res.message.text, where: `${loc?.artifactLocation?.uri ?? '?'}:${loc?.region?.startLine ?? '?'}` };
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function isAccepted(f: Finding, a: Accepted): boolean {
  return a.ruleId === f.ruleId && (a.message === undefined || a.message === f.message);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx|js|mjs|cjs)$/.test(name) ? [p] : [];
  });
}

describe('Electronegativity gate', () => {
  it('every accepted entry has a rule id and a real reason', () => {
    for (const a of accepted) {
      expect(a.ruleId).toMatch(/^[A-Z_]+$/);
      expect(a.reason.length, a.ruleId).toBeGreaterThan(40);
    }
  });

  it('no source file hides findings with eng-disable annotations', () => {
    const annotated = sourceFiles(join(root, 'electron')).filter((f) => /eng-disable/.test(readFileSync(f, 'utf8')));
    expect(annotated).toEqual([]);
  });

  it(`reports no finding over electron/ (Electron ${electronVersion}) that is not accepted with a reason`, () => {
    const findings = scan();
    const unaccepted = findings.filter((f) => !accepted.some((a) => isAccepted(f, a)));
    const unused = accepted.filter((a) => !findings.some((f) => isAccepted(f, a)));
    console.log(
      `electronegativity: ${findings.length} finding(s), ${findings.length - unaccepted.length} accepted, ${unaccepted.length} not accepted\n` +
        findings.map((f) => `  ${f.ruleId} ${f.where} ${f.message}`).join('\n'),
    );
    expect(unaccepted, 'findings not in build/electronegativity-accepted.json').toEqual([]);
    expect(unused.map((a) => a.ruleId), 'accepted entries no finding needs any more: remove them').toEqual([]);
  }, 300_000);
});
