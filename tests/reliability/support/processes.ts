/**
 * Real Parley processes for the reliability suite: the CLI and the preview host, started the way
 * a user starts them, plus a WebSocket client that speaks the preview bridge's frames.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { ParleyError, type Envelope } from '../../../shared/errors';
import { sendTurn, turnPortOf } from '../../../shared/client';
import type { EventName } from '../../../shared/ipc';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** `npm test -- --long` or PARLEY_LONG=1: more kills, more payloads. */
export const LONG = process.env.PARLEY_LONG === '1' || process.env.PARLEY_LONG === 'true';
export const scale = (normal: number, long: number) => (LONG ? long : normal);

/** A clean environment: nothing from the developer's shell (keys, base URLs) leaks into a run. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra };
}

export type Entry = 'tsx' | 'bundle';

const BUNDLE_DIR = join(REPO_ROOT, '.test-results', 'reliability-bundle');
/** What `npx parley` runs: the CLI as users get it. */
export const CLI_BUNDLE = join(REPO_ROOT, 'out', 'cli', 'parley.mjs');
let bundling: Promise<void> | null = null;

/**
 * The built processes, for where hundreds of starts are needed (the crash loop): the CLI is
 * `out/cli/parley.mjs`, rebuilt first by the launcher behind `npm run cli` when a source is
 * newer; the preview host is compiled by esbuild from the same sources (minus tsx's per-start
 * transpile), two levels below the repo root like the sources, so `import.meta.url`-relative
 * paths resolve the same. Everything else runs the tsx entry points.
 */
export function ensureBundle(): Promise<void> {
  bundling ??= (async () => {
    const cli = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'cli.mjs'), '--version'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let cliErr = '';
    cli.stderr.on('data', (d: Buffer) => (cliErr += d.toString()));
    const cliBuilt = new Promise<void>((resolveBuilt, reject) =>
      cli.on('close', (code) => (code === 0 ? resolveBuilt() : reject(new Error(`building the CLI failed (${code}): ${cliErr}`)))),
    );
    const { build } = await import('esbuild');
    await mkdir(BUNDLE_DIR, { recursive: true });
    await build({
      entryPoints: [join(REPO_ROOT, 'electron/preview/host.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: BUNDLE_DIR,
      entryNames: '[name]',
      outExtension: { '.js': '.mjs' },
      external: ['keytar', 'vite', 'bufferutil', 'utf-8-validate', 'electron'],
      logLevel: 'error',
      banner: { js: "import { createRequire as __parleyRequire } from 'node:module'; const require = __parleyRequire(import.meta.url);" },
    });
    await cliBuilt;
    await stat(join(BUNDLE_DIR, 'host.mjs'));
    await stat(CLI_BUNDLE);
  })();
  return bundling;
}

function entryArgs(which: 'cli' | 'host', entry: Entry): string[] {
  if (entry === 'bundle') return [which === 'cli' ? CLI_BUNDLE : join(BUNDLE_DIR, 'host.mjs')];
  // An absolute loader URL: `--import tsx` would be resolved from the child's working folder.
  const tsx = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  return ['--import', tsx, join(REPO_ROOT, which === 'cli' ? 'electron/cli.ts' : 'electron/preview/host.ts')];
}

/** Runs a command line inside something else (e.g. a D-Bus session): takes and returns argv. */
export type Wrap = (argv: string[]) => string[];

/** The command line of the CLI, for scripts that run it themselves. */
export function cliArgv(entry: Entry = 'tsx'): string[] {
  return [process.execPath, ...entryArgs('cli', entry)];
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  entry?: Entry;
  /** SIGKILL the process this many ms after it was spawned. */
  killAfterMs?: number;
  /**
   * SIGKILL the process `delayMs` after it first changes anything under `dirs` (its lock file
   * aside): the kill then lands while the command is writing, not during Node's start-up.
   */
  killAfterFirstWrite?: { dirs: string[]; delayMs: number };
  cwd?: string;
}

export interface CliProcessResult extends ProcessResult {
  /** Whether a change under `killAfterFirstWrite.dirs` was seen before the process ended. */
  wrote: boolean;
}

/** Watches folders for the first change by another process; returns a stop function. */
function onFirstChange(dirs: string[], changed: () => void): () => void {
  const watchers: FSWatcher[] = [];
  let fired = false;
  for (const dir of dirs) {
    watchers.push(
      watch(dir, { recursive: true }, (_event, name) => {
        if (fired || !name || basename(name.toString()) === 'parley.lock') return;
        fired = true;
        changed();
      }),
    );
  }
  return () => watchers.forEach((w) => w.close());
}

/** Runs `parley --data-dir D <args>` as its own process and collects its output. */
export function runCliProcess(dataDir: string, args: string[], options: CliOptions = {}): Promise<CliProcessResult> {
  const child = spawn(process.execPath, [...entryArgs('cli', options.entry ?? 'tsx'), '--data-dir', dataDir, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? cleanEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  const timers: ReturnType<typeof setTimeout>[] = [];
  if (options.killAfterMs !== undefined) timers.push(setTimeout(() => child.kill('SIGKILL'), options.killAfterMs));
  let wrote = false;
  const stopWatching = options.killAfterFirstWrite
    ? onFirstChange(options.killAfterFirstWrite.dirs, () => {
        wrote = true;
        timers.push(setTimeout(() => child.kill('SIGKILL'), options.killAfterFirstWrite!.delayMs));
      })
    : () => undefined;
  return new Promise((resolveRun, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      timers.forEach(clearTimeout);
      stopWatching();
      resolveRun({ code, signal, out, err, wrote });
    });
  });
}

/** Hosts started and not yet killed: ended when the test process exits, whatever happened. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* the group is already gone */
  }
}

