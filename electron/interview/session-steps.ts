import { ParleyError } from '../../shared/errors';
import { emptySpec, type AgentSpec } from '../../shared/spec';
import { SESSION_SCHEMA_VERSION, type Message, type Session } from '../../shared/session';
import { Stage, stageIndex } from '../../shared/stages';
import type { ProviderChoice } from '../../shared/providers';
import { getField, parsePath, titleFor, type TopField } from './fields';
import { editField as editSpecField, reopenStage, setLocked as setSpecLocked } from './merge';
import { decideTransition, deriveFacts, runTransitions, type Transition } from './transitions';
import { nextMissingField, questionFor, reentryAwaiting, reentryMessage } from './questions';
import { generateAgentPrompt, workflowSummary } from './prompt-generator';

/**
 * The interview's changes to a session, as pure functions of the session they are applied to.
 * The session service runs each one on the newest stored session inside that session's queue,
 * so a change never writes back a stale copy.
 */

export const GREETING =
  "Hi, I'm Parley. I'll help you design a voice agent step by step, and build its spec as we talk. What kind of voice agent would you like to create?";

export function newSession(at: string, newId: () => string, provider: ProviderChoice = 'auto'): Session {
  return {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id: newId(),
    title: 'New agent',
    createdAt: at,
    updatedAt: at,
    provider,
    stage: 'INITIAL',
    stageHistory: [{ stage: 'INITIAL', at }],
    awaiting: 'agent_type',
    spec: emptySpec(),
    messages: [{ id: newId(), role: 'assistant', text: GREETING, createdAt: at, status: 'complete' }],
    usage: [],
  };
}

/** Writes the generated prompt and first message, leaving hand-locked ones alone. */
export function applyGenerated(spec: AgentSpec, source: string): AgentSpec {
  const { systemPrompt, firstMessage } = generateAgentPrompt(spec);
  const next = { ...spec };
  if (!spec.system_prompt?.locked) next.system_prompt = { value: systemPrompt, confidence: 1, source, locked: false };
  if (!spec.first_message?.locked) next.first_message = { value: firstMessage, confidence: 1, source, locked: false };
  return next;
}

export function completionText(spec: AgentSpec): string {
  return `Your agent is ready. I generated its system prompt (see the spec panel) and its first message: "${spec.first_message?.value ?? ''}". You can still edit any field and regenerate, or export the agent.`;
}

export function withStages(session: Session, steps: Transition[], at: string): Session['stageHistory'] {
  return steps.length ? session.stageHistory.concat(steps.map((s) => ({ stage: s.to, at }))) : session.stageHistory;
}

/** Follows the rules after a merge: transitions, reopening, and generation on FINALIZING. */
export function settle(
  stage: Stage,
  spec: AgentSpec,
  proposal: { stage_complete?: boolean; goBackTo?: Stage | null },
  source: string,
): { stage: Stage; spec: AgentSpec; steps: Transition[]; jumped: boolean; generated: boolean } {
  const run = runTransitions(stage, spec, proposal);
  const steps = run.steps;
  let next = spec;
  let current = run.stage;
  const jumped = steps.some((s) => s.rule === 'jump-back');
  if (jumped) next = reopenStage(next, current);
  let generated = false;
  if (current === 'FINALIZING') {
    next = applyGenerated(next, source);
    generated = true;
    const t = decideTransition(current, deriveFacts(next, false));
    if (t.to !== current) {
      steps.push(t);
      current = t.to;
    }
  }
  return { stage: current, spec: next, steps, jumped, generated };
}

/** Sets a field by hand (validated, confidence 1, source "user-edit", locked). */
export function editSessionField(session: Session, path: string, value: unknown, at: string): Session {
  let spec = editSpecField(session.spec, path, value);
  const parsed = parsePath(path);
  const generatedField = parsed?.kind === 'top' && (['system_prompt', 'first_message'] as TopField[]).includes(parsed.key);
  if (session.stage === 'COMPLETED' && !generatedField) spec = applyGenerated(spec, 'user-edit');
  // A hand edit may answer the pending question; then the interview moves to the next one.
  const pending = session.awaiting ? parsePath(session.awaiting) : null;
  const answered = pending !== null && getField(spec, pending) !== undefined && !(session.awaiting! in spec.candidates);
  const awaiting = answered ? nextMissingField(session.stage, spec) : session.awaiting;
  return {
    ...session,
    spec,
    awaiting,
    title: path === 'agent_type' && spec.agent_type ? titleFor(spec.agent_type.value) : session.title,
    updatedAt: at,
  };
}

/** What the generator makes of the spec now (shown beside a hand-edited prompt). */
export function generatedTexts(spec: AgentSpec): { system_prompt: string; first_message: string } {
  const { systemPrompt, firstMessage } = generateAgentPrompt(spec);
  return { system_prompt: systemPrompt, first_message: firstMessage };
}

/** Drops a hand edit of the prompt or the first message: unlocked, the generated text again. */
export function regenerateField(session: Session, path: 'system_prompt' | 'first_message', at: string): Session {
  if (!session.spec[path]) throw new ParleyError('INVALID_INPUT', 'The prompt is generated once the workflow is approved; there is nothing to regenerate yet.');
  const generated = applyGenerated({ ...session.spec, [path]: undefined }, 'generated');
  // applyGenerated rewrites every unlocked generated field; only `path` was asked for.
  const other = path === 'system_prompt' ? 'first_message' : 'system_prompt';
  return { ...session, spec: { ...generated, [other]: session.spec[other] }, updatedAt: at };
}

export function lockSessionField(session: Session, path: string, locked: boolean, at: string): Session {
  return { ...session, spec: setSpecLocked(session.spec, path, locked), updatedAt: at };
}

/** Reopens an earlier stage; FINALIZING regenerates the prompt and returns to COMPLETED. */
export function jumpToStage(session: Session, target: Stage, at: string, newId: () => string): Session {
  const stage = Stage.parse(target);
  if (stage === 'INITIAL' || stageIndex(stage) >= stageIndex(session.stage)) {
    throw new ParleyError(
      'INVALID_INPUT',
      `You can only go back to an earlier stage than ${session.stage} (and not to INITIAL); ${stage} is not one.`,
    );
  }
  const settled = settle(session.stage, session.spec, { goBackTo: stage }, 'user-edit');
  const spec = settled.spec;
  const text =
    settled.stage === 'REVIEWING_WORKFLOW'
      ? `${workflowSummary(spec)}\n\n${questionFor('workflow_approved', spec)}`
      : settled.stage === 'COMPLETED'
        ? completionText(spec)
        : reentryMessage(settled.stage, spec);
  const message: Message = { id: newId(), role: 'assistant', text, createdAt: at, status: 'complete' };
  return {
    ...session,
    stage: settled.stage,
    stageHistory: withStages(session, settled.steps, at),
    awaiting: reentryAwaiting(settled.stage, spec),
    spec,
    messages: session.messages.concat(message),
    updatedAt: at,
  };
}
