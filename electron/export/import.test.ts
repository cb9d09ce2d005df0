import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportSession } from './index';
import { importAgentFile, importAgentText, MAX_IMPORT_BYTES, type ImportResult } from './import';
import { parseWithElevenLabsSdk } from './fixtures/elevenlabs-schema';
import { customerSupportSession, restaurantSession, sessionWith } from './fixtures/sessions';
import type { ElevenLabsAgentBody } from './elevenlabs';
import { AgentSpec } from '../../shared/spec';

const FIXTURES = ['elevenlabs-weather.json', 'elevenlabs-booking.json', 'elevenlabs-orders.json'];
const fixturePath = (name: string) => path.join(import.meta.dirname, 'fixtures', name);

function reexport(imported: ImportResult): ElevenLabsAgentBody {
  const session = sessionWith(imported.spec, imported.title);
  const result = exportSession(session, 'elevenlabs', { model: imported.llm, temperature: imported.temperature });
  return JSON.parse(result.content) as ElevenLabsAgentBody;
}

function webhooks(body: ElevenLabsAgentBody): unknown[] {
  return (body.conversation_config.agent?.prompt?.tools ?? []).filter((t) => t.type === 'webhook');
}

describe('import: ElevenLabs → Parley → ElevenLabs', () => {
  for (const name of FIXTURES) {
    it(`keeps name, prompt, first message, language, llm and every webhook tool (${name})`, async () => {
      const original = JSON.parse(await readFile(fixturePath(name), 'utf8')) as ElevenLabsAgentBody;
      expect(parseWithElevenLabsSdk(original).ok).toBe(true);

      const imported = await importAgentFile(fixturePath(name));
      expect(imported.kind).toBe('elevenlabs');
      expect(imported.stage).toBe('REVIEWING_WORKFLOW');
      expect(AgentSpec.safeParse(imported.spec).success).toBe(true);
      expect(imported.spec.system_prompt?.source).toBe('import');
      expect(imported.spec.tools.every((t) => t.endpoint?.source === 'import')).toBe(true);

      const again = reexport(imported);
      expect(parseWithElevenLabsSdk(again).ok).toBe(true);
      expect(again.name).toBe(original.name);
      const [a, b] = [again.conversation_config.agent, original.conversation_config.agent];
      expect(a?.prompt?.prompt).toBe(b?.prompt?.prompt);
      expect(a?.first_message).toBe(b?.first_message);
      expect(a?.language).toBe(b?.language);
      expect(a?.prompt?.llm).toBe(b?.prompt?.llm);
      expect(a?.prompt?.temperature).toBe(b?.prompt?.temperature);
      expect(webhooks(again)).toEqual(webhooks(original));
    });
  }

  it('turns query, path and body parameters into one input schema with their requirements', async () => {
    const orders = await importAgentFile(fixturePath('elevenlabs-orders.json'));
    const list = orders.spec.tools[0]!;
    expect(list.method?.value).toBe('GET');
    expect(list.auth?.value).toEqual({ type: 'api_key', header: 'X-Shop-Key', secret_name: 'shop_key' });
    expect(list.input_schema?.value).toEqual({
      type: 'object',
      properties: {
        customer_id: { type: 'string', description: 'The customer number.' },
        status: { type: 'string', description: 'Only orders with this status.', enum: ['open', 'shipped', 'cancelled'] },
        limit: { type: 'integer', description: 'How many orders to return.' },
      },
      required: ['customer_id'],
    });
    expect(orders.losses.some((l) => /system tool "end_call"/.test(l.message))).toBe(true);

    const booking = await importAgentFile(fixturePath('elevenlabs-booking.json'));
    expect(booking.spec.tools[0]!.auth?.value).toEqual({ type: 'bearer', header: 'Authorization', secret_name: 'cal_api_key' });
    expect(booking.losses.some((l) => /platform_settings/.test(l.message))).toBe(true);
    const weather = await importAgentFile(fixturePath('elevenlabs-weather.json'));
    expect(weather.losses.some((l) => /conversation_config\.tts/.test(l.message))).toBe(true);
  });

  it('reads trigger and error handling back out of a Parley-made file', () => {
    const exported = exportSession(customerSupportSession(), 'elevenlabs');
    const imported = importAgentText(exported.content);
    const tool = imported.spec.tools[0]!;
    expect(tool.purpose?.value).toBe('Looks up the current status of an order.');
    expect(tool.trigger?.value).toBe('The customer asks where their order is or wants its delivery status.');
    expect(tool.error_handling?.value).toBe('Apologise, say the order system is not answering, and offer to transfer the caller to a human agent');
    expect(reexport(imported)).toEqual(JSON.parse(exported.content));
  });
});

