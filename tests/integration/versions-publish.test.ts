import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc';
import { createBackend, type Backend } from '../../electron/backend';
import { dispatch } from '../../electron/rpc';
import { createAppSecretStore } from '../../electron/secrets';
import { exportSession } from '../../electron/export';
import { customerSupportSession } from '../support/export/sessions';
import { startElevenLabsMock, type ElevenLabsMock } from '../helpers/elevenlabs-mock';
import { DUMMY_API_KEY } from '../helpers/elevenlabs-deploy';
import { aesSafeStorage } from '../helpers/aes-safe-storage';

/** A publish is a version: the agent ElevenLabs receives is tagged with it and the session records it. */

let mock: ElevenLabsMock;
let dataDir: string;
let backend: Backend;

async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input);
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

beforeAll(async () => {
  mock = await startElevenLabsMock();
  dataDir = await mkdtemp(path.join(tmpdir(), 'parley-versions-publish-'));
  const secrets = await createAppSecretStore({ dataDir, env: { ELEVENLABS_API_KEY: DUMMY_API_KEY }, safeStorage: aesSafeStorage(), loadKeytar: () => ({ ok: false, reason: 'no keytar in this test' }) });
  backend = await createBackend({ dataDir, host: 'cli', version: 'test', secrets, elevenLabsBaseUrl: mock.url, elevenLabsMaxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await backend?.close();
  await mock?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('versions and Publish', () => {
  it('takes a version at publish, tags the agent with it and records where it went; a changed design publishes as a new version', async () => {
    const { session } = await call('sessions:import', { text: exportSession(customerSupportSession(), 'parley').content });
    const id = session.id;
    const first = await call('publish:run', { sessionId: id, secrets: { ORDERS_API_TOKEN: 'Bearer versions-test-token' } });
    const tags = () => mock.state.agents.get(first.agentId)?.tags;
    expect(tags()).toEqual(['parley', 'parley-v2']);
    let list = await call('versions:list', { sessionId: id });
    expect(list.versions.map((v) => [v.id, v.cause])).toEqual([
      ['v1', 'import'],
      ['v2', 'publish'],
    ]);
    expect(list.releases).toMatchObject([{ version: 'v2', kind: 'publish', target: 'elevenlabs', where: first.agentId }]);

    await call('spec:edit', { sessionId: id, path: 'tone', value: 'Calm and precise' });
    await call('publish:run', { sessionId: id });
    expect(tags()).toEqual(['parley', 'parley-v4']);
    list = await call('versions:list', { sessionId: id });
    expect(list.versions.map((v) => v.cause)).toEqual(['import', 'publish', 'edit', 'publish']);
    expect(list.releases.map((r) => r.version)).toEqual(['v2', 'v4']);
  }, 60_000);
});
