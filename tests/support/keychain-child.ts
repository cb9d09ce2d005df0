/**
 * Runs in a child process for keychain.test.ts (inside dbus-run-session, or with no D-Bus at all),
 * because the D-Bus session is per process environment. Prints one JSON line with what happened.
 *   node --import tsx keychain-child.ts <dataDir> <key>
 */
import { execFileSync } from 'node:child_process';
import { ParleyError } from '../../shared/errors';
import { createNodeSecretStore } from '../../electron/secrets/index';

const [dataDir, key] = process.argv.slice(2);
if (!dataDir || !key) throw new Error('usage: keychain-child <dataDir> <key>');

const lookup = (): string | null => {
  try {
    return execFileSync('secret-tool', ['lookup', 'service', 'Parley', 'account', 'openai'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
};

const store = await createNodeSecretStore({ dataDir, env: {} });
const before = await store.status();
let setError: { code: string; message: string } | null = null;
try {
  await store.set('openai', key);
} catch (error) {
  setError = error instanceof ParleyError ? { code: error.code, message: error.message } : { code: 'UNEXPECTED', message: String(error) };
}
const afterSet = await store.status();
const got = await store.get('openai');
const lookedUp = lookup();
await store.delete('openai');
const afterDelete = await store.status();
const gotAfterDelete = await store.get('openai');
process.stdout.write(
  `${JSON.stringify({ before, setError, afterSet, gotMatches: got === key, lookupMatches: lookedUp === key, afterDelete, gotAfterDelete, lookupAfterDelete: lookup() })}\n`,
);