export interface HostProcess {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  stderr: () => string;
  /** Resolves with the exit once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `preview/host.ts --port 0 --no-build --data-dir D --provider P` and reads its URL line. */
export async function startHost(
  dataDir: string,
  options: { provider?: string; env?: NodeJS.ProcessEnv; entry?: Entry; wrap?: Wrap } = {},
): Promise<HostProcess> {
  const argv = [process.execPath, ...entryArgs('host', options.entry ?? 'tsx'), '--port', '0', '--no-build', '--data-dir', dataDir, '--provider', options.provider ?? 'offline'];
  const [command, ...args] = options.wrap ? options.wrap(argv) : argv;
  // Its own process group: when a wrapper (dbus-run-session, bash) runs the host, killing the
  // wrapper alone would leave the host running after the suite; kill() signals the whole group.
  const child = spawn(command!, args, { cwd: REPO_ROOT, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const m = /Parley preview: (http:\/\/\S+)\n/.exec(buffered);
      if (m?.[1]) resolveUrl(m[1]);
    });
    void exited.then(({ code, signal }) => reject(new Error(`preview host exited (${code ?? signal}) before printing its URL: ${err}`)));
  });
  const parsed = new URL(url);
  return {
    child,
    url,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token') ?? '',
    stderr: () => err,
    exited,
    async kill(signal = 'SIGKILL') {
      killGroup(child, signal);
      const result = await exited;
      killGroup(child, 'SIGKILL'); // anything the wrapper left behind
      live.delete(child);
      return result;
    },
  };
}

export interface BridgeEvent {
  event: string;
  payload: Record<string, unknown>;
}

/** A client of the preview bridge: request/response by id, every event recorded in order. */
export class BridgeClient {
  readonly events: BridgeEvent[] = [];
  /** Every raw frame received, for secret scans. */
  readonly frames: string[] = [];
  private nextId = 1;
  private readonly pending = new Map<string | number, (envelope: Envelope) => void>();
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<(e: BridgeEvent) => void>();
  private readonly closeListeners = new Set<() => void>();
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.frames.push(text);
      const frame = JSON.parse(text) as { id?: string | number; envelope?: Envelope; event?: string; payload?: Record<string, unknown> };
      if (frame.event) {
        const e = { event: frame.event, payload: frame.payload ?? {} };
        this.events.push(e);
        for (const l of [...this.listeners]) l(e);
      }
      else if (frame.id !== undefined && frame.envelope) {
        this.pending.get(frame.id)?.(frame.envelope);
        this.pending.delete(frame.id);
      }
      for (const w of [...this.waiters]) w();
    });
    ws.on('close', () => {
      for (const [, settle] of this.pending) settle({ ok: false, error: { code: 'DISCONNECTED', message: 'socket closed' } });
      this.pending.clear();
      for (const w of [...this.waiters]) w();
      for (const l of [...this.closeListeners]) l();
    });
  }

  static connect(host: { port: number; token: string }, headers: Record<string, string> = {}): Promise<BridgeClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/?token=${encodeURIComponent(host.token)}`, {
      headers: { Origin: `http://127.0.0.1:${host.port}`, ...headers },
    });
    return new Promise((resolveWs, reject) => {
      ws.once('open', () => resolveWs(new BridgeClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  request(channel: string, input?: unknown): Promise<Envelope> {
    const id = this.nextId++;
    return this.send({ id, channel, input }, id);
  }

  /** Sends any frame and waits for the reply to `id`. */
  send(frame: unknown, id: string | number): Promise<Envelope> {
    return new Promise((resolveReply) => {
      if (!this.open) return resolveReply({ ok: false, error: { code: 'DISCONNECTED', message: 'socket closed' } });
      this.pending.set(id, resolveReply);
      this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    });
  }

  /** Waits until an event matches (or the socket closes: then rejects). */
  waitFor(match: (e: BridgeEvent) => boolean): Promise<BridgeEvent> {
    return new Promise((resolveEvent, reject) => {
      const check = () => {
        const found = this.events.find(match);
        if (found) {
          this.waiters.delete(check);
          resolveEvent(found);
        } else if (!this.open) {
          this.waiters.delete(check);
          reject(new Error('socket closed'));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Called once the socket closes (a plain set: many turns may wait at once). */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => void this.closeListeners.delete(listener);
  }

  /** Every event from now on, pushed as it comes (returns the unsubscribe function). */
  onEvent(listener: (e: BridgeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Calls a channel and returns its value, throwing the typed error otherwise. */
export async function call<T>(client: BridgeClient, channel: string, input?: unknown): Promise<T> {
  const envelope = await client.request(channel, input);
  if (!envelope.ok) throw Object.assign(new Error(`${channel}: ${envelope.error.code}: ${envelope.error.message}`), { code: envelope.error.code });
  return envelope.value as T;
}

/** Sends a turn and waits for its done or error event (rejects if the socket closes first). */
export async function turn(client: BridgeClient, sessionId: string, text: string): Promise<BridgeEvent> {
  const closed = new AbortController();
  const onClose = () => closed.abort(new Error('socket closed'));
  const offClose = client.onClose(onClose);
  const port = turnPortOf(
    (input) => call<{ turnId: string }>(client, 'turn:send', input),
    (listener) => client.onEvent((e) => listener(e.event as EventName, e.payload)),
  );
  let turnId = '';
  try {
    if (!client.open) onClose();
    const done = await sendTurn(port, { sessionId, text }, { signal: closed.signal, onStart: (id) => (turnId = id) });
    return { event: 'turn:done', payload: done };
  } catch (error) {
    if (!(error instanceof ParleyError)) throw error;
    return { event: 'turn:error', payload: { turnId, sessionId, error: error.toJSON() } };
  } finally {
    offClose();
  }
}
