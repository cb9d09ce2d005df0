/**
 * Which LLM the exported agent runs on, per target. The ElevenLabs ids below are the values of
 * the official SDK's `Llm` enum (@elevenlabs/elevenlabs-js 2.73; llm-map.test.ts checks every
 * one against the installed SDK, so an SDK upgrade that drops one fails loudly).
 */
export const ELEVENLABS_LLMS: readonly string[] = [
  "gpt-4o-mini", "gpt-4o", "gpt-4", "gpt-4-turbo", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-5",
  "gpt-5.1", "gpt-5.2", "gpt-5.2-chat-latest", "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5.5",
  "gpt-5.6-sol", "gpt-5.6-terra", "gpt-5.6-luna", "gpt-6-astra", "gpt-6-sol", "gpt-6-luna", "gpt-6.1-sol",
  "gpt-5-mini", "gpt-5-nano", "gpt-3.5-turbo", "gemini-1.5-pro", "gemini-1.5-flash", "gemini-2.0-flash",
  "gemini-2.0-flash-lite", "gemini-2.5-flash-lite", "gemini-2.5-flash", "gemini-3-pro-preview",
  "gemini-3-flash-preview", "gemini-3.1-pro-preview", "gemini-3.1-flash-lite-preview",
  "gemini-3.1-flash-lite", "gemini-3.5-flash", "gemini-3.5-flash-lite", "gemini-3.6-flash",
  "gemini-3.7-flash", "gemini-3.8-flash", "gemini-4-argon", "claude-sonnet-4-5", "claude-opus-4-6",
  "claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-opus-5-5", "claude-sonnet-4-6",
  "claude-sonnet-5", "claude-sonnet-5-5", "claude-sonnet-4", "claude-haiku-4-5", "claude-haiku-5-5",
  "claude-3-7-sonnet", "claude-3-5-sonnet", "claude-3-5-sonnet-v1", "claude-3-haiku", "grok-beta",
  "custom-llm", "qwen3-4b", "qwen3-30b-a3b", "qwen36-35b-a3b", "qwen35-397b-a17b", "gpt-oss-20b",
  "gpt-oss-120b", "glm-45-air-fp8", "glm-52", "deepseek-v41-flash", "gemini-2.5-flash-preview-09-2025",
  "gemini-2.5-flash-lite-preview-09-2025", "gemini-2.5-flash-preview-05-20",
  "gemini-2.5-flash-preview-04-17", "gemini-2.5-flash-lite-preview-06-17", "gemini-2.0-flash-lite-001",
  "gemini-2.0-flash-001", "gemini-1.5-flash-002", "gemini-1.5-flash-001", "gemini-1.5-pro-002",
  "gemini-1.5-pro-001", "claude-sonnet-4@20250514", "claude-sonnet-4-5@20250929",
  "claude-haiku-4-5@20251001", "claude-3-7-sonnet@20250219", "claude-3-5-sonnet@20240620",
  "claude-3-5-sonnet-v2@20241022", "claude-3-haiku@20240307", "gpt-5-2025-08-07", "gpt-5.1-2025-11-13",
  "gpt-5.2-2025-12-11", "gpt-5.4-2026-03-05", "gpt-5.4-mini-2026-03-17", "gpt-5.4-nano-2026-03-17",
  "gpt-5.5-2026-04-23", "gpt-5-mini-2025-08-07", "gpt-5-nano-2025-08-07", "gpt-4.1-2025-04-14",
  "gpt-4.1-mini-2025-04-14", "gpt-4.1-nano-2025-04-14", "gpt-4o-mini-2024-07-18", "gpt-4o-2024-11-20",
  "gpt-4o-2024-08-06", "gpt-4o-2024-05-13", "gpt-4-0613", "gpt-4-0314", "gpt-4-turbo-2024-04-09",
  "gpt-3.5-turbo-0125", "gpt-3.5-turbo-1106", "watt-tool-8b", "watt-tool-70b",
];

/**
 * Used when the configured model has no ElevenLabs equivalent (a local model, a newer id than
 * the SDK knows): ElevenLabs' own current general-purpose default family. Documented in the
 * loss report whenever it is applied.
 */
