import { join } from 'node:path';
import { z } from 'zod';
import { KeyProvider } from '../../shared/providers';
import { serialize, writeFileAtomic } from '../fs/atomic';
import { describeNotRegular, isNotFound, isNotRegularFile, nodeFs, type FsLayer } from '../fs/layer';
import { describeError, type BackendProbe, type KeyBackend } from './backend';

/** Electron's safeStorage, injected by main.ts so that this module never imports electron. */
export interface SafeStorageAdapter {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; "basic_text" means a hard-coded password, which Parley treats as no encryption. */
  getSelectedStorageBackend?(): string;
}

export const SECRETS_FILE = 'secrets.json';

const SecretsFile = z.object({
  format: z.literal(1),
  /** base64 of safeStorage ciphertext, per provider; never plaintext. */
  keys: z.partialRecord(KeyProvider, z.string()),
  /** Other accounts (tool secrets), base64 ciphertext; a separate record so older Parleys still read the file. */
  named: z.record(z.string(), z.string()).optional(),
});
type SecretsFile = z.infer<typeof SecretsFile>;

function isProvider(account: string): account is KeyProvider {
  return (KeyProvider.options as readonly string[]).includes(account);
}

export function safeStorageBackend(opts: { dataDir: string; safeStorage: SafeStorageAdapter; fs?: FsLayer }): KeyBackend {
  const fs = opts.fs ?? nodeFs;
  const file = join(opts.dataDir, SECRETS_FILE);
  let queue: Promise<unknown> = Promise.resolve();

  const read = async (): Promise<SecretsFile> => {
    let text: string;
    try {
      // Never through a link: a planted secrets.json → elsewhere would make Parley read (and then
      // replace) a file the user did not choose; a FIFO would block the read.
      text = (await fs.readFile(file, { noFollow: true })).toString('utf8');
    } catch (error) {
      if (isNotFound(error)) return { format: 1, keys: {} };
      if (isNotRegularFile(error)) {
        throw new Error(`${SECRETS_FILE} in the data folder is ${describeNotRegular(error.kind)}, not the file Parley wrote; Parley does not follow links in its data folder. Remove it, then set the keys again`);
      }
      throw error;
    }
    const parsed = SecretsFile.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${SECRETS_FILE} is damaged; clear the keys and set them again`);
    return parsed.data;
  };
  const update = (change: (data: SecretsFile) => void): Promise<void> => {
    const run = queue.then(async () => {
      const data = await read();
      change(data);
      await fs.mkdir(opts.dataDir);
      await writeFileAtomic(fs, file, serialize(data));
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    kind: 'safeStorage',
    async get(account) {
      const data = await read();
      const encoded = isProvider(account) ? data.keys[account] : data.named?.[account];
      if (!encoded) return null;
      try {
        return opts.safeStorage.decryptString(Buffer.from(encoded, 'base64'));
      } catch (error) {
        throw new Error(`the stored ${account} key could not be decrypted (${describeError(error)}); set it again`);
      }
    },
    set: (account, key) =>
      update((data) => {
        const encoded = opts.safeStorage.encryptString(key).toString('base64');
        if (isProvider(account)) data.keys[account] = encoded;
        else data.named = { ...data.named, [account]: encoded };
      }),
    delete: (account) =>
      update((data) => {
        if (isProvider(account)) delete data.keys[account];
        else if (data.named) delete data.named[account];
      }),
  };
}

export function probeSafeStorage(opts: { dataDir: string; safeStorage: SafeStorageAdapter; fs?: FsLayer }): BackendProbe {
  try {
    if (!opts.safeStorage.isEncryptionAvailable()) return { ok: false, reason: 'Electron safeStorage has no encryption available' };
    const selected = opts.safeStorage.getSelectedStorageBackend?.();
    if (selected === 'basic_text') {
      return { ok: false, reason: 'Electron safeStorage would only obfuscate keys here (no keyring: "basic_text" backend)' };
    }
  } catch (error) {
    return { ok: false, reason: `Electron safeStorage failed (${describeError(error)})` };
  }
  return { ok: true, backend: safeStorageBackend(opts), message: null };
}
