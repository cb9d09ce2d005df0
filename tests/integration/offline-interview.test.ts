import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { defaultSettings } from '../../shared/settings';
import type { Stage } from '../../shared/stages';
import { createSessionStore } from '../../electron/store/sessions';
import { createSessionService } from '../../electron/services/sessions';
import type { SessionStore } from '../../electron/store/types';
import { route } from '../../electron/llm/router';
import { createOfflineProvider, OFFLINE_NOTE } from '../../electron/interview/offline';
import { createOrchestrator, type InterviewOrchestrator } from '../../electron/orchestrator/orchestrator';

/** The product brief's example, end to end, with the offline interviewer routed as with no keys. */

let dataDir: string;
let store: SessionStore;

function offlineOrchestrator(s: SessionStore): InterviewOrchestrator {
  const settings = defaultSettings();
  return createOrchestrator({
    sessions: createSessionService({ store: s, clock: () => new Date(), newId: randomUUID }),
    getSettings: async () => settings,
    // The real router with no keys: it must fall back to the offline interviewer.
    resolveProvider: async (stage, choice) => route({ stage, choice, settings, keys: {}, factories: { offline: () => createOfflineProvider() } }),
    clock: () => new Date(),
    newId: randomUUID,
  });
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-offline-'));
  store = await createSessionStore({ dataDir, clock: () => new Date() });
});

afterEach(async () => {
  await store.flush();
  await rm(dataDir, { recursive: true, force: true });
});

const INPUT_SCHEMA =
  '{"type":"object","properties":{"order_id":{"type":"string","description":"The order number from the confirmation email"}},"required":["order_id"]}';

/** [user says, stage after, awaiting after] */
const SCRIPT: Array<[string, Stage, string | null]> = [
  ['I want to build a customer support agent', 'COLLECTING_BASICS', 'goals'],
  ['Help customers track orders and handle returns', 'COLLECTING_BASICS', 'tone'],
  ['Friendly and empathetic', 'EXPLORING_TOOLS', 'use_tools'],
  ['Yes, I want to integrate our order API', 'CONFIGURING_TOOLS', 'tools[0].name'],
  ['get_order_status', 'CONFIGURING_TOOLS', 'tools[0].purpose'],
  ['Looks up where an order is and when it will arrive', 'CONFIGURING_TOOLS', 'tools[0].endpoint'],
  ['https://api.example.com/orders/{order_id}', 'CONFIGURING_TOOLS', 'tools[0].method'],
  ['GET', 'CONFIGURING_TOOLS', 'tools[0].auth'],
  ['Bearer token in the Authorization header', 'CONFIGURING_TOOLS', 'tools[0].input_schema'],
  [INPUT_SCHEMA, 'CONFIGURING_TOOLS', 'tools[0].output_schema'],
  ['status: string, estimated_delivery: string optional', 'CONFIGURING_TOOLS', 'tools[0].trigger'],
  ['When the caller asks where their order is', 'CONFIGURING_TOOLS', 'tools[0].error_handling'],
  ['Apologise, and offer to transfer the caller to a human agent', 'CONFIGURING_TOOLS', 'tools_done'],
  ['no more tools', 'REVIEWING_WORKFLOW', 'workflow_approved'],
  ['Looks good, approve', 'COMPLETED', null],
];

