import { z } from 'zod';
import type { AgentSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import type { ProviderName } from '../../shared/providers';

/**
 * What the user's message was, decided before anything is stored. Only answer-like kinds
 * (answer, answers, accept_suggestion, correction, go_back with a value, conditional_approval's
 * change) may change spec values; the others get an explanation, a proposal, a parked field, a
 * tool edit or an undo.
 */
export const MESSAGE_KINDS = [
  'answer',
  'answers',
  'question',
  'dont_know',
  'suggest',
  'accept_suggestion',
  'skip',
  'correction',
  'go_back',
  'tool_op',
  'undo',
  'conditional_approval',
  'off_topic',
] as const;
export const MessageKind = z.enum(MESSAGE_KINDS);
export type MessageKind = z.infer<typeof MessageKind>;

/** A tool edit asked for in chat; `tool` is the tool's name, "tools[1]", or an ordinal ("second"). */
export const ToolOpProposal = z.object({
  op: z.enum(['remove', 'rename', 'move']),
  tool: z.string(),
  /** rename: the new name */
  name: z.string().optional(),
  /** move: the new 0-based position */
  position: z.number().int().min(0).optional(),
});
export type ToolOpProposal = z.infer<typeof ToolOpProposal>;

/** What every provider must return for a turn: the model proposes, the orchestrator's rules decide. */
export const TurnResult = z.object({
  reply: z.string(),
  /** The kind of the user's message; absent means "answer" (providers written before kinds existed). */
  kind: MessageKind.optional(),
  /** Field path (e.g. "goals", "tools[0].endpoint") → proposed value with the model's confidence. */
  extracted: z
    .record(z.string(), z.object({ value: z.unknown(), confidence: z.number().min(0).max(1) }))
    .default({}),
  stage_complete: z.boolean().optional(),
  /** The field the reply asks about next, or null. */
  awaiting: z.string().nullable().default(null),
  /** A concrete proposal for a field ("what do you suggest?"): kept as an unconfirmed candidate to accept or change. */
  suggestion: z.object({ field: z.string(), value: z.unknown() }).optional(),
  /** Non-field signals read from the user's message. */
  intent: z
    .object({
      approve: z.boolean().optional(),
      no_more_tools: z.boolean().optional(),
      go_back_to: z.string().optional(),
      /** A field the user wants to change next, without giving the value yet ("can we go back and change the tone?"). */
      revisit: z.string().optional(),
      /** A field the user skipped for now: parked, shown as still needed, asked again before the review. */
      skip: z.string().optional(),
      /** "Undo that": restore the design before the last change. */
      undo: z.boolean().optional(),
      /** A conditional approval's condition ("approve, as long as …"): not an approval; a change to make first. */
      change_request: z.string().optional(),
      tool_ops: z.array(ToolOpProposal).optional(),
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
  /** Settings' confidence threshold: values below it are asked back, not stored. */
  threshold?: number;
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
