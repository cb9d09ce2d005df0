import { ParleyError } from '../../shared/errors';
import type { Message, Session } from '../../shared/session';
import type { Stage } from '../../shared/stages';
import type { Settings } from '../../shared/settings';
import type { ProviderChoice } from '../../shared/providers';
import { TurnResult, type ChatMessage, type GenerateResult, type LlmProvider, type Route } from '../llm/types';
import { KeyedQueue } from '../services/keyed-queue';
import type { Orchestrator, SessionUpdates, TurnOptions, TurnOutcome, UpdateOptions } from './types';
import { applyTurnResult, withMessages, withUserMessage, type AppliedTurn } from '../interview/apply-turn';
import { editSessionField, jumpToStage, lockSessionField, newSession, regenerateField } from '../interview/session-steps';
import { stageSystemPrompt } from '../interview/prompts';

/** Hand edits are versioned in batches (electron/versions). */
const HAND_EDIT: UpdateOptions = { snapshot: { cause: 'edit' } };

export { GREETING } from '../interview/session-steps';

export interface OrchestratorDeps {
  /** Every write goes through the session service's per-session queue. */
  sessions: SessionUpdates;
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
  /** Drops a hand edit of the prompt or first message: unlocks it and writes the generated text. */
  regenerate(sessionId: string, path: 'system_prompt' | 'first_message'): Promise<Session>;
}

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

export function createOrchestrator(deps: OrchestratorDeps): InterviewOrchestrator {
  const { sessions, getSettings, resolveProvider, clock, newId } = deps;
  const now = () => clock().toISOString();
  /** One turn at a time per session; edits do not wait for a turn (they go straight to the session queue). */
  const turns = new KeyedQueue();

  /**
   * A turn holds the session's write queue only for its two short writes (the user's message,
   * then the reply and what it changed), never while the provider streams.
   */
  async function answerMessage(sessionId: string, text: string, options: TurnOptions): Promise<TurnOutcome> {
    const { turnId, signal, onDelta, onStatus } = options;
    let userMessage!: Message;
    // On disk before the provider is called (a journal append; the store rewrites the file later).
    const asked = await sessions.update(
      sessionId,
      (stored) => {
        const started = withUserMessage(stored, text, turnId, now(), newId);
        userMessage = started.userMessage;
        return started.session;
      },
      { journal: true, announce: false },
    );

    let provider: LlmProvider | undefined;
    let streamed = '';
    let generated: GenerateResult;
    let settings: Settings;
    const started = clock().getTime();
    try {
      if (signal?.aborted) throw cancelled(signal);
      settings = await getSettings();
      provider = (await resolveProvider(asked.stage, asked.provider)).provider;
      generated = await provider.generateTurn(
        {
          stage: asked.stage,
          system: stageSystemPrompt(asked.stage, asked.spec, asked.awaiting, settings.confidenceThreshold),
          messages: recentMessages(asked.messages, settings.contextMessages),
          spec: asked.spec,
          awaiting: asked.awaiting,
          temperature: settings.temperature,
          maxTokens: settings.maxTokens,
          threshold: settings.confidenceThreshold,
        },
        {
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
        },
      );
      if (signal?.aborted) throw cancelled(signal);
    } catch (error) {
      if (streamed) {
        const at = now();
        const partial: Message = { id: newId(), role: 'assistant', text: streamed, createdAt: at, turnId, provider: provider?.name, model: provider?.model, status: 'partial' };
        await sessions.update(sessionId, (latest) => withMessages(latest, [partial], at), { journal: true, announce: false });
      }
      throw toParleyError(error, signal, provider);
    }

    // A malformed structured part must not hide the text the user already saw.
    const parsed = TurnResult.safeParse(generated.result);
    const result: TurnResult = parsed.success
      ? parsed.data
      : { reply: typeof generated.result?.reply === 'string' ? generated.result.reply : streamed, extracted: {}, awaiting: null, intent: {} };
    const answer = {
      asked,
      userMessage,
      turnId,
      generated,
      result,
      streamed,
      answeredBy: generated.provider ?? provider.name,
      model: generated.model || provider.model,
      latencyMs: generated.latencyMs ?? Math.max(0, clock().getTime() - started),
      threshold: settings.confidenceThreshold,
    };
    let applied!: AppliedTurn;
    const session = await sessions.update(
      sessionId,
      (latest) => {
        applied = applyTurnResult(latest, answer, now(), newId);
        return applied.session;
      },
      { journal: true, announce: false },
    );
    if (applied.extraDelta) onDelta?.(applied.extraDelta);
    return { session, reply: applied.reply, provider: answer.answeredBy, model: answer.model };
  }

  return {
    createSession: (options) => sessions.create(newSession(now(), newId, options?.provider)),
    processMessage: (sessionId, text, options) => turns.run(sessionId.toLowerCase(), () => answerMessage(sessionId, text, options)),
    editField: (sessionId, path, value) => sessions.update(sessionId, (s) => editSessionField(s, path, value, now()), HAND_EDIT),
    setLocked: (sessionId, path, locked) => sessions.update(sessionId, (s) => lockSessionField(s, path, locked, now()), HAND_EDIT),
    goToStage: (sessionId, stage) => sessions.update(sessionId, (s) => jumpToStage(s, stage, now(), newId)),
    regenerate: (sessionId, path) => sessions.update(sessionId, (s) => regenerateField(s, path, now()), HAND_EDIT),
  };
}
