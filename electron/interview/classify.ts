import type { AgentSpec } from '../../shared/spec';
import { MESSAGE_KINDS, type MessageKind } from '../llm/types';
import type { Stage } from '../../shared/stages';
import { parsePath } from './fields';
import { findCue, fold, leadingCue, wholeCue, type CueMatch, type Lang } from './lexicon';
import { fieldWord, resolveToolRef } from './refs';

/**
 * What a message is, decided before anything is stored. Only answers (and corrections, which are
 * answers to an earlier question) may change the spec; every other kind gets its own response.
 * The LLM path returns the same kinds in its structured output (see llm/schema.ts).
 */
export { MESSAGE_KINDS, type MessageKind };

/** Kinds whose values may be stored. */
export const STORING_KINDS: ReadonlySet<MessageKind> = new Set(['answer', 'answers', 'accept_suggestion', 'correction', 'go_back', 'conditional_approval']);

export type ToolOp =
  | { op: 'remove'; tool: number }
  | { op: 'rename'; tool: number; name: string }
  | { op: 'move'; tool: number; position: number };

export interface ClassifyContext {
  stage: Stage;
  spec: AgentSpec;
  awaiting: string | null;
}

export type Classification =
  | { kind: 'answer'; body: string; lang: Lang | null }
  | { kind: 'correction'; body: string; lang: Lang | null }
  /** target: the phrase after "go back (to)"; body: a new value given in the same breath, or "". */
  | { kind: 'go_back'; target: string; body: string; lang: Lang | null }
  | { kind: 'tool_op'; ops: ToolOp[]; unresolved: string | null; lang: Lang | null }
  | { kind: 'conditional_approval'; condition: string; lang: Lang | null }
  | { kind: 'question' | 'dont_know' | 'suggest' | 'accept_suggestion' | 'skip' | 'undo' | 'off_topic'; lang: Lang | null };

const FILLER = String.raw`(?:um+|uh+|erm+|hmm+|well|so|oh|ah|ok(?:ay)?|right|sorry|please|hey|hi|hello|and|also|oops|wait|hold on|no wait|actually|bueno|pues|oye|also|na ja|alors|bon|entao|allora|ecco|beh|ehm)`;
const LEAD_FILLERS = new RegExp(`^(?:${FILLER}[\\s,.!:;-]+)+`);

