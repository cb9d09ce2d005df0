/**
 * One writer per session: changes made while a turn streams (rename, provider, a hand edit) are
 * acknowledged at once, and neither the turn's save nor a restart undoes them. The turn is held
 * open mid-stream by the mock LLM server (a gate, no clock), through the real OpenAI provider.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend } from '../../electron/backend';
import { createNodeSecretStore } from '../../electron/secrets';
import { createSessionStore } from '../../electron/store/sessions';
import { dispatch } from '../../electron/rpc';
import type { Channel, ChannelInput, ChannelOutput, EventPayload } from '../../shared/ipc';
import { ParleyError } from '../../shared/errors';
import type { Session } from '../../shared/session';
import { gate, startMockLlmServer, type MockLlmServer } from '../helpers/mock-llm-server';

let mock: MockLlmServer;
let dataDir: string;
let held: ReturnType<typeof gate>;
const open: Backend[] = [];

beforeEach(async () => {
  mock = await startMockLlmServer();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-lost-update-'));
  held = gate();
});
afterEach(async () => {
  held.open(); // a failed assertion must not leave the turn parked (close() waits for it)
  for (const b of open.splice(0)) await b.close();
  await mock.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<Backend> {
  const backend = await createBackend({
    dataDir,
    host: 'cli',
    version: '0.0.0-test',
    secrets: await createNodeSecretStore({ dataDir, env: { OPENAI_API_KEY: 'sk-test-lost-update-0123456789' } }),
  });
  open.push(backend);
  await backend.settings.set({ baseURLs: { openai: mock.openaiBaseURL } });
  return backend;
}

async function call<C extends Channel>(backend: Backend, channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input, { validateOutput: true });
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

/** The model's answer: it recognises the agent type, which also names the session, and moves on. */
const REPLY = JSON.stringify({
  reply: 'A booking agent for a salon, lovely. What should it help callers do?',
  extracted: [{ field: 'agent_type', value: 'salon booking', confidence: 0.95 }],
  stage_complete: null,
  awaiting: 'goals',
  intent: { approve: null, no_more_tools: null, go_back_to: null },
});


/** Starts a turn whose reply is parked mid-stream at `held` until the test opens it. */
async function parkedTurn(backend: Backend): Promise<{ session: Session; finished: Promise<EventPayload<'turn:done'>> }> {
  const session = await call(backend, 'sessions:create', { provider: 'openai' });
  mock.script('openai', { type: 'reply', text: REPLY, chunkSize: 6, holdAfterChunks: 3, until: held.promise });
  const firstDelta = new Promise<void>((resolve) => backend.onEvent((event) => event === 'turn:delta' && resolve()));
  const finished = new Promise<EventPayload<'turn:done'>>((resolve, reject) =>
    backend.onEvent((event, payload) => {
      if (event === 'turn:done') resolve(payload as EventPayload<'turn:done'>);
      if (event === 'turn:error') reject(new Error(JSON.stringify(payload)));
    }),
  );
  await call(backend, 'turn:send', { sessionId: session.id, text: 'A booking agent for my hair salon' });
  await firstDelta; // the provider is streaming and parked at the gate
  return { session, finished };
}

/** Reads the session back three ways: from the running app, from disk as a crash leaves it, and after a clean restart. */
async function everyWay(backend: Backend, id: string, check: (session: Session, label: string) => void): Promise<void> {
  check(await call(backend, 'sessions:get', { id }), 'after the turn');
  // A crash now: a fresh store reads the file plus whatever the journal holds.
  const crashed = await createSessionStore({ dataDir, verifyOnOpen: false });
  check(await crashed.get(id), 'read from disk before the file was rewritten');
  await backend.close();
  open.splice(open.indexOf(backend), 1);
  const restarted = await start();
  check(await call(restarted, 'sessions:get', { id }), 'after a restart');
}

function expectTurnApplied(session: Session): void {
  expect(session.spec.agent_type?.value).toBe('salon booking');
  expect(session.stage).toBe('COLLECTING_BASICS');
  expect(session.messages.map((m) => m.role)).toEqual(['assistant', 'user', 'assistant']);
  expect(session.messages.at(-1)?.text).toMatch(/^A booking agent for a salon, lovely/);
  expect(session.usage).toHaveLength(1);
}

describe('one writer per session', () => {
  it('a rename and a provider change made during a streamed turn survive the turn and a restart', async () => {
    const backend = await start();
    const { session, finished } = await parkedTurn(backend);
    const renamed = await call(backend, 'sessions:rename', { id: session.id, title: 'Front desk (mine)' });
    const switched = await call(backend, 'sessions:set-provider', { id: session.id, provider: 'anthropic' });
    expect(mock.modelRequests('openai')[0]?.clientClosed).toBe(false); // still streaming
    expect(renamed.title).toBe('Front desk (mine)');
    expect(switched).toMatchObject({ title: 'Front desk (mine)', provider: 'anthropic' });

    held.open();
    expect((await finished).provider).toBe('openai'); // the turn keeps the provider it started with
    await everyWay(backend, session.id, (s, label) => {
      // The turn found the agent type, which names a new session; the user's own title wins.
      expect([label, s.title, s.provider]).toEqual([label, 'Front desk (mine)', 'anthropic']);
      expectTurnApplied(s);
    });
  });

  it('a hand edit during a streamed turn is saved at once, not after the turn, and the turn keeps it', async () => {
    const backend = await start();
    const { session, finished } = await parkedTurn(backend);
    let editDone = false;
    const edit = call(backend, 'spec:edit', { sessionId: session.id, path: 'tone', value: 'Warm and brief' }).then((s) => {
      editDone = true;
      return s;
    });
    // Queued behind the edit in the session's queue: once it is answered, so is the edit.
    await call(backend, 'sessions:rename', { id: session.id, title: 'Salon' });
    expect(editDone).toBe(true);
    expect(mock.modelRequests('openai')[0]?.clientClosed).toBe(false);
    expect((await edit).spec.tone).toMatchObject({ value: 'Warm and brief', locked: true });

    held.open();
    await finished;
    await everyWay(backend, session.id, (s, label) => {
      expect([label, s.spec.tone?.value, s.spec.tone?.locked]).toEqual([label, 'Warm and brief', true]);
      expectTurnApplied(s);
    });
  });
});
