/**
 * Shapes of credentials people paste by mistake. A match anywhere in a spec blocks export until
 * the value is replaced by a placeholder (a secret *name*), because exported files get shared.
 */
export const SECRET_PATTERNS: ReadonlyArray<{ kind: string; pattern: RegExp }> = [
  { kind: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/ },
  { kind: 'OpenAI-style API key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/ },
  { kind: 'ElevenLabs / Stripe-style secret key', pattern: /\b(?:sk|rk)_(?:live_|test_)?[A-Za-z0-9]{24,}/ },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})/ },
  { kind: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
  { kind: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  // Real tokens mix in digits; the look-ahead keeps prose such as "Basic internationalization" out.
  { kind: 'bearer token', pattern: /\bBearer\s+(?=[A-Za-z._~+/-]*[0-9])[A-Za-z0-9._~+/-]{24,}=*/ },
  { kind: 'Basic credentials', pattern: /\bBasic\s+(?=[A-Za-z]*[0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])/ },
];

export function findSecretKind(text: string): string | null {
  for (const { kind, pattern } of SECRET_PATTERNS) if (pattern.test(text)) return kind;
  return null;
}

export interface SecretHit {
  path: string;
  kind: string;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (parent ? `${parent}.${key}` : key) : `${parent}[${JSON.stringify(key)}]`;
}

/** Every string (values and keys) in a JSON-like value that looks like a credential. */
export function findSecrets(value: unknown, path = ''): SecretHit[] {
  const hits: SecretHit[] = [];
  const visit = (v: unknown, p: string): void => {
    if (typeof v === 'string') {
      const kind = findSecretKind(v);
      if (kind) hits.push({ path: p, kind });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, childPath(p, i)));
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) {
        const kind = findSecretKind(k);
        if (kind) hits.push({ path: childPath(p, k), kind });
        visit(item, childPath(p, k));
      }
    }
  };
  visit(value, path);
  return hits;
}

/** Replaces every credential-shaped substring with a visible placeholder. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const { pattern } of SECRET_PATTERNS) {
    out = out.replace(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`), '[REDACTED SECRET]');
  }
  return out;
}
