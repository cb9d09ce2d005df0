import { ParleyError } from '../../shared/errors';
import { emptySpec, type AgentSpec } from '../../shared/spec';
import { SESSION_SCHEMA_VERSION, type Message, type Session, type TurnUsage } from '../../shared/session';
import { Stage, stageIndex } from '../../shared/stages';
import type { Settings } from '../../shared/settings';
import type { ProviderChoice } from '../../shared/providers';
import type { SessionStore } from '../store/types';
import type { Route } from '../llm/router';
import { TurnResult, type ChatMessage, type LlmProvider, type TurnRequest } from '../llm/types';
import type { Orchestrator, TurnOptions, TurnOutcome } from './types';
import { getField, parsePath, titleFor, type TopField } from '../interview/fields';
import { editField as editSpecField, mergeExtraction, reopenStage, setLocked as setSpecLocked, type MergeResult } from '../interview/merge';
import { decideTransition, deriveFacts, runTransitions, type Transition } from '../interview/transitions';
import { isAskable, nextMissingField, questionFor, reentryAwaiting, reentryMessage } from '../interview/questions';
import { resolveStageTarget } from '../interview/answers';
import { generateAgentPrompt, workflowSummary } from '../interview/prompt-generator';
import { stageSystemPrompt } from '../interview/prompts';

export interface OrchestratorDeps {
  store: SessionStore;
  getSettings: () => Promise<Settings>;
  resolveProvider: (stage: Stage, choice: ProviderChoice) => Promise<Route>;
  clock: () => Date;
  newId: () => string;
}

/** The interview plus the hand-editing operations the spec panel and stage tracker need. */
export interface InterviewOrchestrator extends Orchestrator {
  /** Sets a field by hand (validated, confidence 1, source "user-edit", locked). */
  editField(sessionId: string, path: string, value: unknown): Promise<Session>;
  setLocked(sessionId: string, path: string, locked: boolean): Promise<Session>;
  /** Reopens an earlier stage; FINALIZING regenerates the prompt and returns to COMPLETED. */
  goToStage(sessionId: string, stage: Stage): Promise<Session>;
}

export const GREETING =
  "Hi, I'm Parley. I'll help you design a voice agent step by step, and build its spec as we talk. What kind of voice agent would you like to create?";

/** The last n chat messages, oldest first, walking back from the end: O(n), not O(history). */
function recentMessages(messages: Message[], n: number): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = messages.length - 1; i >= 0 && out.length < n; i--) {
    const m = messages[i];
    if (m && (m.role === 'user' || m.role === 'assistant') && m.status !== 'error' && m.text) out.push({ role: m.role, text: m.text });
  }
  return out.reverse();
}

function cancelled(signal: AbortSignal | undefined): ParleyError {
  const reason: unknown = signal?.reason;
  return reason instanceof ParleyError && reason.code === 'CANCELLED' ? reason : new ParleyError('CANCELLED', 'The turn was stopped.');
}

function toParleyError(error: unknown, signal: AbortSignal | undefined, provider: LlmProvider | undefined): ParleyError {
  if (signal?.aborted) return cancelled(signal);
  if (error instanceof ParleyError) return error;
  if (error instanceof Error && error.name === 'AbortError') return cancelled(signal);
  const detail = error instanceof Error ? error.message : String(error);
  const who = provider ? `The ${provider.name} provider` : 'The provider';
  return new ParleyError('PROVIDER_UNAVAILABLE', `${who} failed: ${detail}. Try again, or choose another provider in Settings.`);
}

/** Writes the generated prompt and first message, leaving hand-locked ones alone. */
function applyGenerated(spec: AgentSpec, source: string): AgentSpec {
  const { systemPrompt, firstMessage } = generateAgentPrompt(spec);
  const next = { ...spec };
  if (!spec.system_prompt?.locked) next.system_prompt = { value: systemPrompt, confidence: 1, source, locked: false };
  if (!spec.first_message?.locked) next.first_message = { value: firstMessage, confidence: 1, source, locked: false };
  return next;
}

function completionText(spec: AgentSpec): string {
  return `Your agent is ready. I generated its system prompt (see the spec panel) and its first message: "${spec.first_message?.value ?? ''}". You can still edit any field and regenerate, or export the agent.`;
}

function confirmQuestion(path: string, spec: AgentSpec): string {
  const candidate = spec.candidates[path];
  const shown = typeof candidate?.value === 'string' ? candidate.value : JSON.stringify(candidate?.value);
  return `Just to check: should ${path.replace(/_/g, ' ')} be "${shown}"? Say yes, or tell me in your own words.`;
}

