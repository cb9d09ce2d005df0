import { createBackend, type Backend } from '../backend';
import { dispatch } from '../rpc';
import { resolveDataDir } from '../paths';
import { createNodeSecretStore, type SecretStore } from '../secrets';
import { acquireDataLock, type DataLock } from '../fs/data-lock';
import { saveFailed } from '../store/save-errors';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc';
import { ParleyError } from '../../shared/errors';
import { COMMANDS, UsageError, VERSION, type CommandContext, type Outcome } from './spec';

/** What every CLI command uses: the backend over the data folder, the contract's calls, arguments. */

export type Runner = (ctx: CommandContext) => Promise<Outcome>;

export async function call<C extends Channel>(backend: Backend, channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input);
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

/** The OS keychain is probed (a D-Bus round trip on Linux) only when a command reads or writes a key. */
function lazySecrets(open: () => Promise<SecretStore>): SecretStore {
  let store: Promise<SecretStore> | undefined;
  const get = () => (store ??= open());
  return {
    get: async (provider) => (await get()).get(provider),
    set: async (provider, key) => (await get()).set(provider, key),
    delete: async (provider) => (await get()).delete(provider),
    status: async () => (await get()).status(),
    getToolSecret: async (label) => (await get()).getToolSecret(label),
    setToolSecret: async (label, value) => (await get()).setToolSecret(label, value),
  };
}

/** A store that answers tool secrets from `given` first (values read from stdin for one command), never writing them. */
function withToolSecrets(store: SecretStore, given: Record<string, string> | undefined): SecretStore {
  if (!given) return store;
  return { ...store, getToolSecret: async (label) => (Object.hasOwn(given, label) ? given[label]! : store.getToolSecret(label)) };
}

/**
 * The backend over the data folder (each command opens it once). A writing command takes the data
 * folder's lock first; the final save (flush) must succeed before the command reports success,
 * and the lock is released on every way out, in that order.
 */
export async function openBackend(ctx: CommandContext, toolSecrets?: Record<string, string>): Promise<Backend> {
  const dataDir = resolveDataDir(ctx.options['data-dir'] as string | undefined, ctx.io.env);
  // templates save/import write a template file in the data folder; list, show and export only read.
  const writes = COMMANDS[ctx.command].writes || (ctx.command === 'templates' && (ctx.args[0] === 'save' || ctx.args[0] === 'import'));
  let lock: DataLock | undefined;
  if (writes) {
    const held = await acquireDataLock(dataDir, 'cli').catch((error: unknown) => {
      throw error instanceof ParleyError ? error : saveFailed(error, 'the data folder lock', dataDir, 'Nothing was changed.');
    });
    ctx.always(() => held.release());
    lock = held;
  }
  // Commands that only read write nothing in the data folder (no lock, no temp sweep, no folder
  // created); keys set/clear change only the key store.
  const readOnly = !writes && !(ctx.command === 'keys' && ctx.args[0] !== 'status');
  const backend = await createBackend({
    dataDir,
    host: 'cli',
    version: VERSION,
    secrets: withToolSecrets(lazySecrets(() => createNodeSecretStore({ dataDir, env: ctx.io.env })), toolSecrets),
    verifyOnOpen: writes,
    readOnly,
    dataLock: lock,
    elevenLabsBaseUrl: ctx.io.env.ELEVENLABS_BASE_URL || undefined,
  });
  ctx.beforeSuccess(() => backend.close());
  return backend;
}

/** With --secrets-from-stdin, a JSON object {"LABEL": "value"} read from stdin; else undefined. */
export async function secretsFromStdin(ctx: CommandContext): Promise<Record<string, string> | undefined> {
  if (ctx.options['secrets-from-stdin'] !== true) return undefined;
  const text = (await ctx.io.readStdin()).trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text || '{}');
  } catch {
    throw new UsageError('--secrets-from-stdin needs a JSON object on stdin: {"LABEL": "value"}.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new UsageError('--secrets-from-stdin needs a JSON object of strings on stdin: {"LABEL": "value"}.');
  }
  return parsed as Record<string, string>;
}

export function needId(ctx: CommandContext): string {
  const id = ctx.args[0];
  if (id === undefined) throw new UsageError(`"${ctx.command}" needs a session id.`);
  return id;
}

/** A non-negative whole number given as --name N, or undefined when absent. */
export function count(ctx: CommandContext, name: string): number | undefined {
  const raw = ctx.options[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) throw new UsageError(`--${name} needs a whole number (0 or more), not "${String(raw)}".`);
  return Number(raw);
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

