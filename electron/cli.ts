import { parseArgs } from 'node:util';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { COMMANDS, GLOBAL_OPTIONS, USAGE, VERSION, UsageError, type CliIo, type CommandContext, type CommandName, type CommandSpec, type OptionSpec, type Outcome, type Step } from './cli/spec';

export { USAGE, VERSION, type CliIo } from './cli/spec';

/**
 * `parley`: headless Parley over the same backend and contract as the app. Public interface:
 * commands, flags, JSON shapes and exit codes change only compatibly (README changelog).
 *   exit 0 ok · 1 failed (not found, provider, disk…) · 2 bad usage or invalid input · 130 interrupted
 *
 * This module is the whole start-up path: argument parsing, usage, version and the one exit
 * path. It imports nothing heavy; the backend (zod schemas, stores, exporters) is loaded by
 * commands.ts only once a command needs it, so `--version` and `--help` cost little more than
 * Node's own start.
 */

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

interface Failure {
  code: string;
  message: string;
  exit: number;
}

/** Error codes that mean the disk refused a write; reported as SAVE_FAILED when nothing more specific caught them. */
const DISK_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE', 'EIO']);

function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError) return { code: 'INVALID_INPUT', message: error.message, exit: EXIT_USAGE };
  // ParleyError, recognised by shape: importing its module here would load zod at start-up.
  if (error instanceof Error && error.name === 'ParleyError' && 'code' in error && typeof error.code === 'string') {
    return { code: error.code, message: error.message, exit: error.code === 'INVALID_INPUT' ? EXIT_USAGE : EXIT_FAILED };
  }
  const errno = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (errno && DISK_CODES.has(errno)) {
    return { code: 'SAVE_FAILED', message: `The file system refused a write (${errno}): ${message}. Free some space or fix the folder's permissions, then retry.`, exit: EXIT_FAILED };
  }
  return { code: 'INTERNAL', message: `Unexpected error: ${message}`, exit: EXIT_FAILED };
}

/** How long a crashed run may go on to release what it holds (its lock) before the process leaves anyway. */
const CRASH_GRACE_MS = 5000;

/**
 * One invocation and its only way out. Whatever happens (a result, an error, a failed final
 * save, an unhandled rejection, Ctrl+C), exactly one outcome is printed, the lock is released
 * and the exit code says which it was. Success is printed only once the final save is on disk.
 */
class Invocation {
  json: boolean;
  private exit: number | null = null;
  private readonly commits: Step[] = [];
  private readonly releases: Step[] = [];
  /** An unhandled rejection or uncaught exception seen while the command ran: it fails the run. */
  private crash: { error: unknown } | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly io: CliIo,
    argv: readonly string[],
  ) {
    // Known before parsing, so that even a malformed command line answers in JSON when asked to.
    const end = argv.indexOf('--');
    this.json = (end === -1 ? argv : argv.slice(0, end)).includes('--json');
  }

  context(command: CommandName, args: string[], options: Record<string, string | boolean | undefined>): CommandContext {
    return {
      command,
      args,
      options,
      json: this.json,
      io: this.io,
      beforeSuccess: (step) => this.commits.push(step),
      always: (step) => this.releases.push(step),
    };
  }

  /** Runs a command to its end: its steps before success, the releases, then the one report. */
  settle(run: () => Promise<Outcome>): Promise<number> {
    this.running ??= (async () => {
      let outcome: Outcome | undefined;
      let failure: { error: unknown } | undefined;
      try {
        outcome = await run();
      } catch (error) {
        failure = { error };
      }
      for (const step of this.commits.splice(0)) {
        try {
          await step();
        } catch (error) {
          failure ??= { error };
        }
      }
      await this.release();
      failure ??= this.crash;
      return failure || !outcome ? this.fail(failure?.error ?? new Error('the command produced no result')) : this.succeed(outcome);
    })();
    return this.running;
  }

  /**
   * A crash (unhandled rejection, uncaught exception): the run fails with it, but first gets a
   * moment to reach its own end, so that a lock being taken right now is released by its owner.
   */
  async crashed(error: unknown): Promise<number> {
    this.crash ??= { error };
    if (this.running) {
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([this.running, new Promise<null>((r) => (timer = setTimeout(() => r(null), CRASH_GRACE_MS)))]);
      clearTimeout(timer);
      if (code !== null) return code;
    }
    return this.abort(error);
  }

  /** Leaving now (an interrupt, or a crashed run that does not end): report unless already reported, release, exit. */
  async abort(error: unknown, exit?: number): Promise<number> {
    const code = this.fail(error, exit);
    await this.release();
    return code;
  }

  succeed(outcome: Outcome): number {
    if (this.exit !== null) return this.exit;
    this.exit = outcome.exit ?? 0;
    for (const note of outcome.notes ?? []) this.io.stderr(`${note}\n`);
    this.io.stdout(this.json && !outcome.text ? `${JSON.stringify(outcome.value)}\n` : outcome.human ? `${outcome.human}\n` : '');
    return this.exit;
  }

  /**
   * Reports a failure, unless an outcome was already reported: after that the run is over
   * (saved, lock released) and a late error cannot change what happened, so it is not printed.
   */
  fail(error: unknown, exit?: number): number {
    if (this.exit !== null) return this.exit;
    const f = describeFailure(error);
    this.exit = exit ?? f.exit;
    const message = error instanceof UsageError && this.json ? `${f.message} Run parley --help for the usage.` : f.message;
    if (this.json) this.io.stderr(`${JSON.stringify({ error: { code: f.code, message } })}\n`);
    else if (error instanceof UsageError) this.io.stderr(`${f.message}\n\n${USAGE}\n`);
    else this.io.stderr(`Error: ${f.message}\n`);
    return this.exit;
  }

  private async release(): Promise<void> {
    for (const step of this.releases.splice(0).reverse()) await step().catch(() => undefined);
  }
}

