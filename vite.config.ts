import { builtinModules } from 'node:module';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * One config, four targets, chosen by --mode:
 *   (default)  the renderer → out/renderer (served by app:// in Electron, by the preview host in Node)
 *   main       the Electron main process → out/main/main.cjs (dependencies stay external, loaded from asar)
 *   preload    the preload → out/preload/preload.cjs, one self-contained CJS file (sandboxed preloads cannot import)
 *   cli        the `parley` command → out/cli/parley.mjs (package.json "bin"), see below
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export const CLI_BUNDLE = 'out/cli/parley.mjs';

/** npm links a bin as is: the file needs its shebang (the banner) and the executable bit. */
function executable(file: string): Plugin {
  return {
    name: 'parley-executable',
    async writeBundle(options) {
      await chmod(join(options.dir ?? '', file), 0o755);
    },
  };
}

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'cli') {
    // Dependencies are bundled: one file to parse instead of hundreds of modules to resolve is
    // most of a short command's start-up. Provider SDKs stay behind dynamic imports, in chunks
    // that only a turn (or a key test) loads; `--version` and `list` never read them.
    return {
      publicDir: false,
      ssr: { noExternal: true },
      build: {
        ssr: 'electron/cli.ts',
        outDir: 'out/cli',
        emptyOutDir: true,
        target: 'node20',
        sourcemap: true,
        minify: true,
        reportCompressedSize: false,
        rollupOptions: {
          // keytar is native (optional); electron is never loaded by the CLI.
          external: ['keytar', 'electron', ...nodeBuiltins],
          output: {
            format: 'es',
            entryFileNames: 'parley.mjs',
            chunkFileNames: 'chunks/[name]-[hash].mjs',
            banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : ''),
            codeSplitting: true,
          },
        },
      },
      plugins: [executable('parley.mjs')],
    };
  }
  if (mode === 'main' || mode === 'preload') {
    const entry = mode === 'main' ? 'electron/main.ts' : 'electron/preload.ts';
    return {
      publicDir: false,
      ssr: mode === 'preload' ? { noExternal: true } : undefined,
      build: {
        ssr: entry,
        outDir: `out/${mode}`,
        emptyOutDir: true,
        target: 'node20',
        sourcemap: true,
        minify: false,
        rollupOptions: {
          external: mode === 'main' ? ['electron', 'keytar', ...nodeBuiltins] : ['electron'],
          // main: provider SDKs load on first use, from their own chunks; preload: one self-contained file.
          output: { format: 'cjs', entryFileNames: `${mode}.cjs`, chunkFileNames: '[name]-[hash].cjs', codeSplitting: mode === 'main' },
        },
      },
    };
  }
  return {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: {
      outDir: '../out/renderer',
      emptyOutDir: true,
      target: 'chrome130',
      sourcemap: true,
    },
    server: { host: '127.0.0.1', port: 5173, strictPort: true },
  };
});
