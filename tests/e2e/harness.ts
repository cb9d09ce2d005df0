import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Debian's Chromium; PARLEY_CHROMIUM points elsewhere (e.g. on macOS). */
export const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether the browser suites can run. Under CI a missing Chromium is a failure (docs/ARCHITECTURE.md);
 * locally the suite skips and says why, loudly.
 */
export function chromiumAvailability(): { run: boolean; failInCi: string | null } {
  if (existsSync(CHROMIUM)) return { run: true, failInCi: null };
  const reason = `Chromium not found at ${CHROMIUM} (apt-get install -y chromium).`;
  if (process.env.CI === 'true') return { run: false, failInCi: reason };
  console.warn(`\n⚠️  SKIPPING the preview e2e suite: ${reason}\n`);
  return { run: false, failInCi: null };
}

export interface PreviewProcess {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  dataDir: string;
  stderr: () => string;
  /** SIGTERM, then the exit code (SIGKILL after a grace period, reported as null). */
  stop(): Promise<number | null>;
}

/** Starts `npm run preview` the way a developer would and reads its first stdout line. */
export async function startPreviewProcess(
  extraArgs: string[] = [],
  entry = 'electron/preview/host.ts',
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<PreviewProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-e2e-data-')));
  // The project's own tsx (what `npx tsx` runs), started directly so that SIGTERM reaches the host
  // and its exit code comes back (npm's exec wrapper dies of the signal instead).
  const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [entry, '--port', '0', '--data-dir', dataDir, '--provider', 'offline', ...extraArgs], {
    cwd: REPO_ROOT,
    env: { ...process.env, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', ELEVENLABS_API_KEY: '', ELEVENLABS_BASE_URL: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const firstLine = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    void exited.then((code) => reject(new Error(`preview exited (${code}) before printing its URL.\nstderr:\n${stderr}`)));
  });
  const match = /^Parley preview: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))$/.exec(firstLine);
  if (!match) {
    child.kill('SIGKILL');
    throw new Error(`unexpected first stdout line: ${JSON.stringify(firstLine)}\nstderr:\n${stderr}`);
  }
  return {
    child,
    url: match[1]!,
    port: Number(match[2]),
    token: match[3]!,
    dataDir,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
