/**
 * Issue 17.7: a schema 3,000 levels deep (170 KB) passed import validation, then its save failed
 * with "Maximum call stack size exceeded… check the disk" (and in preview never answered).
 * Import now refuses what is beyond shared/limits, naming the limit, and writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend } from '../../electron/backend';
import { createNodeSecretStore } from '../../electron/secrets';
import { dispatch } from '../../electron/rpc';
import { saveFailed } from '../../electron/store/save-errors';
import { validateValue } from '../../electron/interview/validate';
import { emptySpec } from '../../shared/spec';
import type { Envelope } from '../../shared/errors';

let dataDir: string;
let backend: Backend;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-limits-'));
  backend = await createBackend({ dataDir, host: 'cli', version: '0.0.0', secrets: await createNodeSecretStore({ dataDir, env: {} }) });
});
afterEach(async () => {
  await backend.close();
  await rm(dataDir, { recursive: true, force: true });
});

const importText = (text: string): Promise<Envelope> => dispatch(backend.handlers, 'sessions:import', { text }, { validateOutput: true });

/** JSON text nested `pairs` × 2 levels deep, written as text so that building it needs no recursion. */
function deepSchemaText(pairs: number, padding = 0): string {
  const open = `{"type":"object","description":"${'d'.repeat(padding)}","properties":{"child":`;
  return open.repeat(pairs) + '{"type":"string"}' + '}}'.repeat(pairs);
}

const at = '2026-01-01T00:00:00.000Z';
const field = (value: string) => `{"value":${value},"confidence":1,"source":"user-edit","locked":false}`;
function parleyFile(inputSchema: string): string {
  return `{"schemaVersion":1,"id":"3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f","title":"Deep","createdAt":"${at}","updatedAt":"${at}","provider":"auto","stage":"REVIEWING_WORKFLOW","stageHistory":[],"awaiting":null,"spec":{"tools":[{"name":${field('"lookup"')},"input_schema":${field(inputSchema)}}],"candidates":{}},"messages":[]}`;
}

function elevenLabsFile(tools: unknown[], prompt = 'You book tables.'): string {
  return JSON.stringify({ name: 'Agent', conversation_config: { agent: { first_message: 'Hi', language: 'en', prompt: { prompt, llm: 'gpt-4o', tools } } } });
}
const webhook = (name: string, body: unknown = { type: 'object', properties: {} }) => ({
  type: 'webhook',
  name,
  description: 'Looks things up.',
  api_schema: { url: 'https://api.example.com/x', method: 'POST', request_body_schema: body },
});

async function sessionFiles(): Promise<string[]> {
  return (await readdir(join(dataDir, 'sessions')).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
}

describe('import limits', () => {
  it('refuses a Parley file with a schema 3,000 levels deep (170 KB), naming the limit, and saves nothing', async () => {
    const text = parleyFile(deepSchemaText(1500, 56));
    expect(text.length).toBeGreaterThan(170_000);
    const reply = await importText(text);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('INVALID_INPUT');
    expect(reply.error.message).toMatch(/^This file is beyond what Parley can keep: .*more than 64 levels deep/);
    expect(reply.error.message).not.toMatch(/disk|call stack/i);
    expect(await sessionFiles()).toEqual([]);
    const list = await dispatch(backend.handlers, 'sessions:list', undefined);
    expect(list.ok && (list.value as { total: number }).total).toBe(0);
  });

  it('refuses a schema just past the spec limit with the field named, and takes one within it', async () => {
    const refused = await importText(parleyFile(deepSchemaText(17)));
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/spec\.tools\.0\.input_schema\.value\..*nests more than 32 levels deep/) } });
    const taken = await importText(parleyFile(deepSchemaText(15)));
    expect(taken.ok).toBe(true);
    expect(await sessionFiles()).toHaveLength(1);
  });

  it('refuses ElevenLabs files with too many tools, an over-long prompt or a deep schema, never with INTERNAL', async () => {
    const tools = Array.from({ length: 201 }, (_, i) => webhook(`tool_${i}`));
    expect(await importText(elevenLabsFile(tools))).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/: tools: has 201 tools; Parley keeps at most 200/) } });
    expect(await importText(elevenLabsFile([], 'p'.repeat(100_001)))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/system_prompt\.value: is 100,001 characters long/) },
    });
    const deep = JSON.parse(deepSchemaText(20)) as unknown;
    expect(await importText(elevenLabsFile([webhook('deep', deep)]))).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/levels deep/) } });
    // 200 000 levels: the import never recurses into it.
    const abyss = `{"name":"A","conversation_config":{"agent":{"prompt":{"tools":[${'['.repeat(200_000)}${']'.repeat(200_000)}]}}}}`;
    expect(await importText(abyss)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/levels deep/) } });
    expect(await sessionFiles()).toEqual([]);
  });

  it('asks for a simpler schema when one pasted in the interview is nested beyond the limit', () => {
    const spec = { ...emptySpec(), tools: [{ name: { value: 'lookup', confidence: 1, source: 'user-edit', locked: false } }] };
    const result = validateValue(spec, { kind: 'tool', index: 0, key: 'input_schema' }, deepSchemaText(40));
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/nests more than 32 levels deep.*simpler/) });
    expect(validateValue(spec, { kind: 'tool', index: 0, key: 'input_schema' }, deepSchemaText(3)).ok).toBe(true);
  });

  it('a save that fails for any reason but the disk says so, instead of "check the disk"', () => {
    const error = saveFailed(new RangeError('Maximum call stack size exceeded'), 'session "Deep"', '/data/sessions');
    expect(error.code).toBe('SAVE_FAILED');
    expect(error.message).toMatch(/could not be written as JSON \(Maximum call stack size exceeded\); the disk is not the cause/);
    expect(error.message).not.toMatch(/check the disk/);
    const full = saveFailed(Object.assign(new Error('no space'), { code: 'ENOSPC' }), 'session "Deep"', '/data/sessions');
    expect(full.message).toMatch(/disk is full/);
  });
});
