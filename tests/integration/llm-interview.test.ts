/**
 * The LLM path follows the offline interviewer's contract (issue 16, item 6): a model's turn
 * carries the message kind, several fields at once, corrections, proposals, parked fields, tool
 * edits and undo, and the orchestrator treats them exactly as it treats the offline
 * interviewer's. A realistic transcript runs through the real OpenAI and Anthropic SDK adapters
 * against the local mock server, which answers in each API's own wire format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { defaultSettings } from '../../shared/settings';
import type { Session } from '../../shared/session';
import { createSessionStore } from '../../electron/store/sessions';
import { createSessionService } from '../../electron/services/sessions';
import type { SessionStore } from '../../electron/store/types';
import type { LlmProvider } from '../../electron/llm/types';
import { createOpenAiProvider } from '../../electron/llm/openai';
import { createAnthropicProvider } from '../../electron/llm/anthropic';
import { turnJsonSchema } from '../../electron/llm/schema';
import { createOrchestrator, type InterviewOrchestrator } from '../../electron/orchestrator/orchestrator';
import { startMockLlmServer, type MockApi, type MockLlmServer } from '../helpers/mock-llm-server';

type Extracted = Array<{ field: string; value: string | number | boolean | null; confidence: number }>;

/** A model turn in the wire format (TurnWire): every property present, absent ones null. */
function wire(kind: string, reply: string, extracted: Extracted = [], more: Record<string, unknown> = {}, intent: Record<string, unknown> = {}): string {
  return JSON.stringify({
    reply,
    kind,
    extracted,
    stage_complete: null,
    awaiting: null,
    suggestion: null,
    ...more,
    intent: { approve: null, no_more_tools: null, go_back_to: null, revisit: null, skip: null, undo: null, change_request: null, tool_ops: null, ...intent },
  });
}

const LOOKUP_INPUT = JSON.stringify({ type: 'object', properties: { rx_number: { type: 'string' }, date_of_birth: { type: 'string', format: 'date' } }, required: ['rx_number', 'date_of_birth'] });
const REFILL_INPUT = JSON.stringify({ type: 'object', properties: { rx_number: { type: 'string' }, store_id: { type: 'string' } }, required: ['rx_number', 'store_id'] });
const OUTPUT = JSON.stringify({ type: 'object', properties: { status: { type: 'string' } } });
const BEARER = (name: string) => JSON.stringify({ type: 'bearer', header: 'Authorization', secret_name: `${name.toUpperCase()}_TOKEN` });

function tool(i: number, name: string, method: string, url: string, input: string): Extracted {
  return [
    { field: `tools[${i}].name`, value: name, confidence: 0.95 },
    { field: `tools[${i}].purpose`, value: `${name} for the caller`, confidence: 0.8 },
    { field: `tools[${i}].endpoint`, value: url, confidence: 0.95 },
    { field: `tools[${i}].method`, value: method, confidence: 0.95 },
    { field: `tools[${i}].auth`, value: BEARER(name), confidence: 0.9 },
    { field: `tools[${i}].input_schema`, value: input, confidence: 0.8 },
    { field: `tools[${i}].trigger`, value: `When the caller needs ${name}`, confidence: 0.8 },
    { field: `tools[${i}].error_handling`, value: 'Apologise and offer to take a message', confidence: 0.8 },
  ];
}

/** [what the user says, what the model answers, what must hold afterwards] */
type Step = [string, string, (s: Session, reply: string) => void];

