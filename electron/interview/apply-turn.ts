import type { AgentSpec } from '../../shared/spec';
import type { Message, Session, TurnUsage } from '../../shared/session';
import type { Stage } from '../../shared/stages';
import type { ProviderName } from '../../shared/providers';
import type { GenerateResult, TurnResult } from '../llm/types';
import { listLength, parsePath, titleFor } from './fields';
import { applyIntents, changeLines, settleParked } from './intents';
import { describeValue, fieldLabel } from './describe';
import { mergeExtraction, type MergeResult } from './merge';
import { isAskable, nextMissingField, questionFor, reentryAwaiting, reentryMessage } from './questions';
import { resolveStageTarget } from './answers';
import { deployChecklistText } from './deploy-checklist';
import { workflowSummary } from './prompt-generator';
import { applyGenerated, completionText, settle, withStages } from './session-steps';

/**
 * A turn's two writes, as pure functions of the newest stored session. A turn streams for a
 * long time; anything the user changed meanwhile (title, provider, a hand edit, a stage jump)
 * is in `latest`, and the turn adds only its own part on top of it.
 */

/** Adds the user's message. Retrying a turn that got no reply reuses the message already saved. */
export function withUserMessage(
  stored: Session,
  text: string,
  turnId: string,
  at: string,
  newId: () => string,
): { session: Session; userMessage: Message } {
  const last = stored.messages.at(-1);
  const retry = last?.role === 'user' && last.text === text;
  const userMessage: Message = retry ? { ...last, turnId } : { id: newId(), role: 'user', text, createdAt: at, turnId, status: 'complete' };
  const earlier = retry ? stored.messages.slice(0, -1) : stored.messages;
  return { session: { ...stored, messages: earlier.concat(userMessage), updatedAt: at }, userMessage };
}

export function withMessages(latest: Session, added: Message[], at: string): Session {
  return { ...latest, messages: latest.messages.concat(added), updatedAt: at };
}

/** What the provider answered, and to which session. */
export interface TurnAnswer {
  /** The session as the provider saw it (after the user's message was added). */
  asked: Session;
  userMessage: Message;
  turnId: string;
  generated: GenerateResult;
  /** The structured part, checked (a malformed one is reduced to its reply text by the caller). */
  result: TurnResult;
  /** The reply text streamed (the reply when the structured part has none). */
  streamed: string;
  answeredBy: ProviderName;
  model: string;
  latencyMs: number;
  threshold: number;
}

export interface AppliedTurn {
  session: Session;
  /** The whole reply as stored. */
  reply: string;
  /** What the rules add after the streamed reply, as the delta to stream ('' when nothing). */
  extraDelta: string;
}

/** A value below the threshold, read back: "I read the inputs of X as rx_number (string), … — right?" */
function confirmQuestion(path: string, spec: AgentSpec): string {
  const candidate = spec.candidates[path];
  return `I read ${fieldLabel(path, spec)} as ${describeValue(path, candidate?.value, spec)} — right? Say yes, or tell me in your own words.`;
}

/** A field the user may ask to change by name: any field with a value, or one the stage asks. */
function isRevisitable(spec: AgentSpec, path: string): boolean {
  const parsed = parsePath(path);
  if (!parsed) return false;
  if (parsed.kind !== 'top') return parsed.index < listLength(spec, parsed);
  return !['use_tools', 'tools_done', 'workflow_approved'].includes(parsed.key);
}

/** What the last change was, for "Undone: …". */
function changeSummary(stored: string[], lines: string[], parked: string | null, before: AgentSpec): string {
  const parts: string[] = [];
  const fields = stored.filter((p) => !['tools_done', 'workflow_approved', 'use_tools'].includes(p));
  if (fields.length) parts.push(fields.length > 3 ? `${fields.length} fields` : fields.map((p) => fieldLabel(p, before)).join(', '));
  if (stored.includes('workflow_approved')) parts.push('the approval');
  parts.push(...lines.map((l) => l.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())));
  if (parked) parts.push(`parking ${fieldLabel(parked, before)}`);
  return parts.join('; ') || 'the last step';
}

/** Approval counts only in review, and never in the same turn as a change to the design. */
function approval(merge: MergeResult, stage: Stage, approve: boolean, source: string, otherChange: boolean): AgentSpec {
  const spec = merge.spec;
  if (stage !== 'REVIEWING_WORKFLOW' || spec.workflow_approved?.locked) return spec;
  const changed = otherChange || merge.stored.some((p) => p !== 'workflow_approved');
  if (changed) {
    if (spec.workflow_approved?.source !== source) return spec;
    const next = { ...spec };
    delete next.workflow_approved;
    return next;
  }
  if (approve && spec.workflow_approved?.value !== true) {
    return { ...spec, workflow_approved: { value: true, confidence: 1, source, locked: false } };
  }
  return spec;
}

