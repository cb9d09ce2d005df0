import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import type { Settings } from '../../shared/settings';
import type { ModelKeyProvider } from '../../shared/providers';
import { ParleyError } from '../../shared/errors';
import { classify, redact } from './errors';
import { assertKeyMayBeSent } from './insecure';
import { PROVIDER_LABELS } from './fallback';
import type { SdkLogger } from './sdk-log';

export interface KeyTestResult {
  ok: boolean;
  message: string;
}

/**
 * The Settings "Test key" button: one real, free request (look up the configured model) with
 * the given key against the configured base URL. It says whether the key works and whether
 * the configured model is available to it. Never throws; never echoes the key.
 */
export async function testKey(
  provider: ModelKeyProvider,
  key: string,
  settings: Settings,
  options: { signal?: AbortSignal; timeoutMs?: number; logger?: SdkLogger } = {},
): Promise<KeyTestResult> {
  const label = PROVIDER_LABELS[provider];
  const model = settings.models[provider];
  const baseURL = settings.baseURLs[provider];
  const timeout = options.timeoutMs ?? Math.min(settings.timeoutMs, 15_000);
  const common = { maxRetries: 0, timeout, ...(baseURL ? { baseURL } : {}), ...(options.logger ? { logger: options.logger } : {}) };
  try {
    const client = provider === 'openai' ? new OpenAI({ apiKey: key, ...common }) : new Anthropic({ apiKey: key, ...common });
    assertKeyMayBeSent(label, client.baseURL, settings.baseURLs.allowInsecureRemote);
    if (client instanceof OpenAI) await client.models.retrieve(model, { signal: options.signal });
    else await client.models.retrieve(model, {}, { signal: options.signal });
    return { ok: true, message: `${label} accepted the key, and the model ${model} is available.` };
  } catch (error) {
    if (error instanceof ParleyError) return { ok: false, message: error.message };
    const failure = classify(error, options.signal);
    switch (failure.kind) {
      case 'auth':
        return {
          ok: false,
          message:
            failure.status === 403
              ? `${label} refused access with this key (403). Check the key's permissions.`
              : `${label} rejected the API key (401). Check that it was copied in full.`,
        };
      case 'cancelled':
        return { ok: false, message: 'The key test was stopped.' };
      case 'timeout':
        return { ok: false, message: `${label} did not answer in time. Check the network and base URL.` };
      case 'too-long':
        return { ok: false, message: `${label} sent an answer far longer than a model lookup. Check the base URL.` };
      default:
        if (failure.status === 404) {
          return { ok: false, message: `${label} accepted the key, but the model ${model} is not available to it. Choose another model in Settings.` };
        }
        return {
          ok: false,
          message: `Could not reach ${label}${failure.status ? ` (HTTP ${failure.status})` : ''}: ${redact(failure.detail, [key])}. Check the network and base URL.`,
        };
    }
  }
}
