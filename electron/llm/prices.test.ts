import { describe, it, expect } from 'vitest';
import { costUsd, priceOf } from './prices';
import { defaultSettings } from '../../shared/settings';

describe('prices', () => {
  it('prices the default models', () => {
    const s = defaultSettings();
    expect(priceOf(s.models.openai)).toBeDefined();
    expect(priceOf(s.models.anthropic)).toBeDefined();
  });

  it('computes cost from tokens and matches dated snapshots, not other variants', () => {
    expect(costUsd('gpt-5.5', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(35);
    expect(costUsd('gpt-5.5-2026-04-23', { inputTokens: 1000, outputTokens: 0 })).toBe(0.005);
    expect(priceOf('gpt-5.4-mini')).toBeUndefined();
    expect(costUsd('llama3.1:8b', { inputTokens: 10, outputTokens: 10 })).toBeUndefined();
  });
});
