import { describe, it, expect } from 'vitest';
import { ParleyError } from '../../shared/errors';
import { backoffDelay, withRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
import { redact, retryAfterMs, classify } from './errors';
import type { TurnStatus } from './types';

const context = { label: 'OpenAI', authFix: 'Open Settings → API keys to replace it.', secrets: ['sk-secret-abcdef'] };
const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40, maxTotalMs: 5000, maxRetryAfterMs: 2000 };

function httpError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`HTTP ${status}`), { status, headers: new Headers(headers) });
}

describe('retryAfterMs', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 10:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('uses full jitter under an exponential ceiling', () => {
    expect(backoffDelay(1, policy, () => 0.999)).toBe(9);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(39);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(39); // capped at maxDelayMs
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('classify', () => {
  it('sorts auth, retryable and fatal statuses', () => {
    expect(classify(httpError(401)).kind).toBe('auth');
    expect(classify(httpError(403)).kind).toBe('auth');
    expect(classify(httpError(429)).kind).toBe('retryable');
    expect(classify(httpError(529)).kind).toBe('retryable');
    expect(classify(httpError(503)).kind).toBe('retryable');
    expect(classify(httpError(400)).kind).toBe('fatal');
    expect(classify(new TypeError('fetch failed')).kind).toBe('retryable');
  });
});

describe('withRetry', () => {
  it('retries retryable failures, announcing each wait, then succeeds', async () => {
    const statuses: TurnStatus[] = [];
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw httpError(503);
        return 'ok';
      },
      { policy, context, onStatus: (s) => statuses.push(s), random: () => 0.5 },
    );
    expect(value).toBe('ok');
    expect(statuses.map((s) => [s.attempt, s.maxAttempts, s.retryInMs])).toEqual([
      [2, 4, 5],
      [3, 4, 10],
    ]);
    expect(statuses[0]?.message).toMatch(/retrying in 1 s \(attempt 2 of 4\)/);
  });

  it('stops at maxAttempts with PROVIDER_UNAVAILABLE naming the provider', async () => {
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls += 1;
        throw httpError(500);
      },
      { policy, context, random: () => 0 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).code).toBe('PROVIDER_UNAVAILABLE');
    expect((error as ParleyError).message).toMatch(/^OpenAI is not answering .* after 4 attempts/);
  });

  it('does not wait beyond the total time budget', async () => {
    let calls = 0;
    let clock = 0;
    const error = await withRetry(
      async () => {
        calls += 1;
        clock += 3000; // each attempt "takes" 3 s
        throw httpError(502);
      },
      { policy: { ...policy, maxTotalMs: 5000 }, context, random: () => 0, now: () => clock },
    ).catch((e: unknown) => e);
    expect(calls).toBe(2);
    expect((error as ParleyError).code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('refuses to wait for a retry-after longer than allowed, and says how long', async () => {
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls += 1;
        throw httpError(429, { 'retry-after': '120' });
      },
      { policy, context },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect((error as ParleyError).message).toMatch(/wait 120 s/);
  });

  it('never retries auth failures', async () => {
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls += 1;
        throw httpError(401);
      },
      { policy, context },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect((error as ParleyError).code).toBe('PROVIDER_AUTH');
    expect((error as ParleyError).message).toBe('OpenAI rejected the API key (401). Open Settings → API keys to replace it.');
  });

  it('is cancelled during a wait', async () => {
    const controller = new AbortController();
    const pending = withRetry(
      async () => {
        throw httpError(429, { 'retry-after': '1' });
      },
      { policy, context, signal: controller.signal, onStatus: () => controller.abort(new ParleyError('CANCELLED', 'stopped by test')) },
    ).catch((e: unknown) => e);
    const error = (await pending) as ParleyError;
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe('stopped by test');
  });

  it('has sane defaults', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
    expect(DEFAULT_RETRY_POLICY.maxTotalMs).toBeLessThanOrEqual(60_000);
  });
});

describe('redact', () => {
  it('removes the given secrets and anything shaped like a key', () => {
    const out = redact('key sk-secret-abcdef and sk-proj-XYZ12345678 and sk-ant-api03-abcdefgh', context.secrets);
    expect(out).not.toMatch(/sk-secret|XYZ1234|api03/);
  });
});
