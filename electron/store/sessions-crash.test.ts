import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCrashTrials } from '../../tests/support/crash-harness';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('leaves every session file whole and at the old or the new version after 50 SIGKILLs mid-save', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-crash-'));
    dirs.push(dataDir);
    const report = await runCrashTrials({ dataDir, trials: 50 });
    expect(report.problems).toEqual([]);
    // The kills must land while saves are happening, or the test proves nothing.
    expect(report.acknowledged).toBeGreaterThan(50);
  }, 120_000);
});
