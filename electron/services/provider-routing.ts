import { KeyProvider, type ProviderChoice } from '../../shared/providers';
import type { Settings } from '../../shared/settings';
import type { Stage } from '../../shared/stages';
import type { SecretStore } from '../secrets/types';
import { route, type ProviderFactories, type Route } from '../llm/router';

/** Who answers a turn: the router, fed with the current settings and the keys that are set. */
export function createProviderResolver(deps: {
  secrets: SecretStore;
  getSettings: () => Promise<Settings>;
  factories: ProviderFactories;
}): (stage: Stage, choice: ProviderChoice) => Promise<Route> {
  return async (stage, choice) => {
    const keys: Partial<Record<KeyProvider, string>> = {};
    for (const provider of KeyProvider.options) {
      const key = await deps.secrets.get(provider);
      if (key) keys[provider] = key;
    }
    return route({ stage, choice, settings: await deps.getSettings(), keys, factories: deps.factories });
  };
}
