import { ParleyError } from '../../shared/errors';
import { stageIndex, type Stage } from '../../shared/stages';
import type { AgentSpec } from '../../shared/spec';
import type { GenerateOptions, GenerateResult, LlmProvider, MessageKind, TurnRequest, TurnResult } from '../llm/types';
import { formatPath, getField, park, parsePath, stillParked, toolLabel, type FieldPath } from './fields';
import { resolveStageTarget } from './answers';
import { classify, type Classification } from './classify';
import { explainField } from './explain';
import { extract, languageCode, type Finding } from './extract';
import { describeValue, fieldLabel } from './describe';
import { leadingCue, findCue, originalAfter, wholeCue, LANGUAGE_NAMES, type Lang } from './lexicon';
import { loadLanguageDetector, type LanguageDetector } from './language';
import { mergeExtraction, reopenStage } from './merge';
import { changeLines } from './intents';
import { currentTool, fieldWord, previousField, resolveFieldRef, resolveToolRef } from './refs';
import { runTransitions } from './transitions';
import { nextMissingField, questionFor, reentryAwaiting, reentryMessage } from './questions';
import { suggestFor } from './suggest';
import { wordCount } from './prose';
import { OFFLINE_MODEL } from './offline-model';

/**
 * The offline interviewer: no key, no network, deterministic. It classifies each message
 * (answer, question, "don't know", skip, correction, go back, tool edit, undo, conditional
 * approval, off-topic), reads answers from free prose (one paragraph can fill many fields, each
 * value with the reader's certainty) and proposes, explains or asks back otherwise. It returns
 * the same structured turn an LLM provider returns; the orchestrator's rules decide what is kept.
 */

export { OFFLINE_MODEL };
export const OFFLINE_NOTE =
  "(I'm Parley's offline interviewer: I read your answers on this computer, without an AI model, so describe things plainly. Add an OpenAI or Anthropic key in Settings for a free-form AI interview.)";

const DEFAULT_THRESHOLD = 0.6;

interface Ctx {
  stage: Stage;
  spec: AgentSpec;
  awaiting: string | null;
  threshold: number;
  text: string;
  userLang: Lang | null;
  /** true on the first message of the session */
  first: boolean;
}

function lastUserText(request: TurnRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (m?.role === 'user') return m.text;
  }
  return '';
}

function result(kind: MessageKind, reply: string, awaiting: string | null, extra: Partial<TurnResult> = {}): TurnResult {
  return { kind, reply, extracted: {}, awaiting, intent: {}, stage_complete: false, ...extra };
}

/** The question for the awaited field, or a pointer to what can be said at the end. */
function askAgain(ctx: Ctx): string {
  if (ctx.awaiting) return questionFor(ctx.awaiting, ctx.spec);
  if (ctx.stage === 'COMPLETED') return 'Your agent is complete. Tell me what to change (for example "change the tone to warm and upbeat"), say "regenerate", or export it.';
  return 'What would you like to change?';
}

/** Fields where "skip for now" is not possible: the answer decides what happens next. */
function skippable(path: string | null): boolean {
  return !!path && !['use_tools', 'tools_done', 'workflow_approved', 'system_prompt'].includes(path) && !/\.name$/.test(path);
}

// ---- non-answers ------------------------------------------------------------------------------

function suggestTurn(ctx: Ctx, kind: 'suggest' | 'dont_know'): TurnResult {
  // "what would you suggest for the purpose of the status one?": the field named, else the one asked.
  const named = /\b(?:for|about|on)\s+(?:the\s+)?(.{3,60}?)\??$/i.exec(ctx.text)?.[1];
  const target = named ? resolveFieldRef(named, ctx.spec, ctx.awaiting) : null;
  const path = (target && (target.kind === 'top' || target.index < ctx.spec.tools.length) ? formatPath(target) : null) ?? ctx.awaiting ?? nextMissingField(ctx.stage, ctx.spec);
  const proposal = path ? suggestFor(path, ctx.spec, ctx.userLang) : null;
  if (!path || !proposal) {
    const lead = kind === 'dont_know' ? 'No problem.' : 'I have no proposal for that.';
    return result(kind, `${lead} ${explainField(path, ctx.spec)} ${askAgain(ctx)}`.trim(), ctx.awaiting);
  }
  const lead = kind === 'dont_know' ? `No problem, I can propose something for ${fieldLabel(path, ctx.spec)}.` : `For ${fieldLabel(path, ctx.spec)} I suggest`;
  const body = kind === 'dont_know' ? ` I suggest ${proposal.shown}.` : ` ${proposal.shown}.`;
  const tail = skippable(path)
    ? ' Say "use your suggestion" to take it, tell me your own, or say "skip for now".'
    : ' Say "use your suggestion" to take it, or tell me your own.';
  return result(kind, `${lead}${body}${tail}`, path, { suggestion: { field: path, value: proposal.value } });
}

