import type { AgentSpec } from '../../shared/spec';
import { actionsIn, readAction } from './actions';
import { infinitive, singular } from './english';
import { parsePath } from './fields';
import type { ExtractContext, Mention, Unit } from './findings';
import { asSentence, wordCount } from './prose';
import { resolveToolRef } from './refs';
import { TOOL_VERBS } from './vocabulary';

const SYSTEM_CUE =
  /\b(tools?|apis?|endpoints?|systems?|database|backend|crm|calendar|webhooks?|integrat\w*|connect(?:ed|s)? to|through our|via our|using our|in our|from our|software|platform|server|herramientas?|werkzeuge?|schnittstelle|outils?|ferramentas?|strumenti|sistema|system)\b|⟦U/i;

export const IDENT_RE = /(?<![\w⟦{/.-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]+)+)(?![\w}⟧])/g;

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

/** The index a tool name gets: an existing tool's, the one given earlier in this message, or the next free one. */
type Place = (name: string) => number;

function placer(spec: AgentSpec): Place {
  let next = spec.tools.length;
  const byName = new Map<string, number>();
  return (name: string): number => {
    const existing = existingToolIndex(spec, name);
    if (existing >= 0) return existing;
    const seen = byName.get(name);
    if (seen !== undefined) return seen;
    byName.set(name, next);
    return next++;
  };
}

/** Explicit names: get_order_status, lookupPrescription. */
function explicitMentions(text: string, u: number, spec: AgentSpec, place: Place, mentions: Mention[]): void {
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
}

/** References to existing tools: "the refill tool", "the second one", "the lookup". */
function referenceMentions(text: string, u: number, spec: AgentSpec, mentions: Mention[]): void {
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
}

/** Described actions make tools where tools are being talked about: "one to look up prescriptions". */
function actionMentions(text: string, u: number, ctx: ExtractContext, toolContext: boolean, hasExplicit: boolean, place: Place, mentions: Mention[]): void {
  const { spec } = ctx;
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
}

/** The tools known so far (stored, or named in this message), each with the words of its name. */
function knownTools(spec: AgentSpec, mentions: Mention[]): Array<{ index: number; words: string[] }> {
  const names = new Map<number, string>();
  spec.tools.forEach((t, i) => t.name && names.set(i, t.name.value));
  for (const m of mentions) if (m.name && !names.has(m.tool)) names.set(m.tool, m.name);
  return [...names.entries()].map(([index, name]) => ({ index, words: name.split('_').filter((w) => w.length >= 3).map((w) => singular(w)) }));
}

/** "Room service orders are a POST to …", "Late checkouts go through …": a tool named by the words of its name. */
function wordNamedMentions(unit: Unit, u: number, spec: AgentSpec, mentions: Mention[]): void {
  const opener = /(?:^|[;:]\s+|,\s+(?:and\s+)?|\s+and\s+)(?:the\s+|for\s+(?:the\s+)?)?((?:[a-z-]+\s+){0,3}[a-z-]+)\s+(?:is|are|go|goes|use|uses|need|needs|take|takes|return|returns|should|happen|happens|work|works|run|runs|hit|hits|live|lives|call|calls)\b/gi;
  for (const m of unit.text.matchAll(opener)) {
    const phrase = (m[1] ?? '').toLowerCase();
    const at = (m.index ?? 0) + m[0].indexOf(m[1] ?? '');
    const words = phrase.split(/\s+/).map((w) => singular(w));
    let best: { index: number; score: number } | null = null;
    let tie = false;
    for (const k of knownTools(spec, mentions)) {
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
}

/** Tool mentions across the units: explicit names, references to existing tools, described actions. */
export function findMentions(units: Unit[], ctx: ExtractContext, toolContext: boolean): Mention[] {
  const { spec } = ctx;
  const mentions: Mention[] = [];
  const place = placer(spec);
  units.forEach((unit, u) => {
    if (unit.consumed) return;
    explicitMentions(unit.text, u, spec, place, mentions);
    referenceMentions(unit.text, u, spec, mentions);
  });
  const hasExplicit = mentions.some((m) => m.explicit);
  units.forEach((unit, u) => {
    if (!unit.consumed) actionMentions(unit.text, u, ctx, toolContext, hasExplicit, place, mentions);
  });
  units.forEach((unit, u) => {
    if (!unit.consumed) wordNamedMentions(unit, u, spec, mentions);
  });
  mentions.sort((a, b) => a.unit - b.unit || a.at - b.at);
  return mentions;
}
