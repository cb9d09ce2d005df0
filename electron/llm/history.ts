import { MAX_HISTORY_BYTES } from '../../shared/limits';
import type { ChatMessage } from './types';

/** Bytes a text takes in a JSON request body. */
function wireBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** A message cut below this is not worth sending. */
const MIN_PART_BYTES = 1024;

/**
 * The messages to send, newest kept first, within `maxBytes` of JSON: the current (last) message
 * always goes; an older one that does not fit whole goes as its beginning with a note, and
 * anything older than that is left out. Oldest first, like the input.
 */
export function boundHistory(messages: readonly ChatMessage[], maxBytes = MAX_HISTORY_BYTES): ChatMessage[] {
  const kept: ChatMessage[] = [];
  let left = maxBytes;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    const size = wireBytes(m.text);
    if (size <= left || i === messages.length - 1) {
      kept.push(m);
      left -= size;
      continue;
    }
    if (left >= MIN_PART_BYTES) kept.push({ role: m.role, text: cut(m.text, left) });
    break;
  }
  return kept.reverse();
}

/** The start of `text` that fits in `bytes` of JSON, with a note saying how much was left out. */
function cut(text: string, bytes: number): string {
  const note = (n: number) => `\n[… ${n.toLocaleString('en-US')} more characters left out]`;
  // JSON can take up to 6 bytes a character: start from a safe length, then grow by halves.
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (wireBytes(text.slice(0, mid) + note(text.length - mid)) <= bytes) lo = mid;
    else hi = mid - 1;
  }
  // Never end on half a surrogate pair.
  const end = lo > 0 && /[\ud800-\udbff]/.test(text[lo - 1]!) ? lo - 1 : lo;
  return text.slice(0, end) + note(text.length - end);
}
