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

export interface GenerateOptions {
  signal?: AbortSignal;
  /** Reply text as it streams, in order. */
  onDelta?: (text: string) => void;
  /** Progress that the user should see (e.g. "retrying in 4 s (attempt 2 of 4)"). */
  onStatus?: (status: { message: string; retryInMs?: number; attempt?: number; maxAttempts?: number }) => void;
}

export interface GenerateResult {
  result: TurnResult;
  usage: TurnUsageFigures;
  model: string;
}

export interface LlmProvider {
  readonly name: ProviderName;
  readonly model: string;
  generateTurn(request: TurnRequest, options?: GenerateOptions): Promise<GenerateResult>;
}
