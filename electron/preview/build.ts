import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SKIP = /(^|\/)(node_modules|\.git)$|\.test\.tsx?$/;

async function newestMtime(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    const child = join(path, entry);
    if (SKIP.test(child)) continue;
    newest = Math.max(newest, await newestMtime(child));
  }
  return newest;
}

/** The renderer bundle is stale when any of its inputs (renderer/, shared/, vite config) is newer than its index.html. */
export async function rendererIsStale(repoRoot: string, outDir = join(repoRoot, 'out', 'renderer')): Promise<boolean> {
  const built = await newestMtime(join(outDir, 'index.html'));
  if (built === 0) return true;
  const inputs = await Promise.all(['renderer', 'shared', 'vite.config.ts'].map((p) => newestMtime(join(repoRoot, p))));
  return Math.max(...inputs) > built;
}

/** Builds out/renderer with the project's own vite.config.ts, silently (preview's first stdout line is its URL). */
export async function buildRenderer(repoRoot: string, outDir?: string): Promise<void> {
  const { build } = await import('vite');
  // Under a test runner NODE_ENV is "test": Vite and the React plugin would then build React's
  // development variant. Both read NODE_ENV, so set it for the build (not a define, which would
  // mix a production React with development JSX calls).
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(repoRoot, 'vite.config.ts'),
      root: join(repoRoot, 'renderer'),
      mode: 'production',
      logLevel: 'silent',
      ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}),
    });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}

export async function ensureRendererBuilt(repoRoot: string): Promise<'built' | 'fresh'> {
  if (!(await rendererIsStale(repoRoot))) return 'fresh';
  await buildRenderer(repoRoot);
  return 'built';
}
