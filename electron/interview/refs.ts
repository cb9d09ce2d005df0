import { TOOL_FIELDS, type AgentSpec, type ToolField } from '../../shared/spec';
import { parsePath, type FieldPath, type TopField } from './fields';
import { fold } from './lexicon';

/**
 * How people name parts of the design in plain words: "the tone", "the second tool", "the refill
 * tool's URL", "the greeting". Used by corrections, go-backs and tool edits.
 */

const TOP_WORDS: Array<[RegExp, TopField]> = [
  [/\b(agent[ _]?type|type of (?:the )?agent|kind of agent|what kind of agent|role|tipo de agente|tipo di agente|type d'agent|art des agenten|agententyp)\b/, 'agent_type'],
  [/\b(goals?|objectives?|aims?|purpose of the agent|what it should do)\b/, 'goals'],
  [/\b(tone|voice style|style|personality|manner|how it sounds|tono|ton|tom)\b/, 'tone'],
  [/\b(language|idioma|lengua|sprache|langue|lingua|idioma)\b/, 'language'],
  [/\b(first message|greeting|opening line|opener|welcome message|primer mensaje|saludo|begrussung|begruessung|accueil|saudacao|saluto)\b/, 'first_message'],
  [/\b(system prompt|prompt)\b/, 'system_prompt'],
];

const TOOL_WORDS: Array<[RegExp, ToolField]> = [
  [/\b(error handling|errors?|on error|failure|fails?|fallback|if it fails|when it fails)\b/, 'error_handling'],
  [/\b(triggers?|when to call(?: it)?|when it(?:'s| is)? called|call it when)\b/, 'trigger'],
  [/\b(input(?:s| schema| parameters)?|param(?:eter)?s?|arguments?|fields? it (?:takes|needs))\b/, 'input_schema'],
  [/\b(output(?:s| schema)?|returns?|response|result)\b/, 'output_schema'],
  [/\b(auth(?:entication|orization)?|credentials?|api key|token)\b/, 'auth'],
  [/\b((?:http )?method|verb)\b/, 'method'],
  [/\b(endpoint|url|address|path)\b/, 'endpoint'],
  [/\b(purpose|description|what it does)\b/, 'purpose'],
  [/\b(name|called)\b/, 'name'],
];

const ORDINALS: Array<[RegExp, number | 'last']> = [
  [/\b(first|1st|primer[oa]?|erste[nrs]?|premier|premiere|primeir[oa]|prim[oa])\b/, 0],
  [/\b(second|2nd|segund[oa]|zweite[nrs]?|deuxieme|second[oa])\b/, 1],
  [/\b(third|3rd|tercer[oa]?|dritte[nrs]?|troisieme|terceir[oa]|terz[oa])\b/, 2],
  [/\b(fourth|4th|cuart[oa]|vierte[nrs]?|quatrieme|quart[oa])\b/, 3],
  [/\b(last|final|ultim[oa]|letzte[nrs]?|dernier|derniere)\b/, 'last'],
];

/** Words in a tool name or purpose that identify it ("refill" → refill_prescription). */
function toolWords(spec: AgentSpec, index: number): string[] {
  const tool = spec.tools[index];
  const name = tool?.name?.value ?? '';
  const words = name.split('_').filter((w) => w.length >= 3);
  return words.concat(words.map((w) => w.replace(/s$/, '')));
}

/** Which tool a phrase means: its name, a word of its name ("the refill tool"), or an ordinal ("the second tool"). */
export function resolveToolRef(phrase: string, spec: AgentSpec): number | null {
  const t = fold(phrase);
  if (spec.tools.length === 0) return null;
  const exact = spec.tools.findIndex((tool) => tool.name && new RegExp(`\\b${tool.name.value}\\b`).test(t));
  if (exact >= 0) return exact;
  if (/\b(tool|one|api|endpoint|call|herramienta|werkzeug|outil|ferramenta|strumento)\b/.test(t) || /^\s*(?:the\s+)?\w+\s*$/.test(t)) {
    for (const [re, n] of ORDINALS) {
      if (re.test(t)) {
        const index = n === 'last' ? spec.tools.length - 1 : n;
        return index < spec.tools.length ? index : null;
      }
    }
  }
  let best: { index: number; score: number } | null = null;
  for (let i = 0; i < spec.tools.length; i++) {
    const score = toolWords(spec, i).filter((w) => new RegExp(`\\b${w}\\w*\\b`).test(t)).length;
    if (score > 0 && (!best || score > best.score)) best = { index: i, score };
  }
  return best?.index ?? null;
}

/** A field named in a phrase, without a tool: "tone" → tone; "method" → a tool field (tool unknown). */
export function fieldWord(phrase: string): { kind: 'top'; key: TopField } | { kind: 'tool'; key: ToolField } | null {
  const t = fold(phrase);
  for (const [re, key] of TOP_WORDS) if (re.test(t)) return { kind: 'top', key };
  for (const [re, key] of TOOL_WORDS) if (re.test(t)) return { kind: 'tool', key };
  return null;
}

/** The tool the conversation is on: the one being asked about, else the last one. */
export function currentTool(spec: AgentSpec, awaiting: string | null): number | null {
  const pending = awaiting ? parsePath(awaiting) : null;
  if (pending?.kind === 'tool' && pending.index < spec.tools.length) return pending.index;
  return spec.tools.length ? spec.tools.length - 1 : null;
}

/** A full field path from a phrase such as "the refill tool's method" or "tone"; null when unclear. */
export function resolveFieldRef(phrase: string, spec: AgentSpec, awaiting: string | null): FieldPath | null {
  const word = fieldWord(phrase);
  if (!word) return null;
  if (word.kind === 'top') return word;
  const index = resolveToolRef(phrase, spec) ?? currentTool(spec, awaiting);
  return index === null ? null : { kind: 'tool', index, key: word.key };
}

/** The field asked just before `awaiting` in interview order: what "no wait, …" most likely corrects. */
export function previousField(spec: AgentSpec, awaiting: string | null): FieldPath | null {
  const pending = awaiting ? parsePath(awaiting) : null;
  if (pending?.kind === 'tool') {
    const at = TOOL_FIELDS.indexOf(pending.key);
    if (at > 0) return { kind: 'tool', index: pending.index, key: TOOL_FIELDS[at - 1]! };
    if (pending.index > 0) return { kind: 'tool', index: pending.index - 1, key: 'error_handling' };
    return null;
  }
  if (pending?.kind === 'top') {
    switch (pending.key) {
      case 'goals':
        return { kind: 'top', key: 'agent_type' };
      case 'tone':
        return { kind: 'top', key: 'goals' };
      case 'use_tools':
        return { kind: 'top', key: 'tone' };
      case 'tools_done':
      case 'workflow_approved': {
        const last = spec.tools.length - 1;
        return last >= 0 ? { kind: 'tool', index: last, key: 'error_handling' } : { kind: 'top', key: 'tone' };
      }
      default:
        return null;
    }
  }
  return null;
}
