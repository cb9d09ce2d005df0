import { useCallback, useEffect, useMemo, useRef, useState, type Dispatch, type MutableRefObject, type SetStateAction } from 'react';
import type { ParleyApi } from '../../../shared/ipc';
import type { Session } from '../../../shared/session';
import { sendTurn } from '../../../shared/client';
import { asParleyError, type IpcError } from '../../../shared/errors';
import type { Connection } from '../bridge';
import type { TurnView } from '../components/Chat';
import { createFrameBatcher } from './frameBatcher';

export interface TurnsDeps {
  api: ParleyApi;
  connection: Connection | null;
  /** The open session, read by handlers that outlive a render. */
  sessionRef: MutableRefObject<Session | null>;
  setSession(session: Session | null): void;
  /** Re-reads the session list (after a reconnect). */
  refreshList(): Promise<unknown>;
}

export interface TurnsApi {
  /** The running turn per session id. */
  turns: Record<string, TurnView>;
  /** The last turn's error per session id, until dismissed or the next send. */
  errors: Record<string, IpcError>;
  /** The unsent message per session id. */
  drafts: Record<string, string>;
  setDraft(sessionId: string, text: string): void;
  send(text: string): Promise<void>;
  /** Sends the session's last message again (after an error). */
  retry(): void;
  stop(): Promise<void>;
  dismissError(sessionId: string): void;
  /** Whether a session has a turn in flight (read in event handlers). */
  isRunning(sessionId: string): boolean;
}

const without = <T,>(record: Record<string, T>, key: string): Record<string, T> => {
  const { [key]: _gone, ...rest } = record;
  return rest;
};

/**
 * The chat's turns: sending (through the shared sendTurn), the streamed reply applied once per
 * animation frame, retry notices, stop, the error banner per session, and drafts per session.
 */
export function useTurns({ api, connection, sessionRef, setSession, refreshList }: TurnsDeps): TurnsApi {
  const [turns, setTurns] = useState<Record<string, TurnView>>({});
  const [errors, setErrors] = useState<Record<string, IpcError>>({});
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const turnsRef = useRef(turns);
  turnsRef.current = turns;
  const lastSent = useRef<Record<string, string>>({});
  /** Aborts every wait for a turn's end (a reconnect lost their events). */
  const waits = useRef(new AbortController());

  const batcher = useReplyBatcher(setTurns);

  const reload = useCallback(
    async (id: string) => {
      if (sessionRef.current?.id !== id) return;
      try {
        const fresh = await api.sessions.get({ id });
        if (sessionRef.current?.id === id) setSession(fresh);
      } catch {
        /* deleted meanwhile: session:changed clears it */
      }
    },
    [api, sessionRef, setSession],
  );

  const send = useCallback(
    async (text: string) => {
      const sessionId = sessionRef.current?.id;
      if (!sessionId) return;
      lastSent.current[sessionId] = text;
      setTurns((t) => ({ ...t, [sessionId]: { pendingUser: text, text: '', status: null, turnId: null } }));
      setErrors((e) => without(e, sessionId));
      setDrafts((d) => ({ ...d, [sessionId]: '' }));
      let started: string | null = null;
      let failure: IpcError | null = null;
      try {
        await sendTurn(api, { sessionId, text }, {
          signal: waits.current.signal,
          onStart: (turnId) => {
            started = turnId;
            setTurns((t) => (t[sessionId] ? { ...t, [sessionId]: { ...t[sessionId], turnId } } : t));
          },
          // Deltas follow onStart, whose state update is applied before the batch that carries them.
          onDelta: (delta) => batcher.push(`${sessionId}|${started}`, delta),
          onStatus: ({ turnId, message, retryInMs, attempt, maxAttempts, resetReply }) => {
            if (resetReply) {
              batcher.flush();
              batcher.drop(`${sessionId}|${turnId}`);
            }
            setTurns((t) => {
              const cur = t[sessionId];
              if (!cur) return t;
              const status = { message, until: retryInMs !== undefined ? Date.now() + retryInMs : null, attempt, maxAttempts };
              return { ...t, [sessionId]: { ...cur, status, text: resetReply ? '' : cur.text } };
            });
          },
        });
      } catch (error) {
        if (waits.current.signal.aborted && error === waits.current.signal.reason) return; // a reconnect took over
        failure = asParleyError(error).toJSON();
      }
      batcher.flush();
      if (!started) {
        // turn:send itself failed: nothing was saved, so the text goes back into the box.
        setTurns((t) => without(t, sessionId));
        setDrafts((d) => ({ ...d, [sessionId]: d[sessionId] || text }));
        if (failure) setErrors((e) => ({ ...e, [sessionId]: failure! }));
        return;
      }
      // Swap the streamed text for the saved message in one render, so nothing flickers.
      await reload(sessionId);
      setTurns((t) => without(t, sessionId));
      if (failure) setErrors((e) => ({ ...e, [sessionId]: failure! }));
    },
    [api, batcher, reload, sessionRef],
  );

  const retry = useCallback(() => {
    const session = sessionRef.current;
    if (!session) return;
    const last = lastSent.current[session.id] ?? [...session.messages].reverse().find((m) => m.role === 'user')?.text;
    if (last) void send(last);
  }, [send, sessionRef]);

  const stop = useCallback(async () => {
    const id = sessionRef.current?.id;
    const turnId = id ? turnsRef.current[id]?.turnId : null;
    if (!turnId) return;
    await api.turn.cancel({ turnId });
  }, [api, sessionRef]);

  useReconnect(connection, () => {
    waits.current.abort(new Error('reconnected'));
    waits.current = new AbortController();
    batcher.dispose();
    setTurns({});
    void refreshList().catch(() => {});
    const id = sessionRef.current?.id;
    if (id) api.sessions.get({ id }).then((fresh) => sessionRef.current?.id === id && setSession(fresh), () => setSession(null));
  });

  return {
    turns,
    errors,
    drafts,
    setDraft: useCallback((sessionId: string, text: string) => setDrafts((d) => ({ ...d, [sessionId]: text })), []),
    send,
    retry,
    stop,
    dismissError: useCallback((sessionId: string) => setErrors((e) => without(e, sessionId)), []),
    isRunning: useCallback((sessionId: string) => !!turnsRef.current[sessionId], []),
  };
}

/** Streamed text, applied once per animation frame and in order, to the turn it belongs to. */
function useReplyBatcher(setTurns: Dispatch<SetStateAction<Record<string, TurnView>>>) {
  const batcher = useMemo(
    () =>
      createFrameBatcher((pending) =>
        setTurns((t) => {
          const next = { ...t };
          for (const [key, text] of pending) {
            const [sessionId, turnId] = key.split('|') as [string, string];
            const cur = next[sessionId];
            if (!cur || cur.turnId !== turnId) continue; // a late piece of an earlier turn
            next[sessionId] = { ...cur, text: cur.text + text };
          }
          return next;
        }),
      ),
    [setTurns],
  );
  useEffect(() => () => batcher.dispose(), [batcher]);
  return batcher;
}

/** Events sent while the preview socket was down are lost: after a reconnect, `resync` re-reads the truth. */
function useReconnect(connection: Connection | null, resync: () => void) {
  const latest = useRef(resync);
  latest.current = resync;
  useEffect(() => {
    if (!connection) return;
    let wasDown = false;
    return connection.onStatus((status) => {
      if (status === 'reconnecting') wasDown = true;
      if (status !== 'open' || !wasDown) return;
      wasDown = false;
      latest.current();
    });
  }, [connection]);
}
