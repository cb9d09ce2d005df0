import nlp from 'compromise';

/**
 * English word knowledge from compromise (a rule-based NLP library: tagger, inflection, sentence
 * splitting; no model files, no network). The extractor uses it to turn "look up prescriptions"
 * into lookup_prescription and to find sentences in a paragraph; everything else is patterns.
 * Only small pieces of text are tagged (a clause, not a paragraph) to keep a turn fast.
 */

interface Transform {
  noun: { toSingular(word: string, model: unknown): string };
  verb: { toInfinitive(word: string, model: unknown, tense?: string): string };
}
interface World {
  model: { one: { lexicon: Record<string, string | string[]> } };
  methods: { one: { tokenize: { splitSentences(text: string, world: unknown): string[] } }; two: { transform: Transform } };
}

const world = nlp.world() as World;

export interface Token {
  text: string;
  /** lower case, punctuation removed */
  normal: string;
  tags: Set<string>;
}

/** "prescriptions" → "prescription", "deliveries" → "delivery"; unknown words are kept. */
export function singular(word: string): string {
  const w = word.toLowerCase();
  if (!/s$/.test(w) || /(ss|us|is|status|news|series|hours)$/.test(w)) return w === 'hours' ? 'hour' : w;
  const out = world.methods.two.transform.noun.toSingular(w, world.model);
  return out && out.length >= 2 ? out : w;
}

/** "books" → "book", "checking" → "check"; unknown words are kept. */
export function infinitive(word: string): string {
  const w = word.toLowerCase();
  if (!/(s|ed|ing)$/.test(w)) return w;
  const out = world.methods.two.transform.verb.toInfinitive(w, world.model);
  return out && out.length >= 2 ? out : w;
}

/** The lexicon's part of speech for a single word, when it has one. */
export function lexiconTags(word: string): string[] {
  const entry = world.model.one.lexicon[word.toLowerCase()];
  return entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
}

/** Tags a short piece of text (a clause) with compromise's tagger. */
export function tag(text: string): Token[] {
  const json = nlp(text).json() as Array<{ terms: Array<{ text: string; normal: string; tags: string[] }> }>;
  const out: Token[] = [];
  for (const sentence of json) for (const t of sentence.terms) out.push({ text: t.text, normal: t.normal, tags: new Set(t.tags) });
  return out;
}

/** Sentences of a paragraph; abbreviations (e.g., Dr., a.m.) and URLs do not end a sentence. */
export function sentences(text: string): string[] {
  return world.methods.one.tokenize.splitSentences(text, world).map((s) => s.trim()).filter(Boolean);
}