export const ELEVENLABS_DEFAULT_LLM = 'gpt-5.5';

/**
 * Configured model ids (as the OpenAI / Anthropic APIs spell them) → ElevenLabs id, for the
 * names that differ. Ids ElevenLabs spells the same way need no entry.
 */
export const ELEVENLABS_LLM_ALIASES: Readonly<Record<string, string>> = {
  'chatgpt-4o-latest': 'gpt-4o',
  'gpt-4o-realtime-preview': 'gpt-4o',
  'gpt-realtime': 'gpt-4o',
  'gpt-realtime-mini': 'gpt-4o-mini',
  'claude-sonnet-4-5-20250929': 'claude-sonnet-4-5',
  'claude-sonnet-4-20250514': 'claude-sonnet-4',
  'claude-haiku-4-5-20251001': 'claude-haiku-4-5',
  'claude-3-7-sonnet-20250219': 'claude-3-7-sonnet',
  'claude-3-7-sonnet-latest': 'claude-3-7-sonnet',
  'claude-3-5-sonnet-20240620': 'claude-3-5-sonnet',
  'claude-3-5-sonnet-20241022': 'claude-3-5-sonnet',
  'claude-3-5-sonnet-latest': 'claude-3-5-sonnet',
  'claude-3-haiku-20240307': 'claude-3-haiku',
};

export interface LlmChoice {
  llm: string;
  /** Why the configured model could not be kept, when it could not. */
  loss?: string;
}

/** Date-stamped ids ("…-20250929") fall back to their undated family name. */
function undated(model: string): string {
  return model.replace(/-(?:\d{8}|\d{4}-\d{2}-\d{2})$/, '').replace(/-latest$/, '');
}

export function elevenLabsLlm(model: string | undefined): LlmChoice {
  const id = model?.trim();
  if (!id) return { llm: ELEVENLABS_DEFAULT_LLM };
  for (const candidate of [id, id.toLowerCase(), undated(id.toLowerCase())]) {
    // "custom-llm" only works with a custom_llm server config that a spec never carries.
    if (candidate !== 'custom-llm' && ELEVENLABS_LLMS.includes(candidate)) return { llm: candidate };
    const alias = ELEVENLABS_LLM_ALIASES[candidate];
    if (alias) return { llm: alias };
  }
  return {
    llm: ELEVENLABS_DEFAULT_LLM,
    loss: `ElevenLabs has no model "${id}"; the agent is set to "${ELEVENLABS_DEFAULT_LLM}". Pick another in the agent's LLM settings if you prefer.`,
  };
}

/** OpenAI Realtime needs a speech-to-speech model; text models are not accepted there. */
export const OPENAI_REALTIME_DEFAULT_MODEL = 'gpt-realtime';

export function openAiRealtimeModel(model: string | undefined): LlmChoice {
  const id = model?.trim();
  if (id && /^gpt-(?:4o-(?:mini-)?)?realtime/.test(id)) return { llm: id };
  return {
    llm: OPENAI_REALTIME_DEFAULT_MODEL,
    loss: id
      ? `"${id}" is not a Realtime model; the session uses "${OPENAI_REALTIME_DEFAULT_MODEL}".`
      : undefined,
  };
}

export const VAPI_DEFAULT_MODEL = { provider: 'openai', model: 'gpt-4o' } as const;

/** Vapi names the provider beside the model; only the families it hosts are kept. */
export function vapiModel(model: string | undefined): { provider: string; model: string; loss?: string } {
  const id = model?.trim();
  if (id && /^(?:gpt-|o\d|chatgpt-)/.test(id)) return { provider: 'openai', model: id };
  if (id && id.startsWith('claude-')) return { provider: 'anthropic', model: id };
  if (id && id.startsWith('gemini-')) return { provider: 'google', model: id };
  return {
    ...VAPI_DEFAULT_MODEL,
    loss: id
      ? `Vapi does not host "${id}"; the assistant uses ${VAPI_DEFAULT_MODEL.provider} "${VAPI_DEFAULT_MODEL.model}".`
      : undefined,
  };
}
