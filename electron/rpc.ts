import { z } from 'zod';
import { channels, isChannel, type Handlers } from '../shared/ipc';
import { ParleyError, describeIssues, type Envelope } from '../shared/errors';

export interface DispatchOptions {
  /** Validate handler outputs against the contract (development and tests). */
  validateOutput?: boolean;
  /** Called with unexpected (non-Parley) errors, for logging; never with user input. */
  onInternalError?: (channel: string, error: unknown) => void;
}

/**
 * The one place a request is checked and answered, shared by Electron IPC and the preview
 * bridge: unknown channel, bad payload and service failures all become a typed envelope,
 * never a crash and never an untyped rejection.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  rawInput: unknown,
  options: DispatchOptions = {},
): Promise<Envelope> {
  if (!isChannel(channel)) {
    return fail('UNKNOWN_CHANNEL', `Unknown channel "${String(channel).slice(0, 100)}".`);
  }
  const spec = channels[channel];
  const parsed = (spec.input as z.ZodType).safeParse(rawInput);
  if (!parsed.success) {
    return fail('INVALID_INPUT', `Invalid input for ${channel}: ${describeIssues(parsed.error)}`);
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    if (options.validateOutput) {
      const out = (spec.output as z.ZodType).safeParse(value);
      if (!out.success) {
        throw new Error(`Output of ${channel} broke the contract: ${describeIssues(out.error)}`);
      }
      return { ok: true, value: out.data };
    }
    return { ok: true, value };
  } catch (error) {
    return toEnvelope(channel, error, options);
  }
}

export function toEnvelope(channel: string, error: unknown, options: DispatchOptions = {}): Envelope {
  if (error instanceof ParleyError) return fail(error.code, error.message);
  options.onInternalError?.(channel, error);
  const message = error instanceof Error ? error.message : String(error);
  return fail('INTERNAL', `${channel} failed: ${message}`);
}

function fail(code: ParleyError['code'], message: string): Envelope {
  return { ok: false, error: { code, message } };
}
