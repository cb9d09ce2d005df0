import type { Session } from '../../shared/session';

/** A version of a session with its revision: the counter that orders versions on disk (see journal.ts). */
export interface Revised {
  session: Session;
  revision: number;
}

/** One queue per session: writes never interleave, and only the newest pending version is written. */
export class SessionWriter {
  pending: Revised | null = null;
  private tail: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (version: Revised) => Promise<void>,
    /** Failures of deferred writes, which no caller awaits. */
    private readonly onDeferredError: (error: unknown) => void = () => undefined,
  ) {}

  save(version: Revised): Promise<void> {
    this.pending = version;
    return this.enqueue();
  }

  saveSoon(version: Revised, delayMs: number): void {
    this.pending = version;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.enqueue().catch(this.onDeferredError); // kept in `pending`; the next save or flush() retries
    }, delayMs);
  }

  flush(): Promise<void> {
    return this.pending ? this.enqueue() : this.tail;
  }

  private enqueue(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const run = this.tail.then(() => this.drain());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async drain(): Promise<void> {
    const version = this.pending;
    if (!version) return;
    this.pending = null;
    try {
      await this.write(version);
    } catch (error) {
      this.pending ??= version; // a newer version queued meanwhile wins
      throw error;
    }
  }
}
