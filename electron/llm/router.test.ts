import { describe, it, expect } from 'vitest';
import { route, type ProviderFactories } from './router';
import { defaultSettings } from '../../shared/settings';
import type { LlmProvider } from './types';
import type { ProviderName } from '../../shared/providers';
import { ParleyError } from '../../shared/errors';

function fake(name: ProviderName): (c: { model: string; apiKey?: string }) => LlmProvider {
  return (config) => ({ name, model: config.model, generateTurn: async () => Promise.reject(new Error('unused')) });
}
const factories: ProviderFactories = { offline: fake('offline'), openai: fake('openai'), anthropic: fake('anthropic'), local: fake('local') };
const settings = defaultSettings();

describe('route', () => {
  it('follows the routing table when both keys exist', () => {
    const keys = { openai: 'sk-o', anthropic: 'sk-a' };
    expect(route({ stage: 'INITIAL', choice: 'auto', settings, keys, factories }).provider.name).toBe('anthropic');
    expect(route({ stage: 'COLLECTING_BASICS', choice: 'auto', settings, keys, factories }).provider.name).toBe('openai');
    expect(route({ stage: 'FINALIZING', choice: 'auto', settings, keys, factories }).provider.model).toBe(settings.models.openai);
  });

  it('falls back to the other keyed provider, then offline, and says why', () => {
    const onlyOpenai = route({ stage: 'INITIAL', choice: 'auto', settings, keys: { openai: 'k' }, factories });
    expect(onlyOpenai.provider.name).toBe('openai');
    expect(onlyOpenai.reason).toMatch(/fallback/);
    const none = route({ stage: 'INITIAL', choice: 'auto', settings, keys: {}, factories });
    expect(none.provider.name).toBe('offline');
    expect(none.reason).toMatch(/offline/);
  });

  it('honours an explicit choice only when that provider can answer', () => {
    expect(route({ stage: 'INITIAL', choice: 'offline', settings, keys: { anthropic: 'k' }, factories }).provider.name).toBe('offline');
    expect(route({ stage: 'INITIAL', choice: 'openai', settings, keys: {}, factories }).provider.name).toBe('offline');
  });

  it('treats a provider without a factory as unavailable', () => {
    const r = route({ stage: 'INITIAL', choice: 'auto', settings, keys: { anthropic: 'k' }, factories: { offline: fake('offline') } });
    expect(r.provider.name).toBe('offline');
  });
});

describe('route fallback', () => {
  const failing = (name: ProviderName) => (config: { model: string }): LlmProvider => ({
    name,
    model: config.model,
    generateTurn: async () => {
      throw new ParleyError('PROVIDER_UNAVAILABLE', `${name} is down`);
    },
  });
  const answering = (name: ProviderName) => (config: { model: string }): LlmProvider => ({
    name,
    model: config.model,
    generateTurn: async () => ({ result: { reply: `from ${name}`, extracted: {}, awaiting: null, intent: {} }, usage: { inputTokens: 1, outputTokens: 1 }, model: config.model }),
  });
  const keys = { openai: 'k1', anthropic: 'k2' };

  it('hands a failed auto-routed turn to the other keyed provider, once, and says which answered', async () => {
    const r = route({ stage: 'INITIAL', choice: 'auto', settings, keys, factories: { offline: fake('offline'), anthropic: failing('anthropic'), openai: answering('openai') } });
    expect(r.provider.name).toBe('anthropic');
    expect(r.reason).toMatch(/openai answers if anthropic fails/);
    const out = await r.provider.generateTurn({} as never);
    expect(out.provider).toBe('openai');
    expect(out.fallbackFrom).toBe('anthropic');
    expect(out.result.reply).toBe('from openai');
  });

  it('does not fall back from an explicit choice or when nothing else is configured', async () => {
    const factories = { offline: fake('offline'), anthropic: failing('anthropic'), openai: answering('openai') };
    await expect(route({ stage: 'INITIAL', choice: 'anthropic', settings, keys, factories }).provider.generateTurn({} as never)).rejects.toThrow(/anthropic is down/);
    await expect(route({ stage: 'INITIAL', choice: 'auto', settings, keys: { anthropic: 'k' }, factories }).provider.generateTurn({} as never)).rejects.toThrow(/anthropic is down/);
  });
});
