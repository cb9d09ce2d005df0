import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from '../../shared/session';
import { makeSession } from './session-fixtures';
import { createSessionStore } from '../../electron/store/sessions';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const childScript = join(here, 'crash-child.ts');

export interface CrashTrialReport {
  trials: number;
  /** Saves acknowledged by the children over all trials. */
  acknowledged: number;
  /** One line per broken invariant; empty when the store is crash-safe. */
  problems: string[];
}

/** Version number k of a crash-trial session, after checking the file is whole and consistent. */
function versionOf(text: string, base: number): number {
  const session = Session.parse(JSON.parse(text));
  const k = Number(session.title.slice(1));
  if (!session.title.startsWith('v') || !Number.isInteger(k)) throw new Error(`unexpected title ${session.title}`);
  if (session.messages.length !== base + k) throw new Error(`mixed versions: title v${k} with ${session.messages.length - base} added messages`);
  return k;
}

export interface KillTrialOptions {
  trials: number;
  /** The child script (run with tsx) and its arguments. It prints "ready", then "saved <key> <k>" after each durable save. */
  script: string;
  args: string[];
  random?: () => number;
  maxDelayMs?: number;
  onSaved(key: string, k: number): void;
  /** Checks the files once the trial's child is dead; `problem` records a broken invariant. */
  afterKill(trial: number, problem: (line: string) => void): Promise<void>;
}

/**
 * The kill loop shared by the crash trials: each trial starts the child and SIGKILLs it, most often
 * right after its k-th acknowledged save (so the kill lands while the next save is being written,
 * whatever the machine's speed), sometimes at a random moment after it is ready; then `afterKill`
 * checks what is on disk.
 */
export async function runKillTrials(opts: KillTrialOptions): Promise<{ acknowledged: number; problems: string[] }> {
  const random = opts.random ?? Math.random;
  const maxDelay = opts.maxDelayMs ?? 60;
  const problems: string[] = [];
  let acknowledged = 0;
  for (let trial = 0; trial < opts.trials; trial++) {
    const child = spawn(process.execPath, ['--import', 'tsx', opts.script, ...opts.args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let buffered = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolveExit) => child.on('exit', () => resolveExit()));
    const killAfterSaves = Math.floor(random() * 5);
    let savedThisTrial = 0;
    await new Promise<void>((resolveReady) => {
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        let nl: number;
        while ((nl = buffered.indexOf('\n')) !== -1) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line === 'ready') {
            if (killAfterSaves === 0) setTimeout(() => child.kill('SIGKILL'), Math.floor(random() * maxDelay));
            resolveReady();
          }
          const m = /^saved (\S+) (\d+)$/.exec(line);
          if (m && m[1] && m[2]) {
            opts.onSaved(m[1], Number(m[2]));
            acknowledged++;
            if (++savedThisTrial === killAfterSaves) child.kill('SIGKILL');
          }
        }
      });
      child.on('exit', () => resolveReady());
    });
    await exited;
    if (child.signalCode !== 'SIGKILL') problems.push(`trial ${trial}: child ended without being killed (${child.exitCode}): ${stderr.slice(0, 500)}`);
    await opts.afterKill(trial, (line) => problems.push(line));
  }
  return { acknowledged, problems };
}

/**
 * Runs `trials` child processes that save sessions in a loop and SIGKILLs each at a random moment,
 * then checks every session file: parseable, valid, internally consistent, and at either the last
 * acknowledged version or the one being written (never older: an acknowledged save is durable).
 */
export async function runCrashTrials(opts: { dataDir: string; trials: number; sessions?: number; maxDelayMs?: number; random?: () => number }): Promise<CrashTrialReport> {
  const random = opts.random ?? Math.random;
  const count = opts.sessions ?? 3;
  const base = 4;
  const maxDelay = opts.maxDelayMs ?? 60;
  const setup = await createSessionStore({ dataDir: opts.dataDir, verifyOnOpen: false });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = makeSession(i, { messages: base });
    s.title = 'v0';
    await setup.create(s);
    ids.push(s.id);
  }
  await setup.flush();

  const acked = new Map<string, number>(ids.map((id) => [id, 0]));
  const { acknowledged, problems } = await runKillTrials({
    trials: opts.trials,
    script: childScript,
    args: [opts.dataDir, ...ids],
    random,
    maxDelayMs: maxDelay,
    onSaved: (id, k) => acked.set(id, Math.max(acked.get(id) ?? 0, k)),
    afterKill: async (trial, problem) => {
      for (const id of ids) {
        const last = acked.get(id) ?? 0;
        try {
          const k = versionOf(await readFile(join(opts.dataDir, 'sessions', `${id}.json`), 'utf8'), base);
          if (k !== last && k !== last + 1) problem(`trial ${trial}: ${id} is at v${k}, last acknowledged v${last}`);
          acked.set(id, k);
        } catch (error) {
          problem(`trial ${trial}: ${id}: ${(error as Error).message}`);
        }
      }
    },
  });

  // Reopening (by the lock holder, a minute later) must load every session, quarantine nothing and
  // sweep the crash's temp files; a younger temp file could be a save in progress, so the clock is moved on.
  const reopened = await createSessionStore({ dataDir: opts.dataDir, sweepTemps: true, clock: () => new Date(Date.now() + 61_000) });
  const listed = await reopened.list();
  await reopened.flush();
  if (listed.total !== count) problems.push(`after the trials the store lists ${listed.total} sessions, expected ${count}`);
  if (listed.quarantined.length > 0) problems.push(`quarantined after crashes: ${JSON.stringify(listed.quarantined)}`);
  const leftovers = (await readdir(join(opts.dataDir, 'sessions'))).filter((n) => n.endsWith('.tmp'));
  if (leftovers.length > 0) problems.push(`temp files left after reopening: ${leftovers.join(', ')}`);
  return { trials: opts.trials, acknowledged, problems };
}
