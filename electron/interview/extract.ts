import type { AgentSpec, JsonSchemaDoc, ToolField } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import { parsePath, toolPath, type TopField } from './fields';
import { parseAuth, parseSchemaText, parseMethod, findRelativePath, parseAgentType, parseToolName, usableText } from './answers';
import { infinitive, lexiconTags, singular } from './english';
import { fold } from './lexicon';
import { paramsFromProse, schemaOf, type Param } from './params';
import { asSentence, e164, phonesIn, protect, quotesIn, restore, splitRepairs, splitSentences, urlsIn, wordCount, type Protected } from './prose';
import { resolveToolRef } from './refs';
import { AGENT_HEADS, BUSINESS_NOUNS, GENERIC_MODIFIERS, LANGUAGE_REGIONS, LANGUAGE_WORDS, PHRASAL, TONE_WORDS, TOOL_VERBS } from './vocabulary';

/**
 * Reads a message written in free prose into spec values: one paragraph can fill the agent type,
 * business name, goals, tone, language, several tools with their URLs, methods, auth, inputs and
 * outputs, transfers and the first message. Each value carries the reader's certainty (0–1): an
 * outright statement ("it's a POST") is near 1, a guess (a parameter type from its name, a tool
 * name made from "look up prescriptions") is lower, so the threshold decides what is stored and
 * what is asked back.
 */

export interface Finding {
  path: string;
  value: unknown;
  confidence: number;
}

export interface ExtractContext {
  stage: Stage;
  spec: AgentSpec;
  awaiting: string | null;
  /** Corrections may overwrite stored values; answers fill what is missing plus the awaited field. */
  overwrite: boolean;
}

export interface Extraction {
  findings: Finding[];
  /** The awaited field's answer could not be read: the precise question to ask again. */
  problem: { path: string; message: string } | null;
}

interface Unit {
  /** protected text of a sentence (or of one side of a self-repair) */
  text: string;
  consumed: boolean;
}

interface Mention {
  unit: number;
  at: number;
  /** index in spec.tools (existing) or ≥ spec.tools.length (new) */
  tool: number;
  name: string | null;
  nameConfidence: number;
  purpose: string | null;
  explicit: boolean;
}

const SYSTEM_CUE =
  /\b(tools?|apis?|endpoints?|systems?|database|backend|crm|calendar|webhooks?|integrat\w*|connect(?:ed|s)? to|through our|via our|using our|in our|from our|software|platform|server|herramientas?|werkzeuge?|schnittstelle|outils?|ferramentas?|strumenti|sistema|system)\b|⟦U/i;

const STOP_OBJECT = new Set([
  'by', 'for', 'with', 'from', 'to', 'in', 'on', 'at', 'through', 'via', 'using', 'into', 'about', 'and', 'or', 'but', 'so', 'then',
  'it', 'them', 'that', 'which', 'who', 'when', 'if', 'while', 'as', 'is', 'are', 'be', 'a', 'an', 'the', 'if', 'over', 'before', 'after',
  'should', 'must', 'can', 'will', 'would', 'also', 'too', 'please', 'etc', 'we', 'they', 'you', 'he', 'she', 'i', 'plus', 'where', 'how', 'why', 'what',
]);
const DETERMINER = /^(?:a|an|the|their|his|her|our|your|its|my|any|new|existing|current|someone'?s|somebody'?s|the caller'?s|caller'?s|customer'?s|customers'|patient'?s|patients'|guest'?s|guests'|user'?s|people'?s|this|that|these|those|some|one|each|every|all|upcoming|open|pending)$/;

function clampConfidence(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;
}

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
function actionsIn(phrase: string): Array<{ name: string; purpose: string; offset: number }> {
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

const IDENT_RE = /(?<![\w⟦{/.-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]+)+)(?![\w}⟧])/g;

function toSnake(ident: string): string {
  return ident.includes('_') ? ident : ident.replace(/([A-Z])/g, '_$1').toLowerCase();
}

/** Whether an identifier reads as a tool name (starts with an action) rather than a parameter. */
function toolLikeName(name: string): boolean {
  const first = name.split('_')[0] ?? '';
  return TOOL_VERBS.has(first) || TOOL_VERBS.has(infinitive(first));
}

function existingToolIndex(spec: AgentSpec, name: string): number {
  return spec.tools.findIndex((t) => t.name?.value === name);
}

function pendingToolField(ctx: ExtractContext): boolean {
  const pending = ctx.awaiting ? parsePath(ctx.awaiting) : null;
  return pending?.kind === 'tool' && pending.index < ctx.spec.tools.length;
}

