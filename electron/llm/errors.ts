import { ParleyError } from '../../shared/errors';
import { ReplyTooLong } from './reply-budget';

/**
 * What went wrong with one provider request, in the terms the retry policy and the user need.
 * SDK errors are read by shape (status, headers) so that the OpenAI and Anthropic SDKs, and the
 * raw fetch/undici errors under them, are treated alike.
 */
export type Failure =
  | { kind: 'cancelled'; reason: unknown }
  | { kind: 'auth'; status: number; detail: string }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'too-long'; limit: number; unit: string; maxTokens: number }
  | { kind: 'retryable'; status?: number; retryAfterMs?: number; detail: string }
  | { kind: 'fatal'; status?: number; detail: string };

/** Thrown by an attempt whose watchdog fired: the provider went quiet for longer than the timeout. */
export class AttemptTimeout extends Error {
  constructor(readonly afterMs: number) {
    super(`no response for ${afterMs} ms`);
    this.name = 'AttemptTimeout';
  }
}

/** Thrown when a provider answered 200 but with nothing usable (empty text, wrong body). */
export class EmptyAnswer extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'EmptyAnswer';
  }
}

/** Replaces each secret, and anything shaped like an API key, so no message can leak one. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/\b(sk-[A-Za-z0-9_*-]{6,}|sk-ant-[A-Za-z0-9_*-]{6,})/g, '[redacted]');
}

/** Milliseconds asked for by retry-after-ms, or retry-after in seconds or as an HTTP date. */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  const get = (name: string): string | null =>
    headers && typeof (headers as Headers).get === 'function' ? (headers as Headers).get(name) : null;
  const ms = get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504, 529]);

function detailOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const body = (error as { error?: unknown }).error;
    const inner = body && typeof body === 'object' ? ((body as { error?: { message?: unknown } }).error ?? body) : undefined;
    const message = inner && typeof inner === 'object' ? (inner as { message?: unknown }).message : undefined;
    if (typeof message === 'string' && message) return message;
    const cause = (error as { cause?: unknown }).cause;
    const own = (error as { message?: unknown }).message;
    if (typeof own === 'string' && own) {
      const causeText = cause instanceof Error && cause.message && !own.includes(cause.message) ? ` (${cause.message})` : '';
      return own + causeText;
    }
  }
  return String(error);
}

export function classify(error: unknown, signal?: AbortSignal): Failure {
  if (signal?.aborted) return { kind: 'cancelled', reason: signal.reason };
  if (error instanceof AttemptTimeout) return { kind: 'timeout', afterMs: error.afterMs };
  if (error instanceof ParleyError && error.code === 'CANCELLED') return { kind: 'cancelled', reason: error };
  if (error instanceof EmptyAnswer) return { kind: 'retryable', detail: error.message };
  // Not retried: a server that ignored max_tokens once will do it again.
  if (error instanceof ReplyTooLong) return { kind: 'too-long', limit: error.limit, unit: error.unit, maxTokens: error.maxTokens };
  const status = error && typeof error === 'object' ? (error as { status?: unknown }).status : undefined;
  const detail = detailOf(error).slice(0, 300);
  if (typeof status === 'number') {
    if (status === 401 || status === 403) return { kind: 'auth', status, detail };
    const headers = (error as { headers?: unknown }).headers;
    if (RETRYABLE_STATUS.has(status) || status >= 500) {
      return { kind: 'retryable', status, retryAfterMs: retryAfterMs(headers), detail };
    }
    return { kind: 'fatal', status, detail };
  }
  // An error event inside a stream (e.g. Anthropic's overloaded_error) carries no status.
  const type = error && typeof error === 'object' ? JSON.stringify((error as { error?: unknown }).error ?? '') : '';
  if (/overloaded|rate_limit|api_error/.test(type)) return { kind: 'retryable', detail };
  // Network failures: connection refused or reset, a stream cut short, a body that is not JSON.
  return { kind: 'retryable', detail };
}

export interface ErrorContext {
  /** "OpenAI", "Anthropic", "The local endpoint at http://…". */
  label: string;
  /** Where the user fixes an auth problem. */
  authFix: string;
  secrets: ReadonlyArray<string | undefined>;
}

/** The error the user sees once retrying is over. */
export function toParleyError(failure: Failure, attempts: number, ctx: ErrorContext): ParleyError {
  const clean = (s: string): string => redact(s, ctx.secrets);
  switch (failure.kind) {
    case 'cancelled':
      return failure.reason instanceof ParleyError ? failure.reason : new ParleyError('CANCELLED', 'The turn was stopped.');
    case 'auth':
      return new ParleyError(
        'PROVIDER_AUTH',
        failure.status === 403
          ? `${ctx.label} refused access with this API key (403). ${ctx.authFix}`
          : `${ctx.label} rejected the API key (401). ${ctx.authFix}`,
      );
    case 'timeout':
      return new ParleyError(
        'PROVIDER_UNAVAILABLE',
        `${ctx.label} did not answer within ${Math.round(failure.afterMs / 100) / 10} s. Try again, or raise the timeout in Settings.`,
      );
    case 'too-long':
      return new ParleyError(
        'PROVIDER_UNAVAILABLE',
        `${ctx.label} sent a reply longer than ${failure.limit.toLocaleString('en-US')} ${failure.unit}, far more than the ${failure.maxTokens.toLocaleString('en-US')}-token limit allows, so Parley stopped reading it. Try again, or choose another provider in Settings.`,
      );
    case 'retryable': {
      const what = failure.status ? `HTTP ${failure.status}: ${clean(failure.detail)}` : clean(failure.detail);
      const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
      return new ParleyError(
        'PROVIDER_UNAVAILABLE',
        `${ctx.label} is not answering (${what})${tries}. Try again in a minute, or choose another provider in Settings.`,
      );
    }
    case 'fatal':
      return new ParleyError(
        'PROVIDER_UNAVAILABLE',
        `${ctx.label} refused the request (HTTP ${failure.status ?? '?'}: ${clean(failure.detail)}). Check the model name and base URL in Settings.`,
      );
  }
}
