import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ParleyError } from '../../shared/errors';
import { defaultSettings, type Settings } from '../../shared/settings';
import { SESSION_SCHEMA_VERSION, type Session } from '../../shared/session';
import { createSessionStore } from '../store/sessions';
import { createSessionService } from '../services/sessions';
import type { SessionStore } from '../store/types';
import type { LlmProvider } from '../llm/types';
import { createOrchestrator, GREETING, type InterviewOrchestrator } from './orchestrator';
import { generatedTexts } from '../interview/session-steps';
import { completeTool, f, ORDER_INPUT, scriptedProvider, type ScriptStep } from '../../tests/support/spec-fixtures';

let dataDir: string;
let store: SessionStore;
let settings: Settings;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-orch-'));
  store = await createSessionStore({ dataDir, clock: () => new Date() });
  settings = defaultSettings();
});

afterEach(async () => {
  await store.flush();
  await rm(dataDir, { recursive: true, force: true });
});

function orchestratorWith(provider: LlmProvider): InterviewOrchestrator {
  return createOrchestrator({
    sessions: createSessionService({ store, clock: () => new Date(), newId: randomUUID }),
    getSettings: async () => settings,
    resolveProvider: async () => ({ provider, reason: 'test' }),
    clock: () => new Date(),
    newId: randomUUID,
  });
}

async function setup(steps: ScriptStep[], patch: (s: Session) => Session = (s) => s) {
  const provider = scriptedProvider(steps);
  const orchestrator = orchestratorWith(provider);
  const created = await orchestrator.createSession();
  const session = patch(created);
  if (session !== created) await store.save(session);
  const say = (text: string, extra: { signal?: AbortSignal; onDelta?: (t: string) => void } = {}) =>
    orchestrator.processMessage(session.id, text, { turnId: randomUUID(), ...extra });
  return { provider, orchestrator, session, say };
}

/** A session already at a stage with the given spec. */
function at(stage: Session['stage'], spec: Partial<Session['spec']>, awaiting: string | null = null) {
  return (s: Session): Session => ({ ...s, stage, awaiting, spec: { ...s.spec, ...spec } });
}

const BASICS = { agent_type: f('customer support agent'), goals: f('Track orders'), tone: f('Friendly') };

describe('createSession', () => {
  it('starts at INITIAL with the greeting and stores the session', async () => {
    const { session } = await setup([]);
    expect(session).toMatchObject({ stage: 'INITIAL', awaiting: 'agent_type', title: 'New agent', provider: 'auto', schemaVersion: SESSION_SCHEMA_VERSION });
    expect(session.messages).toHaveLength(1);
    expect(session.messages[0]).toMatchObject({ role: 'assistant', text: GREETING });
    expect(GREETING).toContain('What kind of voice agent would you like to create?');
    expect((await store.get(session.id)).stage).toBe('INITIAL');
  });
});

