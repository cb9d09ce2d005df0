import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureRendererBuilt } from '../../../electron/preview/build';
import { REPO_ROOT } from '../../../electron/preview/preview';
import type { BenchContext } from '../context';
import type { BenchResult } from '../types';

async function jsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await jsFiles(path)));
    else if (/\.m?js$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Every JS file of the built renderer (out/renderer, rebuilt first when its sources are newer), gzipped. */
export async function rendererBundle(ctx: BenchContext): Promise<BenchResult> {
  const built = await ensureRendererBuilt(REPO_ROOT);
  ctx.log(`  renderer build: ${built}`);
  const dir = join(REPO_ROOT, 'out', 'renderer');
  const files = await jsFiles(dir);
  if (files.length === 0) throw new Error(`no JS in ${dir}`);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = await readFile(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const kb = gzip / 1024;
  return {
    name: 'renderer_bundle',
    unit: 'KB',
    value: kb,
    budget: '≤ 350 KB gzip',
    pass: kb <= 350,
    detail: `${files.length} JS file(s) in out/renderer, ${(raw / 1024).toFixed(0)} KiB raw, ${kb.toFixed(1)} KiB gzip -9 (source maps excluded)`,
  };
}