/** What the rules decided differently from the model, said after the model's reply. */
function rulesNote(input: {
  clarify: { path: string; message: string } | undefined;
  modelAwaiting: string | null;
  awaiting: string | null;
  stage: Stage;
  stage0: Stage;
  spec: AgentSpec;
  designChanged: boolean;
  regenerated: boolean;
  jumped: boolean;
  locked: string[];
  reply: string;
  /** One line per change the user asked for ("Changed the tone from … to …", "Removed …"). */
  changes: string[];
}): string {
  const { clarify, modelAwaiting, awaiting, stage, stage0, spec, designChanged, regenerated, jumped, locked, reply, changes } = input;
  let extra = '';
  if (clarify) {
    if (clarify.path !== modelAwaiting) extra = clarify.message;
  } else if (stage === 'REVIEWING_WORKFLOW' && (stage !== stage0 || designChanged)) {
    extra = [workflowSummary(spec), deployChecklistText(spec), questionFor('workflow_approved', spec)].filter(Boolean).join('\n\n');
  } else if (stage === 'COMPLETED' && regenerated) {
    extra = completionText(spec);
  } else if (awaiting && (awaiting !== modelAwaiting || !reply)) {
    extra = jumped ? reentryMessage(stage, spec) : questionFor(awaiting, spec);
  }
  if (locked.length && !reply.includes('locked')) {
    const note = `(${locked.join(', ')} ${locked.length === 1 ? 'is' : 'are'} locked, so I kept the value you set; unlock it in the spec panel to let me change it.)`;
    extra = extra ? `${note}\n\n${extra}` : note;
  }
  if (changes.length) extra = extra ? `${changes.join(' ')}\n\n${extra}` : changes.join(' ');
  return extra;
}

/**
 * Applies the provider's answer to the newest session: merges what it extracted, follows the
 * stage rules, and appends the reply. When the user moved the interview to another stage while
 * the turn ran, the model's stage proposal (written for the old stage) is dropped and its gate
 * answers count only if the new stage asks them; a title the user set meanwhile is kept.
 */
export function applyTurnResult(latest: Session, answer: TurnAnswer, at: string, newId: () => string): AppliedTurn {
  const { asked, userMessage, generated, result, streamed, turnId } = answer;
  const reply = result.reply || streamed;

  const stage0 = latest.stage;
  const stageMoved = stage0 !== asked.stage;
  if (result.intent.undo && !stageMoved) return applyUndo(latest, answer, reply, at, newId);
  // Only answers store values; tool edits, parked fields and proposals are applied as what they are.
  const intents = applyIntents(latest.spec, result, userMessage.id);
  const extracted = { ...intents.extracted };
  if (result.intent.no_more_tools && !extracted.tools_done) extracted.tools_done = { value: true, confidence: 1 };
  const merge = mergeExtraction(intents.spec, extracted, { threshold: answer.threshold, source: userMessage.id, stage: stage0 });
  merge.spec = settleParked(merge.spec);
  // A conditional approval is a change request, never an approval.
  const approve = result.intent.approve === true && !stageMoved && result.kind !== 'conditional_approval' && !result.intent.change_request;
  let spec = approval(merge, stage0, approve, userMessage.id, intents.designChanged);
  const designChanged = intents.designChanged || merge.stored.some((p) => p !== 'workflow_approved' && p !== 'tools_done');
  const changes = [...intents.lines, ...changeLines(latest.spec, merge.spec, merge.stored, reply)];

  const goBackTo = result.intent.go_back_to && !stageMoved ? resolveStageTarget(result.intent.go_back_to, spec) : null;
  const proposal = stageMoved ? {} : { stage_complete: result.stage_complete, goBackTo };
  const settled = settle(stage0, spec, proposal, userMessage.id);
  spec = settled.spec;
  const stage = settled.stage;
  let regenerated = settled.generated;
  if (!regenerated && stage0 === 'COMPLETED' && stage === 'COMPLETED' && designChanged) {
    spec = applyGenerated(spec, userMessage.id);
    regenerated = true;
  }

  const clarifications = [...merge.rejected, ...merge.unconfirmed.map((path) => ({ path, message: confirmQuestion(path, spec) }))];
  const clarify = clarifications[0];
  const modelAwaiting = stageMoved ? null : result.awaiting;
  const revisit = !stageMoved && result.intent.revisit && isRevisitable(spec, result.intent.revisit) ? result.intent.revisit : null;
  const proposed = !stageMoved && result.suggestion && result.suggestion.field in spec.candidates ? result.suggestion.field : null;
  let awaiting: string | null;
  if (clarify) awaiting = clarify.path;
  else if (settled.jumped) awaiting = reentryAwaiting(stage, spec);
  else if (revisit) awaiting = revisit;
  else if (proposed) awaiting = proposed;
  else if (modelAwaiting && isAskable(stage, spec, modelAwaiting)) awaiting = modelAwaiting;
  else awaiting = nextMissingField(stage, spec);

  const locked = merge.ignored.filter((i) => i.reason === 'locked').map((i) => i.path);
  const extra = rulesNote({ clarify, modelAwaiting, awaiting, stage, stage0, spec, designChanged, regenerated, jumped: settled.jumped, locked, reply, changes });
  const finalReply = extra ? (reply ? `${reply}\n\n${extra}` : extra) : reply;

  const usage: TurnUsage = {
    turnId,
    provider: answer.answeredBy,
    model: answer.model,
    inputTokens: Math.max(0, Math.round(generated.usage.inputTokens)),
    outputTokens: Math.max(0, Math.round(generated.usage.outputTokens)),
    latencyMs: answer.latencyMs,
    at,
  };
  if (generated.costUsd !== undefined && generated.costUsd >= 0) usage.costUsd = generated.costUsd;
  const added: Message[] = [];
  if (generated.notice) added.push({ id: newId(), role: 'notice', text: generated.notice, createdAt: at, turnId, status: 'complete' });
  added.push({ id: newId(), role: 'assistant', text: finalReply, createdAt: at, turnId, provider: answer.answeredBy, model: answer.model, status: 'complete' });
  // The interview names the session after its agent type, unless the user renamed it meanwhile.
  const autoTitle = merge.stored.includes('agent_type') && spec.agent_type && latest.title === asked.title;
  // What "undo that" restores: the design before this turn, when this turn changed it.
  const changedByChat = designChanged || intents.parked !== null || merge.stored.length > 0 || stage !== stage0;
  const session: Session = {
    ...latest,
    title: autoTitle ? titleFor(spec.agent_type!.value) : latest.title,
    stage,
    stageHistory: withStages(latest, settled.steps, at),
    awaiting,
    spec,
    messages: latest.messages.concat(added),
    usage: latest.usage.concat(usage),
    updatedAt: at,
  };
  if (changedByChat) {
    session.undo = { stage: stage0, awaiting: latest.awaiting, spec: latest.spec, change: changeSummary(merge.stored, intents.lines, intents.parked, latest.spec) };
  }
  return { session, reply: finalReply, extraDelta: extra && reply ? `\n\n${extra}` : extra };
}