function firstLang(m: CueMatch | null): Lang | null {
  if (!m || m.langs.length === 0) return null;
  // Shared words ("si", "no", "ok") say little about the language; English wins a tie.
  return m.langs.includes('en') ? 'en' : (m.langs[0] ?? null);
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * A non-answer cue counts when it opens its clause, or follows only a first-person subject or
 * fillers: "honestly, I'm not sure" is a non-answer, "if the caller doesn't know their number,
 * ask for the date of birth" is an answer.
 */
function opensClause(folded: string, index: number): boolean {
  const before = folded.slice(0, index);
  const clause = before.slice(Math.max(before.lastIndexOf(','), before.lastIndexOf('.'), before.lastIndexOf(';'), before.lastIndexOf('!'), before.lastIndexOf('?'), before.lastIndexOf(' - ')) + 1);
  return /^\s*(?:(?:i|we|i'm|im|i am|we're|we are|honestly|frankly|really|still|just|yet|to be honest|tbh|um+|uh+|erm+|well|hmm+|sorry|actually|so|oh|ah|and|but|ok|okay|no|nope|yo|ich|wir|je|nous|eu|nos|io|noi|pues|bueno|also|alors|entao|allora|ehm|hm+|gosh|hey|sincerely|oof|lol|haha)\s*)*$/.test(clause);
}

function nonAnswerCue(text: string, cue: 'dont_know' | 'suggest'): CueMatch | null {
  const folded = fold(text);
  let from = 0;
  // Several occurrences are possible ("if they don't know…, I don't know"): any one at a clause start counts.
  while (from < folded.length) {
    const m = findCue(folded.slice(from), cue);
    if (!m) return null;
    const at = from + m.index;
    if (opensClause(folded, at)) return { ...m, index: at };
    from = at + Math.max(1, m.phrase.length);
  }
  return null;
}

/** Words that open a question; with a question mark any of them makes one. */
const QUESTION_WORD =
  /^(?:what|what's|whats|why|how|which|where|who|whom|whose|when|can|could|would|will|do|does|did|is|are|should|must|may|might|shall|explain|tell me|qu[eé]|por qu[eé]|c[oó]mo|cu[aá]l|cu[aá]ndo|d[oó]nde|puedes|puede|es|was|wie|warum|wieso|welche[rsn]?|wo|wann|kannst|kann|ist|sind|soll|que|quoi|comment|pourquoi|quel(?:le)?s?|quand|o[uù]|est-ce|peux|o que|porque|qual|quando|onde|pode|cosa|che cosa|come|perch[eé]|quale|quando|dove|puoi|[eè])\b/;
/** Openings that are questions even without a question mark ("what do you mean by that"). */
const QUESTION_START =
  /^(?:what (?:is|are|does|do|did|should|would|about|kind|sort|type|exactly|format)|what'?s|why|how (?:do|does|did|should|can|would|is|are|many|much|will)|can you|could you|would you|will you|do you|does it|does that|is it|is that|is this|are you|are there|should i|should we|should it|do i|do we|must i|may i|explain|tell me (?:what|why|how|more)|qu[eé] (?:es|significa|quieres decir)|por qu[eé]|c[oó]mo (?:se|funciona)|was (?:ist|bedeutet|meinst)|warum|wieso|wie (?:meinst|funktioniert)|qu'est-ce|que veut dire|pourquoi|comment (?:[cç]a|ca) marche|o que (?:e|significa|quer dizer)|por que|cosa (?:significa|vuol dire|intendi)|perch[eé])\b/;

/** Small talk, thanks and chatter that answer nothing. */
const OFF_TOPIC = [
  /^(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening)|hola|buenos dias|buenas|hallo|guten (?:morgen|tag|abend)|servus|bonjour|salut|bonsoir|ola|oi|bom dia|boa tarde|ciao|buongiorno|buonasera)(?: there)?[\s!.,?]*$/,
  /^(?:thanks?|thank you|thx|ty|cheers|cool|nice|great stuff|awesome|gracias|danke|merci|obrigad[oa]|grazie)(?: (?:so much|a lot|very much|mucho|sehr|beaucoup|mille))?[\s!.,?]*$/,
  /^(?:lol|haha+|hehe+|ha|lmao|:\)|:-\)|;\)|:d|xd|jaja+|mdr|kkk+)[\s!.,?]*$/,
  /^(?:h+m+|u+m+|u+h+|e+r+m*|a+h+|o+h+|\.+|…|-+|\?+|!+|m+)[\s!.,?]*$/,
  /\b(?:tell me a joke|a joke|weather|football|soccer|the game last night|how are you|how's it going|how is it going|what's up|whats up|who are you|are you (?:a )?(?:human|real|robot|an? ai)|what time is it|what day is it|i'?m hungry|lunch|coffee break|brb|be right back|one sec(?:ond)?|hang on a sec|give me a (?:sec|second|minute)|let me think about it|i'?ll think about it|never ?mind|whatever|doesn'?t matter|asdf+|qwerty|test(?:ing)?(?: 1 2 3)?|blah+)\b/,
];

const REPEAT_REQUEST = /\b(?:repeat|say (?:that|it) again|come again|pardon|sorry\?|what\?|huh\??|didn'?t (?:get|understand|catch) (?:that|it|you|the question)|don'?t understand|no entiendo|wie bitte|verstehe (?:ich )?nicht|je ne comprends pas|comment\?|nao entendi|non capisco)\b/;

const CORRECTION_LEAD =
  /^(?:actually|no wait|wait|oops|sorry|my bad|correction|i mean|i meant|scratch that|on second thought|let me correct that|change of plan|instead|rather|en realidad|mejor|perdon|perdona|corrijo|eigentlich|doch|moment|korrektur|ich meine|en fait|plutot|pardon|correction|na verdade|alias|corrigindo|quer dizer|anzi|in realta|scusa|correggo|cioe)\b[\s,.:;!-]*/;

const CHANGE_VERB =
  /^(?:please\s+)?(?:can you\s+|could you\s+|let'?s\s+|i want to\s+|i'?d like to\s+)?(?:change|set|update|switch|make|replace|cambia|cambiar|pon|poner|haz|andere|aendere|setze|mach|mache|stell|change|mets|remplace|passe|muda|mudar|troca|coloca|poe|cambia|imposta|metti|rendi)\b/;

