import type { ProviderFactories } from './router';
import { createOfflineProvider } from './offline';

/** Every provider Parley ships. Real network providers are added here as they land. */
export function defaultProviderFactories(): ProviderFactories {
  return {
    offline: () => createOfflineProvider(),
  };
}
