import type { Session, SessionSummary, QuarantinedFile } from '../../shared/session';

export interface ListQuery {
  search?: string;
  offset?: number;
  limit?: number;
}

export interface ListResult {
  items: SessionSummary[];
  total: number;
  quarantined: QuarantinedFile[];
}

/** Sessions on disk: one JSON file per session plus an index; see HANDBOOK §6. */
export interface SessionStore {
  /** Persists a new session (the caller builds it); resolves once it is durably on disk. */
  create(session: Session): Promise<Session>;
  /** Throws ParleyError NOT_FOUND for an unknown id, INVALID_INPUT for a malformed one. */
  get(id: string): Promise<Session>;
  /** Saves the whole session atomically; saves to one session never interleave. */
  save(session: Session): Promise<void>;
  list(query?: ListQuery): Promise<ListResult>;
  delete(id: string): Promise<void>;
  /** Waits for every queued write. */
  flush(): Promise<void>;
}