function skipTurn(ctx: Ctx): TurnResult {
  const path = ctx.awaiting;
  if (!skippable(path) || !path) {
    return result('skip', `I can't park this one: the answer decides what comes next. ${askAgain(ctx)}`, ctx.awaiting);
  }
  if (stillParked(ctx.spec).includes(path)) {
    const proposal = suggestFor(path, ctx.spec, ctx.userLang);
    const offer = proposal ? ` If you are unsure, I suggest ${proposal.shown}; say "use your suggestion" to take it.` : '';
    return result('skip', `${fieldLabel(path, ctx.spec)} is still needed before the review.${offer} ${plainQuestion(path, ctx.spec)}`, path, proposal ? { suggestion: { field: path, value: proposal.value } } : {});
  }
  const parked = park(ctx.spec, path);
  const next = runTransitions(ctx.stage, parked, {}).stage;
  const awaiting = nextMissingField(next, parked);
  const ask = awaiting && awaiting !== path ? ` ${questionFor(awaiting, parked)}` : '';
  return result('skip', `OK, I've parked ${fieldLabel(path, ctx.spec)} as still needed; I'll ask again before the review.${ask}`, awaiting, {
    intent: { skip: path },
    stage_complete: next !== ctx.stage,
  });
}

function plainQuestion(path: string, spec: AgentSpec): string {
  return questionFor(path, { ...spec, parked: [] });
}

// ---- language ---------------------------------------------------------------------------------

/** The user's own language, from the lexicon's cue or the detector; null when unclear or English. */
function userLanguage(text: string, cueLang: Lang | null, detector: LanguageDetector | null): Lang | null {
  const detected = detector?.detect(text) ?? null;
  if (detected) return detected;
  if (cueLang) return cueLang;
  for (const cue of ['yes', 'no', 'approve', 'no_more', 'dont_know', 'skip'] as const) {
    const m = leadingCue(text, cue) ?? wholeCue(text, cue);
    // A word shared with English ("no", "ok") says nothing; one language alone does.
    if (m && m.langs.length === 1 && m.langs[0] !== 'en') return m.langs[0] ?? null;
  }
  return null;
}

/** A candidate language when the user writes in another language and none is set. */
function languageProposal(ctx: Ctx, findings: Finding[]): { finding: Finding | null; ask: string | null } {
  if (ctx.spec.language || findings.some((f) => f.path === 'language') || ctx.spec.candidates.language) return { finding: null, ask: null };
  const lang = ctx.userLang;
  if (lang && lang !== 'en') {
    const name = LANGUAGE_NAMES[lang];
    return { finding: { path: 'language', value: lang, confidence: 0.5 }, ask: `You're writing in ${name}. Should the agent speak ${name} on its calls? (yes, or name another language)` };
  }
  // An English opening: English is the default, stated so it can be changed.
  if (ctx.first && (lang === null || lang === 'en') && wordCount(ctx.text) >= 4 && /^[\x00-\x7F’‘“”—–]*$/.test(ctx.text)) return { finding: { path: 'language', value: 'en', confidence: 0.7 }, ask: null };
  return { finding: null, ask: null };
}

// ---- answers ----------------------------------------------------------------------------------

interface Checked {
  extracted: TurnResult['extracted'];
  spec: AgentSpec;
  stored: string[];
  unconfirmed: string[];
  rejected: Array<{ path: string; message: string }>;
  locked: string[];
}