function usageOf(answer: TurnAnswer, at: string): TurnUsage {
  const { generated } = answer;
  const usage: TurnUsage = {
    turnId: answer.turnId,
    provider: answer.answeredBy,
    model: answer.model,
    inputTokens: Math.max(0, Math.round(generated.usage.inputTokens)),
    outputTokens: Math.max(0, Math.round(generated.usage.outputTokens)),
    latencyMs: answer.latencyMs,
    at,
  };
  if (generated.costUsd !== undefined && generated.costUsd >= 0) usage.costUsd = generated.costUsd;
  return usage;
}

/** "Undo that": the design, stage and question go back to before the last change made in chat. */
function applyUndo(latest: Session, answer: TurnAnswer, reply: string, at: string, newId: () => string): AppliedTurn {
  const previous = latest.undo;
  let next: Session = latest;
  let text: string;
  if (!previous) {
    text = `There is nothing to undo yet.${latest.awaiting ? ` ${questionFor(latest.awaiting, latest.spec)}` : ''}`;
  } else {
    const steps = previous.stage !== latest.stage ? [{ from: latest.stage, to: previous.stage, rule: 'undo', reason: 'the user undid the last change' }] : [];
    const ask = previous.awaiting ? ` ${questionFor(previous.awaiting, previous.spec)}` : '';
    text = `Undone: ${previous.change}.${ask}`;
    next = {
      ...latest,
      spec: previous.spec,
      stage: previous.stage,
      awaiting: previous.awaiting,
      stageHistory: withStages(latest, steps, at),
      title: previous.spec.agent_type && latest.title === titleFor(latest.spec.agent_type?.value ?? '') ? titleFor(previous.spec.agent_type.value) : latest.title,
    };
    delete next.undo;
  }
  const finalReply = reply.trim() ? `${reply}\n\n${text}` : text;
  const message: Message = { id: newId(), role: 'assistant', text: finalReply, createdAt: at, turnId: answer.turnId, provider: answer.answeredBy, model: answer.model, status: 'complete' };
  next = { ...next, messages: latest.messages.concat(message), usage: latest.usage.concat(usageOf(answer, at)), updatedAt: at };
  return { session: next, reply: finalReply, extraDelta: reply.trim() ? `\n\n${text}` : text };
}
