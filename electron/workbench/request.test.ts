import { describe, expect, it } from 'vitest';
import type { ToolSpec } from '../../shared/spec';
import { authValue, buildRequest, credentialOf, redact, secretForms } from './request';
import { fire, isPrivateAddress, resolveAllowed } from './http';

const f = <T>(value: T) => ({ value, confidence: 1, source: 'test', locked: false });

const tool: ToolSpec = {
  name: f('update_order'),
  endpoint: f('https://api.example.com/orders/{order_id}'),
  method: f('PATCH' as const),
  auth: f({ type: 'bearer' as const, header: 'Authorization', secret_name: 'ORDERS_TOKEN' }),
  input_schema: f({ type: 'object', properties: { order_id: {}, notify: {}, 'X-Trace': {}, status: {}, tags: {} } }),
  workbench: { locations: { order_id: 'path', notify: 'query', 'X-Trace': 'header', status: 'body', tags: 'query' } },
};

describe('a tool and its inputs as a request', () => {
  it('puts each input where the tool says', () => {
    expect(buildRequest(tool, { order_id: 'A/1 2', notify: true, 'X-Trace': 'abc', status: 'paid', tags: ['a', 'b'] })).toEqual({
      method: 'PATCH',
      url: 'https://api.example.com/orders/A%2F1%202?notify=true&tags=a&tags=b',
      headers: { accept: 'application/json', 'user-agent': 'Parley tool workbench', 'x-trace': 'abc', 'content-type': 'application/json' },
      body: '{"status":"paid"}',
    });
  });

  it('without locations: query for GET, body otherwise, placeholders in the path', () => {
    const plain: ToolSpec = { ...tool, method: f('GET' as const), workbench: undefined };
    expect(buildRequest(plain, { order_id: '9', status: 'x' }).url).toBe('https://api.example.com/orders/9?status=x');
  });

  it('says which path inputs are missing, and when the endpoint is not an address', () => {
    expect(() => buildRequest(tool, {})).toThrow('Fill in the path input order_id before firing.');
    expect(() => buildRequest({ ...tool, endpoint: f('/orders') }, {})).toThrow(/not a complete address/);
  });

  it('the secret: the header from the credential, the scheme added when the store holds the bare token, every form redacted', () => {
    const credential = credentialOf(tool, 0)!;
    expect(credential).toMatchObject({ header: 'Authorization', label: 'ORDERS_TOKEN' });
    expect(authValue(credential, tool, 'tok123')).toBe('Bearer tok123');
    expect(authValue(credential, tool, 'Bearer tok123')).toBe('Bearer tok123');
    const forms = secretForms('Bearer tok123', 'Bearer tok123');
    expect(redact('{"a":"Bearer tok123","b":"tok123"}', forms, 'ORDERS_TOKEN')).toBe('{"a":"<secret ORDERS_TOKEN>","b":"<secret ORDERS_TOKEN>"}');
  });
});

describe('addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['2001:4860:4860::8888', false],
  ])('%s private: %s', (address, isPrivate) => expect(isPrivateAddress(address)).toBe(isPrivate));

  it('a secret never goes over plain http to a public address (refused before connecting)', async () => {
    const lookup = async () => [{ address: '93.184.216.34', family: 4 }];
    const result = await fire({ method: 'GET', url: 'http://api.example.com/x', headers: { authorization: 'Bearer t' } }, { allowPrivate: false, lookup, carriesSecret: true });
    expect(result).toMatchObject({ kind: 'error', reason: 'invalid', message: expect.stringMatching(/plain http: the tool's secret would travel unencrypted/) });
  });

  it('a name that resolves to a private address is refused; a public one is used as resolved', async () => {
    const url = new URL('https://api.example.com/x');
    expect(await resolveAllowed(url, { allowPrivate: false, lookup: async () => [{ address: '10.0.0.5', family: 4 }] })).toMatchObject({ reason: 'private-address' });
    expect(await resolveAllowed(url, { allowPrivate: false, lookup: async () => [{ address: '93.184.216.34', family: 4 }] })).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await resolveAllowed(url, { allowPrivate: true, lookup: async () => [{ address: '10.0.0.5', family: 4 }] })).toEqual({ address: '10.0.0.5', family: 4 });
  });
});
