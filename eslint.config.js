import { builtinModules } from 'node:module';
import path from 'node:path';
import tseslint from 'typescript-eslint';

/*
 * Layer guards (docs/ARCHITECTURE.md, "Allowed imports"). Each concern is its own rule, so a
 * file under several folders' rules gets all of them (flat config would let a later block's
 * options replace an earlier block's for the same rule). Every rule sees every way a module
 * is loaded: import and export-from (types too), import x = require(), require() and import().
 * tests/lint/guards.test.ts lints the files in tests/lint/fixtures/ as if they sat at product
 * paths and fails unless each leak is reported.
 */

const rawIpc = {
  selector: "Identifier[name=/^ipc(Main|Renderer)$/]",
  message: 'Raw IPC is allowed only in electron/ipc.ts and electron/preload.ts; add a channel to shared/ipc.ts instead.',
};

/** Every Node built-in, bare and with the node: prefix. */
const withNodePrefix = (names) => names.flatMap((n) => (n.startsWith('node:') ? [n] : [n, `node:${n}`]));
const NODE_BUILTINS = withNodePrefix(builtinModules);
/** Built-ins that compute without touching files, network or processes; pure modules may use them. */
const PURE_BUILTINS = ['assert', 'buffer', 'crypto', 'querystring', 'string_decoder', 'url', 'util'];
const IO_BUILTINS = NODE_BUILTINS.filter((m) => !PURE_BUILTINS.includes(m.replace(/^node:/, '')));
/** npm packages that only run in Node or hold provider keys: never in the renderer or shared/. */
const NODE_ONLY_PACKAGES = '^(ws|lowdb|keytar|openai|@anthropic-ai/sdk|@elevenlabs/elevenlabs-js)(/|$)';
const ELECTRON = '^electron(/|$)';
const TEST_LIBRARIES = '^(vitest|@vitest/|@testing-library/|fast-check|playwright-core|jsdom)';

/** Resolves a relative specifier to a repository path without extension ("electron/llm/types"). */
function resolveSpecifier(context, specifier) {
  if (!specifier.startsWith('.')) return null;
  const absolute = path.resolve(path.dirname(context.filename), specifier);
  return path.relative(context.cwd, absolute).split(path.sep).join('/').replace(/\.(tsx?|m?js)$/, '').replace(/\/index$/, '');
}

const inFolder = (file, folder) => file === folder || file.startsWith(`${folder}/`);

/**
 * One import-restriction rule; options: { message, modules?: string[] (exact specifiers),
 * patterns?: string[] (regexes on the specifier), folders?: string[] (repository folders or
 * files a relative import may not reach), except?: string[] (allowed inside those folders),
 * only?: string[] (a relative import must reach one of these) }.
 */
const restrictImports = {
  meta: { type: 'problem', schema: [{ type: 'object', additionalProperties: true }] },
  create(context) {
    const o = context.options[0] ?? {};
    const modules = new Set(o.modules ?? []);
    const patterns = (o.patterns ?? []).map((p) => new RegExp(p));
    const banned = (specifier) => {
      if (modules.has(specifier) || patterns.some((p) => p.test(specifier))) return true;
      const file = resolveSpecifier(context, specifier);
      if (file === null) return false;
      if (o.only && !o.only.some((f) => inFolder(file, f))) return true;
      return (o.folders ?? []).some((f) => inFolder(file, f)) && !(o.except ?? []).some((f) => inFolder(file, f));
    };
    const check = (node, source) => {
      const specifier = source?.type === 'Literal' ? source.value : source?.type === 'TemplateLiteral' && source.expressions.length === 0 ? source.quasis[0].value.cooked : null;
      if (typeof specifier === 'string' && banned(specifier)) context.report({ node, message: `'${specifier}': ${o.message}` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSExternalModuleReference: (node) => check(node, node.expression),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, node.arguments[0]);
      },
    };
  },
};

const boundaries = {
  rules: {
    electron: restrictImports,
    node: restrictImports,
    pure: restrictImports,
    layers: restrictImports,
    fs: restrictImports,
    'test-support': restrictImports,
  },
};

