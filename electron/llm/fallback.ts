import { ParleyError } from '../../shared/errors';
import type { ProviderName } from '../../shared/providers';
import type { GenerateOptions, GenerateResult, LlmProvider, TurnRequest } from './types';

export const PROVIDER_LABELS: Record<ProviderName, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  local: 'The local endpoint',
  offline: 'The offline interviewer',
};

/**
 * The routed provider, and once, another one: when the routed provider is unavailable (after
 * its own retries), or answered but its structured part could not be read even after repair.
 * Auth failures and cancellation are never masked by a fallback: the user must act on them.
 */
export function withFallback(primary: LlmProvider, secondary: LlmProvider): LlmProvider {
  return {
    name: primary.name,
    model: primary.model,
    async generateTurn(request: TurnRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
      const from = PROVIDER_LABELS[primary.name];
      const to = PROVIDER_LABELS[secondary.name];
      let degraded: GenerateResult | undefined;
      let why: string;
      try {
        const first = await primary.generateTurn(request, options);
        if (first.extraction !== 'failed') return { ...first, provider: first.provider ?? primary.name };
        degraded = { ...first, provider: first.provider ?? primary.name };
        why = `${from}'s answer could not be read`;
      } catch (error) {
        if (!(error instanceof ParleyError) || error.code !== 'PROVIDER_UNAVAILABLE' || options.signal?.aborted) throw error;
        why = error.message;
      }
      options.onStatus?.({ message: `${why} — ${to} is answering instead.`, resetReply: true });
      try {
        const second = await secondary.generateTurn(request, options);
        if (degraded && second.extraction === 'failed') return degraded;
        return {
          ...second,
          provider: second.provider ?? secondary.name,
          fallbackFrom: primary.name,
          notice: `${to} answered because ${from} failed: ${why}`,
        };
      } catch (error) {
        if (degraded && !options.signal?.aborted) return degraded; // the first reply is never lost
        if (error instanceof ParleyError && error.code === 'PROVIDER_UNAVAILABLE') {
          throw new ParleyError('PROVIDER_UNAVAILABLE', `${why} Then: ${error.message}`);
        }
        throw error;
      }
    },
  };
}