/** Runs the findings through the orchestrator's own merge, so only values it will accept are proposed. */
function check(ctx: Ctx, findings: Finding[], kind: MessageKind): Checked {
  const proposed = Object.fromEntries(findings.map((f) => [f.path, { value: f.value, confidence: f.confidence }]));
  const merged = mergeExtraction(ctx.spec, proposed, { threshold: ctx.threshold, source: 'offline', stage: ctx.stage });
  const extracted: TurnResult['extracted'] = {};
  for (const path of [...merged.stored, ...merged.unconfirmed]) {
    const parsed = parsePath(path);
    const stored = parsed ? getField(merged.spec, parsed) : undefined;
    const candidate = merged.spec.candidates[path];
    const confidence = findings.find((f) => f.path === path)?.confidence ?? 1;
    // Hand on the normalised value (a parsed schema, an auth block), not the raw text.
    if (stored && merged.stored.includes(path)) extracted[path] = { value: stored.value, confidence };
    else if (candidate) extracted[path] = { value: candidate.value, confidence };
  }
  // Values that equal what is stored change nothing, but a correction still says so.
  if (kind === 'correction' || kind === 'go_back') {
    for (const f of findings) {
      const parsed = parsePath(f.path);
      const stored = parsed ? getField(ctx.spec, parsed) : undefined;
      if (stored && !(f.path in extracted) && JSON.stringify(stored.value) === JSON.stringify(f.value)) extracted[f.path] = { value: stored.value, confidence: f.confidence };
    }
  }
  const locked = merged.ignored.filter((i) => i.reason === 'locked').map((i) => i.path);
  return { extracted, spec: merged.spec, stored: merged.stored, unconfirmed: merged.unconfirmed, rejected: merged.rejected, locked };
}

