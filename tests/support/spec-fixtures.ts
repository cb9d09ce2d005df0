import type { JsonSchemaDoc, ToolSpec } from '../../shared/spec';
import type { GenerateOptions, GenerateResult, LlmProvider, TurnRequest, TurnResult } from '../../electron/llm/types';

/** Test data builders for specs and a scripted provider; used by the orchestrator's tests only. */

export function f<T>(value: T, extra: { confidence?: number; source?: string; locked?: boolean } = {}) {
  return { value, confidence: extra.confidence ?? 1, source: extra.source ?? 'm1', locked: extra.locked ?? false };
}

export const ORDER_INPUT: JsonSchemaDoc = {
  type: 'object',
  properties: { order_id: { type: 'string', description: 'The order number' } },
  required: ['order_id'],
};

export function completeTool(name: string): ToolSpec {
  return {
    name: f(name),
    purpose: f('Looks up an order'),
    endpoint: f('https://api.example.com/orders/{order_id}'),
    method: f('GET' as const),
    auth: f({ type: 'bearer' as const, header: 'Authorization' }),
    input_schema: f(ORDER_INPUT),
    output_schema: f({ type: 'object', properties: { status: { type: 'string' } } }),
    trigger: f('When the caller asks about an order'),
    error_handling: f('Apologise and offer a human'),
  };
}

export type ScriptStep =
  | (Partial<TurnResult> & { reply: string })
  | ((request: TurnRequest, options: GenerateOptions) => Promise<Partial<TurnResult> & { reply: string }>);

/**
 * A provider that answers from a script, one step per turn, streaming the reply in two pieces.
 * It records every request so tests can check the context the orchestrator built.
 */
export function scriptedProvider(steps: ScriptStep[]): LlmProvider & { requests: TurnRequest[] } {
  const requests: TurnRequest[] = [];
  let i = 0;
  return {
    name: 'openai',
    model: 'scripted-model',
    requests,
    async generateTurn(request, options = {}): Promise<GenerateResult> {
      requests.push(request);
      const step = steps[i++];
      if (!step) throw new Error('the script ran out of steps');
      const partial = typeof step === 'function' ? await step(request, options) : step;
      const result: TurnResult = { extracted: {}, awaiting: null, intent: {}, ...partial };
      const half = Math.floor(result.reply.length / 2);
      options.onDelta?.(result.reply.slice(0, half));
      options.onDelta?.(result.reply.slice(half));
      return { result, usage: { inputTokens: 100, outputTokens: 20 }, model: 'scripted-model' };
    },
  };
}
