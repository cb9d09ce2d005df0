import { ParleyError } from '../../shared/errors';
import { isInsecureRemote } from '../../shared/settings';

/**
 * Stops a key from leaving in clear text: plain http to a host other than this machine needs
 * the user's confirmation (Settings, allowInsecureRemote). Checked on the base URL the SDK will
 * really use, so OPENAI_BASE_URL / ANTHROPIC_BASE_URL from the environment are covered too.
 */
export function assertKeyMayBeSent(label: string, baseURL: string, allowInsecureRemote: boolean | undefined): void {
  if (allowInsecureRemote || !isInsecureRemote(baseURL)) return;
  throw new ParleyError(
    'PROVIDER_AUTH',
    `Parley did not send the ${label} key to ${new URL(baseURL).origin}: that is plain http to another machine, so the key would travel unencrypted. Use an https:// base URL, or confirm plain http in Settings (allowInsecureRemote).`,
  );
}
