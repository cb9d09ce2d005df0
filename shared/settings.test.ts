import { describe, it, expect } from 'vitest';
import { Settings, SettingsPatch, defaultSettings, DEFAULT_ROUTING } from './settings';
import type { ChatModel } from 'openai/resources/shared';
import type { Model } from '@anthropic-ai/sdk/resources/messages/messages';

describe('settings', () => {
  it('has the product defaults', () => {
    const s = defaultSettings();
    expect(s.temperature).toBe(0.7);
    expect(s.confidenceThreshold).toBe(0.6);
    expect(s.contextMessages).toBe(10);
    expect(s.routing).toEqual(DEFAULT_ROUTING);
    expect(s.routing.INITIAL).toBe('anthropic');
    expect(s.routing.COLLECTING_BASICS).toBe('openai');
  });

  it('default model ids are ids the installed SDKs name', () => {
    const s = defaultSettings();
    // Compile-time: these assignments fail typecheck if the SDKs stop listing the ids.
    const openai: ChatModel = 'gpt-5.5';
    const anthropic: Model = 'claude-sonnet-5-5';
    expect(s.models).toEqual({ openai, anthropic });
  });

  it('a patch carries only what it names (no defaults sneak in)', () => {
    expect(SettingsPatch.parse({ temperature: 0.2 })).toEqual({ temperature: 0.2 });
    expect(SettingsPatch.parse({})).toEqual({});
    expect(SettingsPatch.safeParse({ temperature: 5 }).success).toBe(false);
    expect(SettingsPatch.safeParse({ schemaVersion: 1 }).success).toBe(true); // stripped, not applied
    expect(SettingsPatch.parse({ schemaVersion: 1 })).toEqual({});
  });

  it('rejects invalid values', () => {
    expect(Settings.safeParse({ confidenceThreshold: 1.5 }).success).toBe(false);
    expect(Settings.safeParse({ routing: { INITIAL: 'gemini' } }).success).toBe(false);
  });
});
