/**
 * Pulls the top-level "reply" string out of a JSON object while it is still arriving, so the
 * chat can show the reply before the structured part is complete. Text before the first "{"
 * (a markdown fence, a sentence of prose) is skipped. Escapes and surrogate pairs may be split
 * anywhere across chunks; a high surrogate is held back until its partner arrives so that no
 * delta ever ends in half a character.
 */
export interface ReplyExtractor {
  /** Feeds the next piece of raw model text; returns the reply text it completes (maybe ""). */
  push(chunk: string): string;
  /** The reply decoded so far. */
  readonly reply: string;
  /** True once the reply string's closing quote has been read. */
  readonly done: boolean;
  /** True once the reply string has started. */
  readonly started: boolean;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

type Mode =
  | 'before' // looking for the root "{"
  | 'key-or-end' // inside the root object, expecting a key (or "}")
  | 'key' // inside a key string
  | 'colon'
  | 'value' // expecting a value
  | 'reply' // inside the reply string: decode and emit
  | 'skip-string' // inside some other string value
  | 'skip-nested' // inside a nested object/array value
  | 'skip-scalar' // inside a number / true / false / null
  | 'after-value' // expecting "," or "}"
  | 'finished';

export function createReplyExtractor(key = 'reply'): ReplyExtractor {
  let mode: Mode = 'before';
  let keyBuf = '';
  let currentKey = '';
  let reply = '';
  let done = false;
  let started = false;
  // String-escape state, shared by every string we walk through.
  let escape = false;
  let unicode: string | null = null;
  // Nested-value state.
  let depth = 0;
  let nestedInString = false;
  // A high surrogate waiting for its low half before it is emitted.
  let pendingHigh = '';

  function decodeStringChar(ch: string, sink: (s: string) => void): boolean {
    // Returns true when the string ended at this character.
    if (unicode !== null) {
      unicode += ch;
      if (unicode.length === 4) {
        sink(String.fromCharCode(parseInt(unicode, 16)));
        unicode = null;
      }
      return false;
    }
    if (escape) {
      escape = false;
      if (ch === 'u') unicode = '';
      else sink(SIMPLE_ESCAPES[ch] ?? ch);
      return false;
    }
    if (ch === '\\') {
      escape = true;
      return false;
    }
    if (ch === '"') return true;
    sink(ch);
    return false;
  }

  function push(chunk: string): string {
    let out = '';
    const emit = (s: string): void => {
      for (const unit of s) {
        // for..of walks code points; a lone surrogate comes through as one unit.
        const code = unit.charCodeAt(0);
        if (unit.length === 1 && code >= 0xd800 && code <= 0xdbff) {
          out += pendingHigh;
          pendingHigh = unit;
          continue;
        }
        if (pendingHigh && unit.length === 1 && code >= 0xdc00 && code <= 0xdfff) {
          out += pendingHigh + unit;
          pendingHigh = '';
          continue;
        }
        out += pendingHigh + unit;
        pendingHigh = '';
      }
    };
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i] as string;
      switch (mode) {
        case 'before':
          if (ch === '{') mode = 'key-or-end';
          break;
        case 'key-or-end':
          if (ch === '"') {
            keyBuf = '';
            mode = 'key';
          } else if (ch === '}') mode = 'finished';
          break;
        case 'key':
          if (decodeStringChar(ch, (s) => (keyBuf += s))) {
            currentKey = keyBuf;
            mode = 'colon';
          }
          break;
        case 'colon':
          if (ch === ':') mode = 'value';
          break;
        case 'value':
          if (/\s/.test(ch)) break;
          if (ch === '"') {
            if (currentKey === key && !started) {
              started = true;
              mode = 'reply';
            } else mode = 'skip-string';
          } else if (ch === '{' || ch === '[') {
            depth = 1;
            nestedInString = false;
            mode = 'skip-nested';
          } else mode = 'skip-scalar';
          break;
        case 'reply':
          if (
            decodeStringChar(ch, (s) => {
              reply += s;
              emit(s);
            })
          ) {
            done = true;
            mode = 'after-value';
          }
          break;
        case 'skip-string':
          if (decodeStringChar(ch, () => {})) mode = 'after-value';
          break;
        case 'skip-nested':
          if (nestedInString) {
            if (decodeStringChar(ch, () => {})) nestedInString = false;
          } else if (ch === '"') nestedInString = true;
          else if (ch === '{' || ch === '[') depth += 1;
          else if (ch === '}' || ch === ']') {
            depth -= 1;
            if (depth === 0) mode = 'after-value';
          }
          break;
        case 'skip-scalar':
          if (ch === ',') mode = 'key-or-end';
          else if (ch === '}') mode = 'finished';
          break;
        case 'after-value':
          if (ch === ',') mode = 'key-or-end';
          else if (ch === '}') mode = 'finished';
          break;
        case 'finished':
          break;
      }
    }
    if (done && pendingHigh) {
      out += pendingHigh;
      pendingHigh = '';
    }
    return out;
  }

  return {
    push,
    get reply() {
      return reply;
    },
    get done() {
      return done;
    },
    get started() {
      return started;
    },
  };
}
