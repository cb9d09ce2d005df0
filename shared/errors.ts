import { z } from 'zod';

/** Every failure that crosses the IPC boundary is one of these codes plus a human message with a next step. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'NOT_FOUND',
  'CONFLICT',
  'READ_ONLY',
  'KEYCHAIN_UNAVAILABLE',
  'PROVIDER_AUTH',
  'PROVIDER_UNAVAILABLE',
  'CANCELLED',
  'DISCONNECTED',
  'UNSUPPORTED',
  'SAVE_FAILED',
  'INTERNAL',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const IpcError = z.object({ code: ErrorCode, message: z.string() });
export type IpcError = z.infer<typeof IpcError>;

/** Thrown by services and by the renderer's API; carries a code that survives serialization. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
  }
  toJSON(): IpcError {
    return { code: this.code, message: this.message };
  }
}

/** The envelope every request resolves to, so errors stay typed across structured clone / JSON. */
export const Envelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: IpcError }),
]);
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Formats zod issues as one readable line: "text: expected string; sessionId: must be a UUID". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

/**
 * Any failure from window.parley as a ParleyError: in preview it already is one; through
 * Electron's contextBridge only plain data survives, so it arrives as `{name, code, message}`.
 */
export function asParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  if (error && typeof error === 'object' && 'code' in error && ErrorCode.safeParse((error as { code: unknown }).code).success) {
    const e = error as { code: ErrorCode; message?: unknown };
    return new ParleyError(e.code, String(e.message ?? ''));
  }
  return new ParleyError('INTERNAL', error instanceof Error ? error.message : String(error));
}
