import type { Handlers } from '../../shared/ipc';
import type { SettingsStore } from '../store/settings';

export function settingsHandlers(settings: SettingsStore): Pick<Handlers, 'settings:get' | 'settings:set'> {
  return {
    'settings:get': () => settings.get(),
    'settings:set': (patch) => settings.set(patch),
  };
}