/** "agent type, tone, 2 goals and 2 tools (lookup_prescription, request_refill)". */
function summarize(paths: string[], spec: AgentSpec): string {
  const top: string[] = [];
  const tools = new Map<number, string[]>();
  for (const path of paths) {
    const parsed = parsePath(path);
    if (parsed?.kind === 'tool') tools.set(parsed.index, [...(tools.get(parsed.index) ?? []), parsed.key]);
    else if (parsed?.kind === 'top') {
      if (['use_tools', 'tools_done', 'workflow_approved'].includes(parsed.key)) continue;
      top.push(`${fieldLabel(path, spec)} ${describeValue(path, getField(spec, parsed)?.value, spec)}`);
    } else if (/^transfers\[\d+\]\.phone_number$/.test(path)) top.push('a transfer number');
    else if (path === 'business_name') top.push('the business name');
  }
  const parts = [...top];
  if (tools.size === 1) {
    const [[index, keys]] = [...tools.entries()] as [[number, string[]]];
    parts.push(keys.length === 1 ? `${fieldLabel(`tools[${index}].${keys[0]}`, spec)} ${describeValue(`tools[${index}].${keys[0]}`, getField(spec, { kind: 'tool', index, key: keys[0] as never })?.value, spec)}` : `${keys.length} details of ${toolLabel(spec, index)}`);
  } else if (tools.size > 1) {
    parts.push(`${tools.size} tools (${[...tools.keys()].map((i) => toolLabel(spec, i)).join(', ')}) with ${[...tools.values()].reduce((n, k) => n + k.length, 0)} details`);
  }
  if (parts.length === 0) return '';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join('; ')}; and ${parts.at(-1)}`;
}

function confirmLine(path: string, spec: AgentSpec, value: unknown): string {
  const parsed = parsePath(path);
  if (parsed?.kind === 'tool' && parsed.key === 'input_schema') return `I read the inputs of ${toolLabel(spec, parsed.index)} as ${describeValue(path, value, spec)} — right?`;
  if (parsed?.kind === 'tool' && parsed.key === 'output_schema') return `I read what ${toolLabel(spec, parsed.index)} returns as ${describeValue(path, value, spec)} — right?`;
  return `I read ${fieldLabel(path, spec)} as ${describeValue(path, value, spec)} — right?`;
}

/** After values are checked: what to say and what to ask next. */
function settleAnswer(ctx: Ctx, kind: MessageKind, findings: Finding[], extra: { approve?: boolean; noMoreTools?: boolean; lead?: string; languageAsk?: string | null } = {}): TurnResult {
  const checked = check(ctx, findings, kind);
  const intent: TurnResult['intent'] = {};
  if (extra.approve) intent.approve = true;
  if (extra.noMoreTools) intent.no_more_tools = true;
  let simulated = checked.spec;
  if (extra.approve) simulated = { ...simulated, workflow_approved: { value: true, confidence: 1, source: 'offline', locked: false } };
  if (extra.noMoreTools && !simulated.tools_done) simulated = { ...simulated, tools_done: { value: true, confidence: 1, source: 'offline', locked: false } };
  const next = runTransitions(ctx.stage, simulated, {}).stage;
  const storedNow = checked.stored.filter((p) => !checked.unconfirmed.includes(p));
  const rejected = checked.rejected[0];
  const unconfirmed = checked.unconfirmed[0];
  let awaiting: string | null;
  if (rejected) awaiting = rejected.path;
  else if (unconfirmed) awaiting = unconfirmed;
  else awaiting = nextMissingField(next, simulated);
  if (ctx.awaiting === 'tools_done' && next === 'CONFIGURING_TOOLS' && storedNow.length === 0 && !rejected && !unconfirmed && !extra.noMoreTools) {
    awaiting = `tools[${ctx.spec.tools.length}].name`;
  }

  const parts: string[] = [];
  if (extra.lead) parts.push(extra.lead);
  // A value that replaced another is confirmed in one line, before the next question.
  parts.push(...changeLines(ctx.spec, checked.spec, storedNow, ''));
  if (checked.locked.length) {
    const names = checked.locked.map((p) => p.replace(/_/g, ' '));
    parts.push(`${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} locked, so I left ${names.length === 1 ? 'it' : 'them'} unchanged; unlock in the spec panel to change.`);
  }
  if (extra.approve) parts.push('Approved. Generating the system prompt and first message now.');
  else if (extra.noMoreTools) parts.push('OK, no more tools.');
  else if (kind !== 'correction' && kind !== 'go_back') {
    // Values that replace another are confirmed by the orchestrator's "Changed … from … to …" line.
    const fresh = storedNow.filter((path) => {
      const parsed = parsePath(path);
      return !parsed || getField(ctx.spec, parsed) === undefined;
    });
    const said = summarize(fresh, checked.spec);
    if (said) parts.push(`Got it: ${said}.`);
    else if (!rejected && !unconfirmed && fresh.length) parts.push('Got it.');
  }
  if (ctx.first) parts.push(OFFLINE_NOTE);
  if (rejected) parts.push(rejected.message);
  else if (unconfirmed) parts.push(confirmLine(unconfirmed, ctx.spec, checked.spec.candidates[unconfirmed]?.value));
  else if (extra.languageAsk && !checked.spec.language) {
    awaiting = 'language';
    parts.push(extra.languageAsk);
  } else if (awaiting && stageIndex(next) < stageIndex('REVIEWING_WORKFLOW')) parts.push(questionFor(awaiting, simulated));
  else if (next === 'COMPLETED' && ctx.stage === 'COMPLETED' && storedNow.length) parts.push('I regenerated the prompt with that change.');
  if (parts.length === 0) parts.push(askAgain(ctx));

  const storedKind: MessageKind = kind === 'answer' && Object.keys(checked.extracted).length > 1 ? 'answers' : kind;
  return {
    kind: storedKind,
    reply: parts.join(' '),
    extracted: checked.extracted,
    awaiting,
    intent,
    stage_complete: next !== ctx.stage,
  };
}

function answerTurn(ctx: Ctx, body: string): TurnResult {
  const { spec, awaiting } = ctx;
  let text = body;
  const findings: Finding[] = [];
  let approve = false;
  let noMoreTools = false;

  if (awaiting === 'use_tools') {
    const no = leadingCue(text, 'no');
    const yes = leadingCue(text, 'yes');
    if (no && !(yes && yes.index < no.index)) findings.push({ path: 'use_tools', value: false, confidence: 0.95 });
    else if (yes) findings.push({ path: 'use_tools', value: true, confidence: 0.95 });
  } else if (awaiting === 'tools_done') {
    const more = /\b(another|one more|add (?:a|an|one)|new tool|next one|also need|there'?s (?:also|one more)|otra|noch ein|encore un|outra|un altro)\b/i.test(text);
    const done = leadingCue(text, 'no_more') ?? wholeCue(text, 'no');
    if (done && !more) {
      noMoreTools = true;
      text = originalAfter(text, done.phrase);
    }
  } else if ((ctx.stage === 'CONFIGURING_TOOLS' || ctx.stage === 'EXPLORING_TOOLS') && /\b(?:tools?|apis?|integrations?)\b/i.test(text) && (leadingCue(text, 'no_more') || /\b(?:that'?s|those are) (?:all|it for) the tools\b|\bno (?:more|other|further) tools\b|\bthat'?s the only tool\b/i.test(text))) {
    // "No, that's all the tools" while a tool detail is asked: no more tools, not the detail's value.
    noMoreTools = true;
    const cue = leadingCue(text, 'no_more');
    text = cue ? originalAfter(text, cue.phrase) : '';
  } else if (awaiting === 'workflow_approved') {
    const a = findCue(text, 'approve');
    if (a && !/\b(not|don'?t|never|no|nicht|pas|nao|non)\b/i.test(text.slice(0, a.index + 8))) approve = true;
  } else if (awaiting && spec.candidates[awaiting] && leadingCue(text, 'yes') && wordCount(text) <= 5) {
    findings.push({ path: awaiting, value: spec.candidates[awaiting]?.value, confidence: 1 });
  }

  if (!approve && text.trim()) {
    const extraction = extract(text, { stage: ctx.stage, spec, awaiting: noMoreTools ? null : awaiting, overwrite: false });
    for (const f of extraction.findings) if (!findings.some((g) => g.path === f.path)) findings.push(f);
    if (extraction.problem?.message) return result('answer', extraction.problem.message, extraction.problem.path);
    if (extraction.problem) {
      // A relative URL: the validator says precisely what is wrong.
      const rel = /(?:^|\s)(\/[^\s"'<>`]*)/.exec(text)?.[1];
      if (rel && awaiting) findings.push({ path: awaiting, value: rel, confidence: 0.9 });
    }
  }
  const language = languageProposal(ctx, findings);
  if (language.finding && language.finding.confidence >= ctx.threshold) findings.push(language.finding);

  if (awaiting === 'tools_done' && !noMoreTools && !findings.some((f) => /^tools\[\d+\]\.name$/.test(f.path)) && (leadingCue(body, 'yes') || /\b(another|one more|add|new tool|next one|also need)\b/i.test(body))) {
    const next = `tools[${spec.tools.length}].name`;
    return result('answer', `Great. ${questionFor(next, spec)}`, next);
  }
  if (findings.length === 0 && !approve && !noMoreTools) return nothingRead(ctx, body);
  const turn = settleAnswer(ctx, 'answer', findings, { approve, noMoreTools, languageAsk: language.ask });
  if (language.ask && language.finding && !ctx.spec.language && turn.awaiting === 'language') turn.suggestion = { field: 'language', value: language.finding.value };
  return turn;
}

