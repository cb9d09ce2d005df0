import { infinitive } from './english';
import type { Unit } from './findings';
import { fold } from './lexicon';
import { wordCount } from './prose';
import { IDENT_RE } from './tool-mentions';
import { AGENT_HEADS, BUSINESS_NOUNS, GENERIC_MODIFIERS, TONE_WORDS } from './vocabulary';

/** What the agent is and how it sounds, from prose: agent type, business, tone and goals. */

/** "a pharmacy phone assistant" → the noun phrase ending in an agent word, at most 8 words. */
export function readAgentType(units: Unit[], businessKind: string | null): { value: string; confidence: number } | null {
  for (const unit of units) {
    if (unit.consumed) continue;
    const text = unit.text.replace(/⟦[A-Z]\d+⟧/g, ' ');
    const romance = /\b(agente|asistente|assistente|recepcionista|centralinista|standardiste)\b((?:\s+(?!y\b|e\b|et\b|und\b)[\p{L}'-]+){0,6})/iu.exec(text);
    const german = /\b([\p{L}]*(?:assistent|agent|empfang)(?:in|en)?)\b((?:,?\s+(?:der|die|das)\s+[^,.;]+)?)/iu.exec(text);
    // Spanish, Portuguese, Italian and French put the modifiers after the head: "agente de reservas para la peluquería".
    if (romance?.[1] && !/\b(agent|assistant|receptionist)\b/i.test(text)) {
      const value = `${romance[1]}${romance[2] ?? ''}`.toLowerCase().split(/\s+/).slice(0, 8).join(' ').replace(/[,.;:]+$/, '');
      return { value, confidence: 0.75 };
    }
    if (german?.[1] && /[äöüß]|\b(und|der|die|das|wir|ich|ein|eine|einen)\b/i.test(text) && !/\b(agent|assistant)\b/i.test(text.toLowerCase().replace(german[1].toLowerCase(), ''))) {
      const head = german[1].replace(/en$/, '');
      const value = `${head}${german[2] ?? ''}`.split(/\s+/).slice(0, 8).join(' ').replace(/[,.;:]+$/, '');
      return { value, confidence: 0.75 };
    }
    const m = AGENT_HEADS.exec(text.toLowerCase());
    if (!m) continue;
    const headEnd = (m.index ?? 0) + m[0].length;
    const before = text.slice(0, m.index).trim().split(/\s+/);
    const modifiers: string[] = [];
    for (let i = before.length - 1; i >= 0 && modifiers.length < 5; i--) {
      const w = before[i] ?? '';
      const lw = w.toLowerCase().replace(/[^a-z0-9-]/g, '');
      if (!lw || /[,.;:!?]$/.test(w) || /^(a|an|the|our|my|your|their|this|that|some|to|for|with|want|wants|need|needs|build|create|make|like|is|be|have|get|as|of|in|on|at|and|but|or|i|we|it|looking|design|set|up|would|just|really|kind|sort|type|new|like|called|named|un|una|el|la|ein|eine|einen|le|um|uma|o|il|uno|des|der|die|das)$/.test(lw)) break;
      modifiers.unshift(lw);
    }
    const head = m[0];
    // "offer a human agent", "a live agent": the staff, not the agent being designed.
    if (modifiers.some((w) => /^(human|live|real|actual|other|another|staff|travel|estate|insurance)$/.test(w))) continue;
    const all = [...modifiers, head];
    const generic = modifiers.every((w) => GENERIC_MODIFIERS.has(w));
    const after = text.slice(headEnd);
    let value = all.join(' ');
    let confidence = generic ? 0.65 : 0.85;
    if (generic) {
      const clause = /^\s+(?:that|who|which|to|for)\s+([^,.;]+)/i.exec(after);
      if (businessKind && !all.includes(businessKind)) {
        value = `${businessKind} ${value}`;
        confidence = 0.75;
      } else if (clause?.[1] && wordCount(`${value} ${clause[0]}`) <= 8) {
        value = `${value} ${clause[0].trim()}`;
        confidence = 0.7;
      }
    }
    value = value.replace(/\bvoice (agent|assistant|bot)\b/, '$1').replace(/\s+/g, ' ').trim();
    if (wordCount(value) > 8) value = value.split(' ').slice(-8).join(' ');
    if (/^(agent|assistant|bot)$/.test(value)) {
      // "un assistant téléphonique pour notre boulangerie", "an assistant for our clinic": the words after say what it is.
      const following = /^\s+((?:(?!and\b|et\b|y\b|e\b|und\b|that\b|who\b|which\b)[\p{L}'-]+\s*){1,5})/iu.exec(after);
      if (!following?.[1]) continue;
      let phrase = `${value} ${following[1].trim()}`.replace(/\s+/g, ' ');
      for (let k = 0; k < 3; k++) phrase = phrase.replace(/\s+(?:à|a|en|in|at|de|di|da|du|des|of|for|pour|para|per|the|la|le|el|il|our|notre|nuestra|nuestro|nostra|nossa)$/i, '');
      return { value: phrase, confidence: 0.65 };
    }
    return { value, confidence };
  }
  return null;
}

/** Capitalised names after "at", "for", "called", or ending in a business noun: "Greenleaf Pharmacy". */
export function readBusiness(units: Unit[]): { name: string; kind: string | null; confidence: number } | null {
  let best: { name: string; kind: string | null; confidence: number } | null = null;
  for (const unit of units) {
    const text = unit.text.replace(/⟦[A-Z]\d+⟧/g, ' , ');
    const called = /\b(?:called|named|the name is|name is|llamad[oa]|se llama|namens|heisst|heißt|appel[ée]e?|s'appelle|chamad[oa]|se chama|chiamat[oa]|si chiama|somos|Somos|wir sind|Wir sind|nous sommes|Nous sommes|siamo|Siamo|[Ww]e are|[Ww]e're|[Tt]his is)\s+((?:[A-Z0-9][\w'&.-]*)(?:\s+(?:&|and|of|the|de|del|la|di|da|du|von|[A-Z0-9][\w'&.-]*)){0,5})/.exec(text);
    const candidates: Array<{ name: string; confidence: number }> = [];
    if (called?.[1]) candidates.push({ name: called[1], confidence: 0.9 });
    // "Summit Credit Union here."
    const here = /^((?:[A-Z][\w'&.-]*)(?:\s+(?:&|and|of|[A-Z][\w'&.-]*)){0,4})\s+here\b/.exec(text.trim());
    if (here?.[1]) candidates.push({ name: here[1], confidence: 0.85 });
    for (const m of text.matchAll(/\b(?:at|for|from|with|of|run|own|manage|bei|chez|en|em|da|para|pour|für|fur|per)\s+(?:the\s+)?((?:[A-Z][\w'&.-]*)(?:\s+(?:&|and|of|the|[A-Z0-9][\w'&.-]*)){0,4})/g)) {
      if (m[1]) candidates.push({ name: m[1], confidence: 0.7 });
    }
    for (const c of candidates) {
      const name = c.name.replace(/[.,'’]+$/, '').replace(/\s+(?:and|of|the|&)$/i, '').trim();
      const words = name.split(/\s+/);
      const last = fold(words.at(-1) ?? '');
      const kind = BUSINESS_NOUNS.has(last) ? last : null;
      if (/^(I|We|It|The|A|An|Our|My|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|GET|POST|PUT|PATCH|DELETE|API|URL|Bearer|OAuth2?)$/.test(words[0] ?? '')) continue;
      const confidence = kind ? Math.max(c.confidence, 0.85) : c.confidence;
      if (!kind && c.confidence < 0.9 && words.length < 2) continue;
      if (!best || confidence > best.confidence) best = { name, kind: kind && kind !== 'inc' && kind !== 'llc' && kind !== 'ltd' && kind !== 'co' ? kind : null, confidence };
    }
  }
  return best;
}

/** "we run a small bakery" → "bakery" (what kind of business, for the agent type). */
export function businessKindFromText(units: Unit[]): string | null {
  for (const unit of units) {
    const m = /\b(?:we(?:'re| are)|i(?:'m| am)|we run|i run|we own|i own|we have|our)\s+(?:a |an |the )?(?:small |local |busy |family[- ]run |independent |big )?([a-z]+)\b/i.exec(unit.text);
    const w = m?.[1]?.toLowerCase();
    if (w && BUSINESS_NOUNS.has(w)) return w;
  }
  return null;
}

/** The user's own span "cálido, cercano y breve" when the tone words stand together; null otherwise. */
function ownWords(text: string, found: string[]): string | null {
  const folded = text.normalize('NFC');
  const lower = fold(folded);
  const first = found[0]?.split(' ').at(-1);
  const last = found.at(-1)?.split(' ').at(-1);
  if (!first || !last) return null;
  const start = new RegExp(`(?<![a-z])${first}(?![a-z])`).exec(lower)?.index;
  let end = -1;
  for (const m of lower.matchAll(new RegExp(`(?<![a-z])${last}(?![a-z])`, 'g'))) end = (m.index ?? 0) + last.length;
  if (start === undefined || end <= start) return null;
  const between = lower.slice(start, end);
  const rest = between.replace(/[a-z-]+/g, (w) => (TONE_WORDS.has(w) || /^(and|or|but|yet|y|e|o|und|oder|aber|et|ou|mais|ma|pero|not|too|very|really|a bit|bit|never|always|quite|nicht|zu|sehr|pas|trop|muy|tres|molto|muito|but)$/.test(w) ? '' : w));
  if (/[a-z]/.test(rest)) return null;
  // Fold and original have the same length for ordinary text, so the span maps back.
  return folded.length === lower.length ? folded.slice(start, end).trim() : between.trim();
}

const TONE_CUE = /\b(tone|sound|sounds|voice|style|feel|come across|keep it|be|should be|personality|manner|vibe|tono|sonar|ton|klingen|stil|ton|sonner|tom|soar|tono|suonare|sea|sei|soit|seja|sia|debe ser|soll|doit|deve)\b/i;

export function readTone(units: Unit[], awaitedTone: boolean): { value: string; confidence: number } | null {
  for (const unit of units) {
    if (unit.consumed) continue;
    const text = unit.text.replace(/⟦[A-Z]\d+⟧/g, ' ');
    const folded = fold(text);
    const found: string[] = [];
    for (const m of folded.matchAll(/[a-z][a-z-]*/g)) {
      const w = m[0];
      if (TONE_WORDS.has(w) && !found.includes(w)) {
        // "not too formal": keep the negation with its word.
        const before = folded.slice(Math.max(0, (m.index ?? 0) - 12), m.index);
        found.push(/\b(not too|not|never|no|nicht|pas|nao|non)\s+$/.test(before) ? `${before.trim().split(' ').slice(-2).join(' ')} ${w}`.replace(/^.*?\b(not too|not|never|no|nicht|pas|nao|non)\b/, '$1') : w);
      }
    }
    if (found.length === 0) continue;
    // "patient" is a person in "patients' prescriptions": a tone sentence needs a cue, or two tone words.
    if (!awaitedTone && !TONE_CUE.test(folded) && found.length < 2) continue;
    if (!awaitedTone && found.length === 1 && /^(patient|clear|short|simple|direct|quick|fast|natural|human|kind|open|warm|cool|dry|soft|quiet|loud|bright|happy)$/.test(found[0] ?? '') && !/\b(tone|sound|voice|style|keep it|feel)\b/.test(folded)) continue;
    const list = ownWords(text, found) ?? (found.length === 1 ? found[0]! : `${found.slice(0, -1).join(', ')} and ${found.at(-1)}`);
    unit.consumed = unit.consumed || (wordCount(text) <= found.length * 3 + 6 && TONE_CUE.test(folded));
    return { value: list, confidence: TONE_CUE.test(folded) || awaitedTone ? 0.9 : 0.75 };
  }
  return null;
}

const GOAL_RE =
  /\b(?:(?:agente|asistente|assistente|assistent\w*|agent)\s+[^.;⟦]*?\b(?:que|qui|che|der|die)\s+|(?:it|the agent|the assistant|they|she|he)\s+(?:should|must|needs? to|has to|will|can|is supposed to|ought to)\s+(?:also\s+)?(?:be able to\s+)?|(?:we|i)\s+(?:want|need|would like)\s+(?:it|the agent|the assistant)\s+to\s+|(?:its|the) (?:main )?(?:job|goal|goals|task|purpose|role) (?:is|are|will be) to\s+|(?:goals?|objectives?) (?:are|is)\s*:?\s*|so (?:that )?(?:callers|customers|patients|guests|people|clients) can\s+|(?:that|which|who)\s+(?:can\s+|will\s+|should\s+)?(?=helps?|books?|takes?|answers?|handles?|schedules?|manages?|checks?|looks?|tracks?|confirms?|tells?|locks?|gives?|lets?|reports?|finds?|cancels?|orders?|sends?|reminds?|collects?|qualifies|routes?|greets?|explains?)|to (?=help|handle|answer|book|take|schedule|manage|track|confirm|qualify|collect|remind|survey|follow)|(?:debe|deberia|tiene que|soll|muss|sollte|doit|devrait|deve|deveria|dovrebbe)\s+)([^.;⟦]+)/gi;

export function readGoals(units: Unit[]): { items: string[]; confidence: number } | null {
  const items: string[] = [];
  for (const unit of units) {
    // Sentences that define a tool (URL, HTTP method, a tool's name) are not goals.
    if (unit.consumed || /⟦U|\b(?:GET|POST|PUT|PATCH|DELETE)\b/.test(unit.text) || IDENT_RE.test(unit.text)) continue;
    IDENT_RE.lastIndex = 0;
    for (const m of unit.text.matchAll(GOAL_RE)) {
      let phrase = (m[1] ?? '').trim();
      // "It has to stay calm, clear and reassuring": how it sounds, not what it does.
      if (/^(?:be|being|stay|remain|sound|feel|seem|speak|talk|ser|estar|sein|bleiben|klingen|etre|être|rester|essere|restare)\b/i.test(phrase)) continue;
      // Stop at a tone or transfer clause glued on with a comma.
      phrase = phrase.replace(/,?\s*(?:and )?(?:keep it|be |sound |always |never |transfer|if |when |so that the|because|since)\b.*$/i, '');
      for (const part of phrase.split(/[:;]\s*|,\s*(?:and\s+)?|\s+and\s+(?:also\s+)?(?=[a-z]+\s)/)) {
        const item = part
          .trim()
          .replace(/^(?:(?:it|the agent|they)\s+(?:should|must|needs? to|has to|will|can)\s+(?:also\s+)?(?:be able to\s+)?)/i, '')
          .replace(/^(?:to|also|and)\s+/i, '');
        if (wordCount(item) < 2 || wordCount(item) > 16) continue;
        // A clause cut at "and" ("… and it should"): not a goal.
        if (/\b(?:it|they|we)\s+(?:should|must|will|can|needs?)$/i.test(item) || /^(?:it|they|we|this|that)\b/i.test(item)) continue;
        const first = fold(item).split(' ')[0] ?? '';
        if (/^(be|being|sound|feel|speak|talk|use|call|have|sound|keep|say|greet|transfer|stay|remain|never|always|not|while|because|since|so|as|but|although|though|including|which|who|when|if|ser|estar|sein|klingen|etre|être|essere|sonar|hablar|sprechen|parler|falar|parlare)$/.test(first)) continue;
        // "helps patients …" → "Help patients …": goals read as things to do.
        const verb = item.split(' ')[0] ?? '';
        const base = /[^s]s$/i.test(verb) && infinitive(verb) !== verb.toLowerCase() ? infinitive(verb) : verb;
        const normal = `${base}${item.slice(verb.length)}`;
        const cap = normal.charAt(0).toUpperCase() + normal.slice(1);
        if (!items.some((x) => fold(x) === fold(cap))) items.push(cap.replace(/[,\s]+$/, ''));
      }
    }
  }
  return items.length ? { items, confidence: 0.8 } : null;
}
