/**
 * Concurrency as users cause it: two turns sent at once to one session, ten sessions driven in
 * parallel, and a second Parley (preview or CLI) started on a data folder that is in use.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/session';
import { startMockLlmServer, type MockLlmServer } from '../helpers/mock-llm-server';
import { BridgeClient, call, cleanEnv, ensureBundle, runCliProcess, startHost, turn, type HostProcess } from './support/processes';

const dirs: string[] = [];
let mock: MockLlmServer;
beforeAll(async () => {
  await ensureBundle();
  mock = await startMockLlmServer();
});
afterAll(async () => {
  await mock.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const temp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'parley-rel-conc-'));
  dirs.push(d);
  return d;
};

const wire = (reply: string) => JSON.stringify({ reply, extracted: [], stage_complete: null, awaiting: 'agent_type', intent: { approve: null, no_more_tools: null, go_back_to: null } });

describe('concurrency (real preview host and CLI)', () => {
  it('serialises two turns sent at once to one session, in the order they were sent', async () => {
    const dataDir = await temp();
    const env = cleanEnv({ OPENAI_API_KEY: 'sk-test-concurrency-0123456789', OPENAI_BASE_URL: mock.openaiBaseURL });
    const host = await startHost(dataDir, { env, entry: 'bundle', provider: 'openai' });
    try {
      const client = await BridgeClient.connect(host);
      const session = await call<Session>(client, 'sessions:create', { provider: 'openai' });
      // The first answer streams slowly, so the second turn arrives while the first is running.
      mock.script('openai', { type: 'reply', text: wire('First answer.'), chunkSize: 3, delayMs: 20 }, { type: 'reply', text: wire('Second answer.') });
      const [a, b] = await Promise.all([
        call<{ turnId: string }>(client, 'turn:send', { sessionId: session.id, text: 'first' }),
        call<{ turnId: string }>(client, 'turn:send', { sessionId: session.id, text: 'second' }),
      ]);
      const done = (id: string) => client.waitFor((e) => e.event === 'turn:done' && e.payload.turnId === id);
      await Promise.all([done(a.turnId), done(b.turnId)]);
      const order = client.events.filter((e) => e.event === 'turn:done').map((e) => e.payload.turnId);
      expect(order).toEqual([a.turnId, b.turnId]);
      // The second model request began only after the first turn was saved: it carried the first exchange.
      const second = mock.modelRequests('openai')[1]!;
      expect(JSON.stringify(second.body)).toContain('First answer.');
      const saved = await call<Session>(client, 'sessions:get', { id: session.id });
      expect(saved.messages.slice(1).map((m) => `${m.role}:${m.text}`)).toEqual(['user:first', 'assistant:First answer.', 'user:second', 'assistant:Second answer.']);
      client.close();
    } finally {
      await host.kill('SIGTERM');
    }
  });

  it('drives ten sessions in parallel without interference', async () => {
    const dataDir = await temp();
    const host = await startHost(dataDir, { entry: 'bundle' });
    try {
      const client = await BridgeClient.connect(host);
      const script = ['a restaurant reservations agent', 'Book tables and answer questions about the menu', 'Warm and polite'];
      const sessions = await Promise.all(Array.from({ length: 10 }, () => call<Session>(client, 'sessions:create', { provider: 'offline' })));
      await Promise.all(
        sessions.map(async (s, i) => {
          for (const line of script) expect((await turn(client, s.id, `${line} (#${i})`)).event).toBe('turn:done');
        }),
      );
      const ids = new Set(sessions.map((s) => s.id));
      const loaded = await Promise.all(sessions.map((s) => call<Session>(client, 'sessions:get', { id: s.id })));
      loaded.forEach((s, i) => {
        expect(s.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(script.map((l) => `${l} (#${i})`));
        expect(s.stage).toBe(loaded[0]!.stage);
        // What each session learned came from its own messages only.
        expect(JSON.stringify(s.spec)).toContain(`(#${i})`);
        for (let j = 0; j < 10; j++) if (j !== i) expect(JSON.stringify(s)).not.toContain(`(#${j})`);
      });
      expect(ids.size).toBe(10);
      const listed = await call<{ total: number }>(client, 'sessions:list');
      expect(listed.total).toBe(10);
      client.close();
    } finally {
      await host.kill('SIGTERM');
    }
  });

  describe('a second instance on the same data folder', () => {
    let dataDir: string;
    let host: HostProcess;
    let id: string;
    beforeAll(async () => {
      dataDir = await temp();
      host = await startHost(dataDir, { entry: 'bundle' });
      const client = await BridgeClient.connect(host);
      id = (await call<Session>(client, 'sessions:create', { provider: 'offline' })).id;
      client.close();
    });
    afterAll(async () => {
      await host.kill('SIGTERM');
    });

    it('refuses a second preview with a message naming the first', async () => {
      const second = await startHost(dataDir, { entry: 'bundle' }).then(
        async (h) => {
          await h.kill('SIGTERM');
          return null;
        },
        (error: Error) => error.message,
      );
      expect(second).toMatch(/in use by a Parley preview \(pid \d+/);
      expect(second).toMatch(/--data-dir/);
    });

    it('refuses CLI commands that write, and still answers the ones that only read', async () => {
      const say = await runCliProcess(dataDir, ['say', id, 'hello'], { entry: 'bundle' });
      expect(say.code).toBe(1);
      expect(say.err).toMatch(/in use by a Parley preview/);
      const created = await runCliProcess(dataDir, ['new'], { entry: 'bundle' });
      expect(created.code).toBe(1);
      const list = await runCliProcess(dataDir, ['--json', 'list'], { entry: 'bundle' });
      expect(list.code, list.err).toBe(0);
      expect((JSON.parse(list.out) as { items: Array<{ id: string }> }).items.map((r) => r.id)).toEqual([id]);
      const show = await runCliProcess(dataDir, ['--json', 'show', id], { entry: 'bundle' });
      expect(show.code, show.err).toBe(0);
    });
  });

  it('recovers a stale lock left by a killed instance, and lets CLI commands take turns', async () => {
    const dataDir = await temp();
    const first = await startHost(dataDir, { entry: 'bundle' });
    const killed = await first.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(await readFile(join(dataDir, 'parley.lock'), 'utf8')).toContain(`"pid":${first.child.pid}`);
    // A lock whose process is gone does not block the next start.
    const second = await startHost(dataDir, { entry: 'bundle' });
    await second.kill('SIGTERM');
    // A garbage lock file (a crash while writing it) is old enough to be ignored.
    await writeFile(join(dataDir, 'parley.lock'), '');
    const { utimes } = await import('node:fs/promises');
    await utimes(join(dataDir, 'parley.lock'), new Date(0), new Date(0));
    const created = await runCliProcess(dataDir, ['--json', 'new', '--provider', 'offline'], { entry: 'bundle' });
    expect(created.code, created.err).toBe(0);
    const sid = (JSON.parse(created.out) as { id: string }).id;
    // Five CLI turns at once on one session: each waits for the lock, none is lost.
    const runs = await Promise.all(Array.from({ length: 5 }, (_, i) => runCliProcess(dataDir, ['--json', 'say', sid, `parallel ${i}`], { entry: 'bundle' })));
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const shown = JSON.parse((await runCliProcess(dataDir, ['--json', 'show', sid], { entry: 'bundle' })).out) as Session;
    expect(shown.messages.filter((m) => m.role === 'user').map((m) => m.text).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `parallel ${i}`));
  });
});
