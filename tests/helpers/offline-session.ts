import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { defaultSettings, type Settings } from '../../shared/settings';
import type { Session } from '../../shared/session';
import { createSessionStore } from '../../electron/store/sessions';
import { createSessionService } from '../../electron/services/sessions';
import type { SessionStore } from '../../electron/store/types';
import { route } from '../../electron/llm/router';
import type { LlmProvider } from '../../electron/llm/types';
import { createOfflineProvider } from '../../electron/interview/offline';
import { createOrchestrator, type InterviewOrchestrator } from '../../electron/orchestrator/orchestrator';

/**
 * The real orchestrator, store and router with no keys (so the offline interviewer answers), over
 * a temporary data folder: what the app runs offline, for conversation tests.
 */
export interface OfflineRig {
  orchestrator: InterviewOrchestrator;
  store: SessionStore;
  settings: Settings;
  /** A new session, optionally moved to a stage with a spec first. */
  session(patch?: (s: Session) => Session): Promise<Session>;
  say(sessionId: string, text: string): Promise<{ session: Session; reply: string }>;
  /** The kind the offline interviewer gave each message, in order. */
  kinds: string[];
  close(): Promise<void>;
}

function recording(provider: LlmProvider, kinds: string[]): LlmProvider {
  return {
    name: provider.name,
    model: provider.model,
    async generateTurn(request, options) {
      const out = await provider.generateTurn(request, options);
      kinds.push(out.result.kind ?? 'answer');
      return out;
    },
  };
}

export async function offlineRig(settingsPatch: Partial<Settings> = {}): Promise<OfflineRig> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-conv-'));
  const store = await createSessionStore({ dataDir, clock: () => new Date() });
  const settings = { ...defaultSettings(), ...settingsPatch };
  const kinds: string[] = [];
  const orchestrator = createOrchestrator({
    sessions: createSessionService({ store, clock: () => new Date(), newId: randomUUID }),
    getSettings: async () => settings,
    resolveProvider: async (stage, choice) => route({ stage, choice, settings, keys: {}, factories: { offline: () => recording(createOfflineProvider(), kinds) } }),
    clock: () => new Date(),
    newId: randomUUID,
  });
  return {
    orchestrator,
    store,
    settings,
    kinds,
    async session(patch) {
      const created = await orchestrator.createSession();
      if (!patch) return created;
      const patched = patch(created);
      await store.save(patched);
      return patched;
    },
    async say(sessionId, text) {
      const outcome = await orchestrator.processMessage(sessionId, text, { turnId: randomUUID() });
      return { session: outcome.session, reply: outcome.reply };
    },
    async close() {
      await store.flush();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
