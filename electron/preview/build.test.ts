import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

describe('preview renderer build', () => {
  it('builds production React even when NODE_ENV is "test" (as under Vitest)', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    const { buildRenderer } = await import('./build');
    const repo = resolve(import.meta.dirname, '..', '..');
    const out = await mkdtemp(join(tmpdir(), 'parley-renderer-'));
    try {
      // A separate output folder, so a running preview is not disturbed.
      await buildRenderer(repo, out);
      const js = (await readdir(join(out, 'assets'))).filter((f) => f.endsWith('.js'));
      const code = await readFile(join(out, 'assets', js[0]!), 'utf8');
      expect(code).not.toContain('jsxDEV');
      expect(process.env.NODE_ENV).toBe('test');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
