import type { Session } from '../../shared/session';
import type { ProviderChoice, ProviderName } from '../../shared/providers';
import type { GenerateOptions } from '../llm/types';
import type { VersionCause, VersionId } from '../../shared/versions';

export interface TurnOptions extends GenerateOptions {
  turnId: string;
}

export interface TurnOutcome {
  session: Session;
  reply: string;
  provider: ProviderName;
  model: string;
}

export interface UpdateOptions {
  /** Append to the session's journal (a turn's saves) instead of rewriting its file. */
  journal?: boolean;
  /** Tell listeners the session changed (default true; a turn announces once, when it ends). */
  announce?: boolean;
  /** Take a version of the design once this change is saved (electron/versions); a stage change takes one anyway. */
  snapshot?: SnapshotRequest;
}

export interface SnapshotRequest {
  cause: VersionCause;
  name?: string;
  restoredFrom?: VersionId;
}

/** How the interview writes sessions: the session service's per-session queue. */
export interface SessionUpdates {
  create(session: Session, options?: Pick<UpdateOptions, 'snapshot'>): Promise<Session>;
  /**
   * Runs `change` on the newest stored version of the session, inside that session's queue,
   * saves the result and returns it. `change` must be pure: it may throw to refuse the change.
   */
  update(id: string, change: (latest: Session) => Session, options?: UpdateOptions): Promise<Session>;
}

/** The staged interview. Turns on one session are serialised; the user's message is saved first. */
export interface Orchestrator {
  /** A new session at INITIAL with the greeting as its first assistant message. */
  createSession(options?: { provider?: ProviderChoice }): Promise<Session>;
  processMessage(sessionId: string, text: string, options: TurnOptions): Promise<TurnOutcome>;
}
