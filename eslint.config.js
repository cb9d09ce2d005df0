import tseslint from 'typescript-eslint';

const rawIpc = {
  selector: "Identifier[name=/^ipc(Main|Renderer)$/]",
  message: 'Raw IPC is allowed only in electron/ipc.ts and electron/preload.ts; add a channel to shared/ipc.ts instead.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'coverage/**', '.test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-syntax': ['error', rawIpc],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The two files that own the IPC transport, and tests that fake it.
    files: ['electron/ipc.ts', 'electron/preload.ts', 'electron/**/*.test.ts', 'tests/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/electron/**', '**/renderer/**', 'electron', 'node:*', 'react'], message: 'shared/ imports nothing from electron/, renderer/, Node or the DOM.' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/electron/**', 'electron', 'node:*'], message: 'The renderer talks to main only through window.parley (shared/ipc.ts).' }] },
      ],
    },
  },
  {
    // Services never import electron directly; only the composition root and its adapters do.
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/window.ts', 'electron/ipc.ts', 'electron/preload.ts', 'electron/adapters/**', 'electron/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Services get Electron through an injected adapter (HANDBOOK §2).' }] }],
    },
  },
);
