/**
 * Crash safety of the product as a user runs it: the preview host and the CLI are real processes,
 * SIGKILLed at random moments while turns, edits, renames, deletes and exports run. After every
 * kill, every session acknowledged as saved must reload exactly, no file may be half-written, and
 * the next start must list exactly the sessions on disk (repairing the index if needed).
 */
import { mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../shared/session';
import { BridgeClient, call, ensureBundle, runCliProcess, scale, startHost, turn } from './support/processes';
import { record } from './support/figures';
import { replayJournal, revisionOf } from '../../electron/store/journal';

const HOST_KILLS = scale(120, 600);
const CLI_KILLS = scale(80, 400);
const SLOTS = 3;
const TIMEOUT = scale(300_000, 1_800_000);

const dirs: string[] = [];
beforeAll(async () => {
  await ensureBundle();
});
afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A deterministic PRNG so a failing run can be replayed with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Inflight = { kind: 'turn'; text: string } | { kind: 'edit'; value: string } | { kind: 'rename'; title: string } | { kind: 'delete' } | { kind: 'create' } | null;

interface Slot {
  id: string | null;
  /** The last state the host acknowledged as saved. */
  acked: Session | null;
  inflight: Inflight;
}

interface Tracked {
  acked: Session;
  /** Acknowledged as deleted: must be in the trash, not in the sessions folder. */
  deleted: boolean;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Every session file in the folder must be whole and valid; returns each session as a restart
 * reads it: its file plus its journal (the appended, fdatasync'd saves of turns not yet folded in).
 */
async function wholeFiles(dataDir: string, problems: string[], label: string): Promise<Map<string, Session>> {
  const out = new Map<string, Session>();
  const names = await readdir(join(dataDir, 'sessions'));
  for (const name of names) {
    if (name.endsWith('.tmp') || name.endsWith('.journal')) continue; // temp files are swept on the next start
    try {
      const raw: unknown = JSON.parse(await readFile(join(dataDir, 'sessions', name), 'utf8'));
      let s = Session.parse(raw);
      const journal = name.replace(/\.json$/, '.journal');
      if (names.includes(journal)) s = replayJournal(s, await readFile(join(dataDir, 'sessions', journal), 'utf8'), revisionOf(raw)).session;
      out.set(s.id, s);
    } catch (error) {
      problems.push(`${label}: ${name} is not a whole session: ${(error as Error).message.slice(0, 200)}`);
    }
  }
  return out;
}

const sameMessages = (a: Session['messages'], b: Session['messages']) =>
  a.length === b.length && a.every((m, i) => m.id === b[i]?.id && m.text === b[i]?.text && m.role === b[i]?.role && m.status === b[i]?.status);

function checkAgainstAck(disk: Session, acked: Session, inflight: Inflight, label: string, problems: string[]): void {
  const n = acked.messages.length;
  if (!sameMessages(disk.messages.slice(0, n), acked.messages)) {
    problems.push(`${label}: ${acked.id} lost acknowledged messages (disk has ${disk.messages.length}, acknowledged ${n})`);
    return;
  }
  if (disk.messages.length > n) {
    const first = disk.messages[n];
    if (inflight?.kind !== 'turn' || first?.role !== 'user' || first.text !== inflight.text) {
      problems.push(`${label}: ${acked.id} has messages nobody sent (${first?.role}: ${first?.text.slice(0, 40)})`);
    }
    return;
  }
  const titleOk = disk.title === acked.title || (inflight?.kind === 'rename' && disk.title === inflight.title);
  const tone = disk.spec.tone?.value;
  const toneOk = tone === acked.spec.tone?.value || (inflight?.kind === 'edit' && tone === inflight.value);
  const stageOk = disk.stage === acked.stage || inflight?.kind === 'turn';
  if (!titleOk || !toneOk || !stageOk) {
    problems.push(`${label}: ${acked.id} differs from what was acknowledged (title ${titleOk}, tone ${toneOk}, stage ${stageOk})`);
  }
}

describe('crash safety under SIGKILL (real processes)', () => {
  it(`preview host: ${HOST_KILLS} kills during turns, edits, renames and deletes lose nothing acknowledged`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-rel-crash-host-'));
    dirs.push(dataDir);
    const random = prng(20261125);
    const problems: string[] = [];
    const tracked = new Map<string, Tracked>();
    const slots: Slot[] = Array.from({ length: SLOTS }, () => ({ id: null, acked: null, inflight: null }));
    let acknowledged = 0;
    let kills = 0;

    for (let trial = 0; trial < HOST_KILLS; trial++) {
      const label = `kill ${trial}`;
      const host = await startHost(dataDir, { entry: 'bundle' });
      const client = await BridgeClient.connect(host);
      // The start after a kill must list exactly the whole files on disk, with nothing quarantined.
      const files = await wholeFiles(dataDir, problems, label);
      const listed = await call<{ items: Array<{ id: string }>; total: number; quarantined: unknown[] }>(client, 'sessions:list', { limit: 500 });
      const listedIds = new Set(listed.items.map((i) => i.id));
      if (listed.quarantined.length) problems.push(`${label}: quarantined after a crash: ${JSON.stringify(listed.quarantined)}`);
      if (listedIds.size !== files.size || [...files.keys()].some((id) => !listedIds.has(id))) {
        problems.push(`${label}: the list (${listedIds.size}) does not match the files on disk (${files.size})`);
      }
      for (const slot of slots) slot.inflight = null;

      const alive = { value: true };
      const drive = async (slot: Slot) => {
        while (alive.value && client.open) {
          if (!slot.id) {
            slot.inflight = { kind: 'create' };
            const s = await call<Session>(client, 'sessions:create', { provider: 'offline' });
            slot.id = s.id;
            slot.acked = s;
            tracked.set(s.id, { acked: s, deleted: false });
            acknowledged++;
            slot.inflight = null;
            continue;
          }
          const id = slot.id;
          const r = random();
          if (r < 0.5) {
            const text = `turn ${trial}.${Math.floor(random() * 1e6)} — a booking agent for my café ☕`;
            slot.inflight = { kind: 'turn', text };
            const done = await turn(client, id, text);
            if (done.event !== 'turn:done') throw new Error(`turn failed: ${JSON.stringify(done.payload)}`);
            const s = await call<Session>(client, 'sessions:get', { id });
            slot.acked = s;
          } else if (r < 0.75) {
            const value = `tone ${trial}.${Math.floor(random() * 1e6)}`;
            slot.inflight = { kind: 'edit', value };
            slot.acked = await call<Session>(client, 'spec:edit', { sessionId: id, path: 'tone', value });
          } else if (r < 0.93) {
            const title = `title ${trial}.${Math.floor(random() * 1e6)}`;
            slot.inflight = { kind: 'rename', title };
            slot.acked = await call<Session>(client, 'sessions:rename', { id, title });
          } else {
            slot.inflight = { kind: 'delete' };
            await call(client, 'sessions:delete', { id });
            tracked.get(id)!.deleted = true;
            slot.id = null;
            slot.acked = null;
          }
          if (slot.acked) tracked.set(id, { acked: slot.acked, deleted: false });
          acknowledged++;
          slot.inflight = null;
        }
      };
      const ackedBefore = acknowledged;
      const running = slots.map((slot) => drive(slot).catch(() => undefined)); // the kill ends them
      // The kill lands while work is happening: after this trial's first acknowledged operation (a
      // slow machine may need longer than any fixed delay for it), then at a random moment.
      for (const until = Date.now() + 15_000; acknowledged === ackedBefore && Date.now() < until; ) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, Math.floor(random() * 300)));
      alive.value = false;
      const exit = await host.kill('SIGKILL');
      if (exit.signal === 'SIGKILL') kills++;
      else problems.push(`${label}: host ended by itself (${exit.code}): ${host.stderr().slice(0, 300)}`);
      client.close();
      await Promise.all(running);

      const disk = await wholeFiles(dataDir, problems, label);
      const inflightOf = new Map(slots.filter((s) => s.id).map((s) => [s.id!, s.inflight]));
      for (const [id, t] of tracked) {
        const onDisk = disk.get(id);
        if (t.deleted) {
          if (onDisk) problems.push(`${label}: ${id} was deleted but is back`);
          if (!(await exists(join(dataDir, 'trash', `${id}.json`)))) problems.push(`${label}: deleted ${id} is not in the trash`);
          continue;
        }
        const inflight = inflightOf.get(id) ?? null;
        if (!onDisk) {
          if (inflight?.kind === 'delete' && (await exists(join(dataDir, 'trash', `${id}.json`)))) {
            t.deleted = true;
            continue;
          }
          problems.push(`${label}: acknowledged session ${id} is missing`);
          continue;
        }
        checkAgainstAck(onDisk, t.acked, inflight, label, problems);
        t.acked = onDisk; // what the next trial starts from
      }
      for (const slot of slots) {
        if (slot.id && tracked.get(slot.id)?.deleted) {
          slot.id = null;
          slot.acked = null;
        }
      }
      if (problems.length > 20) break;
    }

    // A last start: every session on disk listed, nothing quarantined, crash temp files swept. A
    // temp file is swept only once it is a minute old (a younger one may be a save in progress),
    // so the leftovers are dated back as if the user started Parley again a few minutes later.
    const sessionsDir = join(dataDir, 'sessions');
    const aMinuteAgo = new Date(Date.now() - 120_000);
    for (const name of (await readdir(sessionsDir)).filter((n) => n.endsWith('.tmp'))) await utimes(join(sessionsDir, name), aMinuteAgo, aMinuteAgo);
    const host = await startHost(dataDir, { entry: 'bundle' });
    const client = await BridgeClient.connect(host);
    const listed = await call<{ total: number; quarantined: unknown[] }>(client, 'sessions:list', { limit: 500 });
    const files = await wholeFiles(dataDir, problems, 'final');
    client.close();
    await host.kill('SIGTERM');
    expect(problems).toEqual([]);
    expect(listed.quarantined).toEqual([]);
    expect(listed.total).toBe(files.size);
    expect((await readdir(join(dataDir, 'sessions'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(kills).toBe(HOST_KILLS);
    // The kills must land while work is happening, or the test proves nothing: each trial waits
    // for one acknowledged operation before its kill.
    expect(acknowledged).toBeGreaterThanOrEqual(HOST_KILLS);
    await record('crash.hostKills', kills);
    await record('crash.hostAcknowledged', acknowledged);
  }, TIMEOUT);

  it(`CLI: ${CLI_KILLS} kills during new, say, delete and export leave only whole files`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-rel-crash-cli-'));
    const outDir = await mkdtemp(join(tmpdir(), 'parley-rel-crash-out-'));
    dirs.push(dataDir, outDir);
    const random = prng(777);
    const problems: string[] = [];
    const first = await runCliProcess(dataDir, ['--json', 'new', '--provider', 'offline'], { entry: 'bundle' });
    expect(first.code, first.err).toBe(0);
    const said = new Map<string, string[]>(); // acknowledged user messages per session
    const deleted = new Set<string>();
    let kills = 0;
    let killsMidWrite = 0;
    let completed = 0;

    // Commands that finish before their kill still count as work done; the loop runs until CLI_KILLS kills landed.
    for (let trial = 0; kills < CLI_KILLS && trial < CLI_KILLS * 4; trial++) {
      const label = `cli run ${trial}`;
      const files = await wholeFiles(dataDir, problems, label);
      const live = [...files.keys()];
      const id = live[Math.floor(random() * live.length)];
      const r = random();
      const out = join(outDir, `export-${trial}.json`);
      const text = `cli turn ${trial} — für Zürich`;
      const args =
        !id || r < 0.15
          ? ['new', '--provider', 'offline']
          : r < 0.65
            ? ['say', id, text]
            : r < 0.75 && live.length > 2
              ? ['delete', id]
              : ['export', id, '--format', 'parley', '--out', out, '--force'];
      // Most kills wait for the command's first write and land 0–4 ms into its writing; some land
      // at a random moment from spawn (start-up included), as a user's Ctrl+C or a crash would;
      // one command in ten runs to its end, so later commands build on finished ones too.
      const how = random();
      const kill =
        how < 0.7
          ? { killAfterFirstWrite: { dirs: [dataDir, outDir], delayMs: Math.floor(random() * 5) } }
          : how < 0.9
            ? { killAfterMs: 20 + Math.floor(random() * 300) }
            : {};
      const run = await runCliProcess(dataDir, ['--json', ...args], { entry: 'bundle', ...kill });
      if (run.signal === 'SIGKILL') {
        kills++;
        if (run.wrote) killsMidWrite++;
      }
      else if (run.code === 0) {
        completed++;
        if (args[0] === 'say' && id) said.set(id, [...(said.get(id) ?? []), text]);
        if (args[0] === 'delete' && id) deleted.add(id);
      } else problems.push(`${label}: parley ${args.join(' ')} failed (${run.code}): ${run.err.slice(0, 300)}`);

      const disk = await wholeFiles(dataDir, problems, label);
      for (const [sid, texts] of said) {
        const s = disk.get(sid);
        if (deleted.has(sid)) continue;
        if (!s) {
          if (!(await exists(join(dataDir, 'trash', `${sid}.json`)))) problems.push(`${label}: ${sid} vanished`);
          else deleted.add(sid);
          continue;
        }
        const userTexts = s.messages.filter((m) => m.role === 'user').map((m) => m.text);
        for (const t of texts) if (!userTexts.includes(t)) problems.push(`${label}: acknowledged message "${t}" of ${sid} is lost`);
      }
      for (const sid of deleted) if (disk.has(sid)) problems.push(`${label}: deleted ${sid} is back`);
      if (args[0] === 'export' && (await exists(out))) {
        try {
          Session.parse(JSON.parse(await readFile(out, 'utf8')));
        } catch (error) {
          problems.push(`${label}: the export file is half-written: ${(error as Error).message.slice(0, 120)}`);
        }
      }
      if (problems.length > 20) break;
    }
    const final = await runCliProcess(dataDir, ['--json', 'list'], { entry: 'bundle' });
    expect(final.code, final.err).toBe(0);
    expect(final.err).not.toMatch(/quarantined/);
    const files = await wholeFiles(dataDir, problems, 'final');
    expect((JSON.parse(final.out) as { items: unknown[] }).items.length).toBe(files.size);
    expect(problems).toEqual([]);
    expect(kills).toBe(CLI_KILLS);
    expect(completed).toBeGreaterThan(0); // some commands ran to the end between kills
    // A kill during Node's start-up proves nothing about the store: most must land mid-write.
    expect(killsMidWrite).toBeGreaterThanOrEqual(kills / 2);
    await record('crash.cliKills', kills);
    await record('crash.cliKillsMidWrite', killsMidWrite);
    await record('crash.cliCompleted', completed);
  }, TIMEOUT);
});