describe('import: Parley session files', () => {
  it('round-trips a Parley export: same spec values, sources "import", history kept', () => {
    for (const session of [customerSupportSession(), restaurantSession()]) {
      const file = exportSession(session, 'parley');
      const imported = importAgentText(file.content);
      expect(imported.kind).toBe('parley');
      expect(imported.title).toBe(session.title);
      expect(imported.messages).toEqual(session.messages);
      const strip = (s: AgentSpec) => JSON.parse(JSON.stringify(s).replace(/"source":"[^"]*"/g, '"source":"*"'));
      expect(strip(imported.spec)).toEqual(strip(session.spec));
      expect(imported.spec.goals?.source).toBe('import');
      // The same agent comes out again.
      expect(exportSession(sessionWith(imported.spec, imported.title, session.id), 'elevenlabs').content).toBe(
        exportSession(session, 'elevenlabs').content,
      );
    }
  });
});

describe('import: invalid files give a clear error and create nothing', () => {
  let dir: string;
  let written: Set<string>;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'parley-import-'));
    written = new Set();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function rejects(name: string, content: string | Buffer, message: RegExp) {
    const file = path.join(dir, name);
    await writeFile(file, content);
    written.add(name);
    await expect(importAgentFile(file)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
    expect((await readdir(dir)).sort()).toEqual([...written].sort());
  }

  it('truncated JSON', async () => {
    const text = await readFile(fixturePath('elevenlabs-booking.json'), 'utf8');
    await rejects('cut.json', text.slice(0, text.length / 2), /not valid JSON.*truncated/);
  });

  it('wrong shape', async () => {
    await rejects('other.json', '{"hello": "world"}', /neither an ElevenLabs agent.*nor a Parley session/);
    await rejects('list.json', '[1, 2, 3]', /not an object/);
    await rejects('badtool.json', JSON.stringify({ conversation_config: { agent: { prompt: { tools: [{ type: 'webhook', name: 'x' }] } } } }), /Tool 1 .* malformed/);
    await rejects('badagent.json', JSON.stringify({ conversation_config: { agent: { first_message: 42 } } }), /unexpected shape/);
    await rejects('badsession.json', JSON.stringify({ schemaVersion: 1, spec: {}, id: 'nope' }), /Parley session file is damaged/);
    await rejects('empty.json', '  \n', /empty/);
  });

  it('a 20 MB file', async () => {
    await rejects('huge.json', Buffer.alloc(20 * 1024 * 1024, 0x20), /larger than/);
    expect(() => importAgentText(' '.repeat(MAX_IMPORT_BYTES + 1))).toThrow(/larger than/);
  });

  it('wrong type: a binary file, a folder, a missing file', async () => {
    await rejects('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]), /not a UTF-8 text file/);
    await mkdir(path.join(dir, 'folder.json'));
    await expect(importAgentFile(path.join(dir, 'folder.json'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not a file/) });
    await expect(importAgentFile(path.join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/no such file/) });
  });

  it('never imports a credential from a plain header', () => {
    const body = JSON.parse(JSON.stringify(restaurantLikeAgent()));
    const imported = importAgentText(JSON.stringify(body));
    expect(JSON.stringify(imported.spec)).not.toContain('sk_live_');
    expect(imported.losses.some((l) => /held a credential/.test(l.message))).toBe(true);
  });
});

function restaurantLikeAgent() {
  return {
    name: 'Plain header agent',
    conversation_config: {
      agent: {
        prompt: {
          prompt: 'You answer questions about bookings clearly and briefly.',
          tools: [
            {
              type: 'webhook',
              name: 'lookup',
              description: 'Looks up a booking.',
              api_schema: { url: 'https://x.example.com/b', method: 'GET', request_headers: { Authorization: `Bearer sk_live_${'a'.repeat(30)}` } },
            },
          ],
        },
      },
    },
  };
}
