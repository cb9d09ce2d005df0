import { stageIndex } from '../../shared/stages';
import type { AgentSpec } from '../../shared/spec';
import type { MessageKind, TurnResult } from '../llm/types';
import { describeValue, fieldLabel } from './describe';
import { extract, type Finding } from './extract';
import { getField, parsePath, toolLabel } from './fields';
import { changeLines } from './intents';
import { findCue, leadingCue, originalAfter, wholeCue, LANGUAGE_NAMES } from './lexicon';
import { mergeExtraction } from './merge';
import { askAgain, OFFLINE_NOTE, result, type Ctx } from './offline-turn';
import { wordCount } from './prose';
import { nextMissingField, questionFor } from './questions';
import { runTransitions } from './transitions';
import { isPersonalisationPath } from './personalise';

/**
 * Answers: the values a message gives are checked with the orchestrator's own merge, confirmed in
 * the reply, and followed by the next question.
 */

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
  // Values that equal what is stored change nothing, but a correction still says so, and a
  // template's value the user confirms is theirs from now on.
  const confirming = ctx.awaiting !== null && isPersonalisationPath(ctx.spec, ctx.awaiting);
  if (kind === 'correction' || kind === 'go_back' || confirming) {
    for (const f of findings) {
      if (kind !== 'correction' && kind !== 'go_back' && f.path !== ctx.awaiting) continue;
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
export function settleAnswer(ctx: Ctx, kind: MessageKind, findings: Finding[], extra: { approve?: boolean; noMoreTools?: boolean; lead?: string; languageAsk?: string | null } = {}): TurnResult {
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
    const kept = ctx.awaiting;
    if (kept && !rejected && !unconfirmed && kept in checked.extracted && !storedNow.includes(kept) && isPersonalisationPath(ctx.spec, kept)) {
      parts.push(`Kept ${fieldLabel(kept, ctx.spec)}: ${describeValue(kept, checked.extracted[kept]?.value, ctx.spec)}.`);
    }
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

export function answerTurn(ctx: Ctx, body: string): TurnResult {
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
