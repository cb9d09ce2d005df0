import { runCli } from '../../electron/cli';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the real CLI in-process (same code path as `npm run cli`) with a clean environment. */
export async function runParley(dataDir: string, args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(['--data-dir', dataDir, ...args], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readStdin: async () => options.stdin ?? '',
    env: options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { code, out, err };
}

/** Runs a CLI command with --json and returns its parsed output, failing loudly on any error. */
export async function parleyJson<T>(dataDir: string, args: string[], options?: { stdin?: string; env?: NodeJS.ProcessEnv }): Promise<T> {
  const run = await runParley(dataDir, [...args, '--json'], options);
  if (run.code !== 0) throw new Error(`parley ${args.join(' ')} exited ${run.code}: ${run.err}`);
  return JSON.parse(run.out) as T;
}
