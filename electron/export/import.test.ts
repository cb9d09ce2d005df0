import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSession } from './index';
import { importAgentText, importElevenLabsProject, type ImportResult } from './import';
import { MAX_FILE_BYTES } from '../../shared/limits';
import { parseWithElevenLabsSdk } from '../../tests/support/export/elevenlabs-schema';
import { customerSupportSession, restaurantSession, sessionWith } from '../../tests/support/export/sessions';
import type { ElevenLabsAgentBody } from './elevenlabs';
import { AgentSpec } from '../../shared/spec';

const FIXTURES = ['elevenlabs-weather.json', 'elevenlabs-booking.json', 'elevenlabs-orders.json'];
const fixturePath = (name: string) => path.join(import.meta.dirname, '../../tests/support/export', name);
const importFixture = async (name: string) => importAgentText(await readFile(fixturePath(name), 'utf8'));

function reexport(imported: ImportResult): { body: ElevenLabsAgentBody; tools: unknown[] } {
  const session = sessionWith(imported.spec, imported.title);
  const result = exportSession(session, 'elevenlabs', { model: imported.llm });
  const files = new Map((result.files ?? []).map((f) => [f.path, f.content]));
  const list = (JSON.parse(files.get('tools.json')!) as { tools: Array<{ config: string }> }).tools;
  return { body: JSON.parse(result.content) as ElevenLabsAgentBody, tools: list.map((t) => JSON.parse(files.get(t.config)!)) };
}

/** The old inline webhook tools, with their secret_id header locators as the env_var_label ones an export writes. */
function webhooks(body: ElevenLabsAgentBody): unknown[] {
  const inline = (body.conversation_config.agent?.prompt?.tools ?? []).filter((t) => t.type === 'webhook');
  return JSON.parse(JSON.stringify(inline).replace(/"secret_id":/g, '"env_var_label":')) as unknown[];
}

describe('import: Parley session files', () => {
  it('imports a file written by the previous format (version 1) through the same migration as the store', () => {
    const current = JSON.parse(exportSession(customerSupportSession(), 'parley').content) as Record<string, unknown> & { spec: AgentSpec };
    const v1 = { ...current, schemaVersion: 1, spec: { ...current.spec, language: { ...current.spec.language, value: 'English' } } };
    const imported = importAgentText(JSON.stringify(v1));
    expect(imported.kind).toBe('parley');
    expect(imported.spec.language).toMatchObject({ value: 'en', source: 'import' });
    expect(imported.spec.tools).toHaveLength(1);
  });

  it('refuses a file from a newer Parley with a clear reason', () => {
    const current = JSON.parse(exportSession(customerSupportSession(), 'parley').content) as Record<string, unknown>;
    expect(() => importAgentText(JSON.stringify({ ...current, schemaVersion: 99 }))).toThrow(/newer Parley/);
  });
});

describe('import: ElevenLabs → Parley → ElevenLabs', () => {
  for (const name of FIXTURES) {
    it(`keeps name, prompt, first message, language, llm and every webhook tool (${name})`, async () => {
      const original = JSON.parse(await readFile(fixturePath(name), 'utf8')) as ElevenLabsAgentBody;
      expect(parseWithElevenLabsSdk(original).ok).toBe(true);

      const imported = await importFixture(name);
      expect(imported.kind).toBe('elevenlabs');
      expect(imported.stage).toBe('REVIEWING_WORKFLOW');
      expect(AgentSpec.safeParse(imported.spec).success).toBe(true);
      expect(imported.spec.system_prompt?.source).toBe('import');
      expect(imported.spec.tools.every((t) => t.endpoint?.source === 'import')).toBe(true);

      const { body: again, tools } = reexport(imported);
      expect(parseWithElevenLabsSdk(again).ok).toBe(true);
      expect(again.conversation_config.agent?.prompt).not.toHaveProperty('tools');
      expect(again.name).toBe(original.name);
      const [a, b] = [again.conversation_config.agent, original.conversation_config.agent];
      // Agents whose tools take a date also learn the current time; the rest of the prompt is kept as written.
      const time = '\n\n# Current time\nThe current date and time is {{system__time}}. Use it for words like "today" and "tomorrow".';
      expect(a?.prompt?.prompt?.replace(time, '')).toBe(b?.prompt?.prompt);
      expect(a?.first_message).toBe(b?.first_message);
      expect(a?.language).toBe(b?.language);
      expect(a?.prompt?.llm).toBe(b?.prompt?.llm);
      expect(a?.prompt?.temperature).toBe(b?.prompt?.temperature);
      expect(tools).toEqual(webhooks(original));
    });
  }

  it('turns query, path and body parameters into one input schema with their requirements', async () => {
    const orders = await importFixture('elevenlabs-orders.json');
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
    // An inline end_call system tool keeps its description as the hang-up conditions.
    expect(orders.spec.end_call_conditions?.value).toBe('Ends the call when the customer is done.');
    expect(reexport(orders).body.conversation_config.agent?.prompt?.built_in_tools?.end_call?.description).toBe('Ends the call when the customer is done.');

    const booking = await importFixture('elevenlabs-booking.json');
    expect(booking.spec.tools[0]!.auth?.value).toEqual({ type: 'bearer', header: 'Authorization', secret_name: 'cal_api_key' });
    expect(booking.losses.some((l) => /platform_settings/.test(l.message))).toBe(true);
    const weather = await importFixture('elevenlabs-weather.json');
    expect(weather.spec.voice_id?.value).toBe('21m00Tcm4TlvDq8ikWAM');
    expect(reexport(weather).body.conversation_config.tts).toEqual({ model_id: 'eleven_flash_v2', voice_id: '21m00Tcm4TlvDq8ikWAM' });
  });

  it('reads trigger and error handling back out of a Parley-made project', () => {
    const exported = exportSession(customerSupportSession(), 'elevenlabs');
    const imported = { ...importElevenLabsProject(new Map(exported.files!.map((f) => [f.path, f.content]))), messages: [] };
    const tool = imported.spec.tools[0]!;
    expect(tool.purpose?.value).toBe('Looks up the current status of an order.');
    expect(tool.trigger?.value).toBe('The customer asks where their order is or wants its delivery status.');
    expect(tool.error_handling?.value).toBe('Apologise, say the order system is not answering, and offer to transfer the caller to a human agent');
    expect(reexport(imported).body).toEqual(JSON.parse(exported.content));
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

describe('import: invalid files give a clear error', () => {
  function rejects(content: string, message: RegExp) {
    expect(() => importAgentText(content)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(message) }));
  }

  it('truncated JSON', async () => {
    const text = await readFile(fixturePath('elevenlabs-booking.json'), 'utf8');
    rejects(text.slice(0, text.length / 2), /not valid JSON.*truncated/);
  });

  it('wrong shape', () => {
    rejects('{"hello": "world"}', /neither an ElevenLabs agent.*nor a Parley session/);
    rejects('[1, 2, 3]', /not an object/);
    rejects(JSON.stringify({ conversation_config: { agent: { prompt: { tools: [{ type: 'webhook', name: 'x' }] } } } }), /Tool 1 .* malformed/);
    rejects(JSON.stringify({ conversation_config: { agent: { first_message: 42 } } }), /unexpected shape/);
    rejects(JSON.stringify({ schemaVersion: 1, spec: {}, id: 'nope' }), /Parley session file is damaged/);
    rejects('  \n', /empty/);
  });

  it('text over the file size limit (files are refused before reading: electron/fs/user-files.test.ts)', () => {
    expect(() => importAgentText(' '.repeat(MAX_FILE_BYTES + 1))).toThrow(/larger than/);
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
