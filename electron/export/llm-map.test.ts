import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ELEVENLABS_DEFAULT_LLM, ELEVENLABS_LLM_ALIASES, ELEVENLABS_LLMS, elevenLabsLlm, openAiRealtimeModel, vapiModel } from './llm-map';
import { defaultSettings } from '../../shared/settings';

const { ElevenLabs } = createRequire(import.meta.url)('@elevenlabs/elevenlabs-js') as { ElevenLabs: { Llm: Record<string, string> } };
const sdkLlms = new Set(Object.values(ElevenLabs.Llm));

describe('llm map', () => {
  it('only names LLM ids the installed SDK enum contains', () => {
    for (const id of [...ELEVENLABS_LLMS, ...Object.values(ELEVENLABS_LLM_ALIASES), ELEVENLABS_DEFAULT_LLM]) {
      expect(sdkLlms.has(id), id).toBe(true);
    }
  });

  it('keeps the default configured models as they are', () => {
    const { models } = defaultSettings();
    expect(elevenLabsLlm(models.openai)).toEqual({ llm: models.openai });
    expect(elevenLabsLlm(models.anthropic)).toEqual({ llm: models.anthropic });
  });

  it('maps API spellings through the alias table and date suffixes to the family', () => {
    expect(elevenLabsLlm('claude-3-5-sonnet-20241022').llm).toBe('claude-3-5-sonnet');
    expect(elevenLabsLlm('gpt-4.1-mini-2025-04-14').llm).toBe('gpt-4.1-mini-2025-04-14');
    expect(elevenLabsLlm('claude-opus-4-7-20260101').llm).toBe('claude-opus-4-7');
  });

  it('falls back to the documented default with a reason for unknown models and custom-llm', () => {
    for (const model of ['mistral-large', 'custom-llm']) {
      const choice = elevenLabsLlm(model);
      expect(choice.llm).toBe(ELEVENLABS_DEFAULT_LLM);
      expect(choice.loss).toContain(model);
    }
    expect(elevenLabsLlm(undefined)).toEqual({ llm: ELEVENLABS_DEFAULT_LLM });
  });

  it('picks a Realtime model and a Vapi provider', () => {
    expect(openAiRealtimeModel('gpt-realtime-mini')).toEqual({ llm: 'gpt-realtime-mini' });
    expect(openAiRealtimeModel('gpt-5.5').loss).toMatch(/not a Realtime model/);
    expect(vapiModel('claude-sonnet-5-5')).toEqual({ provider: 'anthropic', model: 'claude-sonnet-5-5' });
    expect(vapiModel('llama3').loss).toMatch(/llama3/);
  });
});