describe('processMessage', () => {
  it('saves the user message before calling the provider and builds the context', async () => {
    let seenWhileRunning: Session | undefined;
    const { session, say, provider } = await setup([
      async () => {
        seenWhileRunning = await store.get(session.id);
        return { reply: 'Nice. What should it achieve?', extracted: { agent_type: { value: 'customer support agent', confidence: 0.95 } }, awaiting: 'goals' };
      },
    ]);
    const outcome = await say('I want to build a customer support agent');
    expect(seenWhileRunning?.messages.at(-1)).toMatchObject({ role: 'user', text: 'I want to build a customer support agent' });
    const request = provider.requests[0];
    expect(request?.stage).toBe('INITIAL');
    expect(request?.system).toContain('Current stage: INITIAL');
    expect(request?.messages.map((m) => m.role)).toEqual(['assistant', 'user']);
    expect(outcome.session).toMatchObject({ stage: 'COLLECTING_BASICS', awaiting: 'goals', title: 'Customer support agent' });
    expect(outcome.session.stageHistory.map((h) => h.stage)).toEqual(['INITIAL', 'COLLECTING_BASICS']);
    expect(outcome.session.messages.at(-1)).toMatchObject({ role: 'assistant', provider: 'openai', model: 'scripted-model', text: 'Nice. What should it achieve?' });
    expect(outcome.session.usage).toEqual([
      expect.objectContaining({ provider: 'openai', model: 'scripted-model', inputTokens: 100, outputTokens: 20 }),
    ]);
    expect(outcome.session.spec.agent_type?.source).toBe(outcome.session.messages.at(-2)?.id);
    expect(await store.get(session.id)).toEqual(outcome.session);
  });

  it('sends only the last contextMessages messages', async () => {
    settings = { ...settings, contextMessages: 3 };
    const ask = { awaiting: 'agent_type' };
    const { say, provider } = await setup([{ reply: 'a', ...ask }, { reply: 'b', ...ask }, { reply: 'c', ...ask }]);
    await say('one');
    await say('two');
    await say('three');
    expect(provider.requests[2]?.messages.map((m) => m.text)).toEqual(['two', 'b', 'three']);
  });

  it('stores several fields from one message and moves on', async () => {
    const { say } = await setup([
      {
        reply: 'Great!',
        extracted: {
          agent_type: { value: 'customer support agent', confidence: 0.9 },
          goals: { value: 'Track orders and handle returns', confidence: 0.9 },
          tone: { value: 'Friendly and empathetic', confidence: 0.85 },
        },
      },
    ]);
    const { session, reply } = await say('A friendly, empathetic support agent that tracks orders and handles returns');
    expect(session.spec.goals?.value).toBe('Track orders and handle returns');
    expect(session.spec.tone?.value).toBe('Friendly and empathetic');
    expect(session.stage).toBe('EXPLORING_TOOLS');
    expect(session.awaiting).toBe('use_tools');
    expect(reply).toMatch(/^Great!\n\nDoes the agent need to call any external tools/);
  });

  it('does not store a value at confidence 0.5: it keeps the candidate and asks to confirm', async () => {
    const { say } = await setup(
      [{ reply: 'Noted.', extracted: { goals: { value: 'Probably returns', confidence: 0.5 } }, awaiting: 'tone' }],
      at('COLLECTING_BASICS', { agent_type: f('support agent') }, 'goals'),
    );
    const deltas: string[] = [];
    const { session, reply } = await say('I guess returns, maybe', { onDelta: (t) => deltas.push(t) });
    expect(session.spec.goals).toBeUndefined();
    expect(session.spec.candidates.goals).toMatchObject({ value: 'Probably returns', confidence: 0.5 });
    expect(session.awaiting).toBe('goals');
    expect(session.stage).toBe('COLLECTING_BASICS');
    expect(reply).toBe('Noted.\n\nI read the goals as "Probably returns" — right? Say yes, or tell me in your own words.');
    expect(deltas.join('')).toBe(reply);
  });

  it('keeps a locked field when the model contradicts it', async () => {
    const { say, orchestrator, session } = await setup(
      [{ reply: 'OK', extracted: { tone: { value: 'Casual and jokey', confidence: 0.99 } } }],
      at('COLLECTING_BASICS', { agent_type: f('support agent'), goals: f('Track orders') }, 'tone'),
    );
    const edited = await orchestrator.editField(session.id, 'tone', 'Formal');
    expect(edited.spec.tone).toMatchObject({ value: 'Formal', source: 'user-edit', locked: true });
    const { session: after, reply } = await say('make it casual and jokey');
    expect(after.spec.tone).toMatchObject({ value: 'Formal', locked: true });
    expect(reply).toContain('tone is locked, so I kept the value you set');
  });

  it('skips CONFIGURING_TOOLS when no tools are needed', async () => {
    const { say } = await setup(
      [{ reply: 'No tools then.', extracted: { use_tools: { value: false, confidence: 0.95 } } }],
      at('EXPLORING_TOOLS', BASICS, 'use_tools'),
    );
    const { session, reply } = await say('No, it just talks');
    expect(session.stage).toBe('REVIEWING_WORKFLOW');
    expect(session.stageHistory.map((h) => h.stage)).not.toContain('CONFIGURING_TOOLS');
    expect(session.awaiting).toBe('workflow_approved');
    expect(reply).toContain("Here's the design so far:");
    expect(reply).toContain('• Tools: none');
  });

  it('does not leave the review without explicit approval, and re-summarises a change', async () => {
    const review = at('REVIEWING_WORKFLOW', { ...BASICS, use_tools: f(false) }, 'workflow_approved');
    const { say } = await setup(
      [
        { reply: 'Sure, it will be ready soon.', stage_complete: true },
        { reply: 'Changed the tone.', extracted: { tone: { value: 'Formal', confidence: 0.9 } }, intent: { approve: true } },
        { reply: 'Approved!', intent: { approve: true } },
      ],
      review,
    );
    const first = await say('hmm, what happens next?');
    expect(first.session.stage).toBe('REVIEWING_WORKFLOW');
    expect(first.session.spec.workflow_approved).toBeUndefined();

    const second = await say('Make the tone formal, then approve');
    expect(second.session.stage).toBe('REVIEWING_WORKFLOW');
    expect(second.session.spec.tone?.value).toBe('Formal');
    expect(second.session.spec.workflow_approved).toBeUndefined();
    expect(second.reply).toContain('• Tone: Formal');

    const third = await say('Looks good, approve');
    expect(third.session.stage).toBe('COMPLETED');
    expect(third.session.stageHistory.map((h) => h.stage).slice(-2)).toEqual(['FINALIZING', 'COMPLETED']);
    expect(third.session.spec.system_prompt?.value).toContain('You are formal.');
    expect(third.session.awaiting).toBeNull();
  });

  it('jumps back to an earlier stage on request and clears the answers that closed it', async () => {
    const spec = { ...BASICS, use_tools: f(true), tools: [completeTool('get_order_status')], tools_done: f(true) };
    const { say, orchestrator, session } = await setup(
      [{ reply: 'Back to the tools.', intent: { go_back_to: 'tools' } }],
      at('REVIEWING_WORKFLOW', spec, 'workflow_approved'),
    );
    const jumped = await say('go back to tools');
    expect(jumped.session.stage).toBe('CONFIGURING_TOOLS');
    expect(jumped.session.awaiting).toBe('tools_done');
    expect(jumped.session.spec.tools_done).toBeUndefined();
    expect(jumped.reply).toContain('Does the agent need another tool?');

    const basics = await orchestrator.goToStage(session.id, 'COLLECTING_BASICS');
    expect(basics.stage).toBe('COLLECTING_BASICS');
    expect(basics.messages.at(-1)?.text).toContain('Back to the basics');
    await expect(orchestrator.goToStage(session.id, 'REVIEWING_WORKFLOW')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses a relative URL, a bad method and an invalid schema with precise questions', async () => {
    const tool = { name: f('get_order_status'), purpose: f('Looks up an order') };
    const { say } = await setup(
      [
        { reply: 'Thanks!', extracted: { 'tools[0].endpoint': { value: '/orders/{order_id}', confidence: 0.9 } }, awaiting: 'tools[0].method' },
        { reply: 'Thanks!', extracted: { 'tools[0].endpoint': { value: 'https://api.example.com/orders/{order_id}', confidence: 0.9 }, 'tools[0].method': { value: 'FETCH', confidence: 0.9 } } },
        { reply: 'Thanks!', extracted: { 'tools[0].method': { value: 'GET', confidence: 1 }, 'tools[0].auth': { value: { type: 'none' }, confidence: 1 }, 'tools[0].input_schema': { value: { type: 'object', properties: { order_id: { type: 12 } } }, confidence: 0.9 } } },
        { reply: 'Thanks!', extracted: { 'tools[0].input_schema': { value: ORDER_INPUT, confidence: 0.9 } } },
      ],
      at('CONFIGURING_TOOLS', { ...BASICS, use_tools: f(true), tools: [tool] }, 'tools[0].endpoint'),
    );
    const relative = await say('/orders/{order_id}');
    expect(relative.session.awaiting).toBe('tools[0].endpoint');
    expect(relative.reply).toContain('"/orders/{order_id}" is a relative URL');
    expect(relative.session.spec.tools[0]?.endpoint).toBeUndefined();

    const method = await say('https://api.example.com/orders/{order_id} with FETCH');
    expect(method.session.spec.tools[0]?.endpoint?.value).toBe('https://api.example.com/orders/{order_id}');
    expect(method.session.awaiting).toBe('tools[0].method');
    expect(method.reply).toContain('"FETCH" is not a supported HTTP method');

    const schema = await say('GET, no auth, and the schema');
    expect(schema.session.awaiting).toBe('tools[0].input_schema');
    expect(schema.reply).toMatch(/JSON Schema for the input parameters of get_order_status is not valid: at properties\.order_id\.type/);

    const fixed = await say('here it is');
    expect(fixed.session.awaiting).toBe('tools[0].output_schema');
  });

  it('needs a complete tool and "no more tools" to leave CONFIGURING_TOOLS', async () => {
    const { say } = await setup(
      [
        { reply: 'Done?', intent: { no_more_tools: true } },
        { reply: 'Done.', extracted: { 'tools[0].error_handling': { value: 'Apologise', confidence: 1 } }, intent: { no_more_tools: true } },
      ],
      at('CONFIGURING_TOOLS', { ...BASICS, use_tools: f(true), tools: [{ ...completeTool('get_order_status'), error_handling: undefined }] }, 'tools[0].error_handling'),
    );
    const early = await say('no more tools');
    expect(early.session.stage).toBe('CONFIGURING_TOOLS');
    expect(early.session.awaiting).toBe('tools[0].error_handling');
    const done = await say('Apologise. No more tools.');
    expect(done.session.stage).toBe('REVIEWING_WORKFLOW');
  });

  it('shows the text when the structured part is malformed', async () => {
    const broken = { reply: 'Here is my answer anyway.', extracted: { goals: { value: 'x', confidence: 7 } } };
    const { say } = await setup([broken], at('COLLECTING_BASICS', { agent_type: f('support agent') }, 'goals'));
    const { session, reply } = await say('track orders');
    expect(reply).toMatch(/^Here is my answer anyway\./);
    expect(session.spec.goals).toBeUndefined();
    expect(session.awaiting).toBe('goals');
  });

  it('keeps the session consistent when a turn is cancelled mid-stream', async () => {
    const controller = new AbortController();
    const { say, session } = await setup(
      [
        async (_req, options) => {
          options.onDelta?.('Half a ');
          controller.abort(new ParleyError('CANCELLED', 'The turn was stopped.'));
          throw new DOMException('aborted', 'AbortError');
        },
        { reply: 'Next turn works.', extracted: { agent_type: { value: 'support agent', confidence: 1 } } },
      ],
    );
    await expect(say('first try', { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    const stored = await store.get(session.id);
    expect(stored.stage).toBe('INITIAL');
    expect(stored.awaiting).toBe('agent_type');
    expect(stored.messages.map((m) => [m.role, m.text, m.status])).toEqual([
      ['assistant', GREETING, 'complete'],
      ['user', 'first try', 'complete'],
      ['assistant', 'Half a ', 'partial'],
    ]);
    expect(stored.usage).toEqual([]);
    const next = await say('a support agent');
    expect(next.session.stage).toBe('COLLECTING_BASICS');
  });

  it('keeps the user message and reports a provider failure', async () => {
    const { say, session } = await setup([
      async () => {
        throw new Error('socket hang up');
      },
    ]);
    await expect(say('hello')).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining('socket hang up') });
    const stored = await store.get(session.id);
    expect(stored.messages.at(-1)).toMatchObject({ role: 'user', text: 'hello' });
    expect(stored.messages).toHaveLength(2);
  });

  it('answers the saved message on retry instead of storing it twice', async () => {
    const { say, session } = await setup([
      async () => {
        throw new Error('socket hang up');
      },
      async () => ({ reply: 'A booking agent, got it.', extracted: { agent_type: { value: 'booking agent', confidence: 0.9 } } }),
    ]);
    await expect(say('a booking agent')).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    await say('a booking agent');
    const stored = await store.get(session.id);
    expect(stored.messages.map((m) => [m.role, m.text])).toEqual([
      ['assistant', stored.messages[0]!.text],
      ['user', 'a booking agent'],
      ['assistant', expect.stringContaining('A booking agent, got it.')],
    ]);
    expect(stored.spec.agent_type?.value).toBe('booking agent');
  });

  it('serialises turns on one session', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { say, provider } = await setup([
      async () => {
        await gate;
        return { reply: 'first reply', awaiting: 'agent_type' };
      },
      { reply: 'second reply', awaiting: 'agent_type' },
    ]);
    const first = say('one');
    const second = say('two');
    release();
    await first;
    const outcome = await second;
    // Run side by side, the second request would lack the first reply and 'two' would come before it.
    expect(provider.requests[1]?.messages.map((m) => m.text).slice(-3)).toEqual(['one', 'first reply', 'two']);
    expect(outcome.session.messages.map((m) => m.text).slice(-4)).toEqual(['one', 'first reply', 'two', 'second reply']);
  });

  it('a stage jump made while a turn streams wins over what the model proposed for the old stage', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let asked!: () => void;
    const providerCalled = new Promise<void>((resolve) => (asked = resolve));
    const spec = { ...BASICS, use_tools: f(true), tools: [completeTool('get_order_status')], tools_done: f(true) };
    const { say, orchestrator, session } = await setup(
      [
        async () => {
          asked();
          await gate;
          return { reply: 'Sure, back to the basics.', intent: { go_back_to: 'basics' }, awaiting: 'workflow_approved' };
        },
      ],
      at('REVIEWING_WORKFLOW', spec, 'workflow_approved'),
    );
    const turn = say('go back to the basics');
    await providerCalled;
    const jumped = await orchestrator.goToStage(session.id, 'CONFIGURING_TOOLS');
    expect(jumped.stage).toBe('CONFIGURING_TOOLS');
    release();
    const outcome = await turn;
    // The model answered the review the user has left: its jump and its next question are dropped.
    expect(outcome.session.stage).toBe('CONFIGURING_TOOLS');
    expect(outcome.session.stageHistory.at(-1)?.stage).toBe('CONFIGURING_TOOLS');
    expect(outcome.session.awaiting).toBe(jumped.awaiting);
    expect(outcome.session.spec.tone).toEqual(BASICS.tone);
    expect(outcome.session.messages.map((m) => m.role).slice(-3)).toEqual(['user', 'assistant', 'assistant']);
    expect((await store.get(session.id)).stage).toBe('CONFIGURING_TOOLS');
  });

  it('regenerates the prompt when a field changes after COMPLETED, keeping a locked prompt', async () => {
    const done = at('COMPLETED', {
      ...BASICS,
      use_tools: f(false),
      workflow_approved: f(true),
      system_prompt: f('old prompt'),
      first_message: f('Hello!'),
    });
    const { say, orchestrator, session } = await setup([{ reply: 'Updated.', extracted: { tone: { value: 'Calm', confidence: 0.9 } } }], done);
    const changed = await say('make it calm');
    expect(changed.session.spec.system_prompt?.value).toContain('You are calm.');
    expect(changed.session.stage).toBe('COMPLETED');
    await orchestrator.editField(session.id, 'system_prompt', 'My own prompt');
    const regenerated = await orchestrator.goToStage(session.id, 'FINALIZING');
    expect(regenerated.stage).toBe('COMPLETED');
    expect(regenerated.spec.system_prompt?.value).toBe('My own prompt');
    expect(regenerated.spec.first_message?.value).toContain('customer support agent');
  });

  it('shows the generated prompt beside a hand edit and regenerates it on request, unlocked', async () => {
    const done = at('COMPLETED', { ...BASICS, use_tools: f(false), workflow_approved: f(true), system_prompt: f('old'), first_message: f('Hello!', { locked: true }) });
    const { orchestrator, session } = await setup([], done);
    await orchestrator.editField(session.id, 'system_prompt', 'My own prompt');
    const generated = generatedTexts((await store.get(session.id)).spec);
    expect(generated.system_prompt).toContain('customer support agent');
    expect((await store.get(session.id)).spec.system_prompt).toMatchObject({ value: 'My own prompt', locked: true });
    const back = await orchestrator.regenerate(session.id, 'system_prompt');
    expect(back.spec.system_prompt).toMatchObject({ value: generated.system_prompt, locked: false, source: 'generated' });
    // Only the asked-for field changes: the locked first message stays as it was.
    expect(back.spec.first_message).toMatchObject({ value: 'Hello!', locked: true });
    const fresh = await orchestrator.createSession();
    await expect(orchestrator.regenerate(fresh.id, 'system_prompt')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('resumes after a restart at the same stage with the same spec', async () => {
    const { say, session } = await setup([
      { reply: 'ok', extracted: { agent_type: { value: 'support agent', confidence: 1 }, goals: { value: 'Track orders', confidence: 1 } } },
    ]);
    const before = (await say('a support agent that tracks orders')).session;
    await store.flush();

    store = await createSessionStore({ dataDir, clock: () => new Date() });
    const provider = scriptedProvider([{ reply: 'Tone noted.', extracted: { tone: { value: 'Warm', confidence: 1 } } }]);
    const again = orchestratorWith(provider);
    const reloaded = await store.get(session.id);
    expect(reloaded.stage).toBe(before.stage);
    expect(reloaded.awaiting).toBe('tone');
    expect(reloaded.spec).toEqual(before.spec);
    const next = await again.processMessage(session.id, 'warm', { turnId: randomUUID() });
    expect(provider.requests[0]?.awaiting).toBe('tone');
    expect(next.session.stage).toBe('EXPLORING_TOOLS');
  });
});
