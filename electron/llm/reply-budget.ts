import { replyCharCap, replyEventCap } from '../../shared/limits';

/** Thrown when a reply runs past its budget: the provider is sending far more than maxTokens allows. */
export class ReplyTooLong extends Error {
  constructor(
    readonly limit: number,
    readonly unit: 'characters' | 'stream events',
    readonly maxTokens: number,
  ) {
    super(`the reply ran past ${limit.toLocaleString('en-US')} ${unit}`);
    this.name = 'ReplyTooLong';
  }
}

export interface ReplyBudget {
  /** Counts one stream event; throws ReplyTooLong past the cap. */
  event(): void;
  /** Counts model text (answer or thinking) before it is used; throws ReplyTooLong past the cap. */
  text(chunk: string): void;
}

/**
 * One reply's budget, derived from the maxTokens the request asked for (shared/limits): a
 * server that ignores max_tokens, or streams forever, is cut off instead of filling memory,
 * the session file and every later request.
 */
export function replyBudget(maxTokens: number): ReplyBudget {
  const maxChars = replyCharCap(maxTokens);
  const maxEvents = replyEventCap(maxTokens);
  let chars = 0;
  let events = 0;
  return {
    event() {
      if (++events > maxEvents) throw new ReplyTooLong(maxEvents, 'stream events', maxTokens);
    },
    text(chunk) {
      chars += chunk.length;
      if (chars > maxChars) throw new ReplyTooLong(maxChars, 'characters', maxTokens);
    },
  };
}