const TESTS = ['**/*.test.ts', '**/*.test.tsx', 'renderer/src/test/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'coverage/**', '.test-results/**', 'tests/lint/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { boundaries },
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
    // Product code never reaches into test support, so no bundle or package can contain it.
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: TESTS,
    rules: {
      'boundaries/test-support': ['error', { message: 'product code imports no test support (tests/, test libraries).', patterns: [TEST_LIBRARIES], folders: ['tests'] }],
    },
  },
  {
    // Both sides load shared/ (the renderer in a browser): no Node built-ins, no Node-only packages.
    files: ['shared/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: TESTS,
    rules: {
      'boundaries/node': [
        'error',
        {
          message: 'renderer/ and shared/ run in the browser too: no Node built-ins or Node-only packages; ask main through window.parley (shared/ipc.ts).',
          modules: NODE_BUILTINS,
          patterns: ['^node:', NODE_ONLY_PACKAGES],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'boundaries/layers': ['error', { message: 'the renderer imports shared/ only; it talks to main through window.parley (shared/ipc.ts).', patterns: [ELECTRON], folders: ['electron'] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'boundaries/layers': [
        'error',
        { message: 'shared/ imports nothing from electron/, renderer/, Electron or React.', patterns: [ELECTRON, '^react(-dom)?(/|$)'], folders: ['electron', 'renderer'] },
      ],
    },
  },
  {
    // Services never load Electron; only the composition root, the window and its adapters do.
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/window.ts', 'electron/ipc.ts', 'electron/preload.ts', 'electron/adapters/**', 'electron/main.test.ts', 'electron/window.test.ts', 'electron/ipc.test.ts', 'electron/preload.test.ts'],
    rules: {
      'boundaries/electron': ['error', { message: 'services get Electron through an injected adapter (electron/adapters/, wired in main.ts).', patterns: [ELECTRON] }],
    },
  },
  {
    // One way to disk: the atomic writer, the guarded reads and the lock in electron/fs/. The hosts
    // (cli.ts, main.ts, preview/, adapters/) may read their own files (package.json, the built renderer).
    files: ['electron/**/*.ts'],
    ignores: [...TESTS, 'electron/fs/**', 'electron/preview/**', 'electron/adapters/**', 'electron/cli.ts', 'electron/main.ts'],
    rules: {
      'boundaries/fs': ['error', { message: 'services reach files through electron/fs/ (the one atomic writer, guarded reads, the lock).', modules: withNodePrefix(['fs', 'fs/promises']) }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'boundaries/layers': ['error', { message: 'electron/ never imports the renderer; they share shared/ only.', folders: ['renderer'] }],
    },
  },
  {
    // llm/ is the network providers: it knows nothing of the interview that uses it.
    files: ['electron/llm/**/*.ts'],
    rules: {
      'boundaries/layers': ['error', { message: 'llm/ (network providers) imports nothing from interview/ or orchestrator/.', folders: ['renderer', 'electron/interview', 'electron/orchestrator'] }],
    },
  },
  {
    files: ['electron/orchestrator/**/*.ts'],
    rules: {
      'boundaries/layers': [
        'error',
        { message: 'the orchestrator uses providers through their interface (llm/types.ts) only.', folders: ['renderer', 'electron/llm'], except: ['electron/llm/types'] },
      ],
    },
  },
  {
    // The interview's domain: pure rules over a spec, below the orchestrator, above nothing but shared/.
    files: ['electron/interview/**/*.ts'],
    ignores: TESTS,
    rules: {
      'boundaries/layers': [
        'error',
        { message: 'interview/ imports only shared/, interview/ and the provider interface (llm/types.ts).', only: ['shared', 'electron/interview', 'electron/llm/types'] },
      ],
      'boundaries/pure': ['error', { message: 'interview/ is pure: no filesystem, network or process access (file IO lives in electron/fs/).', modules: IO_BUILTINS, patterns: [`^node:(?!(${PURE_BUILTINS.join('|')})$)`] }],
    },
  },
  {
    // Ajv is loaded on the first schema checked (createRequire), not at start-up: loading a package
    // is not IO, and only this one file may do it.
    files: ['electron/interview/lazy-ajv.ts'],
    rules: {
      'boundaries/pure': [
        'error',
        {
          message: 'interview/ is pure: no filesystem, network or process access (file IO lives in electron/fs/).',
          modules: IO_BUILTINS.filter((m) => m !== 'module' && m !== 'node:module'),
          patterns: [`^node:(?!(${[...PURE_BUILTINS, 'module'].join('|')})$)`],
        },
      ],
    },
  },
  {
    files: ['electron/interview/**/*.test.ts'],
    rules: {
      'boundaries/layers': ['error', { message: 'interview/ tests reach providers through their interface (llm/types.ts) only.', folders: ['renderer', 'electron/llm', 'electron/orchestrator'], except: ['electron/llm/types'] }],
    },
  },
  {
    // Exporters: pure functions from a session to files in memory; callers write them (electron/fs/).
    files: ['electron/export/**/*.ts'],
    ignores: TESTS,
    rules: {
      'boundaries/layers': ['error', { message: 'export/ imports only shared/, export/ and interview/.', only: ['shared', 'electron/export', 'electron/interview'] }],
      'boundaries/pure': ['error', { message: 'export/ is pure: no filesystem, network or process access (writing and reading files lives in electron/fs/).', modules: IO_BUILTINS, patterns: [`^node:(?!(${PURE_BUILTINS.join('|')})$)`] }],
    },
  },
  {
    // Simulated calls: pure over a spec (the agent under test, personas, drivers, judge); models
    // only through the provider interface, stored and streamed by services/simulate.ts.
    files: ['electron/simulate/**/*.ts'],
    ignores: TESTS,
    rules: {
      'boundaries/layers': ['error', { message: 'simulate/ imports only shared/, simulate/, interview/ and the provider interface (llm/types.ts).', only: ['shared', 'electron/simulate', 'electron/interview', 'electron/llm/types'] }],
      'boundaries/pure': ['error', { message: 'simulate/ is pure: no filesystem, network or process access.', modules: IO_BUILTINS, patterns: [`^node:(?!(${PURE_BUILTINS.join('|')})$)`] }],
    },
  },
);
