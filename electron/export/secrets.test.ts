import { describe, expect, it } from 'vitest';
import { findSecretKind, findSecrets, redactSecrets } from './secrets';

describe('secret detection', () => {
  it.each([
    ['OpenAI key', `sk-${'A1b2'.repeat(10)}`],
    ['OpenAI project key', `sk-proj-${'x9'.repeat(24)}`],
    ['Anthropic key', `sk-ant-api03-${'Z'.repeat(40)}`],
    ['ElevenLabs key', `sk_${'0f'.repeat(24)}`],
    ['AWS key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['GitHub token', `ghp_${'a'.repeat(36)}`],
    ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['bearer header value', 'Bearer 8f14e45fceea167a5a36dedd4bea2543'],
    ['basic header value', 'Basic dXNlcjpwYXNzd29yZDEyMw=='],
    ['private key', '-----BEGIN RSA PRIVATE KEY-----'],
  ])('finds a %s', (_kind, value) => {
    expect(findSecretKind(`the value is ${value} ok`)).not.toBeNull();
    expect(redactSecrets(`x ${value} y`)).toBe('x [REDACTED SECRET] y');
  });

  it.each([
    'Bearer token in the Authorization header',
    'Basic internationalization support',
    'ask-the-customer-for-their-order-number-politely-and-clearly',
    'ORDERS_API_TOKEN',
    '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f',
    'https://api.example.com/orders/{order_id}',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(findSecretKind(text)).toBeNull();
  });

  it('reports the path of every hit, keys included', () => {
    const hits = findSecrets({ tools: [{ auth: { value: { secret_name: `sk-${'q'.repeat(40)}` } } }], [`AKIA${'B'.repeat(16)}`]: 1 });
    expect(hits.map((h) => h.path).sort()).toEqual(['AKIABBBBBBBBBBBBBBBB', 'tools[0].auth.value.secret_name'].sort());
  });
});