describe('offline guided interview', () => {
  it('runs the brief example from greeting to COMPLETED', async () => {
    const orchestrator = offlineOrchestrator(store);
    let session = await orchestrator.createSession();
    const replies: string[] = [];
    for (const [text, stage, awaiting] of SCRIPT) {
      const deltas: string[] = [];
      const outcome = await orchestrator.processMessage(session.id, text, { turnId: randomUUID(), onDelta: (d) => deltas.push(d) });
      session = outcome.session;
      expect([text, session.stage, session.awaiting]).toEqual([text, stage, awaiting]);
      expect(outcome.provider).toBe('offline');
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe(outcome.reply);
      replies.push(outcome.reply);
    }
    expect(replies[0]).toContain(OFFLINE_NOTE);
    expect(replies.filter((r) => r.includes(OFFLINE_NOTE))).toHaveLength(1);
    expect(replies.at(-2)).toContain("Here's the design so far:");

    expect(session.title).toBe('Customer support agent');
    expect(session.stageHistory.map((h) => h.stage)).toEqual([
      'INITIAL',
      'COLLECTING_BASICS',
      'EXPLORING_TOOLS',
      'CONFIGURING_TOOLS',
      'REVIEWING_WORKFLOW',
      'FINALIZING',
      'COMPLETED',
    ]);
    const tool = session.spec.tools[0];
    expect(tool?.method?.value).toBe('GET');
    expect(tool?.auth?.value).toEqual({ type: 'bearer', header: 'Authorization', secret_name: 'GET_ORDER_STATUS_TOKEN' });
    expect(tool?.input_schema?.value).toEqual(JSON.parse(INPUT_SCHEMA));
    expect(tool?.output_schema?.value).toEqual({
      type: 'object',
      properties: { status: { type: 'string' }, estimated_delivery: { type: 'string' } },
      required: ['status'],
    });
    // Direct answers are read with high certainty, but the meter shows the reader's own figure, not a constant 100%.
    for (const field of [session.spec.agent_type, session.spec.goals, session.spec.tone, tool?.endpoint]) {
      expect(field?.confidence).toBeGreaterThanOrEqual(0.9);
    }
    const prompt = session.spec.system_prompt?.value ?? '';
    expect(prompt).toContain('Help customers track orders and handle returns');
    expect(prompt).toContain('You are friendly and empathetic.');
    expect(prompt).toContain('## get_order_status');
    // The voice model needs when to call the tool and what to ask, not the URL or the HTTP verb.
    expect(prompt).not.toContain('https://api.example.com/orders/{order_id}');
    expect(prompt).not.toMatch(/\bGET\b/);
    // No transfer target in this design: the error handling's "offer to transfer … to a human agent" is not promised.
    expect(prompt).not.toMatch(/transfer the caller/i);
    expect(prompt).toContain('You cannot transfer calls.');
    expect(session.spec.first_message?.value).toContain('customer support agent');
    expect(session.usage).toHaveLength(SCRIPT.length);
    expect(await store.get(session.id)).toEqual(session);
  });

  it('resumes after a restart mid-interview at the same stage with the same spec', async () => {
    const first = offlineOrchestrator(store);
    const created = await first.createSession();
    for (const [text] of SCRIPT.slice(0, 6)) await first.processMessage(created.id, text, { turnId: randomUUID() });
    const before = await store.get(created.id);
    await store.flush();

    store = await createSessionStore({ dataDir, clock: () => new Date() });
    const second = offlineOrchestrator(store);
    const reloaded = await store.get(created.id);
    expect([reloaded.stage, reloaded.awaiting]).toEqual(['CONFIGURING_TOOLS', 'tools[0].endpoint']);
    expect(reloaded.spec).toEqual(before.spec);
    let session = reloaded;
    for (const [text, stage, awaiting] of SCRIPT.slice(6)) {
      session = (await second.processMessage(created.id, text, { turnId: randomUUID() })).session;
      expect([text, session.stage, session.awaiting]).toEqual([text, stage, awaiting]);
    }
  });

  it('asks again precisely when an answer is unusable, and supports no-tools, edits and jumps', async () => {
    const orchestrator = offlineOrchestrator(store);
    const { id } = await orchestrator.createSession();
    const say = async (text: string) => orchestrator.processMessage(id, text, { turnId: randomUUID() });

    expect((await say('hmm')).session.awaiting).toBe('agent_type');
    await say('an appointment booking agent');
    await say('Book, move and cancel dental appointments');
    await say('Warm and calm');
    const unsure = await say('maybe?');
    expect(unsure.reply).toContain('Please answer yes or no.');
    expect(unsure.session.awaiting).toBe('use_tools');
    const none = await say("No, it doesn't need tools");
    expect(none.session.stage).toBe('REVIEWING_WORKFLOW');
    expect(none.reply).toContain('• Tools: none');

    const notApproved = await say('I am not sure yet');
    expect(notApproved.session.stage).toBe('REVIEWING_WORKFLOW');
    const changed = await say('tone: formal and concise');
    expect(changed.session.spec.tone?.value).toBe('formal and concise');
    expect(changed.reply).toContain('• Tone: formal and concise');

    const back = await say('go back to the basics');
    expect(back.session.stage).toBe('COLLECTING_BASICS');
    expect(back.reply).toContain('Back to the basics');
    const edited = await say('goals: Book and cancel appointments');
    expect(edited.session.spec.goals?.value).toBe('Book and cancel appointments');
    expect(edited.session.stage).toBe('REVIEWING_WORKFLOW');

    const toolsAgain = await say('go back to tools');
    expect([toolsAgain.session.stage, toolsAgain.session.awaiting]).toEqual(['EXPLORING_TOOLS', 'use_tools']);
    expect((await say('yes')).session.awaiting).toBe('tools[0].name');
    const named = await say('find_free_slots');
    expect(named.session.awaiting).toBe('tools[0].purpose');
    await say('Finds free appointment slots');
    const relative = await say('/calendar/{day}/slots');
    expect(relative.session.awaiting).toBe('tools[0].endpoint');
    expect(relative.reply).toContain('relative URL');
    await say('POST https://api.example.com/calendar/{day}/slots');
    expect((await store.get(id)).spec.tools[0]?.method?.value).toBe('POST');
    const auth = await store.get(id);
    expect(auth.awaiting).toBe('tools[0].auth');
    await say('none');
    const wrongSchema = await say('{"type":"object","properties":{"date":{"type":"string"}}}');
    expect(wrongSchema.reply).toContain('uses {day}, but its input schema has no "day" property');
    expect(wrongSchema.session.awaiting).toBe('tools[0].input_schema');
    const brokenJson = await say('{"type":"object", "properties": {');
    expect(brokenJson.reply).toMatch(/isn't valid JSON|missing its closing/);
    await say('day: string - the day, as YYYY-MM-DD');
    expect((await store.get(id)).spec.tools[0]?.input_schema?.value).toEqual({
      type: 'object',
      properties: { day: { type: 'string', description: 'the day, as YYYY-MM-DD' } },
      required: ['day'],
    });
  });
});