const TRANSCRIPT: Step[] = [
  [
    "I run the counter at Greenleaf Pharmacy. We need a phone line that looks up prescriptions and takes refill requests through our API, warm and patient. lookup_prescription is a GET to https://api.greenleaf.example/rx/{rx_number} with the rx number and date of birth; request_refill is a POST to https://api.greenleaf.example/refills with the rx number and store id. Both use a bearer token.",
    wire(
      'answers',
      'Got it: a pharmacy refill line for Greenleaf with two tools. What should each tool return?',
      [
        { field: 'agent_type', value: 'pharmacy refill line', confidence: 0.9 },
        { field: 'goals', value: 'Look up prescriptions; take refill requests', confidence: 0.85 },
        { field: 'tone', value: 'warm and patient', confidence: 0.95 },
        { field: 'use_tools', value: true, confidence: 0.95 },
        ...tool(0, 'lookup_prescription', 'GET', 'https://api.greenleaf.example/rx/{rx_number}', LOOKUP_INPUT),
        ...tool(1, 'request_refill', 'POST', 'https://api.greenleaf.example/refills', REFILL_INPUT),
      ],
      { awaiting: 'tools[0].output_schema' },
    ),
    (s) => {
      expect(s.stage).toBe('CONFIGURING_TOOLS');
      expect(s.title).toBe('Pharmacy refill line');
      expect(s.spec.tools.map((t) => t.name?.value)).toEqual(['lookup_prescription', 'request_refill']);
      expect(s.spec.tools[0]?.input_schema?.value).toEqual(JSON.parse(LOOKUP_INPUT));
      expect(s.spec.tools[1]?.input_schema?.confidence).toBe(0.8);
      expect(s.awaiting).toBe('tools[0].output_schema');
    },
  ],
  [
    "I don't know yet, what do you suggest?",
    // The model wrongly extracts the question as a value as well: the kind says it is not an answer.
    wire('suggest', 'I suggest it returns the status: status (string). Use that?', [{ field: 'tools[0].output_schema', value: "I don't know yet", confidence: 0.9 }], {
      suggestion: { field: 'tools[0].output_schema', value: OUTPUT },
      awaiting: 'tools[0].output_schema',
    }),
    (s) => {
      expect(s.spec.tools[0]?.output_schema).toBeUndefined();
      expect(s.spec.candidates['tools[0].output_schema']?.value).toEqual(JSON.parse(OUTPUT));
      expect(s.awaiting).toBe('tools[0].output_schema');
    },
  ],
  [
    'use your suggestion',
    wire('accept_suggestion', 'Done. And what does request_refill return?', [{ field: 'tools[0].output_schema', value: OUTPUT, confidence: 1 }], { awaiting: 'tools[1].output_schema' }),
    (s) => {
      expect(s.spec.tools[0]?.output_schema?.value).toEqual(JSON.parse(OUTPUT));
      expect(s.spec.candidates['tools[0].output_schema']).toBeUndefined();
    },
  ],
  [
    'skip for now',
    wire('skip', "OK, I'll come back to it before the review.", [], {}, { skip: 'tools[1].output_schema' }),
    (s, reply) => {
      expect(s.spec.parked).toEqual(['tools[1].output_schema']);
      expect(s.spec.tools[1]?.output_schema).toBeUndefined();
      // Everything else about the tools is known, so the interview asks whether there are more.
      expect(s.awaiting).toBe('tools_done');
      expect(reply).toMatch(/another tool/);
    },
  ],
  [
    'actually make the refill one a PUT',
    wire('correction', 'Changed.', [{ field: 'tools[1].method', value: 'PUT', confidence: 0.95 }]),
    (s, reply) => {
      expect(s.spec.tools[1]?.method?.value).toBe('PUT');
      expect(reply).toMatch(/Changed request_refill's method from "POST" to "PUT"\./);
    },
  ],
  [
    'undo that',
    wire('undo', '', [], {}, { undo: true }),
    (s, reply) => {
      expect(s.spec.tools[1]?.method?.value).toBe('POST');
      expect(reply).toMatch(/Undone: request_refill's method/);
    },
  ],
  [
    "No, that's the only tool",
    wire('answer', 'No more tools.', [], {}, { no_more_tools: true }),
    (s, reply) => {
      // The parked output is still needed before the review.
      expect(s.stage).toBe('CONFIGURING_TOOLS');
      expect(s.awaiting).toBe('tools[1].output_schema');
      expect(s.spec.tools).toHaveLength(2);
      expect(reply).toMatch(/skipped this earlier/);
    },
  ],
  [
    'it returns the refill status',
    wire('answer', 'Thanks.', [{ field: 'tools[1].output_schema', value: OUTPUT, confidence: 0.9 }]),
    (s, reply) => {
      expect(s.stage).toBe('REVIEWING_WORKFLOW');
      expect(s.spec.parked).toBeUndefined();
      expect(reply).toMatch(/Here's the design so far/);
    },
  ],
  [
    'Approve, as long as the refill tool is removed',
    // The model sets approve as well; a conditional approval never approves.
    wire('conditional_approval', 'Removing it first.', [], {}, { approve: true, change_request: 'the refill tool is removed', tool_ops: [{ op: 'remove', tool: 'request_refill', new_name: null, position: null }] }),
    (s, reply) => {
      expect(s.stage).toBe('REVIEWING_WORKFLOW');
      expect(s.spec.workflow_approved).toBeUndefined();
      expect(s.spec.tools.map((t) => t.name?.value)).toEqual(['lookup_prescription']);
      expect(reply).toMatch(/Removed request_refill\./);
    },
  ],
  [
    'aprobado',
    wire('answer', 'Approved.', [], {}, { approve: true }),
    (s) => {
      expect(s.stage).toBe('COMPLETED');
      expect(s.spec.system_prompt?.value).toContain('lookup_prescription');
    },
  ],
];

let store: SessionStore;
let dataDir: string;
let mock: MockLlmServer;
beforeAll(async () => {
  mock = await startMockLlmServer();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-llm-interview-'));
  store = await createSessionStore({ dataDir, clock: () => new Date() });
});
afterAll(async () => {
  await store.flush();
  await mock.close();
  await rm(dataDir, { recursive: true, force: true });
});

function orchestrator(provider: LlmProvider): InterviewOrchestrator {
  const settings = defaultSettings();
  return createOrchestrator({
    sessions: createSessionService({ store, clock: () => new Date(), newId: randomUUID }),
    getSettings: async () => settings,
    resolveProvider: async () => ({ provider, reason: 'test' }),
    clock: () => new Date(),
    newId: randomUUID,
  });
}

const config = { apiKey: 'sk-test-0123456789abcdef', temperature: 0.7, maxTokens: 2048, timeoutMs: 5000, retry: { maxAttempts: 1 } };

describe.each([
  ['openai', () => createOpenAiProvider({ ...config, model: 'gpt-5.5', baseURL: mock.openaiBaseURL })],
  ['anthropic', () => createAnthropicProvider({ ...config, model: 'claude-sonnet-5-5', baseURL: mock.anthropicBaseURL })],
] as const)('an LLM interview through %s', (api, make) => {
  it('stores answers, corrections and accepted proposals, and nothing else', async () => {
    const o = orchestrator(make());
    const created = await o.createSession();
    const before = mock.modelRequests(api as MockApi).length;
    for (const [text, answer, check] of TRANSCRIPT) {
      mock.script(api as MockApi, { type: 'reply', text: answer });
      const outcome = await o.processMessage(created.id, text, { turnId: randomUUID() });
      check(outcome.session, outcome.reply);
    }
    const requests = mock.modelRequests(api as MockApi).slice(before);
    expect(requests).toHaveLength(TRANSCRIPT.length);
    // The stage prompt tells the model about kinds; the structured output asks for them.
    const first = JSON.stringify(requests[0]?.body ?? {});
    expect(first).toContain('First decide what the user');
    expect(first).toContain('conditional_approval');
    const schema = turnJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['reply', 'kind', 'extracted', 'stage_complete', 'awaiting', 'suggestion', 'intent']);
  });
});