const allOptions = (): Record<string, OptionSpec> => {
  const out: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS };
  for (const spec of Object.values(COMMANDS) as CommandSpec[]) Object.assign(out, spec.options);
  return out;
};

const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

async function execute(invocation: Invocation, argv: string[]): Promise<Outcome> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: allOptions() });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { value: null, human: USAGE, text: true };
  if (values.version) return { value: { version: VERSION }, human: VERSION };
  const [command, ...args] = positionals;
  if (!command) throw new UsageError('No command given.');
  if (!isCommand(command)) throw new UsageError(`Unknown command "${command}".`);
  const { run } = await import('./cli/commands');
  return run(invocation.context(command, args, values as Record<string, string | boolean | undefined>));
}

/**
 * Starts one invocation. `done` resolves with the exit code; `crashed` and `abort` are the ways
 * out for what the run cannot catch itself (an unhandled rejection or uncaught exception; a signal).
 */
export function startCli(
  argv: string[],
  io: CliIo,
): { done: Promise<number>; crashed(error: unknown): Promise<number>; abort(error: unknown, exit?: number): Promise<number> } {
  const invocation = new Invocation(io, argv);
  return {
    done: invocation.settle(() => execute(invocation, argv)),
    crashed: (error) => invocation.crashed(error),
    abort: (error, exit) => invocation.abort(error, exit),
  };
}

export function runCli(argv: string[], io: CliIo): Promise<number> {
  return startCli(argv, io).done;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let data = '';
  for await (const chunk of stream) data += chunk.toString();
  return data;
}

/**
 * The process around an invocation: output streams, stdin, and the handlers that route every
 * crash and signal to the one exit path. Exported for scripts/cli.mjs (`npm run cli`).
 */
export function main(argv: string[] = process.argv.slice(2)): void {
  const cli = startCli(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: () => {
      if (process.stdin.isTTY) process.stderr.write('Paste the key, then press Enter and Ctrl+D:\n');
      return readAll(process.stdin);
    },
    env: process.env,
  });
  const exitWith = (code: number) => process.exit(code);
  const crash = (error: unknown) => void cli.crashed(error).then(exitWith);
  process.on('unhandledRejection', crash);
  process.on('uncaughtException', crash);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      const error = Object.assign(new Error(`Interrupted (${signal}); what was saved before stays saved.`), { name: 'ParleyError', code: 'CANCELLED' });
      void cli.abort(error, EXIT_INTERRUPTED).then(exitWith);
    });
  }
  // `parley list | head`: a reader that stops early is not a failure of the command.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    else crash(error);
  });
  void cli.done.then((code) => {
    process.exitCode = code;
  });
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) main();
