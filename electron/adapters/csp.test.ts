import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { APP_CSP, devCsp, enforceCsp } from './csp';
import { FakeSession } from '../../tests/security/fake-electron';

interface CspFinding {
  severity: number;
  directive: string;
  value?: string;
}
/** Google's CSP evaluator as shipped inside Electronegativity (untyped CommonJS). */
const { CspEvaluator, CspParser, Version, severities } = createRequire(import.meta.url)('@doyensec/csp-evaluator') as {
  CspParser: new (policy: string) => { csp: unknown };
  CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): CspFinding[] };
  Version: { CSP3: unknown };
  severities: Record<'MEDIUM_MAYBE', number>;
};

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

function headerSetBy(session: FakeSession, url: string, upstream: Record<string, string[]> = {}): Record<string, string[]> {
  let out: Record<string, string[]> | undefined;
  session.headersListener!({ url, responseHeaders: upstream }, (r) => (out = r.responseHeaders));
  return out!;
}

describe('CSP', () => {
  it('is strict: own scripts only, no eval, no inline script, no plugins, no framing', () => {
    const d = directives(APP_CSP);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(APP_CSP).not.toMatch(/unsafe-eval|unsafe-inline|https?:|\*/);
  });

  it("has no finding from Google's CSP evaluator beyond the generic note on 'self'", () => {
    const findings = new CspEvaluator(new CspParser(APP_CSP).csp, Version.CSP3).evaluate();
    const serious = findings.filter((f) => f.severity < severities.MEDIUM_MAYBE);
    expect(serious).toEqual([]);
    expect(findings.map((f) => `${f.directive} ${f.value}`)).toEqual(["script-src 'self'"]);
  });

  it('is what the session sets on http(s) responses, replacing any upstream CSP', () => {
    const session = new FakeSession();
    enforceCsp(session as never, null);
    const headers = headerSetBy(session, 'https://example.com/', { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] });
    expect(headers['Content-Security-Policy']).toEqual([APP_CSP]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['X-Other']).toEqual(['1']);
  });

  it('keeps the literal Electronegativity reads identical to APP_CSP', () => {
    // Electronegativity evaluates the literal policy strings it finds under electron/: the one in
    // web-policy.ts (APP_CSP) and the one written out where the header is set (csp.ts).
    const source = ['./csp.ts', '../web-policy.ts'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');
    const literals = [...source.matchAll(/"(default-src [^"]+)"/g)].map((m) => m[1]);
    expect(literals.length).toBe(2);
    expect(new Set(literals)).toEqual(new Set([APP_CSP]));
  });

  it('in development adds only inline script (React Refresh) and the dev server socket', () => {
    const session = new FakeSession();
    enforceCsp(session as never, 'http://127.0.0.1:5173');
    const policy = headerSetBy(session, 'http://127.0.0.1:5173/')['Content-Security-Policy']![0]!;
    expect(policy).toBe(devCsp('http://127.0.0.1:5173'));
    const d = directives(policy);
    expect(d.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:5173']);
    expect(policy).not.toContain('unsafe-eval');
  });
});
