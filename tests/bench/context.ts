import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { makeSession, writeFixtureSessions } from '../support/session-fixtures';
import { createSessionStore } from '../../electron/store/sessions';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/harness';
import { naiveDb } from './naive';
import type { Sizes } from './types';

/**
 * Seeding writes hundreds of megabytes the kernel flushes to disk later; a benchmark's fsyncs must
 * not wait behind that writeback (a full run measured save_scaling at 1.57, the same bench alone at
 * 1.14–1.36). Seeding is not what is measured, so its writes are flushed before.
 */
function settleDisk(): void {
  if (process.platform !== 'win32') spawnSync('sync', { stdio: 'ignore' });
}

/** What every benchmark gets: sizes, a scratch directory, seeded data and one Chromium, all shared within a run. */
export class BenchContext {
  private readonly parleyDirs = new Map<number, Promise<string>>();
  private readonly naiveFiles = new Map<number, Promise<string>>();
  private browserPromise: Promise<Browser> | null = null;
  private readonly cleanups: Array<() => Promise<void>> = [];
  private counter = 0;

  private constructor(
    readonly root: string,
    readonly sizes: Sizes,
    readonly quick: boolean,
    readonly log: (line: string) => void,
  ) {}

  static async create(sizes: Sizes, quick: boolean, log: (line: string) => void): Promise<BenchContext> {
    return new BenchContext(await mkdtemp(join(tmpdir(), 'parley-bench-')), sizes, quick, log);
  }

  /** A new empty directory under the run's scratch root. */
  async scratch(label: string): Promise<string> {
    const dir = join(this.root, `${label}-${++this.counter}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /**
   * A data dir holding `count` fixture sessions with the store's index already built, seeded once
   * per run: files are written straight to disk, then the store is opened once to index them.
   */
  parleyData(count: number): Promise<string> {
    let dir = this.parleyDirs.get(count);
    if (!dir) {
      dir = (async () => {
        const started = performance.now();
        const path = await this.scratch(`parley-${count}`);
        await writeFixtureSessions(path, count);
        const store = await createSessionStore({ dataDir: path, verifyOnOpen: false });
        const { total } = await store.list({ limit: 1 });
        await store.flush();
        if (total !== count) throw new Error(`seeding ${count} sessions indexed ${total}`);
        settleDisk();
        this.log(`  seeded ${count} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        return path;
      })();
      this.parleyDirs.set(count, dir);
    }
    return dir;
  }

  /** The naive design's one lowdb file holding the same `count` fixture sessions. */
  naiveData(count: number): Promise<string> {
    let file = this.naiveFiles.get(count);
    if (!file) {
      file = (async () => {
        const started = performance.now();
        const path = join(await this.scratch(`naive-${count}`), 'db.json');
        const db = naiveDb(path);
        for (let i = 0; i < count; i++) db.data.sessions.push(makeSession(i));
        await db.write();
        settleDisk();
        this.log(`  seeded the naive file with ${count} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        return path;
      })();
      this.naiveFiles.set(count, file);
    }
    return file;
  }

  browser(): Promise<Browser> {
    this.browserPromise ??= chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    return this.browserPromise;
  }

  /** Runs at close(), last registered first. */
  onClose(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  async close(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch((e: unknown) => this.log(`  cleanup failed: ${String(e)}`));
    if (this.browserPromise) await (await this.browserPromise).close().catch(() => undefined);
    await rm(this.root, { recursive: true, force: true });
  }
}
