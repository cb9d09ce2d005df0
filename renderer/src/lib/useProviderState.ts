import { useCallback, useEffect, useState } from 'react';
import type { ParleyApi } from '../../../shared/ipc';
import type { Session } from '../../../shared/session';
import type { Settings } from '../../../shared/settings';
import type { KeysStatus } from '../../../shared/keys';
import type { ProviderName } from '../../../shared/providers';
import { pickProviderName, wantedProvider } from '../../../shared/routing';

export const PROVIDER_NAMES: Record<ProviderName, string> = { openai: 'OpenAI', anthropic: 'Anthropic', local: 'Local endpoint', offline: 'Offline interviewer' };

export interface ProviderState {
  /** Who answers the next turn, e.g. "OpenAI · gpt-5.5" or "Offline interviewer". */
  answering: { provider: ProviderName; model: string | null; label: string };
  /** The provider the user asked for, when it cannot answer (no key, no endpoint). */
  missing: { provider: ProviderName; what: string; /** Who chose it: this session, or the routing table for its stage. */ via: 'session' | 'routing' } | null;
}

function modelOf(provider: ProviderName, settings: Settings): string | null {
  if (provider === 'openai') return settings.models.openai;
  if (provider === 'anthropic') return settings.models.anthropic;
  if (provider === 'local') return settings.localEndpoint?.model ?? null;
  return null;
}

/** Pure: what the window shows about providers for a session, from settings and key status. */
export function providerState(session: Pick<Session, 'stage' | 'provider'>, settings: Settings, keys: KeysStatus): ProviderState {
  const available = new Set<ProviderName>(['offline']);
  // The ElevenLabs key is for Publish; it answers no turn.
  for (const k of keys.providers) if (k.set && k.provider !== 'elevenlabs') available.add(k.provider);
  if (settings.localEndpoint) available.add('local');
  const { name } = pickProviderName({ stage: session.stage, choice: session.provider, routing: settings.routing, available });
  const model = modelOf(name, settings);
  const answering = { provider: name, model, label: model ? `${PROVIDER_NAMES[name]} · ${model}` : PROVIDER_NAMES[name] };
  const wanted = wantedProvider(session.stage, session.provider, settings.routing);
  const missing = available.has(wanted)
    ? null
    : { provider: wanted, what: wanted === 'local' ? 'no local endpoint is set up' : `no ${PROVIDER_NAMES[wanted]} API key is set`, via: session.provider === 'auto' ? ('routing' as const) : ('session' as const) };
  return { answering, missing };
}

export interface ProviderStateApi {
  state: ProviderState | null;
  settings: Settings | null;
  /** Settings just saved (the dialog passes them on; the theme follows). */
  setSettings(settings: Settings): void;
  /** Re-reads settings and key status (after Settings closes). */
  refresh(): void;
}

/**
 * Settings and key status, re-read when asked, and the provider state of the open session
 * derived from them (null until both are known).
 */
export function useProviderState(api: ParleyApi, session: Pick<Session, 'stage' | 'provider'> | null): ProviderStateApi {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [keys, setKeys] = useState<KeysStatus | null>(null);
  const refresh = useCallback(() => {
    api.settings.get().then(setSettings, () => {
      /* defaults are fine; Settings shows the error when opened */
    });
    api.keys.status().then(setKeys, () => {});
  }, [api]);
  useEffect(refresh, [refresh]);
  const state = session && settings && keys ? providerState(session, settings, keys) : null;
  return { state, settings, setSettings, refresh };
}