/** Tool mentions across the units: explicit names, references to existing tools, described actions. */
function findMentions(units: Unit[], ctx: ExtractContext, toolContext: boolean): Mention[] {
  const { spec } = ctx;
  const mentions: Mention[] = [];
  let next = spec.tools.length;
  const byName = new Map<string, number>();
  const place = (name: string): number => {
    const existing = existingToolIndex(spec, name);
    if (existing >= 0) return existing;
    const seen = byName.get(name);
    if (seen !== undefined) return seen;
    byName.set(name, next);
    return next++;
  };
  units.forEach((unit, u) => {
    if (unit.consumed) return;
    const text = unit.text;
    // Explicit names: get_order_status, lookupPrescription.
    for (const m of text.matchAll(IDENT_RE)) {
      const ident = m[1] ?? '';
      const name = toSnake(ident);
      const at = m.index ?? 0;
      const after = text.slice(at + ident.length, at + ident.length + 12);
      const before = text.slice(Math.max(0, at - 40), at).toLowerCase();
      const cued = /\b(tool|function|action|called|named|endpoint|webhook|call it|name it|herramientas?|funci[oó]n|funciones|llamada|werkzeuge?|funktion(?:en)?|outils?|fonctions?|ferramentas?|fun[cç][aã]o|fun[cç][oõ]es|strumenti|strumento|funzion[ei])\W*$/.test(before) || /^\s*(?:tool|function)\b/i.test(after);
      const typedAfter = /^\s*(?:\(|:)\s*(?:string|str|text|int|integer|number|float|bool|boolean|date|datetime|array|object|optional|required)\b/i.test(after);
      const inParamList = /\b(takes|requires|accepts|expects|parameters?|params|inputs?|returns|fields?|with|by)\b[^.;:]*$/.test(before) && !/\btools?\b[^.;]*$/.test(before);
      const paramDef = typedAfter || inParamList;
      if (existingToolIndex(spec, name) < 0 && (paramDef || (!cued && !toolLikeName(name)))) continue;
      const index = place(name);
      // What it does, when said right after the name: "lookup_prescription, which finds a prescription by rx number".
      const described = /^\s*(?:(?:,|-|–|—|:|\()?\s*(?:which|that|to|for|lets (?:it|us|the agent)|so (?:it|the agent) can|that will|is used to|used to)\s+|\s(?=(?!(?:is|takes|needs|uses|returns|requires|goes|has|does)\b)[a-z]+s\s))([^;⟦]+?)(?=(?:,\s*(?:a|an|it'?s|is|with|and|via|using)\b)|[;(⟦.]|\s+(?:at|via|on|with|using|and takes|and returns|it takes|it returns)\b|$)/i.exec(text.slice(at + ident.length));
      let purpose: string | null = null;
      if (described?.[1]) {
        const phrase = described[1].trim();
        const action = readAction(phrase.replace(/^(?:helps? (?:to )?|is used to |used to )/i, ''));
        purpose = action ? action.purpose : wordCount(phrase) >= 2 ? asSentence(phrase) : null;
      }
      mentions.push({ unit: u, at, tool: index, name, nameConfidence: 0.95, purpose, explicit: true });
    }
    // References to existing tools: "the refill tool", "the second one", "the lookup".
    for (const m of text.matchAll(/\b(?:the|for the|on the|and the)\s+((?:first|second|third|fourth|last|other|[a-z]+)\s+(?:tool|one|endpoint|api|call|webhook))\b/gi)) {
      const index = resolveToolRef(m[1] ?? '', spec);
      if (index === null) continue;
      const at = (m.index ?? 0) + (m[0].length - (m[1] ?? '').length);
      if (mentions.some((x) => x.unit === u && Math.abs(x.at - at) < 4)) continue;
      // "The refill one sends a refill request for …": what it does, right after it is named.
      const after = text.slice(at + (m[1] ?? '').length).replace(/^\s*(?:is (?:used )?to|will|should|,|-|:)?\s*/i, '');
      const verb = /^([a-z]+)\s/i.exec(after)?.[1] ?? '';
      const clause = /^[^.;⟦]+/.exec(after)?.[0] ?? '';
      const purpose = verb && /s$/i.test(verb) && infinitive(verb) !== verb.toLowerCase() && !/^(returns|takes|needs|uses|requires|gives|has|is|does|goes)$/i.test(verb) ? asSentence(clause.replace(/,?\s+(?:and |which |that )?(?:takes|returns|needs|uses|is a|it'?s a)\b.*$/i, '')) : null;
      mentions.push({ unit: u, at, tool: index, name: null, nameConfidence: 0, purpose: purpose && wordCount(purpose) >= 3 ? purpose : null, explicit: false });
    }
  });
  const hasExplicit = mentions.some((m) => m.explicit);
  // Described actions make tools where tools are being talked about: "one to look up prescriptions".
  units.forEach((unit, u) => {
    if (unit.consumed) return;
    const text = unit.text;
    const context = toolContext || hasExplicit || SYSTEM_CUE.test(text);
    const patterns: RegExp[] = [
      /\b(?:one|a tool|a second tool|a third tool|another(?: one| tool)?|the other(?: one)?|an action|a function|an endpoint|an api call|a call|a webhook|second|third)\s+(?:to|that|which|for|so (?:it|the agent|they) can|that lets (?:it|the agent|them))\s+([^.;⟦]+)/gi,
    ];
    // While a started tool's details are asked, a described action is that tool's, not a new one.
    const onExistingTool = pendingToolField(ctx);
    if (context && !onExistingTool) {
      patterns.push(
        /\b(?:it|the agent|the assistant|the bot|they|she|he|we want it to|we need it to|i want it to|i need it to)\s+(?:should|must|needs? to|has to|will|can|could|would need to|is supposed to|ought to)?\s*(?:also\s+)?(?:be able to\s+)?([a-z]+(?:\s+(?:up|on|out|in))?\s+[^.;⟦]+)/gi,
        /\b(?:lets?|allows?|enables?)\s+(?:it|the agent|them|callers|customers|people)\s+(?:to\s+)?([^.;⟦]+)/gi,
        /^(?:yes|yeah|yep|sure|ok|okay)?[\s,!-]*(?:to\s+)?([a-z]+(?:\s+(?:up|on|out))?\s+[^.;⟦]+)/gi,
      );
    }
    for (const re of patterns) {
      for (const m of text.matchAll(re)) {
        const phrase = m[1] ?? '';
        const start = (m.index ?? 0) + m[0].length - phrase.length;
        for (const action of actionsIn(phrase)) {
          const at = start + action.offset;
          const existing = existingToolIndex(spec, action.name);
          const sameUnit = mentions.find((x) => x.unit === u && x.explicit && at >= x.at - 2 && at <= x.at + 80);
          if (sameUnit) {
            sameUnit.purpose ??= action.purpose;
            continue;
          }
          if (mentions.some((x) => x.name === action.name)) {
            const first = mentions.find((x) => x.name === action.name);
            if (first) first.purpose ??= action.purpose;
            continue;
          }
          // With explicit names in the message, a described action is their description, not another tool.
          if (hasExplicit && existing < 0) continue;
          const index = existing >= 0 ? existing : place(action.name);
          mentions.push({ unit: u, at, tool: index, name: existing >= 0 ? null : action.name, nameConfidence: 0.7, purpose: action.purpose, explicit: false });
        }
      }
    }
  });
  // "Room service orders are a POST to …", "Late checkouts go through …": a tool named by the words of its name.
  const known = (): Array<{ index: number; words: string[] }> => {
    const names = new Map<number, string>();
    spec.tools.forEach((t, i) => t.name && names.set(i, t.name.value));
    for (const m of mentions) if (m.name && !names.has(m.tool)) names.set(m.tool, m.name);
    return [...names.entries()].map(([index, name]) => ({ index, words: name.split('_').filter((w) => w.length >= 3).map((w) => singular(w)) }));
  };
  units.forEach((unit, u) => {
    if (unit.consumed) return;
    const opener = /(?:^|[;:]\s+|,\s+(?:and\s+)?|\s+and\s+)(?:the\s+|for\s+(?:the\s+)?)?((?:[a-z-]+\s+){0,3}[a-z-]+)\s+(?:is|are|go|goes|use|uses|need|needs|take|takes|return|returns|should|happen|happens|work|works|run|runs|hit|hits|live|lives|call|calls)\b/gi;
    for (const m of unit.text.matchAll(opener)) {
      const phrase = (m[1] ?? '').toLowerCase();
      const at = (m.index ?? 0) + m[0].indexOf(m[1] ?? '');
      const words = phrase.split(/\s+/).map((w) => singular(w));
      let best: { index: number; score: number } | null = null;
      let tie = false;
      for (const k of known()) {
        // "booking" names book_service_visit; "records" names lookup_vaccination_record.
        const score = k.words.filter((w) => words.some((x) => x === w || (Math.min(x.length, w.length) >= 4 && (x.startsWith(w) || w.startsWith(x))))).length;
        if (score === 0) continue;
        if (!best || score > best.score) {
          best = { index: k.index, score };
          tie = false;
        } else if (score === best.score) tie = true;
      }
      if (!best || tie || best.score < Math.min(2, words.length)) continue;
      if (mentions.some((x) => x.unit === u && Math.abs(x.at - at) < 6)) continue;
      mentions.push({ unit: u, at, tool: best.index, name: null, nameConfidence: 0, purpose: null, explicit: false });
    }
  });
  mentions.sort((a, b) => a.unit - b.unit || a.at - b.at);
  return mentions;
}

const LIST_END =
  /\s*(?:[;⟦]|\b(?:y|und|et|e) (?:devuelve|responde|liefert|gibt|renvoie|retourne|devolve|retorna|restituisce)\b|\b(?:si|cuando|wenn|falls|quand|quando)\b|\bwhich returns\b|\band returns?\b|\bit returns?\b|\breturns?\b|\bgives back\b|\bresponds?\b|\bcomes back\b|\bsends back\b|\bthen\b|\bso (?:that|we|it)\b|\bto (?:check|see|find|get|confirm|look)\b|\bif\b(?!\s+(?:they|the (?:guest|caller|customer|patient|user))(?:\s+\w+)?\s+(?:mentions?|has|have|gives?|knows?|wants?)\b)(?!\s+(?:known|any|available|given|provided)\b)|\bwhen\b|,\s*(?:the\s+)?same (?:key|token|auth\w*)\b|\bvia\b|\busing (?:a|an|the)\b|\bwith (?:a|an) (?:bearer|api|token|key)\b|\bauth\w*\b|\band (?:it )?(?:uses|needs a|requires a|is a|it'?s a)\b|(?:,\s*)?\band (?:both|all|it)\b|\.\s|\.$|—|–| - )/i;

/** The lists that follow each occurrence of a cue ("takes the rx number and the store id"). */
function listsAfter(text: string, cue: RegExp): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(new RegExp(cue.source, 'gi'))) {
    let rest = text.slice((m.index ?? 0) + m[0].length).replace(/^\s*(?::|-)?\s*/, '');
    const end = LIST_END.exec(rest);
    if (end) rest = rest.slice(0, end.index);
    rest = rest.replace(/[,\s]+$/, '').trim();
    if (rest) out.push(rest);
  }
  return out;
}

const INPUT_CUE = /\b(?:takes|(?:it |they |both |both of them |which |that )(?:take|need|require|accept)|needs|requires|accepts|expects|(?:input )?parameters?(?: are)?|params(?: are)?|inputs?(?: are)?|arguments?(?: are)?|passes(?: in)?|keyed by|identified by|recibe|reciben|necesita|requiere|pide|braucht|ben[oö]tigt|nimmt|erwartet|prend|n[eé]cessite|demande|recebe|precisa|pede|riceve|richiede)\b(?:\s+(?:in|as input|as inputs|the following))?\s*:?/i;
const WEAK_INPUT_CUE = /\b(?:with|by|using|given|based on|con|mit|avec|com|usando)\s+(?=the\b|their\b|a\b|an\b|el\b|la\b|los\b|las\b|su\b|der\b|die\b|dem\b|den\b|le\b|les\b|o\b|os\b|il\b|[a-z]+_[a-z])/i;
const OUTPUT_CUE = /\b(?:returns?|gives back|responds with|comes back with|sends back|answers with|we get back|you get back|response (?:has|includes|contains|is)|tells (?:us|you|it|the agent)|devuelve|responde con|liefert|gibt (?:zur[uü]ck)|renvoie|retourne|retorna|devolve|restituisce|ritorna)\b\s*:?/i;
const TYPED_LIST = /\b[A-Za-z_][A-Za-z0-9_]*\??\s*(?::|\()\s*(?:string|str|text|integer|int|long|number|float|double|decimal|boolean|bool|array|list|object|date|datetime)\b/i;

/** Parameters in a tool segment: a typed list, a prose list after a cue, or nothing. */
function readParams(segment: string, p: Protected, cue: RegExp, weak: RegExp | null): { schema: JsonSchemaDoc; confidence: number; params: Param[] } | null {
  const typedAt = TYPED_LIST.exec(segment);
  if (typedAt && cue.test(segment.slice(0, typedAt.index + 1) + ' ') ) {
    const start = segment.slice(0, typedAt.index).search(new RegExp(`${cue.source}\\s*$`, 'i'));
    const from = start >= 0 ? start : typedAt.index;
    let body = segment.slice(from).replace(cue, '').trim();
    const stop = /\s*(?:[;⟦]|\.\s|\.$|\b(?:and )?(?:it )?returns?\b|\bwhich returns\b)/i.exec(body);
    if (stop) body = body.slice(0, stop.index);
    body = body.replace(/[,\s]+(?:and)?\s*$/i, '');
    const parsed = parseSchemaText(body);
    if (parsed.ok) return { schema: parsed.schema, confidence: 0.95, params: [] };
  }
  // The first cue followed by a real list wins ("sends a refill request" is not one; "takes the rx number" is).
  const tries: Array<[string, number]> = [...listsAfter(segment, cue).map((l): [string, number] => [l, 1]), ...(weak ? listsAfter(segment, weak).map((l): [string, number] => [l, 0.9]) : [])];
  for (const [list, factor] of tries) {
    if (/^(?:nothing|no (?:parameters|params|inputs?)|none)\b/i.test(list)) return { schema: { type: 'object', properties: {} }, confidence: 0.9, params: [] };
    const prose = paramsFromProse(restore(p, list).replace(/"/g, ''));
    if (prose) return { schema: schemaOf(prose.params), confidence: clampConfidence(prose.certainty * factor), params: prose.params };
  }
  return null;
}

const METHOD_UPPER = /\b(GET|POST|PUT|PATCH|DELETE)\b/;
const METHOD_PROSE = /\b(?:an?|as an?|via|using|with|method is|method:|it'?s an?|it is an?|does an?|do an?|send an?|make an?|it uses)\s+(get|post|put|patch|delete)\b|\b(get|post|put|patch|delete)\s+(?:request|call|method|endpoint|to\s+⟦U)/i;

function readMethod(segment: string): { method: string; confidence: number } | null {
  // The last one named wins: "PATCH - no wait, it's definitely POST".
  const upper = [...segment.matchAll(new RegExp(METHOD_UPPER.source, 'g'))].at(-1);
  if (upper?.[1]) return { method: upper[1], confidence: 0.95 };
  const prose = METHOD_PROSE.exec(segment);
  const word = prose?.[1] ?? prose?.[2];
  return word ? { method: word.toUpperCase(), confidence: 0.85 } : null;
}

const AUTH_CUE = /\b(auth\w*|bearer|tokens?|api[ -]?keys?|keys?|basic|oauth\s*2?|credentials?|headers?|unauthenticated|no auth|public|open api|jwt|x-[a-z0-9-]+)\b/i;

const TRIGGER_OTHER =
  /\b(?:(?:[uú]sal[ao]|ll[aá]mal[ao]|se usa|nutze (?:sie|es)|verwende (?:sie|es)|utilise[zr]?-la|utilise[zr]?-le|us[ae]-[ao]|usal[ao]|chiamal[ao])\s+((?:cuando|wenn|quand|quando|si|se)\b[^.;⟦]*)|((?:cuando|wenn|quand|quando)\s+(?:el cliente|la clienta|alguien|der kunde|die kundin|jemand|le client|quelqu'un|o cliente|algu[eé]m|il cliente|qualcuno)\b[^.;⟦]*))/i;

const TRIGGER_RE =
  /\b(?:(?:call|use|trigger|run|invoke|fire)\s+(?:it|this|that|this one|the tool)\s+(?:only\s+)?((?:when|whenever|if|once|as soon as|after|any ?time)\b[^.;⟦]*)|((?:when|whenever|any ?time)\s+(?:the |a |an )?(?:caller|customer|client|patient|guest|user|someone|somebody|people|they|he|she|callers|customers|patients|guests|person|diner|owner|member|tenant|resident)s?\b[^.;⟦]*?\b(?:asks?|wants?|needs?|requests?|mentions?|gives?|says?|wish(?:es)?|would like|inquires?|enquires?|tries|calls? (?:about|to|for)|reports?|provides?|is ready|has (?:given|provided))\b[^.;⟦]*))/i;

const FAILURE_RE =
  /\b(?:if|when|whenever|should|in case)\s+(?:it|that|this|nothing|there(?:'s| is) no|no|the [a-z]+(?: [a-z]+)?|[a-z]+_[a-z_]+)\b[^.;⟦]*?\b(?:fails?|errors?|errs|times? out|is down|goes down|doesn'?t work|does not work|can'?t find|cannot find|can'?t be found|cannot be found|finds nothing|returns nothing|returns an error|comes back empty|is unavailable|isn'?t available|not available|no (?:match|result|record)s?|not found|isn'?t found|is not found|wasn'?t found|doesn'?t exist|does not exist|unreachable|is rejected|gets rejected|is declined|declines|is full|fully booked|no (?:slots?|availability|tables?|rooms?)|returns? (?:a )?(?:4\d\d|5\d\d))\b[^.;⟦]*|\b(?:on (?:failure|error)|otherwise|if anything goes wrong|if something goes wrong)\b[^.;⟦]*|\b(?:si (?:falla|no (?:hay|encuentra|funciona|responde)|da (?:un )?error|algo (?:sale|va) mal)|wenn (?:es|sie|das|etwas) (?:fehlschl[aä]gt|nicht (?:funktioniert|klappt))|wenn nichts gefunden|si (?:[cç]a|cela|elle|il) (?:[eé]choue|ne (?:marche|fonctionne) pas)|si rien n'est trouv[eé]|se (?:falhar|der erro|n[aã]o (?:houver|encontrar|funcionar))|se (?:fallisce|non (?:trova|c'[eè]|funziona)))\b[^.;⟦]*/i;

/** Tool facts in one segment of text about a tool. */
function readToolSegment(segment: string, p: Protected, index: number, ctx: ExtractContext, out: Finding[], awaitedKey: ToolField | null): void {
  const path = (key: ToolField) => toolPath(index, key);
  const urls = urlsIn(p, segment);
  const url = urls.at(-1);
  if (url) out.push({ path: path('endpoint'), value: url, confidence: 0.95 });
  const method = readMethod(segment.replace(/⟦U\d+⟧/g, ' URL '));
  if (method) out.push({ path: path('method'), value: method.method, confidence: method.confidence });
  // "…, same key": the auth of the tool named before it in the message or the spec.
  if (/\bsame (?:key|token|auth\w*|credentials?|api key|header)\b|\b(?:misma|mismo) (?:clave|token)\b|\bgleiche[nr]? (?:schl[uü]ssel|token)\b|\bm[eê]me (?:cl[eé]|jeton|token)\b/i.test(segment) && index > 0) {
    const previous = [...out].reverse().find((f) => /^tools\[\d+\]\.auth$/.test(f.path) && f.path !== path('auth'))?.value ?? ctx.spec.tools[index - 1]?.auth?.value;
    if (previous && typeof previous === 'object') {
      const auth = { ...(previous as Record<string, unknown>) };
      const name = ctx.spec.tools[index]?.name?.value;
      if (typeof auth.secret_name === 'string' && name) auth.secret_name = auth.secret_name.replace(/^[A-Z0-9_]+?_(TOKEN|API_KEY|BASIC_AUTH|OAUTH_TOKEN)$/, `${name.toUpperCase()}_$1`);
      out.push({ path: path('auth'), value: auth, confidence: 0.85 });
    }
  }
  for (const sentence of segment.split(/(?<=[.;])\s+|\s+(?:and|but)\s+(?=(?:it|both|all|they)\s+(?:uses?|needs?|requires?|authenticat))/i)) {
    if (!AUTH_CUE.test(sentence) && awaitedKey !== 'auth') continue;
    const clean = restore(p, sentence);
    // A parameter list can mention "key" ("the api key of the store"); auth needs an auth word near a verb or header.
    if (awaitedKey !== 'auth' && !/\b(auth\w*|bearer|token|api[ -]?key|basic auth|oauth\s?\d?|credential|header|no auth|public|unauthenticated|jwt)\b/i.test(clean)) continue;
    const auth = parseAuth(clean, ctx.spec.tools[index]?.name?.value);
    if (auth) {
      out.push({ path: path('auth'), value: auth, confidence: awaitedKey === 'auth' ? 0.95 : 0.9 });
      break;
    }
  }
  // When it is called and what to do when it fails are not its parameters.
  const failureText = FAILURE_RE.exec(segment)?.[0];
  const triggerText0 = (TRIGGER_RE.exec(segment) ?? TRIGGER_OTHER.exec(segment))?.[0];
  let paramText = segment;
  for (const t of [failureText, triggerText0]) if (t) paramText = paramText.replace(t, ' ');
  const inputs = readParams(paramText, p, INPUT_CUE, WEAK_INPUT_CUE);
  if (inputs) {
    // Every {placeholder} of the URL is an input, whether or not it was listed.
    const schema = inputs.schema;
    const props = { ...((schema.properties as Record<string, JsonSchemaDoc> | undefined) ?? {}) };
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    for (const url of urls.length ? urls : [ctx.spec.tools[index]?.endpoint?.value ?? '']) {
      for (const m of url.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
        const name = m[1] ?? '';
        if (!props[name]) {
          // "the last four digits of the card" is {card_last_four}: the prose name that shares most words gives way.
          const words = name.split('_');
          const match = Object.keys(props).find((p) => {
            const theirs = p.split('_');
            const shared = words.filter((w) => theirs.includes(w) || theirs.includes(`${w}s`)).length;
            return shared >= Math.min(2, words.length);
          });
          if (match) {
            const wasRequired = required.delete(match);
            props[name] = props[match]!;
            delete props[match];
            if (wasRequired) required.add(name);
          } else props[name] = { type: 'string' };
        }
        required.add(name);
      }
    }
    const merged: JsonSchemaDoc = { ...schema, type: 'object', properties: props };
    if (required.size) merged.required = [...required];
    // A parameter the URL names is certain whatever its spoken form; the others keep their own certainty.
    const placeholders = new Set(urls.flatMap((u) => [...u.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] ?? '')));
    const certainty = inputs.params.length
      ? Math.min(...Object.keys(props).map((name) => (placeholders.has(name) ? 0.9 : (inputs.params.find((q) => q.name === name)?.certainty ?? 0.9))))
      : inputs.confidence;
    out.push({ path: path('input_schema'), value: merged, confidence: clampConfidence(Math.min(certainty, inputs.confidence >= 0.9 ? 1 : certainty)) });
  }
  const outputs = readParams(paramText.replace(INPUT_CUE, ' '), p, OUTPUT_CUE, null);
  if (outputs) {
    const schema = outputs.params.length ? { type: 'object', properties: schemaOf(outputs.params).properties } : outputs.schema;
    out.push({ path: path('output_schema'), value: schema, confidence: outputs.confidence });
  }
  const failure = FAILURE_RE.exec(segment);
  const withoutFailure = failure ? segment.replace(failure[0], ' ') : segment;
  const trigger = TRIGGER_RE.exec(withoutFailure) ?? TRIGGER_OTHER.exec(withoutFailure);
  const triggerText = trigger?.[1] ?? trigger?.[2];
  if (triggerText) {
    const clean = restore(p, triggerText).replace(/[,\s]+(?:and|but|or|then)?[,\s]*$/i, '');
    out.push({ path: path('trigger'), value: asSentence(clean), confidence: 0.85 });
  }
  if (failure) out.push({ path: path('error_handling'), value: asSentence(restore(p, failure[0])), confidence: 0.85 });
}

const LABELS: Array<[RegExp, TopField | ToolField]> = [
  [/^(?:agent[ _]?type|type of agent|kind of agent|role)$/, 'agent_type'],
  [/^(?:business(?: name)?|company(?: name)?|brand|organi[sz]ation|business_name)$/, 'business_name'],
  [/^goals?$/, 'goals'],
  [/^(?:tone|voice style|style|tone of voice|personality)$/, 'tone'],
  [/^language$/, 'language'],
  [/^(?:first[ _]?message|greeting|opening line)$/, 'first_message'],
  [/^(?:tool[ _]?name)$/, 'name'],
  [/^purpose$/, 'purpose'],
  [/^(?:endpoint|url|api url|endpoint url)$/, 'endpoint'],
  [/^(?:http[ _]?)?method$/, 'method'],
  [/^(?:auth|authentication|authorization)$/, 'auth'],
  [/^(?:input[ _]?schema|inputs?|parameters|params|input parameters)$/, 'input_schema'],
  [/^(?:output[ _]?schema|outputs?|response|returns)$/, 'output_schema'],
  [/^(?:triggers?|trigger conditions?|when to call)$/, 'trigger'],
  [/^(?:error[ _]?handling|errors?|on error|on failure|failure handling)$/, 'error_handling'],
];

const TOP_KEYS = new Set<string>(['agent_type', 'goals', 'tone', 'language', 'first_message', 'business_name']);

/** "tone: formal", "Method: POST" lines. */
function readLabelled(units: Unit[], p: Protected, ctx: ExtractContext, tool: number | null, out: Finding[]): void {
  for (const unit of units) {
    const m = /^([A-Za-z][A-Za-z _'-]{1,30}?)\s*[:=]\s*(.+)$/.exec(unit.text);
    if (!m?.[1] || !m[2]) continue;
    const label = fold(m[1]).replace(/^(?:the|agent'?s)\s+/, '');
    const entry = LABELS.find(([re]) => re.test(label));
    if (!entry) continue;
    const key = entry[1];
    const raw = restore(p, m[2]).trim().replace(/^"|"$/g, '');
    if (TOP_KEYS.has(key)) {
      const value = key === 'language' ? (languageCode(raw) ?? raw) : key === 'first_message' ? raw : raw;
      out.push({ path: key, value, confidence: 0.95 });
      unit.consumed = true;
      continue;
    }
    if (tool === null) continue;
    const field = key as ToolField;
    const value = field === 'method' ? (parseMethod(raw) && 'method' in (parseMethod(raw) ?? {}) ? (parseMethod(raw) as { method: string }).method : raw) : field === 'name' ? (parseToolName(raw) ?? raw) : raw;
    out.push({ path: toolPath(tool, field), value, confidence: 0.95 });
    unit.consumed = true;
  }
}

/** A language named in the text → BCP-47 ("Spanish", "auf Deutsch", "Brazilian Portuguese"). */
export function languageCode(text: string): string | null {
  const t = fold(text);
  for (const [re, code] of LANGUAGE_REGIONS) if (re.test(t)) return code;
  const tag = /^\s*([a-z]{2,3})(?:[-_]([a-z]{2}))?\s*$/i.exec(text.trim());
  if (tag?.[1] && Object.values(LANGUAGE_WORDS).includes(tag[1].toLowerCase())) return tag[2] ? `${tag[1].toLowerCase()}-${tag[2].toUpperCase()}` : tag[1].toLowerCase();
  for (const word of t.split(/[^a-z]+/)) {
    const code = LANGUAGE_WORDS[word];
    if (code) return code;
  }
  return null;
}

const LANGUAGE_CUE = /\b(speaks?|speaking|spoken|talks?|respond|responds|answers?|reply|replies|language|languages|in|bilingual|hablar?|habla|en|idioma|sprechen|spricht|auf|sprache|parler|parle|langue|falar|fala|em|lingua|parlare|parla|in)\s*$/;

function readLanguage(units: Unit[], out: Finding[]): void {
  for (const unit of units) {
    const t = fold(unit.text);
    for (const m of t.matchAll(/[a-z]+/g)) {
      const code = LANGUAGE_WORDS[m[0]];
      if (!code) continue;
      const before = t.slice(Math.max(0, (m.index ?? 0) - 40), m.index);
      const after = t.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 20);
      if (LANGUAGE_CUE.test(before) || /^\s*(?:-?speaking|only|speakers?)\b/.test(after) || /\blanguage\b/.test(after)) {
        let value = code;
        for (const [re, region] of LANGUAGE_REGIONS) if (re.test(t) && region.startsWith(code)) value = region;
        out.push({ path: 'language', value, confidence: 0.9 });
        return;
      }
    }
  }
}

const GREETING_CUE = /\b(greet|greets|greeting|first message|first thing|opening line|open with|opens with|start with|starts with|say|says|answer with|answers with|pick up with|introduce|introduces|begin with|begins with|saludo|saludar|begru\w*|accueil|saudac\w*|salut\w*|dire|dizer|decir|sagen)\b/i;

function readFirstMessage(units: Unit[], p: Protected, out: Finding[]): void {
  for (const unit of units) {
    const quotes = quotesIn(p, unit.text);
    if (!quotes[0] || !GREETING_CUE.test(unit.text.replace(/⟦Q\d+⟧/g, ''))) continue;
    out.push({ path: 'first_message', value: quotes[0], confidence: 0.9 });
    unit.consumed = true;
    return;
  }
}

const TRANSFER_CUE = /\b(transfer\w*|transfiere|transfiera|transferir|transfira|transfere|transf[eé]rer|transf[eè]re|trasferisci|trasferire|forward\w*|put (?:them|the caller|callers|it) through|connect (?:them|the caller|callers|people)|hand (?:them |it |the call )?(?:off|over)|escalate\w*|pass (?:them|the call|the caller) (?:on|over|to)|route (?:them|the call)|weiterleiten|weiterverbinden|verbinden|transferir|transfiera|transfira|passe[rz]? (?:l'appel|le client)|trasferire|trasferisci|passare la chiamata)\b/i;

/** Transfers: a number and when to use it ("transfer to the pharmacist at +1 503 555 0199 if …"). */
function readTransfers(units: Unit[], p: Protected, ctx: ExtractContext, out: Finding[]): void {
  let index = transferCount(ctx.spec);
  for (const unit of units) {
    if (!TRANSFER_CUE.test(unit.text)) continue;
    const phones = phonesIn(p, unit.text);
    const restored = restore(p, unit.text);
    const plain = restored.replace(/\s*(?:at|on|to|unter|al|au|no|al numero|au numero)?\s*\+?[\d\s().-]{8,}\d/g, ' ');
    const condition = /\b((?:if|when|whenever|for|in case|should|si|cuando|wenn|falls|quand|se|quando)\b[^.;]*)/i.exec(plain.replace(new RegExp(`,?\\s*(?:please\\s+|then\\s+|just\\s+)?${TRANSFER_CUE.source}.*$`, 'i'), ''))
      ?? /\b((?:if|when|whenever|in case|si|cuando|wenn|falls|quand|se|quando)\b[^.;]*)/i.exec(plain);
    const number = phones[0] ? e164(phones[0]) : null;
    // Without a number, "if it fails, transfer to the fraud team" is a tool's error handling, not a transfer target.
    if (!number) continue;
    const base = `transfers[${index}]`;
    if (number) out.push({ path: `${base}.phone_number`, value: number, confidence: 0.95 });
    if (condition?.[1]) out.push({ path: `${base}.condition`, value: asSentence(condition[1]), confidence: 0.85 });
    unit.consumed = true;
    index++;
  }
}

const KNOWLEDGE_CUE = /\b(faqs?|knowledge base|help (?:center|centre|page|site)|menu|price list|prices page|pricing page|policies|policy page|docs|documentation|website|web page|opening hours|carta|men[uú]|preguntas frecuentes|speisekarte|preisliste|tarifs?|card[aá]pio|listino)\b/i;

/** Pages the agent should know ("our FAQ is at https://…"): knowledge-base sources, not tool endpoints. */
function readKnowledge(units: Unit[], p: Protected, ctx: ExtractContext, out: Finding[]): void {
  let index = ctx.spec.knowledge_base?.length ?? 0;
  for (const unit of units) {
    if (unit.consumed) continue;
    const cue = KNOWLEDGE_CUE.exec(unit.text);
    if (!cue || /\b(?:GET|POST|PUT|PATCH|DELETE)\b|\bapi\b|endpoint/i.test(unit.text)) continue;
    const taken = new Set((ctx.spec.knowledge_base ?? []).map((k) => (k.value.type === 'url' ? k.value.url : '')));
    let found = false;
    for (const m of unit.text.matchAll(/⟦U(\d+)⟧/g)) {
      const url = p.urls[Number(m[1])] ?? '';
      if (!url || /[{}]|\/api\b|\/\/api\./i.test(url) || taken.has(url)) continue;
      // Named after the nearest cue before it: "the FAQ at …, the menu at …".
      const before = [...unit.text.slice(0, m.index).matchAll(new RegExp(KNOWLEDGE_CUE.source, 'gi'))].at(-1)?.[1] ?? cue[1] ?? '';
      const name = before ? before.charAt(0).toUpperCase() + before.slice(1) : undefined;
      out.push({ path: `knowledge_base[${index++}]`, value: name ? { type: 'url', url, name } : { type: 'url', url }, confidence: 0.9 });
      found = true;
    }
    if (found) unit.consumed = true;
  }
}

function transferCount(spec: AgentSpec): number {
  return spec.transfers?.length ?? 0;
}

/** "a pharmacy phone assistant" → the noun phrase ending in an agent word, at most 8 words. */
function readAgentType(units: Unit[], businessKind: string | null): { value: string; confidence: number } | null {
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
function readBusiness(units: Unit[]): { name: string; kind: string | null; confidence: number } | null {
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
function businessKindFromText(units: Unit[]): string | null {
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

function readTone(units: Unit[], awaitedTone: boolean): { value: string; confidence: number } | null {
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

function readGoals(units: Unit[]): { items: string[]; confidence: number } | null {
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

const NO_TOOLS = /\b(?:no tools?|no apis?|no integrations?|doesn'?t need (?:any )?(?:tools?|apis?|to look (?:anything|things) up|integrations?)|does not need (?:any )?(?:tools?|apis?)|without (?:any )?(?:tools?|apis?|integrations?)|nothing to look up|just (?:talk|answer questions)|only answers? (?:general )?questions|keine (?:werkzeuge|tools|schnittstellen)|sin herramientas|ninguna herramienta|pas d'outils?|aucun outil|sem ferramentas|nenhuma ferramenta|nessuno strumento|senza strumenti)\b/i;

function pushTop(out: Finding[], ctx: ExtractContext, path: TopField, value: unknown, confidence: number): void {
  const stored = ctx.spec[path];
  if (stored !== undefined && !ctx.overwrite && ctx.awaiting !== path) return;
  out.push({ path, value, confidence: clampConfidence(confidence) });
}

/** Whether the interview is talking about tools, so described actions are tools. */
function inToolContext(ctx: ExtractContext): boolean {
  const pending = ctx.awaiting ? parsePath(ctx.awaiting) : null;
  return (
    ctx.stage === 'EXPLORING_TOOLS' ||
    ctx.stage === 'CONFIGURING_TOOLS' ||
    ctx.awaiting === 'use_tools' ||
    ctx.awaiting === 'tools_done' ||
    (pending?.kind === 'tool' && pending.key === 'name')
  );
}

/**
 * Everything the message says, as findings. The awaited field is read first as a direct answer
 * when the message is short; in prose the same readers run over every sentence.
 */
export function extract(text: string, ctx: ExtractContext): Extraction {
  const p = protect(text.trim());
  const units: Unit[] = [];
  for (const sentence of splitSentences(p.text)) for (const part of splitRepairs(sentence)) units.push({ text: part, consumed: false });
  const findings: Finding[] = [];
  const pending = ctx.awaiting ? parsePath(ctx.awaiting) : null;
  const pendingTool = pending?.kind === 'tool' ? pending.index : null;
  const labelTool = pendingTool ?? (ctx.spec.tools.length ? ctx.spec.tools.length - 1 : null);

  readLabelled(units, p, ctx, labelTool, findings);
  readFirstMessage(units, p, findings);
  readTransfers(units, p, ctx, findings);
  readKnowledge(units, p, ctx, findings);
  readLanguage(units, findings);

  // Tools: mentions and the text about each.
  const toolContext = inToolContext(ctx);
  const mentions = findMentions(units, ctx, toolContext);
  const toolFindings: Finding[] = [];
  const touched = new Set<number>();
  const segments = new Map<number, string[]>();
  const addSegment = (tool: number, s: string) => {
    segments.set(tool, [...(segments.get(tool) ?? []), s]);
    touched.add(tool);
  };
  if (mentions.length === 0) {
    if (pendingTool !== null) for (const u of units) if (!u.consumed) addSegment(pendingTool, u.text);
  } else {
    // Text before the first mention is about the awaited tool (or nothing); each mention owns the text up to the next.
    const firstMention = mentions[0]!;
    if (pendingTool !== null) {
      for (let u = 0; u < firstMention.unit; u++) if (!units[u]!.consumed) addSegment(pendingTool, units[u]!.text);
      const head = units[firstMention.unit]!.text.slice(0, firstMention.at);
      if (head.trim()) addSegment(pendingTool, head);
    }
    mentions.forEach((m, k) => {
      const nextM = mentions[k + 1];
      const parts: string[] = [];
      for (let u = m.unit; u < units.length; u++) {
        const unit = units[u]!;
        if (unit.consumed) continue;
        const from = u === m.unit ? m.at : 0;
        if (nextM && u === nextM.unit) {
          parts.push(unit.text.slice(from, nextM.at));
          break;
        }
        // "Both use a bearer token": shared by every tool of the message, handled below.
        if (u !== m.unit && /^(?:both|all|each|every|they both|they all|all of them|both of them|las dos|los dos|ambas|ambos|beide|alle|les deux|tous|entrambi|tutti)\b/i.test(unit.text)) continue;
        parts.push(unit.text.slice(from));
      }
      addSegment(m.tool, parts.join(' '));
      if (m.name) {
        const existing = ctx.spec.tools[m.tool];
        if (!existing) toolFindings.push({ path: toolPath(m.tool, 'name'), value: m.name, confidence: m.nameConfidence });
      }
      if (m.purpose) toolFindings.push({ path: toolPath(m.tool, 'purpose'), value: m.purpose, confidence: m.explicit ? 0.8 : 0.75 });
    });
  }
  for (const [tool, parts] of segments) {
    const awaitedKey = pendingTool === tool && pending?.kind === 'tool' ? pending.key : null;
    readToolSegment(parts.join(' '), p, tool, ctx, toolFindings, awaitedKey);
  }
  // Sentences about every tool ("Both use a bearer token in the Authorization header").
  units.forEach((unit, u) => {
    // "It should book appointments and look up records through our system, which uses OAuth2": every tool of the sentence.
    const here = [...new Set(mentions.filter((m) => m.unit === u).map((m) => m.tool))];
    if (unit.consumed || here.length < 2 || !AUTH_CUE.test(unit.text)) return;
    const auth = parseAuth(restore(p, unit.text));
    if (!auth || !/\b(auth\w*|bearer|token|api[ -]?key|basic auth|oauth\s?\d?|credential|header|no auth|public|unauthenticated|jwt)\b/i.test(unit.text)) return;
    for (const tool of here) {
      if (toolFindings.some((f) => f.path === toolPath(tool, 'auth'))) continue;
      if (ctx.spec.tools[tool]?.auth && !ctx.overwrite) continue;
      const name = ctx.spec.tools[tool]?.name?.value ?? mentions.find((m) => m.tool === tool && m.name)?.name;
      toolFindings.push({ path: toolPath(tool, 'auth'), value: parseAuth(restore(p, unit.text), name ?? undefined) ?? auth, confidence: 0.85 });
    }
  });
  for (const unit of units) {
    if (unit.consumed || !/^(?:both|all|each|every|they both|they all|all of them|both of them|all (?:our |the )?(?:tools|apis|endpoints)|las dos|los dos|ambas|ambos|todas|todos|beide|alle|les deux|tous|toutes|as duas|os dois|todas|entrambi|entrambe|tutti|tutte)\b|\b(?:both|all of them|each of them) (?:with|use|uses|need|needs|require|requires)\b|\b(?:our|the) (?:whole )?api (?:uses|needs|requires)\b|\ball (?:our |the |of our )?(?:tools|apis|endpoints|calls)\b/i.test(unit.text)) continue;
    const all = new Set([...touched, ...ctx.spec.tools.map((_, i) => i)]);
    for (const tool of all) {
      const auth = parseAuth(restore(p, unit.text), ctx.spec.tools[tool]?.name?.value ?? mentions.find((m) => m.tool === tool)?.name ?? undefined);
      if (auth && AUTH_CUE.test(unit.text) && !toolFindings.some((f) => f.path === toolPath(tool, 'auth'))) {
        const stored = ctx.spec.tools[tool]?.auth;
        if (!stored || ctx.overwrite) toolFindings.push({ path: toolPath(tool, 'auth'), value: auth, confidence: 0.9 });
      }
      const method = readMethod(unit.text);
      if (method && !toolFindings.some((f) => f.path === toolPath(tool, 'method'))) toolFindings.push({ path: toolPath(tool, 'method'), value: method.method, confidence: method.confidence });
    }
  }
  // Auth named once for the message ("it's all behind a bearer token") also fills tools that lack it.
  for (const f of toolFindings) {
    const path = parsePath(f.path);
    if (!path || path.kind !== 'tool') continue;
    const stored = ctx.spec.tools[path.index]?.[path.key];
    if (stored && !ctx.overwrite && ctx.awaiting !== f.path) continue;
    findings.push(f);
  }

  const business = readBusiness(units);
  if (business) pushTop(findings, ctx, 'business_name', business.name, business.confidence);
  const kind = business?.kind ?? businessKindFromText(units);
  const agentType = readAgentType(units, kind);
  if (agentType && !(ctx.awaiting === 'agent_type' && wordCount(text) <= 8)) pushTop(findings, ctx, 'agent_type', agentType.value, agentType.confidence);
  else if (!agentType && kind && ctx.awaiting === 'agent_type' && wordCount(text) > 8) {
    // No "… agent" in an opening about a hotel: a guess to confirm, not to store.
    pushTop(findings, ctx, 'agent_type', `${kind} phone agent`, 0.55);
  }
  const tone = readTone(units, ctx.awaiting === 'tone');
  if (tone) pushTop(findings, ctx, 'tone', tone.value, tone.confidence);
  const goals = ctx.awaiting === 'goals' && wordCount(text) <= 40 ? null : readGoals(units);
  if (goals) pushTop(findings, ctx, 'goals', goals.items.join('; '), goals.confidence);

  readCallFacts(units, p, ctx, findings);

  const toolsNamed = new Set(findings.filter((f) => /^tools\[\d+\]\.name$/.test(f.path)).map((f) => f.path));
  if (toolsNamed.size && ctx.spec.use_tools === undefined) findings.push({ path: 'use_tools', value: true, confidence: 0.9 });
  else if (NO_TOOLS.test(fold(p.text)) && ctx.spec.use_tools === undefined) findings.push({ path: 'use_tools', value: false, confidence: 0.85 });

  const problem = readAwaited(text, p, units, ctx, findings);
  return { findings: dedupe(findings), problem };
}

const OUTBOUND = /\b(outbound|we (?:call|ring|phone) (?:our |the )?(?:customers|patients|people|members|clients|guests|owners|users)|(?:it|the agent) (?:calls|rings|phones) (?:our |the )?(?:customers|patients|people|members|clients|guests|owners|users)|places? (?:phone )?calls|makes? (?:phone )?calls|(?:reminder|survey|follow-up|follow up|outreach) calls)\b/i;
const INBOUND = /\b(inbound|answers? (?:the |our )?(?:phone|phones|calls|line)|(?:customers|callers|patients|guests|people|members|clients) (?:call|ring|phone) (?:us|in))\b/i;
const US_ZONES: Record<string, string> = { eastern: 'America/New_York', central: 'America/Chicago', mountain: 'America/Denver', pacific: 'America/Los_Angeles' };

/** Call direction, time zone and when to hang up, when the message says them. */
function readCallFacts(units: Unit[], p: Protected, ctx: ExtractContext, out: Finding[]): void {
  const all = units.map((u) => u.text).join(' ');
  if (OUTBOUND.test(all)) pushTop(out, ctx, 'call_direction', 'outbound', 0.8);
  else if (INBOUND.test(all)) pushTop(out, ctx, 'call_direction', 'inbound', 0.8);
  const iana = /\b((?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/[A-Z][A-Za-z_]+(?:\/[A-Z][A-Za-z_]+)?)\b/.exec(all)?.[1];
  const named = /\b(eastern|central|mountain|pacific)(?: standard| daylight)? time\b/i.exec(all)?.[1]?.toLowerCase();
  const zone = iana ?? (named ? US_ZONES[named] : undefined);
  if (zone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      pushTop(out, ctx, 'timezone', zone, iana ? 0.95 : 0.8);
    } catch {
      // not a zone this runtime knows: leave it to the user
    }
  }
  const end = /\b(?:hang up|end the call|finish the call|close the call)\s+((?:when|if|once|after|as soon as)\b[^.;⟦]+)/i.exec(all)?.[1];
  if (end) pushTop(out, ctx, 'end_call_conditions', asSentence(restore(p, end)), 0.85);
}

/** Later findings for a path win (a self-repair or a correction later in the message). */
function dedupe(findings: Finding[]): Finding[] {
  const byPath = new Map<string, Finding>();
  for (const f of findings) {
    byPath.delete(f.path);
    byPath.set(f.path, f);
  }
  return [...byPath.values()];
}

/** Text of the units nothing else used, restored. */
function leftover(p: Protected, units: Unit[]): string {
  return restore(p, units.filter((u) => !u.consumed).map((u) => u.text).join(' ')).trim();
}

/**
 * The awaited field from a direct answer when the prose readers found nothing for it: "GET",
 * "friendly and calm", "https://…", "none". Returns a problem when the answer cannot be read.
 */
function readAwaited(text: string, p: Protected, units: Unit[], ctx: ExtractContext, findings: Finding[]): { path: string; message: string } | null {
  const path = ctx.awaiting ? parsePath(ctx.awaiting) : null;
  if (!path || !ctx.awaiting) return null;
  if (findings.some((f) => f.path === ctx.awaiting)) return null;
  // A long message that said other things is not, as a whole, the answer to this one question.
  if (findings.length > 0 && wordCount(text) > 15) {
    if (path.kind === 'tool' && path.key === 'purpose') {
      const lead = purposeFromLead(p, units);
      if (lead) findings.push({ path: ctx.awaiting, value: lead, confidence: 0.8 });
    }
    return null;
  }
  const key = ctx.awaiting;
  const add = (value: unknown, confidence: number) => findings.push({ path: key, value, confidence });
  const unused = leftover(p, units);
  // Everything was read as something else ("first message: …" while the tone is asked).
  if (!unused && findings.length) return null;
  const rest = unused || text.trim();
  // A repair in a short answer: only the last part counts ("PATCH - no wait, POST").
  const parts = splitRepairs(rest);
  const answer = parts.at(-1) ?? rest;
  if (path.kind === 'top') {
    switch (path.key) {
      case 'agent_type': {
        const value = parseAgentType(answer);
        if (value && wordCount(value) <= 8) add(value, 0.9);
        else if (value) return { path: key, message: 'In a few words, what kind of agent is it (for example "a pharmacy phone assistant")?' };
        return null;
      }
      case 'goals': {
        const value = usableText(answer);
        if (value) add(value.replace(/[.!]+$/, ''), 0.9);
        return null;
      }
      case 'tone': {
        const value = usableText(answer);
        if (value && wordCount(value) <= 12) add(value.replace(/[.!]+$/, ''), 0.9);
        return null;
      }
      case 'language': {
        const code = languageCode(answer);
        if (code) add(code, 0.95);
        return null;
      }
      case 'first_message': {
        const value = usableText(answer);
        if (value) add(value.replace(/^"|"$/g, ''), 0.9);
        return null;
      }
      default:
        return null;
    }
  }
  if (path.kind === 'knowledge') {
    const url = p.urls[0];
    if (url) add({ type: 'url', url }, 0.95);
    else if (/^(?:[a-z]:)?[\\/~][^\s]*\.[a-z0-9]{2,5}$/i.test(answer.trim())) add({ type: 'file', path: answer.trim() }, 0.9);
    return null;
  }
  if (path.kind === 'transfer') {
    if (path.key === 'phone_number') {
      const number = p.phones[0] ? e164(p.phones[0]) : null;
      if (number) add(number, 0.95);
    } else if (path.key === 'condition') {
      const value = usableText(answer);
      if (value) add(asSentence(value), 0.9);
    } else {
      const type = /\b(cold|warm|conference)\b/i.exec(answer)?.[1]?.toLowerCase();
      if (type) add(type, 0.95);
    }
    return null;
  }
  const tool = ctx.spec.tools[path.index];
  switch (path.key) {
    case 'name': {
      const name = parseToolName(answer);
      if (name) add(name, 0.9);
      return null;
    }
    case 'endpoint': {
      const relative = findRelativePath(answer);
      return relative ? { path: key, message: '' } : null;
    }
    case 'method': {
      const found = parseMethod(answer);
      if (found && 'method' in found) add(found.method, 0.95);
      else if (found && 'unsupported' in found) {
        return { path: key, message: `${found.unsupported} isn't supported: a tool uses GET, POST, PUT, PATCH or DELETE. Which one does ${tool?.name?.value ?? 'this tool'} use?` };
      }
      return null;
    }
    case 'auth': {
      const auth = parseAuth(answer, tool?.name?.value);
      if (auth) add(auth, 0.95);
      return null;
    }
    case 'input_schema':
    case 'output_schema': {
      const stripped = answer.replace(/^(?:it\s+)?(?:takes|needs|accepts|returns|gives back|responds with|outputs?|inputs?)\b\s*:?\s*/i, '');
      if (/[{:]|\b(?:string|integer|number|boolean)\b/.test(stripped)) {
        add(answer, 0.95);
        return null;
      }
      const prose = paramsFromProse(stripped);
      if (prose) {
        const schema = schemaOf(prose.params);
        if (path.key === 'output_schema') delete schema.required;
        add(schema, prose.certainty);
      } else {
        add(answer, 0.9); // the validator explains what is wrong
      }
      return null;
    }
    case 'trigger':
    case 'error_handling':
    case 'purpose': {
      const value = usableText(answer);
      if (value) add(path.key === 'purpose' ? asSentence(value) : value, 0.9);
      return null;
    }
  }
  return null;
}

/** "Crea una reserva nueva y devuelve el código. Úsala cuando …": the opening clause says what a tool does. */
function purposeFromLead(p: Protected, units: Unit[]): string | null {
  const first = units.find((u) => !u.consumed);
  if (!first) return null;
  const clause = first.text.split(/\s*(?:,|;|⟦|\b(?:and|y|und|et|e) (?:returns?|devuelve|liefert|renvoie|devolve|restituisce|takes|recibe|nimmt|prend|recebe|riceve)\b|\b(?:returns?|devuelve|liefert|renvoie|devolve|restituisce)\b)/i)[0] ?? '';
  const text = restore(p, clause).trim().replace(/^(?:it|this one|this|that one)\s+/i, '');
  if (wordCount(text) < 3 || wordCount(text) > 20) return null;
  // A purpose says what the tool does: it starts with a verb ("Crea una reserva", "Looks up …").
  const verb = (text.split(/\s+/)[0] ?? '').toLowerCase();
  const isVerb = (/[^s]s$/.test(verb) && infinitive(verb) !== verb) || lexiconTags(verb).some((t) => /Verb|Infinitive/.test(t)) || /^[a-záéíóú]+[ae]$/i.test(verb);
  return isVerb ? asSentence(text) : null;
}