/** Follows the rules after a merge: transitions, reopening, and generation on FINALIZING. */
function settle(
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

export function createOrchestrator(deps: OrchestratorDeps): InterviewOrchestrator {
  const { store, getSettings, resolveProvider, clock, newId } = deps;
  const now = () => clock().toISOString();
  const queues = new Map<string, Promise<unknown>>();

  /** One turn or edit at a time per session; a failure does not block the next one. */
  function serial<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(sessionId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(sessionId, tail);
    void tail.then(() => {
      if (queues.get(sessionId) === tail) queues.delete(sessionId);
    });
    return run;
  }

  function withStages(session: Session, steps: Transition[], at: string): Session['stageHistory'] {
    return steps.length ? session.stageHistory.concat(steps.map((s) => ({ stage: s.to, at }))) : session.stageHistory;
  }

  async function runTurn(sessionId: string, text: string, options: TurnOptions): Promise<TurnOutcome> {
    const { turnId, signal, onDelta, onStatus } = options;
    const stored = await store.get(sessionId);
    // Retrying a turn that got no reply at all (provider down, cancelled before the first token)
    // answers the message already saved instead of storing it twice.
    const last = stored.messages.at(-1);
    const retry = last?.role === 'user' && last.text === text;
    const userMessage: Message = retry ? { ...last, turnId } : { id: newId(), role: 'user', text, createdAt: now(), turnId, status: 'complete' };
    const earlier = retry ? stored.messages.slice(0, -1) : stored.messages;
    let session: Session = { ...stored, messages: earlier.concat(userMessage), updatedAt: now() };
    // On disk before the provider is called (a journal append; the store rewrites the file later).
    await store.journal(session);

    let provider: LlmProvider | undefined;
    let streamed = '';
    let generated;
    let settings: Settings;
    const started = clock().getTime();
    try {
      if (signal?.aborted) throw cancelled(signal);
      settings = await getSettings();
      provider = (await resolveProvider(session.stage, session.provider)).provider;
      const request: TurnRequest = {
        stage: session.stage,
        system: stageSystemPrompt(session.stage, session.spec, session.awaiting, settings.confidenceThreshold),
        messages: recentMessages(session.messages, settings.contextMessages),
        spec: session.spec,
        awaiting: session.awaiting,
        temperature: settings.temperature,
        maxTokens: settings.maxTokens,
      };
      generated = await provider.generateTurn(request, {
        signal,
        onStatus: (status) => {
          // The provider will stream the reply again from the start (retry or fallback).
          if (status.resetReply) streamed = '';
          onStatus?.(status);
        },
        onDelta: (delta) => {
          streamed += delta;
          onDelta?.(delta);
        },
      });
      if (signal?.aborted) throw cancelled(signal);
    } catch (error) {
      if (streamed) {
        const partial: Message = {
          id: newId(),
          role: 'assistant',
          text: streamed,
          createdAt: now(),
          turnId,
          provider: provider?.name,
          model: provider?.model,
          status: 'partial',
        };
        session = { ...session, messages: session.messages.concat(partial), updatedAt: partial.createdAt };
        await store.journal(session);
      }
      throw toParleyError(error, signal, provider);
    }
    const latencyMs = generated.latencyMs ?? Math.max(0, clock().getTime() - started);
    const answeredBy = generated.provider ?? provider.name;

    // A malformed structured part must not hide the text the user already saw.
    const parsed = TurnResult.safeParse(generated.result);
    const result: TurnResult = parsed.success
      ? parsed.data
      : { reply: typeof generated.result?.reply === 'string' ? generated.result.reply : streamed, extracted: {}, awaiting: null, intent: {} };
    const reply = result.reply || streamed;

    const stage0 = session.stage;
    const extracted = { ...result.extracted };
    if (result.intent.no_more_tools && !extracted.tools_done) extracted.tools_done = { value: true, confidence: 1 };
    const merge = mergeExtraction(session.spec, extracted, {
      threshold: settings.confidenceThreshold,
      source: userMessage.id,
      stage: stage0,
    });
    let spec = approval(merge, stage0, result.intent.approve === true, userMessage.id);
    const designChanged = merge.stored.some((p) => p !== 'workflow_approved' && p !== 'tools_done');

    const goBackTo = result.intent.go_back_to ? resolveStageTarget(result.intent.go_back_to, spec) : null;
    const settled = settle(stage0, spec, { stage_complete: result.stage_complete, goBackTo }, userMessage.id);
    spec = settled.spec;
    const stage = settled.stage;
    let regenerated = settled.generated;
    if (!regenerated && stage0 === 'COMPLETED' && stage === 'COMPLETED' && designChanged) {
      spec = applyGenerated(spec, userMessage.id);
      regenerated = true;
    }

    const clarifications = [
      ...merge.rejected,
      ...merge.unconfirmed.map((path) => ({ path, message: confirmQuestion(path, spec) })),
    ];
    const clarify = clarifications[0];
    const modelAwaiting = result.awaiting;
    let awaiting: string | null;
    if (clarify) awaiting = clarify.path;
    else if (settled.jumped) awaiting = reentryAwaiting(stage, spec);
    else if (modelAwaiting && isAskable(stage, spec, modelAwaiting)) awaiting = modelAwaiting;
    else awaiting = nextMissingField(stage, spec);

    // The rules may have decided differently from the model; say what they decided.
    let extra = '';
    if (clarify) {
      if (clarify.path !== modelAwaiting) extra = clarify.message;
    } else if (stage === 'REVIEWING_WORKFLOW' && (stage !== stage0 || designChanged)) {
      extra = `${workflowSummary(spec)}\n\n${questionFor('workflow_approved', spec)}`;
    } else if (stage === 'COMPLETED' && regenerated) {
      extra = completionText(spec);
    } else if (awaiting && awaiting !== modelAwaiting) {
      extra = settled.jumped ? reentryMessage(stage, spec) : questionFor(awaiting, spec);
    }
    const locked = merge.ignored.filter((i) => i.reason === 'locked').map((i) => i.path);
    if (locked.length && !reply.includes('locked')) {
      const note = `(${locked.join(', ')} ${locked.length === 1 ? 'is' : 'are'} locked, so I kept the value you set; unlock it in the spec panel to let me change it.)`;
      extra = extra ? `${note}\n\n${extra}` : note;
    }
    if (extra) {
      const delta = reply ? `\n\n${extra}` : extra;
      onDelta?.(delta);
    }
    const finalReply = extra ? (reply ? `${reply}\n\n${extra}` : extra) : reply;

    const at = now();
    const model = generated.model || provider.model;
    const usage: TurnUsage = {
      turnId,
      provider: answeredBy,
      model,
      inputTokens: Math.max(0, Math.round(generated.usage.inputTokens)),
      outputTokens: Math.max(0, Math.round(generated.usage.outputTokens)),
      latencyMs,
      at,
    };
    if (generated.costUsd !== undefined && generated.costUsd >= 0) usage.costUsd = generated.costUsd;
    const added: Message[] = [];
    if (generated.notice) added.push({ id: newId(), role: 'notice', text: generated.notice, createdAt: at, turnId, status: 'complete' });
    added.push({
      id: newId(),
      role: 'assistant',
      text: finalReply,
      createdAt: at,
      turnId,
      provider: answeredBy,
      model,
      status: 'complete',
    });
    session = {
      ...session,
      title: merge.stored.includes('agent_type') && spec.agent_type ? titleFor(spec.agent_type.value) : session.title,
      stage,
      stageHistory: withStages(session, settled.steps, at),
      awaiting,
      spec,
      messages: session.messages.concat(added),
      usage: session.usage.concat(usage),
      updatedAt: at,
    };
    await store.journal(session);
    return { session, reply: finalReply, provider: answeredBy, model };
  }

  /** Approval counts only in review, and never in the same turn as a change to the design. */
  function approval(merge: MergeResult, stage: Stage, approve: boolean, source: string): AgentSpec {
    const spec = merge.spec;
    if (stage !== 'REVIEWING_WORKFLOW' || spec.workflow_approved?.locked) return spec;
    const changed = merge.stored.some((p) => p !== 'workflow_approved');
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

  async function update(sessionId: string, change: (session: Session) => Session): Promise<Session> {
    return serial(sessionId, async () => {
      const session = change(await store.get(sessionId));
      await store.save(session);
      return session;
    });
  }

  return {
    async createSession(options) {
      const at = now();
      const session: Session = {
        schemaVersion: SESSION_SCHEMA_VERSION,
        id: newId(),
        title: 'New agent',
        createdAt: at,
        updatedAt: at,
        provider: options?.provider ?? 'auto',
        stage: 'INITIAL',
        stageHistory: [{ stage: 'INITIAL', at }],
        awaiting: 'agent_type',
        spec: emptySpec(),
        messages: [{ id: newId(), role: 'assistant', text: GREETING, createdAt: at, status: 'complete' }],
        usage: [],
      };
      return store.create(session);
    },

    processMessage(sessionId, text, options) {
      return serial(sessionId, () => runTurn(sessionId, text, options));
    },

    editField(sessionId, path, value) {
      return update(sessionId, (session) => {
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
          updatedAt: now(),
        };
      });
    },

    setLocked(sessionId, path, locked) {
      return update(sessionId, (session) => ({ ...session, spec: setSpecLocked(session.spec, path, locked), updatedAt: now() }));
    },

    goToStage(sessionId, target) {
      return update(sessionId, (session) => {
        const stage = Stage.parse(target);
        if (stage === 'INITIAL' || stageIndex(stage) >= stageIndex(session.stage)) {
          throw new ParleyError(
            'INVALID_INPUT',
            `You can only go back to an earlier stage than ${session.stage} (and not to INITIAL); ${stage} is not one.`,
          );
        }
        const at = now();
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
      });
    },
  };
}
