import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parleyJson } from '../helpers/cli';
import { Session } from '../../shared/session';
import type { AgentSpec } from '../../shared/spec';
import { parseWithElevenLabsSdk } from '../support/export/elevenlabs-schema';

interface ElevenLabsBody {
  conversation_config: { agent: { prompt: { prompt: string; tool_ids: string[] } } };
}

interface ElevenLabsTool {
  type: string;
  name: string;
  api_schema: { method: string; url: string; path_params_schema?: Record<string, unknown> };
}

interface Said {
  id: string;
  stage: string;
  reply: string;
  awaiting: string | null;
  spec: AgentSpec;
}

const INPUT_SCHEMA = JSON.stringify({
  type: 'object',
  properties: { order_id: { type: 'string', description: 'The order number printed on the receipt' } },
  required: ['order_id'],
});
const OUTPUT_SCHEMA = JSON.stringify({
  type: 'object',
  properties: { status: { type: 'string' }, eta: { type: 'string' } },
});

/** The product brief's example, one step per row: what the user says, then the stage and field the interviewer must be on. */
const SCRIPT: Array<[string, string, string | null]> = [
  ['I want to build a customer support agent', 'COLLECTING_BASICS', 'goals'],
  ['Help customers track orders and handle returns', 'COLLECTING_BASICS', 'tone'],
  ['Friendly and empathetic', 'EXPLORING_TOOLS', 'use_tools'],
  ['Yes, I want to integrate our order API', 'CONFIGURING_TOOLS', 'tools[0].name'],
  ['get_order_status', 'CONFIGURING_TOOLS', 'tools[0].purpose'],
  ['Look up the current status of an order', 'CONFIGURING_TOOLS', 'tools[0].endpoint'],
  ['https://api.example.com/orders/{order_id}', 'CONFIGURING_TOOLS', 'tools[0].method'],
  ['GET', 'CONFIGURING_TOOLS', 'tools[0].auth'],
  ['Bearer token in the Authorization header', 'CONFIGURING_TOOLS', 'tools[0].input_schema'],
  [INPUT_SCHEMA, 'CONFIGURING_TOOLS', 'tools[0].output_schema'],
  [OUTPUT_SCHEMA, 'CONFIGURING_TOOLS', 'tools[0].trigger'],
  ['When the caller asks where their order is', 'CONFIGURING_TOOLS', 'tools[0].error_handling'],
  ['Apologise, ask for the order number again, and offer a human agent', 'CONFIGURING_TOOLS', 'tools_done'],
  ['No more tools', 'REVIEWING_WORKFLOW', 'workflow_approved'],
  ['Looks good, I approve', 'COMPLETED', null],
];

describe('the product brief example through the CLI, offline', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-interview-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('walks every stage to COMPLETED with a generated system prompt', async () => {
    const created = await parleyJson<{ id: string; stage: string; awaiting: string | null }>(dataDir, ['new', '--provider', 'offline']);
    expect(created).toMatchObject({ stage: 'INITIAL', awaiting: 'agent_type' });

    let last: Said | undefined;
    for (const [text, stage, awaiting] of SCRIPT) {
      last = await parleyJson<Said>(dataDir, ['say', created.id, text]);
      expect({ text, stage: last.stage, awaiting: last.awaiting }).toEqual({ text, stage, awaiting });
      expect(last.reply.trim().length).toBeGreaterThan(0);
    }

    const spec = last!.spec;
    expect(spec.agent_type?.value).toMatch(/customer support/i);
    expect(spec.tools).toHaveLength(1);
    const tool = spec.tools[0]!;
    expect(tool.name?.value).toBe('get_order_status');
    expect(tool.method?.value).toBe('GET');
    expect(tool.endpoint?.value).toBe('https://api.example.com/orders/{order_id}');
    expect(tool.input_schema?.value).toMatchObject({ properties: { order_id: { type: 'string' } }, required: ['order_id'] });

    const prompt = spec.system_prompt?.value ?? '';
    expect(prompt).toMatch(/track orders and handle returns/i);
    expect(prompt).toMatch(/friendly and empathetic/i);
    expect(prompt).toContain('get_order_status');
    expect(spec.first_message?.value.length).toBeGreaterThan(0);

    // Each CLI call was a fresh backend over the same folder: the session on disk is whole.
    const shown = Session.parse(await parleyJson(dataDir, ['show', created.id]));
    expect(shown.stage).toBe('COMPLETED');
    expect(shown.messages.filter((m) => m.role === 'user')).toHaveLength(SCRIPT.length);
    // Export to ElevenLabs: a project whose agent the official SDK schema accepts as it is.
    const folder = join(dataDir, 'agent-elevenlabs');
    const exported = await parleyJson<{ file: string; losses: Array<{ message: string }> }>(dataDir, ['export', created.id, '--format', 'elevenlabs', '--out', folder]);
    expect(exported.file).toBe(folder);
    const read = async <T>(rel: string) => JSON.parse(await readFile(join(folder, rel), 'utf8')) as T;
    const [entry] = (await read<{ agents: Array<{ config: string }> }>('agents.json')).agents;
    const agent = await read<ElevenLabsBody>(entry!.config);
    expect(parseWithElevenLabsSdk(agent)).toMatchObject({ ok: true });
    expect(agent.conversation_config.agent.prompt.tool_ids).toEqual(['get_order_status']);
    const webhook = await read<ElevenLabsTool>('tool_configs/get_order_status.json');
    expect(webhook).toMatchObject({ type: 'webhook', name: 'get_order_status', api_schema: { method: 'GET', url: 'https://api.example.com/orders/{order_id}' } });
    expect(Object.keys(webhook.api_schema.path_params_schema ?? {})).toEqual(['order_id']);
    const exportedPrompt = agent.conversation_config.agent.prompt.prompt;
    expect(exportedPrompt).toMatch(/track orders and handle returns/i);
    expect(exportedPrompt).toMatch(/friendly and empathetic/i);
    expect(exportedPrompt).toMatch(/where their order is/i);
    // No transfer target in this design: "offer a human agent" is not promised to callers.
    expect(exportedPrompt).not.toMatch(/human agent/i);
    expect(exportedPrompt).toMatch(/cannot transfer calls/i);

    expect(shown.stageHistory.map((h) => h.stage)).toEqual(
      expect.arrayContaining(['INITIAL', 'COLLECTING_BASICS', 'EXPLORING_TOOLS', 'CONFIGURING_TOOLS', 'REVIEWING_WORKFLOW', 'FINALIZING', 'COMPLETED']),
    );
  });
});