/** "X should be Y", "X is actually Y", "X needs to be Y" with X a field or a tool. */
const SHOULD_BE = /^(?:the\s+)?(.{2,60}?)\s+(?:should be|should use|must be|needs to be|has to be|is actually|is really|ought to be|will be|should say|deberia ser|debe ser|sollte|soll|muss|doit etre|devrait etre|deve ser|deveria ser|dovrebbe essere|deve essere)\s+(.+)$/;

function toolOps(text: string, ctx: ClassifyContext): { ops: ToolOp[]; unresolved: string | null } | null {
  const t = fold(text).replace(LEAD_FILLERS, '').replace(/[.!]+$/, '');
  const spec = ctx.spec;
  let m = /^(?:please\s+)?(?:can you\s+|could you\s+|let'?s\s+|i want to\s+)?(?:remove|delete|drop|get rid of|scrap|lose|take out|forget(?: about)?|quita|quitar|elimina|eliminar|borra|borrar|entferne|entfernen|losche|loesche|streiche|supprime|supprimer|retire|enleve|remova|remove|apaga|apague|tira|exclui|rimuovi|rimuovere|elimina|togli|cancella)\s+(?:the\s+|el\s+|la\s+|die\s+|das\s+|den\s+|le\s+|o\s+|a\s+|il\s+|lo\s+)?(.+?)(?:\s+(?:tool|one|herramienta|werkzeug|tool|outil|ferramenta|strumento))?$/.exec(t);
  if (!m) m = /^(?:we|i)\s+(?:don'?t|do not)\s+need\s+(?:the\s+)?(.+?)(?:\s+tool)?(?:\s+(?:anymore|any more|after all))?$/.exec(t);
  if (m?.[1]) {
    const target = m[1].replace(/\s+(?:tool|one)$/, '');
    const index = resolveToolRef(target, spec);
    // Only a tool: "remove the greeting" is not a tool operation.
    if (index !== null) return { ops: [{ op: 'remove', tool: index }], unresolved: null };
    if (/\btool\b/.test(m[0]) || /\b(tool|herramienta|werkzeug|outil|ferramenta|strumento)\b/.test(t)) return { ops: [], unresolved: target };
    return null;
  }
  m =
    /^(?:please\s+)?(?:can you\s+|could you\s+|let'?s\s+)?(?:rename|renombra|renombrar|umbenennen|benenne|renomme|renommer|renomeia|renomear|rinomina|rinominare)\s+(?:the\s+)?(.+?)\s+(?:to|as|a|in|en|zu|em|como)\s+["']?([a-z][a-z0-9_ ]*?)["']?$/.exec(t) ??
    /^(?:please\s+)?(?:call|name)\s+(?:the\s+)?(.+?)\s+(?:tool\s+)?["']?([a-z][a-z0-9_]*)["']?\s+instead$/.exec(t) ??
    /^(?:the\s+)?(.+?)\s+should be (?:called|named)\s+["']?([a-z][a-z0-9_ ]*?)["']?$/.exec(t);
  if (m?.[1] && m[2]) {
    const index = resolveToolRef(m[1].replace(/\s+tool$/, ''), spec);
    const name = m[2].trim().replace(/\s+/g, '_');
    if (index !== null) return { ops: [{ op: 'rename', tool: index, name }], unresolved: null };
    return { ops: [], unresolved: m[1] };
  }
  m = /^(?:please\s+)?(?:move|put|mueve|verschiebe|deplace|mova|sposta)\s+(?:the\s+)?(.+?)\s+(?:tool\s+)?(first|to the (?:top|front|start|beginning)|last|to the (?:end|bottom)|before|after)(?:\s+(?:the\s+)?(.+))?$/.exec(t);
  if (m?.[1] && m[2]) {
    const index = resolveToolRef(m[1], spec);
    if (index === null) return { ops: [], unresolved: m[1] };
    const where = m[2];
    let position: number | null = null;
    if (/first|top|front|start|beginning/.test(where)) position = 0;
    else if (/last|end|bottom/.test(where)) position = spec.tools.length - 1;
    else if (m[3]) {
      const other = resolveToolRef(m[3], spec);
      if (other === null) return { ops: [], unresolved: m[3] };
      position = where === 'before' ? (other > index ? other - 1 : other) : other < index ? other + 1 : other;
    }
    return position === null ? null : { ops: [{ op: 'move', tool: index, position }], unresolved: null };
  }
  m = /^(?:please\s+)?(?:swap|switch the order of|exchange)\s+(?:the\s+)?(.+?)\s+(?:and|with)\s+(?:the\s+)?(.+)$/.exec(t);
  if (m?.[1] && m[2]) {
    const a = resolveToolRef(m[1], spec);
    const b = resolveToolRef(m[2], spec);
    if (a !== null && b !== null && a !== b) return { ops: [{ op: 'move', tool: a, position: b }], unresolved: null };
  }
  return null;
}

/** The go-back phrase and what follows it; null when the message is not a request to go back. */
function goBack(text: string): { target: string; body: string; lang: Lang | null } | null {
  const folded = fold(text);
  const stripped = folded.replace(/^(?:(?:wait|hold on|no wait|sorry|oh|ok(?:ay)?|hmm+|um+|actually|please|so|hey)[\s,.!:;-]+)+/, '').replace(/^(?:can|could|shall|may) (?:we|i|you) (?:please )?|^let'?s |^i(?:'d| would) like to |^i want to |^we need to |^please /, '');
  let m = leadingCue(stripped, 'go_back');
  if (!m && words(folded) <= 14) {
    const any = findCue(folded, 'go_back');
    // "back to", "get back", "return to" inside a sentence are ordinary words ("call the customer back to confirm").
    if (any && /^(go back|going back|jump back|take me back|bring me back|revisit|reopen)$/.test(any.phrase)) m = any;
  }
  if (!m) return null;
  const rest = m.rest
    .replace(/^(?:to|and|a|al|a la|zu|zum|zur|au|aux|ao|para|alla|allo|ai)\b\s*/, '')
    .replace(/^(?:and\s+)?(?:change|fix|edit|update|set|redo|look at|cambiar|cambia|andern|aendern|changer|mudar|cambiare)\s+/, '');
  // "go back, change the tone - relaxed and friendly": the target, then a new value after a dash, colon or "to".
  const split = /^(.*?)(?:\s+-\s*|\s*:\s*| to |[?.!]+\s+(?:(?:make|set|change) it(?: to)?\s+|it should be\s+|let'?s (?:make it|say)\s+)?)(.+)$/.exec(rest);
  const target = (split?.[1] ?? rest).replace(/^(?:the|el|la|los|las|der|die|das|den|le|les|o|os|as|il|lo|gli)\s+/, '').replace(/[?.!]+$/, '').trim();
  const body = split?.[2] ? original(text, split[2]) : '';
  return { target, body, lang: firstLang(m) };
}

/** The original-case text matching a folded tail (values keep their case: names, URLs). */
function original(text: string, foldedTail: string): string {
  const n = foldedTail.trim().length;
  const t = text.trim().replace(/[?.!]+$/, '');
  const tail = t.slice(Math.max(0, t.length - n));
  return fold(tail) === foldedTail.trim().replace(/[?.!]+$/, '') ? tail.trim() : foldedTail.trim();
}

function approval(text: string): { condition: string | null; lang: Lang | null } | null {
  const folded = fold(text).replace(/[.!]+$/, '');
  const a = findCue(folded, 'approve');
  if (!a) return null;
  if (/\b(?:not|don'?t|do not|never|no longer|isn'?t|no apruebo|nicht|pas|nao|non)\b[^,.;]*\b(?:approve|aprob|genehmig|approuv|aprov|approv)/.test(folded)) return null;
  const cond = findCue(folded.slice(a.index + a.phrase.length), 'condition');
  if (cond) {
    const at = a.index + a.phrase.length + cond.index;
    const condition = text.trim().slice(Math.min(text.trim().length, at)).replace(/^[\s,]*/, '');
    return { condition: original(text, fold(condition)) || condition, lang: firstLang(a) };
  }
  // "change X, then approve": a change request before the approval word.
  const before = folded.slice(0, a.index);
  if (/\b(change|but|instead|however|wrong|except|rather|make|set|remove|add|rename|switch)\b/.test(before)) {
    return { condition: text.trim(), lang: firstLang(a) };
  }
  return { condition: null, lang: firstLang(a) };
}

function hasCandidate(ctx: ClassifyContext): boolean {
  return ctx.awaiting !== null && ctx.awaiting in ctx.spec.candidates;
}

/** Classifies one user message. Pure and cheap: patterns and the lexicon, no extraction. */
export function classify(text: string, ctx: ClassifyContext): Classification {
  const raw = text.trim();
  const folded = fold(raw);
  const bare = folded.replace(/[\s.!,;:]+$/, '');
  if (!/[\p{L}\p{N}]/u.test(raw)) return { kind: raw.includes('?') ? 'question' : 'off_topic', lang: null };

  const undo = wholeCue(raw, 'undo') ?? (words(bare) <= 6 ? leadingCue(raw, 'undo') : null);
  if (undo) return { kind: 'undo', lang: firstLang(undo) };

  if (hasCandidate(ctx)) {
    const accept = wholeCue(raw, 'accept_suggestion') ?? leadingCue(raw, 'accept_suggestion') ?? wholeCue(raw, 'yes');
    if (accept) return { kind: 'accept_suggestion', lang: firstLang(accept) };
    const yes = leadingCue(raw, 'yes');
    if (yes && words(yes.rest) <= 4 && !/\d|https?:/.test(yes.rest)) return { kind: 'accept_suggestion', lang: firstLang(yes) };
  }

  const back = goBack(raw);
  if (back) return { kind: 'go_back', target: back.target, body: back.body, lang: back.lang };

  const ops = toolOps(raw, ctx);
  if (ops) return { kind: 'tool_op', ops: ops.ops, unresolved: ops.unresolved, lang: null };

  const suggest = nonAnswerCue(raw, 'suggest');
  if (suggest) return { kind: 'suggest', lang: firstLang(suggest) };
  const dontKnow = nonAnswerCue(raw, 'dont_know');
  if (dontKnow) return { kind: 'dont_know', lang: firstLang(dontKnow) };
  const skip = wholeCue(raw, 'skip') ?? (() => {
    const m = leadingCue(raw, 'skip');
    return m && words(m.rest) <= 5 && !/[:/]/.test(m.rest) && !/^(?:the|a|an|el|la|le|il|o)\b/.test(m.rest) ? m : null;
  })();
  if (skip) return { kind: 'skip', lang: firstLang(skip) };

  if (ctx.stage === 'REVIEWING_WORKFLOW' || ctx.awaiting === 'workflow_approved') {
    const a = approval(raw);
    if (a?.condition) return { kind: 'conditional_approval', condition: a.condition, lang: a.lang };
  }

  if (REPEAT_REQUEST.test(bare) && words(bare) <= 8) return { kind: 'question', lang: null };
  const correctionLead = CORRECTION_LEAD.exec(bare);
  // "When the caller asks where their order is" answers a trigger question; "When is it called?" asks.
  const mark = /\?\s*$/.test(raw);
  // "first message: Thanks for calling, how can I help?" dictates a value that happens to end in "?".
  const labelled = /^([a-z][a-z _'-]{1,30}?)\s*[:=]\s*\S/.exec(bare);
  const dictated = (labelled?.[1] && fieldWord(labelled[1])) || /^(?:greet|say|answer|open|start)\w*\b[^"“«]*["“«]/.test(bare);
  const questionLike = !dictated && (QUESTION_START.test(bare) || (mark && (QUESTION_WORD.test(bare) || words(bare) > 6)));
  if (questionLike && !correctionLead && !CHANGE_VERB.test(bare)) return { kind: 'question', lang: null };
  for (const re of OFF_TOPIC) {
    if (re.test(bare) && !(ctx.awaiting && /^(?:test|testing)/.test(bare) && parsePath(ctx.awaiting)?.kind === 'tool')) {
      return { kind: 'off_topic', lang: null };
    }
  }

  if (correctionLead && correctionLead[0].length < raw.length) {
    return { kind: 'correction', body: original(raw, bare.slice(correctionLead[0].length)), lang: null };
  }
  const should = SHOULD_BE.exec(bare);
  if (CHANGE_VERB.test(bare) || (should?.[1] && (fieldWord(should[1]) || resolveToolRef(should[1], ctx.spec) !== null))) {
    return { kind: 'correction', body: raw.replace(/[.!]+$/, ''), lang: null };
  }
  return { kind: 'answer', body: raw, lang: null };
}
