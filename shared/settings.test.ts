import { describe, it, expect } from 'vitest';
import { Settings, SettingsPatch, defaultSettings, DEFAULT_ROUTING, isInsecureRemote, isLoopbackHost } from './settings';
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

  // Issue 17.12: file: and javascript: base URLs were accepted; plain http to another machine went unconfirmed.
  it('accepts only http(s) base URLs', () => {
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://example.com', 'data:text/plain,x', 'ws://127.0.0.1:1/']) {
      expect(Settings.safeParse({ localEndpoint: { baseURL: bad, model: 'm' } }).success, bad).toBe(false);
      expect(Settings.safeParse({ baseURLs: { openai: bad } }).success, bad).toBe(false);
      expect(SettingsPatch.safeParse({ localEndpoint: { baseURL: bad, model: 'm' } }).success, bad).toBe(false);
    }
    for (const good of ['http://127.0.0.1:11434/v1', 'http://localhost:8080', 'http://[::1]:1234/v1', 'https://llm.example.com/v1']) {
      expect(Settings.safeParse({ localEndpoint: { baseURL: good, model: 'm' } }).success, good).toBe(true);
      expect(Settings.safeParse({ baseURLs: { anthropic: good } }).success, good).toBe(true);
    }
  });

  it('refuses plain http to another machine unless the user confirmed it', () => {
    const remote = 'http://10.0.0.5:11434/v1';
    const refused = Settings.safeParse({ localEndpoint: { baseURL: remote, model: 'm' } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/plain http to another machine/);
    expect(Settings.safeParse({ localEndpoint: { baseURL: remote, model: 'm', allowInsecureRemote: true } }).success).toBe(true);
    expect(Settings.safeParse({ baseURLs: { openai: 'http://proxy.corp:8080/v1' } }).success).toBe(false);
    expect(Settings.safeParse({ baseURLs: { openai: 'http://proxy.corp:8080/v1', allowInsecureRemote: true } }).success).toBe(true);
    expect(SettingsPatch.safeParse({ baseURLs: { openai: 'http://proxy.corp:8080/v1' } }).success).toBe(false);
  });

  it('tells loopback from other hosts', () => {
    for (const host of ['localhost', 'LOCALHOST.', '127.0.0.1', '127.1.2.3', '[::1]', '[::ffff:7f00:1]']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '10.0.0.5', 'localhost.evil.example', '127.0.0.1.nip.io', '[::2]', 'example.com']) expect(isLoopbackHost(host), host).toBe(false);
    expect(isInsecureRemote('http://127.0.0.1.nip.io/')).toBe(true);
    expect(isInsecureRemote('https://10.0.0.5/')).toBe(false);
    expect(isInsecureRemote('http://localhost:1/')).toBe(false);
  });
});
