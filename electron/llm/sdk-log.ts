import { join } from 'node:path';
import { formatWithOptions } from 'node:util';
import { appendLogLine } from '../fs/log-file';
import { redact } from './errors';

/** The logger shape the OpenAI and Anthropic SDKs accept (`new OpenAI({ logger })`). */
export type SdkLogFn = (message: string, ...rest: unknown[]) => void;
export interface SdkLogger {
  error: SdkLogFn;
  warn: SdkLogFn;
  info: SdkLogFn;
  debug: SdkLogFn;
}

export interface SdkLog {
  readonly file: string;
  /** A logger for one client; its key is redacted from everything logged. */
  logger(provider: string, secrets: ReadonlyArray<string | undefined>): SdkLogger;
}

/** Relative to the data folder. */
export const PROVIDER_LOG = join('logs', 'providers.log');
const MAX_LINE_CHARS = 4000;
const MAX_FILE_BYTES = 1_000_000;

/**
 * Where the provider SDKs' own diagnostics go ("Could not parse message into JSON", retry
 * notes): a file in the data folder, not the terminal, where they would break `--json` output
 * and the CLI's single error line (the turn's failure is reported on its own, in Parley's
 * words). Keys are redacted, lines are capped, the file is rotated at 1 MB (one old copy,
 * `.1`), and a log that cannot be written is dropped: a diagnostic never fails a turn.
 * Nothing is created until something is logged.
 */
export function createSdkLog(file: string, clock: () => Date = () => new Date()): SdkLog {
  const write = (level: string, provider: string, secrets: ReadonlyArray<string | undefined>, message: string, rest: unknown[]) => {
    try {
      let text = redact(formatWithOptions({ depth: 3, breakLength: Infinity }, message, ...rest), secrets).replace(/\s*\n\s*/g, ' ⏎ ');
      if (text.length > MAX_LINE_CHARS) text = `${text.slice(0, MAX_LINE_CHARS)}… (${text.length - MAX_LINE_CHARS} more characters)`;
      appendLogLine(file, `${clock().toISOString()} ${level} ${provider}: ${text}`, MAX_FILE_BYTES);
    } catch {
      // The log is a diagnostic aid only.
    }
  };
  return {
    file,
    logger: (provider, secrets) => ({
      error: (message, ...rest) => write('error', provider, secrets, message, rest),
      warn: (message, ...rest) => write('warn', provider, secrets, message, rest),
      info: (message, ...rest) => write('info', provider, secrets, message, rest),
      debug: (message, ...rest) => write('debug', provider, secrets, message, rest),
    }),
  };
}