/** Nothing could be read from an answer: say what is needed, precisely. */
function nothingRead(ctx: Ctx, body: string): TurnResult {
  const path = ctx.awaiting;
  if (!path) return result('answer', ctx.stage === 'COMPLETED' ? askAgain(ctx) : `I didn't find anything to change there. ${askAgain(ctx)}`, ctx.awaiting);
  const parsed = parsePath(path);
  let lead = "I didn't catch that.";
  if (path === 'use_tools') lead = 'Please answer yes or no.';
  else if (path === 'tools_done') lead = 'Should I add another tool? Give its name (e.g. create_return), or say "no more tools".';
  else if (path === 'workflow_approved') {
    return result('answer', 'Tell me what to change in plain words (for example "change the tone to formal" or "the second tool should be GET"), say "go back to tools", or say "approve" to generate the agent.', path);
  } else if (path === 'agent_type') lead = 'I didn\'t catch the kind of agent; for example "a customer support agent" or "an appointment booking agent".';
  else if (parsed?.kind === 'tool' && parsed.key === 'endpoint') lead = "I couldn't find a URL there.";
  else if (parsed?.kind === 'tool' && parsed.key === 'method') lead = "I didn't catch a method.";
  else if (parsed?.kind === 'tool' && parsed.key === 'auth') lead = "I couldn't tell the authentication method.";
  else if (parsed?.kind === 'tool' && parsed.key === 'name') lead = "I didn't catch a name.";
  else if (path === 'language') lead = `I didn't recognise a language in "${body.trim().slice(0, 40)}".`;
  return result('answer', `${lead} ${questionFor(path, ctx.spec)}`, path);
}

// ---- corrections and navigation ---------------------------------------------------------------

