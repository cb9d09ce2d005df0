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

/** A JSON string's characters, one at a time; escapes may be split anywhere across chunks. */
class StringDecoder {
  private escape = false;
  private unicode: string | null = null;

  /** Decodes one character into sink; true when the string ended at this character. */
  char(ch: string, sink: (s: string) => void): boolean {
    if (this.unicode !== null) {
      this.unicode += ch;
      if (this.unicode.length === 4) {
        sink(String.fromCharCode(parseInt(this.unicode, 16)));
        this.unicode = null;
      }
      return false;
    }
    if (this.escape) {
      this.escape = false;
      if (ch === 'u') this.unicode = '';
      else sink(SIMPLE_ESCAPES[ch] ?? ch);
      return false;
    }
    if (ch === '\\') {
      this.escape = true;
      return false;
    }
    if (ch === '"') return true;
    sink(ch);
    return false;
  }
}

/** Holds a high surrogate back until its low half arrives, so no delta ends in half a character. */
class SurrogateJoiner {
  private pendingHigh = '';

  /** The text of s that can be emitted now. */
  join(s: string): string {
    let out = '';
    for (const unit of s) {
      // for..of walks code points; a lone surrogate comes through as one unit.
      const code = unit.charCodeAt(0);
      if (unit.length === 1 && code >= 0xd800 && code <= 0xdbff) {
        out += this.pendingHigh;
        this.pendingHigh = unit;
        continue;
      }
      if (this.pendingHigh && unit.length === 1 && code >= 0xdc00 && code <= 0xdfff) {
        out += this.pendingHigh + unit;
        this.pendingHigh = '';
        continue;
      }
      out += this.pendingHigh + unit;
      this.pendingHigh = '';
    }
    return out;
  }

  /** Whatever is held back (the reply ended with a lone high surrogate). */
  flush(): string {
    const out = this.pendingHigh;
    this.pendingHigh = '';
    return out;
  }
}

/** The walk through the root object: finds the reply key and decodes its string value. */
class ReplyScanner {
  reply = '';
  done = false;
  started = false;
  private mode: Mode = 'before';
  private keyBuf = '';
  private currentKey = '';
  // Nested-value state.
  private depth = 0;
  private nestedInString = false;
  // String-escape state, shared by every string we walk through.
  private readonly strings = new StringDecoder();

  constructor(private readonly key: string) {}

  step(ch: string, emit: (s: string) => void): void {
    switch (this.mode) {
      case 'before':
        if (ch === '{') this.mode = 'key-or-end';
        break;
      case 'key-or-end':
        if (ch === '"') {
          this.keyBuf = '';
          this.mode = 'key';
        } else if (ch === '}') this.mode = 'finished';
        break;
      case 'key':
        if (this.strings.char(ch, (s) => (this.keyBuf += s))) {
          this.currentKey = this.keyBuf;
          this.mode = 'colon';
        }
        break;
      case 'colon':
        if (ch === ':') this.mode = 'value';
        break;
      case 'value':
        this.value(ch);
        break;
      case 'reply':
        if (
          this.strings.char(ch, (s) => {
            this.reply += s;
            emit(s);
          })
        ) {
          this.done = true;
          this.mode = 'after-value';
        }
        break;
      case 'skip-string':
        if (this.strings.char(ch, () => {})) this.mode = 'after-value';
        break;
      case 'skip-nested':
        this.nested(ch);
        break;
      case 'skip-scalar':
      case 'after-value':
        if (ch === ',') this.mode = 'key-or-end';
        else if (ch === '}') this.mode = 'finished';
        break;
      case 'finished':
        break;
    }
  }

  /** The first character of a value: the reply string, another string, a nested value or a scalar. */
  private value(ch: string): void {
    if (/\s/.test(ch)) return;
    if (ch === '"') {
      if (this.currentKey === this.key && !this.started) {
        this.started = true;
        this.mode = 'reply';
      } else this.mode = 'skip-string';
    } else if (ch === '{' || ch === '[') {
      this.depth = 1;
      this.nestedInString = false;
      this.mode = 'skip-nested';
    } else this.mode = 'skip-scalar';
  }

  /** Inside a nested object or array: count brackets outside strings until it closes. */
  private nested(ch: string): void {
    if (this.nestedInString) {
      if (this.strings.char(ch, () => {})) this.nestedInString = false;
    } else if (ch === '"') this.nestedInString = true;
    else if (ch === '{' || ch === '[') this.depth += 1;
    else if (ch === '}' || ch === ']') {
      this.depth -= 1;
      if (this.depth === 0) this.mode = 'after-value';
    }
  }
}

export function createReplyExtractor(key = 'reply'): ReplyExtractor {
  const scanner = new ReplyScanner(key);
  const joiner = new SurrogateJoiner();
  return {
    push(chunk: string): string {
      let out = '';
      const emit = (s: string): void => {
        out += joiner.join(s);
      };
      for (let i = 0; i < chunk.length; i++) scanner.step(chunk[i] as string, emit);
      if (scanner.done) out += joiner.flush();
      return out;
    },
    get reply() {
      return scanner.reply;
    },
    get done() {
      return scanner.done;
    },
    get started() {
      return scanner.started;
    },
  };
}
