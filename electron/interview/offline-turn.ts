import type { AgentSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import type { MessageKind, TurnResult } from '../llm/types';
import type { Lang } from './lexicon';
import { questionFor } from './questions';

/** What every turn of the offline interviewer shares: the turn's context and the reply's shape. */

export const OFFLINE_NOTE =
  "(I'm Parley's offline interviewer: I read your answers on this computer, without an AI model, so describe things plainly. Add an OpenAI or Anthropic key in Settings for a free-form AI interview.)";

export interface Ctx {
  stage: Stage;
  spec: AgentSpec;
  awaiting: string | null;
  threshold: number;
  text: string;
  userLang: Lang | null;
  /** true on the first message of the session */
  first: boolean;
}

export function result(kind: MessageKind, reply: string, awaiting: string | null, extra: Partial<TurnResult> = {}): TurnResult {
  return { kind, reply, extracted: {}, awaiting, intent: {}, stage_complete: false, ...extra };
}

/** The question for the awaited field, or a pointer to what can be said at the end. */
export function askAgain(ctx: Ctx): string {
  if (ctx.awaiting) return questionFor(ctx.awaiting, ctx.spec);
  if (ctx.stage === 'COMPLETED') return 'Your agent is complete. Tell me what to change (for example "change the tone to warm and upbeat"), say "regenerate", or export it.';
  return 'What would you like to change?';
}

/** Fields where "skip for now" is not possible: the answer decides what happens next. */
export function skippable(path: string | null): boolean {
  return !!path && !['use_tools', 'tools_done', 'workflow_approved', 'system_prompt'].includes(path) && !/\.name$/.test(path);
}

/** The question for a field, even when it is parked. */
export function plainQuestion(path: string, spec: AgentSpec): string {
  return questionFor(path, { ...spec, parked: [] });
}
