import { builtinModules } from 'node:module';
import { defineConfig, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * One config, three targets, chosen by --mode:
 *   (default)  the renderer → out/renderer (served by app:// in Electron, by the preview host in Node)
 *   main       the Electron main process → out/main/main.cjs (dependencies stay external, loaded from asar)
 *   preload    the preload → out/preload/preload.cjs, one self-contained CJS file (sandboxed preloads cannot import)
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default defineConfig(({ mode }): UserConfig => {
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
