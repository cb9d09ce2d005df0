import { z } from 'zod';
import type { AgentSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import type { ProviderName } from '../../shared/providers';

/** What every provider must return for a turn: the model proposes, the orchestrator's rules decide. */
export const TurnResult = z.object({
  reply: z.string(),
  /** Field path (e.g. "goals", "tools[0].endpoint") → proposed value with the model's confidence. */
  extracted: z
    .record(z.string(), z.object({ value: z.unknown(), confidence: z.number().min(0).max(1) }))
    .default({}),
  stage_complete: z.boolean().optional(),
  /** The field the reply asks about next, or null. */
  awaiting: z.string().nullable().default(null),
  /** Non-field signals read from the user's message (approval, jump back, no more tools). */
  intent: z
    .object({
      approve: z.boolean().optional(),
      no_more_tools: z.boolean().optional(),
      go_back_to: z.string().optional(),
    })
    .default({}),
});
export type TurnResult = z.infer<typeof TurnResult>;

export interface ChatMessage {
  role: 'user' | 'assistant';
  text: string;
}

export interface TurnRequest {
  stage: Stage;
  /** The stage's system prompt, including the rules and the output format. */
  system: string;
  /** The last N messages (N from settings), oldest first; the current user message is last. */
  messages: ChatMessage[];
  spec: AgentSpec;
  awaiting: string | null;
  temperature: number;
  maxTokens: number;
}

export interface TurnUsageFigures {
  inputTokens: number;
  outputTokens: number;
}

export interface TurnStatus {
  message: string;
  retryInMs?: number;
  attempt?: number;
  maxAttempts?: number;
  /**
   * The reply text streamed so far will be streamed again from the start (a retry after a
   * broken stream, or another provider taking over): the chat should clear its partial text.
   */
  resetReply?: boolean;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** Reply text as it streams, in order. */
  onDelta?: (text: string) => void;
  /** Progress that the user should see (e.g. "retrying in 4 s (attempt 2 of 4)"). */
  onStatus?: (status: TurnStatus) => void;
}

/** How the structured part was obtained: first try, after the one repair request, or not at all. */
export type Extraction = 'structured' | 'repaired' | 'failed';

export interface GenerateResult {
  result: TurnResult;
  /** Tokens over every request of the turn (including a repair request). */
  usage: TurnUsageFigures;
  model: string;
  /** The provider that actually answered (after a fallback it differs from the routed one). */
  provider?: ProviderName;
  /** From the call to the first streamed reply character; null when nothing streamed. */
  firstTokenMs?: number | null;
  /** From the call to the complete result, including retries and repair. */
  latencyMs?: number;
  /** From electron/llm/prices.ts; undefined when the model has no listed price. */
  costUsd?: number;
  /** 'failed' means result.reply is the raw model text and result.extracted is {}. */
  extraction?: Extraction;
  /** Set when another provider answered because the routed one failed. */
  fallbackFrom?: ProviderName;
  /** Human-readable note on what happened (e.g. "OpenAI did not answer; Anthropic answered"). */
  notice?: string;
}

export interface LlmProvider {
  readonly name: ProviderName;
  readonly model: string;
  generateTurn(request: TurnRequest, options?: GenerateOptions): Promise<GenerateResult>;
}

/** The provider that answers a stage, as the router picked it. */
export interface Route {
  provider: LlmProvider;
  /** Why this provider answers (e.g. "routed", "fallback: no anthropic key", "no key configured"). */
  reason: string;
}
