import type { Session, SessionSummary } from '../../shared/session';

/**
 * Search text is folded so that "Résumé" finds "resume" and "CAFÉ" finds "café":
 * compatibility-normalized, accents stripped, lower-cased.
 */
export function fold(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/ß/g, 'ss');
}

// Word breaks: whitespace, ASCII punctuation, Latin-1 punctuation, general and CJK punctuation.
// Splitting on a character class is several times faster than matching Unicode word properties,
// which matters when an index of 10,000 sessions is rebuilt.
const SEPARATORS = /[\s!-/:-@[-`{-~\u00a1-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f\uff01-\uff0f]+/;

function rawWords(text: string, into: Set<string>): void {
  for (const word of text.split(SEPARATORS)) if (word) into.add(word);
}

function folded(raw: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const word of raw) out.add(fold(word));
  return out;
}

/** Distinct words of `text`, folded. */
export function tokens(text: string): Set<string> {
  const raw = new Set<string>();
  rawWords(text, raw);
  return folded(raw);
}

function collectStrings(value: unknown, out: string[], depth = 0): void {
  if (depth > 20 || value === null || value === undefined) return;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out, depth + 1);
  else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      collectStrings(item, out, depth + 1);
    }
  }
}

/** The confirmed spec values (not confidences or sources): what a person would search for. */
function specStrings(session: Session): string[] {
  const out: string[] = [];
  const { candidates: _candidates, parked: _parked, ...fields } = session.spec;
  for (const f of Object.values(fields)) collectFieldValues(f, out);
  return out;
}

/** The values of a spec field, a list of fields, or a record of fields (a tool, a transfer). */
function collectFieldValues(node: unknown, out: string[]): void {
  if (Array.isArray(node)) for (const item of node) collectFieldValues(item, out);
  else if (typeof node === 'object' && node !== null) {
    if ('value' in node && 'source' in node) collectStrings(node.value, out);
    else for (const item of Object.values(node)) collectFieldValues(item, out);
  }
}

/**
 * The words of a session's title, messages and spec values, each once, space-separated.
 * Stored in the search log so a search scans one string per session instead of parsing files.
 */
export function searchDigest(session: Session): string {
  // Folding is the costly step, so collect distinct raw words of the whole session first.
  const seen = new Set<string>();
  const add = (text: string) => rawWords(text, seen);
  add(session.title);
  for (const m of session.messages) add(m.text);
  for (const s of specStrings(session)) add(s);
  return [...folded(seen)].join(' ');
}

/** The folded words of a session's messages so far, so the next save folds only the new ones. */
export interface MessageWords {
  count: number;
  lastId: string | undefined;
  words: Set<string>;
}

/**
 * searchDigest for a session saved again and again during a conversation: messages are only
 * ever appended, so the words of those already seen (`previous`) are reused and only new
 * messages are split and folded. Title and spec are small and re-read every time. Returns the
 * digest (same words as searchDigest) and the state to pass next time.
 */
export function searchDigestSince(session: Session, previous: MessageWords | undefined): { digest: string; next: MessageWords } {
  const { messages } = session;
  const reusable =
    previous !== undefined &&
    previous.count <= messages.length &&
    (previous.count === 0 || messages[previous.count - 1]?.id === previous.lastId);
  const words = reusable ? previous.words : new Set<string>();
  const raw = new Set<string>();
  for (let i = reusable ? previous.count : 0; i < messages.length; i++) rawWords(messages[i]!.text, raw);
  for (const word of folded(raw)) words.add(word);
  const next: MessageWords = { count: messages.length, lastId: messages.at(-1)?.id, words };

  const rest = new Set<string>();
  rawWords(session.title, rest);
  for (const s of specStrings(session)) rawWords(s, rest);
  const all = new Set(words);
  for (const word of folded(rest)) all.add(word);
  return { digest: [...all].join(' '), next };
}

/** Every query word must occur (as a prefix or inside a word) in the digest. */
export function queryTerms(query: string): string[] {
  return [...tokens(query)];
}

export function matchesDigest(digest: string, terms: readonly string[]): boolean {
  for (const term of terms) if (!digest.includes(term)) return false;
  return true;
}

export function summarize(session: Session, size: number): SessionSummary {
  return {
    id: session.id,
    title: session.title,
    stage: session.stage,
    agentType: session.spec.agent_type?.value ?? null,
    updatedAt: session.updatedAt,
    size,
  };
}

/** How many sessions' folded message words are kept between saves. */
const MESSAGE_WORDS_KEPT = 100;

/**
 * The search digests of recently saved sessions, kept so that a turn's save folds only its new
 * messages instead of every message again. Bounded: the least recently saved go first.
 */
export class SearchDigests {
  private readonly messageWords = new Map<string, MessageWords>();

  digestFor(key: string, session: Session): string {
    const { digest, next } = searchDigestSince(session, this.messageWords.get(key));
    this.messageWords.delete(key); // re-inserted last: the Map's order makes the oldest the first to go
    this.messageWords.set(key, next);
    if (this.messageWords.size > MESSAGE_WORDS_KEPT) this.messageWords.delete(this.messageWords.keys().next().value!);
    return digest;
  }

  forget(key: string): void {
    this.messageWords.delete(key);
  }
}