const VALUE_SHAPES: Array<[RegExp, string]> = [
  [/^\s*(?:it'?s\s+|use\s+|make it\s+|a\s+|an\s+)?(GET|POST|PUT|PATCH|DELETE)\b|\b(GET|POST|PUT|PATCH|DELETE)\b/, 'method'],
  [/\b[a-z][a-z0-9+.-]*:\/\//i, 'endpoint'],
  [/\b(bearer|api[ -]?key|basic auth|oauth\s*2?|no auth\w*|unauthenticated|x-api-key)\b/i, 'auth'],
];

/** The field a correction without a field name most likely means ("actually make it POST"). */
function impliedField(value: string, ctx: Ctx): FieldPath | null {
  const tool = currentTool(ctx.spec, ctx.awaiting);
  for (const [re, key] of VALUE_SHAPES) if (re.test(value) && tool !== null) return { kind: 'tool', index: tool, key: key as never };
  if (languageCode(value) && wordCount(value) <= 4) return { kind: 'top', key: 'language' };
  return previousField(ctx.spec, ctx.awaiting);
}

/** Splits "change the tone to relaxed" / "the tone should be relaxed" / "make it POST" into a field phrase and a value. */
function splitCorrection(body: string): { field: string | null; value: string } {
  const t = body.trim().replace(/[.!]+$/, '');
  const change = /^(?:please\s+)?(?:can you\s+|could you\s+|let'?s\s+)?(?:change|set|update|switch|make|replace|turn|cambia|cambiar|pon|andere|aendere|setze|mach|change|mets|muda|troca|imposta|metti)\s+(.+?)\s+(?:to|into|=|as|a|zu|auf|en|em|in|para|por)\s+(.+)$/i.exec(t);
  if (change?.[1] && change[2] && !/^(it|that|this|them)$/i.test(change[1].trim())) return { field: change[1], value: change[2] };
  const should = /^(?:the\s+)?(.{2,60}?)\s+(?:should be|should use|must be|needs to be|has to be|is actually|is really|will be|should say|deberia ser|debe ser|sollte|soll|muss|doit etre|devrait etre|deve ser|deveria ser|dovrebbe essere|deve essere)\s+(.+)$/i.exec(t);
  if (should?.[1] && should[2] && !/^(it|that|this)$/i.test(should[1].trim())) return { field: should[1], value: should[2] };
  const colon = /^([a-z][a-z ']{1,30}?)\s*[:=]\s*(.+)$/i.exec(t);
  if (colon?.[1] && colon[2] && fieldWord(colon[1])) return { field: colon[1], value: colon[2] };
  // "the checkout one is a POST", "the refill tool uses GET"
  const is = /^(?:the\s+|el\s+|la\s+|der\s+|die\s+|das\s+|le\s+|o\s+|a\s+|il\s+)?(.{2,40}?)\s+(?:is|are|uses|should use|takes|es|ist|est|[eé]|[eè]|usa|nutzt|utilise)\s+(?:actually\s+|really\s+|en realidad\s+|eigentlich\s+)?(?:a\s+|an\s+|un\s+|una\s+|ein\s+|eine\s+|um\s+|uma\s+)?(.+)$/i.exec(t);
  if (is?.[1] && is[2] && !/^(it|that|this|they)$/i.test(is[1].trim())) return { field: is[1], value: is[2] };
  const makeIt = /^(?:make it|make that|it'?s|it is|use|set it to|change it to|switch (?:it )?to)\s+(.+)$/i.exec(t);
  if (makeIt?.[1]) return { field: null, value: makeIt[1] };
  return { field: null, value: t };
}

/** A correction (or a go-back with a value): the named field gets the new value at once. */
function correctionTurn(ctx: Ctx, body: string, kind: 'correction' | 'go_back', fieldPhrase: string | null = null): TurnResult {
  const split = fieldPhrase ? { field: fieldPhrase, value: body } : splitCorrection(body);
  // "a POST, not a PATCH": the value is what it is, not what it is not.
  split.value = split.value.replace(/,?\s*(?:and\s+|y\s+|und\s+|et\s+|e\s+)?(?:not|no|nicht|pas|non|n[aã]o)\s+(?:a\s+|an\s+|the\s+|un\s+|una\s+|ein\s+|eine\s+|um\s+|uma\s+|le\s+|la\s+|il\s+)?[^,.;]+[.!]?$/i, '').trim() || split.value;
  let target: FieldPath | null = null;
  if (split.field) {
    target = resolveFieldRef(split.field, ctx.spec, ctx.awaiting);
    if (!target) {
      // "the second tool should be GET": a tool, and the field from the value's shape.
      const tool = resolveToolRef(split.field, ctx.spec);
      if (tool !== null) {
        const shape = impliedField(split.value, { ...ctx, awaiting: `tools[${tool}].name` });
        if (shape?.kind === 'tool') target = { ...shape, index: tool };
      }
    }
  }
  target ??= impliedField(split.value, ctx);
  if (!target) return answerTurn(ctx, body);
  const path = formatPath(target);
  if (path === ctx.awaiting && kind === 'correction') return answerTurn(ctx, split.value);
  if (target.kind === 'tool' && target.index >= ctx.spec.tools.length) return answerTurn(ctx, body);
  if (target.kind === 'tool' && target.key === 'name') {
    // A new name for a tool is a rename.
    return toolOpTurn(ctx, { kind: 'tool_op', ops: [{ op: 'rename', tool: target.index, name: split.value.trim().replace(/\s+/g, '_').toLowerCase() }], unresolved: null, lang: null });
  }
  const extraction = extract(split.value, { stage: ctx.stage, spec: ctx.spec, awaiting: path, overwrite: true });
  const finding = extraction.findings.find((f) => f.path === path);
  if (!finding) {
    return result(kind, `I couldn't read "${split.value}" as ${fieldLabel(path, ctx.spec)}. ${questionFor(path, ctx.spec)}`, path, kind === 'go_back' ? { intent: { revisit: path } } : {});
  }
  // The user said outright what it should be.
  const findings = [{ ...finding, confidence: Math.max(finding.confidence, 0.9) }];
  const turn = settleAnswer({ ...ctx, first: false }, kind, findings);
  return turn;
}

function goBackTurn(ctx: Ctx, c: Extract<Classification, { kind: 'go_back' }>): TurnResult {
  const field = c.target ? resolveFieldRef(c.target, ctx.spec, ctx.awaiting) : null;
  const stageTarget = !field && c.target ? resolveStageTarget(c.target, ctx.spec) : null;
  if (field && (field.kind === 'top' || field.index < ctx.spec.tools.length)) {
    const path = formatPath(field);
    if (c.body) return correctionTurn(ctx, c.body, 'go_back', c.target);
    const current = getField(ctx.spec, field);
    const now = current ? ` It is now ${describeValue(path, current.value, ctx.spec)}.` : '';
    return result('go_back', `Sure.${now} ${plainQuestion(path, ctx.spec)}`, path, { intent: { revisit: path } });
  }
  if (stageTarget && stageTarget !== 'INITIAL' && stageIndex(stageTarget) < stageIndex(ctx.stage)) {
    const reopened = reopenStage(ctx.spec, stageTarget);
    return result('go_back', reentryMessage(stageTarget, reopened), reentryAwaiting(stageTarget, reopened), { intent: { go_back_to: stageTarget } });
  }
  return result(
    'go_back',
    `We're at ${ctx.stage}. Tell me what to change (for example "go back and change the tone"), or go back to "basics", "tools" or "review"${ctx.stage === 'COMPLETED' ? ', or "regenerate" the prompt' : ''}.`,
    ctx.awaiting,
  );
}

function toolOpTurn(ctx: Ctx, c: Extract<Classification, { kind: 'tool_op' }>): TurnResult {
  if (c.ops.length === 0) {
    const names = ctx.spec.tools.map((_, i) => toolLabel(ctx.spec, i));
    return result('tool_op', `Which tool do you mean${c.unresolved ? ` by "${c.unresolved}"` : ''}? ${names.length ? `The tools are: ${names.join(', ')}.` : 'There are no tools yet.'}`, ctx.awaiting);
  }
  const tool_ops = c.ops.map((op) =>
    op.op === 'rename' ? { op: op.op, tool: `tools[${op.tool}]`, name: op.name } : op.op === 'move' ? { op: op.op, tool: `tools[${op.tool}]`, position: op.position } : { op: op.op, tool: `tools[${op.tool}]` },
  );
  // The orchestrator applies the edit and says what changed; the next question follows from the result.
  return result('tool_op', '', ctx.awaiting, { intent: { tool_ops } });
}

function conditionalTurn(ctx: Ctx, condition: string): TurnResult {
  const extraction = extract(condition, { stage: ctx.stage, spec: ctx.spec, awaiting: null, overwrite: true });
  const changes = extraction.findings.filter((f) => f.confidence >= ctx.threshold);
  if (changes.length) {
    const turn = settleAnswer({ ...ctx, first: false }, 'conditional_approval', changes);
    turn.kind = 'conditional_approval';
    turn.intent = { ...turn.intent, change_request: condition };
    delete turn.intent.approve;
    turn.reply = `Not approved yet: I made the change you asked for first. ${turn.reply}`.trim();
    return turn;
  }
  // "Approve, as long as the knowledge base is included": ask for the source itself.
  if (/\b(knowledge base|faqs?|docs|documentation|website|menu|price list|policies|knowledge)\b/i.test(condition)) {
    const next = `knowledge_base[${ctx.spec.knowledge_base?.length ?? 0}]`;
    return result(
      'conditional_approval',
      `I haven't approved it yet, because you asked for something first: "${condition}". ${questionFor(next, ctx.spec)}`,
      next,
      { intent: { change_request: condition, revisit: next } },
    );
  }
  return result(
    'conditional_approval',
    `I haven't approved it yet, because you asked for something first: "${condition}". I can't add that from here; tell me the change in plain words (for example "change the tone to formal" or "add a tool called create_return"), or say "approve" to approve the design as it is.`,
    'workflow_approved',
    { intent: { change_request: condition } },
  );
}

// ---- entry point ------------------------------------------------------------------------------

/** One interview step: the user's text → reply, extracted fields, kind, intent and the next question. */
export function interview(request: TurnRequest, detector: LanguageDetector | null = null): TurnResult {
  const text = lastUserText(request).trim();
  const c = classify(text, { stage: request.stage, spec: request.spec, awaiting: request.awaiting });
  const ctx: Ctx = {
    stage: request.stage,
    spec: request.spec,
    awaiting: request.awaiting,
    threshold: request.threshold ?? DEFAULT_THRESHOLD,
    text,
    userLang: userLanguage(text, c.lang, detector),
    first: request.stage === 'INITIAL',
  };
  if ((ctx.stage === 'COMPLETED' || ctx.stage === 'FINALIZING') && /^regenerate\b/i.test(text)) {
    const reopened = reopenStage(ctx.spec, 'FINALIZING');
    return result('go_back', reentryMessage('FINALIZING', reopened), null, { intent: { go_back_to: 'FINALIZING' } });
  }
  switch (c.kind) {
    case 'undo':
      return result('undo', '', ctx.awaiting, { intent: { undo: true } });
    case 'accept_suggestion': {
      const path = ctx.awaiting;
      const candidate = path ? ctx.spec.candidates[path] : undefined;
      if (!path || !candidate) return answerTurn(ctx, text);
      const findings: Finding[] = [{ path, value: candidate.value, confidence: 1 }];
      // "Use your suggestion, and call it whenever …": the rest of the message answers more.
      const cue = leadingCue(text, 'accept_suggestion') ?? leadingCue(text, 'yes');
      const rest = cue ? originalAfter(text, cue.phrase) : '';
      if (wordCount(rest) >= 3) {
        // Read as more about the same tool (or the same part of the design).
        const more = extract(rest, { stage: ctx.stage, spec: ctx.spec, awaiting: path, overwrite: false });
        for (const f of more.findings) if (f.path !== path) findings.push(f);
      }
      return settleAnswer(ctx, 'accept_suggestion', findings);
    }
    case 'go_back':
      return goBackTurn(ctx, c);
    case 'tool_op':
      return toolOpTurn(ctx, c);
    case 'suggest':
    case 'dont_know':
      return suggestTurn(ctx, c.kind);
    case 'skip':
      return skipTurn(ctx);
    case 'question':
      return result('question', `${explainField(ctx.awaiting, ctx.spec)} ${askAgain(ctx)}`, ctx.awaiting);
    case 'off_topic':
      return result('off_topic', `Let's stay with your agent. ${askAgain(ctx)}`, ctx.awaiting);
    case 'conditional_approval':
      return conditionalTurn(ctx, c.condition);
    case 'correction':
      return correctionTurn(ctx, c.body, 'correction');
    case 'answer':
      return answerTurn(ctx, c.body);
  }
}

function cancelledError(): ParleyError {
  return new ParleyError('CANCELLED', 'The turn was stopped.');
}

/** Word groups, so the UI's streaming path runs exactly as with a network provider. */
function chunks(text: string, wordsPerChunk = 4): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk) out.push(words.slice(i, i + wordsPerChunk).join(''));
  return out;
}

export function createOfflineProvider(): LlmProvider {
  // Starts loading the language detector now; the first turn waits for it if it is not there yet.
  const detector = loadLanguageDetector();
  return {
    name: 'offline',
    model: OFFLINE_MODEL,
    async generateTurn(request: TurnRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
      const { signal, onDelta } = options;
      if (signal?.aborted) throw cancelledError();
      const result = interview(request, await detector);
      if (signal?.aborted) throw cancelledError();
      for (const chunk of chunks(result.reply)) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (signal?.aborted) throw cancelledError();
        onDelta?.(chunk);
      }
      // No model runs, so no tokens are spent.
      return { result, usage: { inputTokens: 0, outputTokens: 0 }, model: OFFLINE_MODEL };
    },
  };
}

export { fieldLabel };
