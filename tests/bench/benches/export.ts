import { exportSession } from '../../../electron/export/index';
import { parseWithElevenLabsSdk } from '../../support/export/elevenlabs-schema';
import { generateAgentPrompt } from '../../../electron/interview/prompt-generator';
import { makeSession } from '../../support/session-fixtures';
import type { Session } from '../../../shared/session';
import type { AgentSpec, AuthSpec, HttpMethod, JsonSchemaDoc, ToolSpec } from '../../../shared/spec';
import type { BenchContext } from '../context';
import { sample } from '../measure';
import type { BenchResult } from '../types';
import { rng } from '../../support/session-fixtures';

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const f = <T>(value: T) => ({ value, confidence: 0.9, source: 'm1', locked: false });

const LANGUAGES = ['English', 'Deutsch', 'Français', '日本語', 'Español', 'Português', 'Italiano'];
const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const AUTHS: AuthSpec[] = [
  { type: 'none' },
  { type: 'bearer', header: 'Authorization', secret_name: 'API_TOKEN' },
  { type: 'api_key', header: 'X-API-Key', secret_name: 'API_KEY' },
  { type: 'basic', secret_name: 'BASIC_CREDENTIALS' },
];
const PARAMS: Array<[string, Record<string, unknown>]> = [
  ['date', { type: 'string', description: 'ISO date, e.g. 2026-03-01' }],
  ['party_size', { type: 'integer', description: 'How many guests' }],
  ['amount', { type: 'number' }],
  ['confirmed', { type: 'boolean', description: 'Whether the caller confirmed' }],
  ['slot', { type: 'string', enum: ['morning', 'afternoon', 'evening'], description: 'Part of the day' }],
  ['items', { type: 'array', items: { type: 'string' }, description: 'Items ordered' }],
  ['customer', { type: 'object', properties: { name: { type: 'string', description: 'Full name' } }, description: 'Who calls' }],
  ['notes', { type: ['string', 'null'], maxLength: 500 }],
];

function tool(next: () => number, k: number): ToolSpec {
  const method = pick(next, METHODS);
  const chosen = PARAMS.filter(() => next() < 0.5);
  const params = chosen.length ? chosen : [PARAMS[0]!];
  const withPath = next() < 0.5;
  const properties: Record<string, unknown> = Object.fromEntries(params);
  if (withPath) properties.record_id = { type: 'string', description: 'The record id' };
  const input: JsonSchemaDoc = { type: 'object', properties, required: params.filter(() => next() < 0.5).map(([n]) => n) };
  const name = `${pick(next, ['check', 'book', 'cancel', 'lookup', 'update'])}_${pick(next, ['order', 'table', 'slot', 'ticket', 'invoice'])}_${k}`;
  return {
    name: f(name),
    purpose: f(`${name.replace(/_/g, ' ')} — für Kunden in Zürich, 東京の予約`),
    endpoint: f(`https://api.example.com/v${1 + k}/${name}${withPath ? '/{record_id}' : ''}`),
    method: f(method),
    auth: f(pick(next, AUTHS)),
    input_schema: f(input),
    output_schema: f({ type: 'object', properties: { ok: { type: 'boolean' } } }),
    trigger: f(`When the caller wants to ${name.replace(/_/g, ' ')}`),
    error_handling: f(pick(next, ['Apologize and offer a human.', 'Retry once, then take a message.', 'Say the system is down; call back later.'])),
  };
}

/** A finished session with a random spec: 0–3 tools of varied methods, auth and parameter shapes. */
export function randomFinishedSession(i: number): Session {
  const next = rng(1000 + i);
  const base = makeSession(i, { messages: 4 });
  const tools = Array.from({ length: Math.floor(next() * 4) }, (_, k) => tool(next, k));
  const spec: AgentSpec = {
    ...base.spec,
    language: f(pick(next, LANGUAGES)),
    use_tools: f(tools.length > 0),
    tools,
    tools_done: f(true),
    workflow_approved: f(true),
    candidates: {},
  };
  const { systemPrompt, firstMessage } = generateAgentPrompt(spec);
  return { ...base, stage: 'COMPLETED', awaiting: null, spec: { ...spec, system_prompt: f(systemPrompt), first_message: f(firstMessage) } };
}

export async function exportMany(ctx: BenchContext): Promise<BenchResult> {
  const count = ctx.sizes.exports;
  const sessions = Array.from({ length: count }, (_, i) => randomFinishedSession(i));
  let invalid: string[] = [];
  let refused: string[] = [];
  const figures = await sample('export', async () => {
    invalid = [];
    refused = [];
    for (const session of sessions) {
      let content: string;
      try {
        content = exportSession(session, 'elevenlabs').content;
      } catch (error) {
        refused.push(`${session.id}: ${(error as Error).message}`);
        continue;
      }
      const parsed = parseWithElevenLabsSdk(JSON.parse(content));
      if (!parsed.ok) invalid.push(`${session.id}: ${JSON.stringify(parsed.errors).slice(0, 300)}`);
    }
  }, { iterations: ctx.sizes.iterations, warmup: ctx.sizes.warmup });
  const problems = [...invalid, ...refused];
  return {
    name: 'export_500',
    unit: 'ms',
    value: figures.median,
    budget: 'reported; every file validates',
    pass: problems.length === 0,
    detail: `${count} random finished specs → exportSession(…, 'elevenlabs') + the official SDK's create-agent schema (unknown keys fail), whole batch, median; ${(figures.median / count).toFixed(2)} ms each; ${invalid.length} invalid, ${refused.length} refused by lint${problems.length ? `; first: ${problems[0]}` : ''}`,
  };
}
