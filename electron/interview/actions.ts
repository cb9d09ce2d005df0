import { infinitive, lexiconTags, singular } from './english';
import { asSentence } from './prose';
import { PHRASAL, TOOL_VERBS } from './vocabulary';

/** Actions described in prose ("look up prescriptions by rx number") read as tool names and purposes. */

const STOP_OBJECT = new Set([
  'by', 'for', 'with', 'from', 'to', 'in', 'on', 'at', 'through', 'via', 'using', 'into', 'about', 'and', 'or', 'but', 'so', 'then',
  'it', 'them', 'that', 'which', 'who', 'when', 'if', 'while', 'as', 'is', 'are', 'be', 'a', 'an', 'the', 'if', 'over', 'before', 'after',
  'should', 'must', 'can', 'will', 'would', 'also', 'too', 'please', 'etc', 'we', 'they', 'you', 'he', 'she', 'i', 'plus', 'where', 'how', 'why', 'what',
]);
const DETERMINER = /^(?:a|an|the|their|his|her|our|your|its|my|any|new|existing|current|someone'?s|somebody'?s|the caller'?s|caller'?s|customer'?s|customers'|patient'?s|patients'|guest'?s|guests'|user'?s|people'?s|this|that|these|those|some|one|each|every|all|upcoming|open|pending)$/;

function thirdPerson(verb: string): string {
  if (/(s|sh|ch|x|z|o)$/.test(verb)) return `${verb}es`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

/** "look up prescriptions by rx number" → {verb: "lookup", object: ["prescription"], purpose: "Looks up prescriptions by rx number."} */
export function readAction(phrase: string): { name: string; purpose: string } | null {
  const text = phrase.trim().replace(/^(?:to|and|also|then|be able to)\s+/i, '');
  const wordsRaw = text.split(/\s+/);
  if (wordsRaw.length < 2) return null;
  const first = (wordsRaw[0] ?? '').toLowerCase().replace(/[^a-z-]/g, '');
  const second = (wordsRaw[1] ?? '').toLowerCase().replace(/[^a-z]/g, '');
  let verb: string;
  let verbWords: number;
  let spoken: string;
  const phrasal = PHRASAL[`${first} ${second}`];
  if (phrasal) {
    verb = phrasal;
    verbWords = 2;
    const base = infinitive(first);
    spoken = `${thirdPerson(base)} ${second}`;
  } else {
    verb = infinitive(first);
    verbWords = 1;
    spoken = thirdPerson(verb);
  }
  if (!TOOL_VERBS.has(verb)) return null;
  const object: string[] = [];
  const rest = wordsRaw.slice(verbWords);
  let i = 0;
  while (i < rest.length && DETERMINER.test((rest[i] ?? '').toLowerCase().replace(/[^a-z'’]/g, '').replace('’', "'"))) i++;
  for (; i < rest.length && object.length < 3; i++) {
    const raw = rest[i] ?? '';
    const w = raw.toLowerCase().replace(/[^a-z0-9-]/g, '');
    if (!w || STOP_OBJECT.has(w) || raw.includes('⟦')) break;
    if (/(?:ly)$/.test(w) && w.length > 4) break;
    if (object.length && lexiconTags(w).some((t) => /Verb|Infinitive|PresentTense|PastTense|Preposition|Conjunction|Pronoun/.test(t))) break;
    object.push(w);
    if (/[,;:.]$/.test(raw)) break;
  }
  // "the status of an order" → order_status
  const ofAt = rest.findIndex((w, k) => k >= i && w.toLowerCase() === 'of');
  if (ofAt === i && object.length) {
    let j = ofAt + 1;
    while (j < rest.length && DETERMINER.test((rest[j] ?? '').toLowerCase())) j++;
    const owner = (rest[j] ?? '').toLowerCase().replace(/[^a-z0-9-]/g, '');
    if (owner && !STOP_OBJECT.has(owner)) object.unshift(singular(owner));
  }
  if (object.length === 0) return null;
  const last = object.length - 1;
  object[last] = singular(object[last] ?? '');
  const name = [verb, ...object].join('_').replace(/-/g, '_').replace(/[^a-z0-9_]/g, '').replace(/_+/g, '_');
  if (!/^[a-z][a-z0-9_]*_[a-z0-9]/.test(name) || name.length > 48) return null;
  const tail = wordsRaw
    .slice(verbWords)
    .join(' ')
    .replace(/⟦[A-Z]\d+⟧/g, '')
    // A purpose is one clause: "…, while being warm because …" is about something else.
    .replace(/,?\s+(?:while|because|since|so that|so|as|but|although|though|whereas|when|if|which|who)\b.*$/i, '')
    .replace(/[,;:]+$/, '')
    .trim()
    .split(/\s+/)
    .slice(0, 14)
    .join(' ');
  return { name, purpose: asSentence(`${spoken} ${tail}`) };
}

/** Actions in a list: "look up prescriptions and request refills" → two. */
export function actionsIn(phrase: string): Array<{ name: string; purpose: string; offset: number }> {
  const out: Array<{ name: string; purpose: string; offset: number }> = [];
  const chunks = phrase.split(/(,\s*(?:and\s+|or\s+)?|\s+and\s+(?:also\s+)?|\s+or\s+|;\s*)/);
  let offset = 0;
  let current = '';
  let currentOffset = 0;
  const flush = () => {
    const action = current.trim() ? readAction(current) : null;
    if (action) out.push({ ...action, offset: currentOffset });
  };
  let pendingSep = '';
  let stopped = false;
  for (const chunk of chunks) {
    const isSep = /^(,\s*(?:and\s+|or\s+)?|\s+and\s+(?:also\s+)?|\s+or\s+|;\s*)$/.test(chunk);
    if (isSep) {
      pendingSep = chunk;
    } else if (readAction(chunk)) {
      flush();
      current = chunk;
      currentOffset = offset;
      pendingSep = '';
      stopped = false;
    } else if (current && !stopped) {
      // "… by rx number and date of birth" continues the action; "…, and tell callers the hours" is another thing to do.
      const first = (chunk.trim().split(/\s+/)[0] ?? '').toLowerCase();
      if (lexiconTags(first).some((t) => /Verb|Infinitive|Imperative/.test(t)) || /^(tell|answer|help|give|explain|greet|transfer|say|ask|let|keep|make|be)$/.test(first)) stopped = true;
      else {
        current += pendingSep + chunk;
        pendingSep = '';
      }
    }
    offset += chunk.length;
  }
  flush();
  return out;
}
