import type { Session } from '../../shared/session';
import type { ProviderChoice, ProviderName } from '../../shared/providers';
import type { GenerateOptions } from '../llm/types';

export interface TurnOptions extends GenerateOptions {
  turnId: string;
}

export interface TurnOutcome {
  session: Session;
  reply: string;
  provider: ProviderName;
  model: string;
}

/** The staged interview. Turns on one session are serialised; the user's message is saved first. */
export interface Orchestrator {
  /** A new session at INITIAL with the greeting as its first assistant message. */
  createSession(options?: { provider?: ProviderChoice }): Promise<Session>;
  processMessage(sessionId: string, text: string, options: TurnOptions): Promise<TurnOutcome>;
}
