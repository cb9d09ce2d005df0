import { ParleyError } from '../../shared/errors';
import type { TurnStatus } from './types';
import { classify, toParleyError, type ErrorContext, type Failure } from './errors';

/**
 * One retry policy for every provider (the SDKs' own retries are off): exponential backoff
 * with full jitter, the server's retry-after honoured, attempts and total time bounded, every
 * wait cancellable and announced.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry is scheduled that would end later than this after the first attempt began. */
  maxTotalMs: number;
  /** A retry-after longer than this is not waited for: the user is told instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxTotalMs: 45_000,
  maxRetryAfterMs: 30_000,
};

export interface RetryOptions {
  policy: RetryPolicy;
  context: ErrorContext;
  signal?: AbortSignal;
  onStatus?: (status: TurnStatus) => void;
  /** Called before a retry is announced; its result is merged into the status (e.g. resetReply). */
  beforeRetry?: () => Partial<TurnStatus>;
  random?: () => number;
  now?: () => number;
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(signal: AbortSignal | undefined): ParleyError {
  return signal?.reason instanceof ParleyError ? signal.reason : new ParleyError('CANCELLED', 'The turn was stopped.');
}

/** Runs `attempt(k)` until it succeeds or the policy gives up; throws a ParleyError. */
export async function withRetry<T>(attempt: (k: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, signal } = options;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const started = now();
  for (let k = 1; ; k++) {
    if (signal?.aborted) throw cancelled(signal);
    let failure: Failure;
    try {
      return await attempt(k);
    } catch (error) {
      failure = classify(error, signal);
    }
    if (failure.kind === 'cancelled') throw cancelled(signal);
    if (failure.kind !== 'retryable' || k >= policy.maxAttempts) throw toParleyError(failure, k, options.context);
    let wait = failure.retryAfterMs ?? backoffDelay(k, policy, random);
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
      throw new ParleyError(
        'PROVIDER_UNAVAILABLE',
        `${options.context.label} is rate limiting requests and asks to wait ${Math.ceil(failure.retryAfterMs / 1000)} s. Try again later, or choose another provider in Settings.`,
      );
    }
    wait = Math.max(0, wait);
    if (now() - started + wait > policy.maxTotalMs) throw toParleyError(failure, k, options.context);
    const extra = options.beforeRetry?.() ?? {};
    options.onStatus?.({
      message: `${options.context.label} did not answer; retrying in ${Math.max(1, Math.ceil(wait / 1000))} s (attempt ${k + 1} of ${policy.maxAttempts})`,
      retryInMs: wait,
      attempt: k + 1,
      maxAttempts: policy.maxAttempts,
      ...extra,
    });
    try {
      await sleep(wait, signal);
    } catch {
      throw cancelled(signal);
    }
  }
}
