import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineRig, type OfflineRig } from '../helpers/offline-session';

/**
 * The review names what a deployable agent still lacks (business name, a transfer number the
 * design relies on, the time zone of a date tool, the call direction), and one sentence in prose
 * fills it in: the summary then no longer lists it, and the generated prompt uses it.
 */

const SCRIPT = [
  'I want to build a customer support agent',
  'Help customers track orders and book return pickups',
  'Friendly and empathetic',
  'Yes, I want to integrate our order API',
  'schedule_pickup',
  'Books a courier to collect a return',
  'https://api.example.com/returns/{order_id}/pickup',
  'POST',
  'Bearer token in the Authorization header',
  '{"type":"object","properties":{"order_id":{"type":"string","description":"The order number"},"pickup_date":{"type":"string","format":"date","description":"The day to collect"}},"required":["order_id","pickup_date"]}',
  'confirmation_id: string',
  'When the caller wants a return collected',
  'Apologise, and offer to transfer the caller to a human agent',
  'no more tools',
];

let rig: OfflineRig;
beforeEach(async () => {
  rig = await offlineRig();
});
afterEach(async () => {
  await rig.close();
});

describe('the review lists what deploying needs', () => {
  it('asks for the business name, the promised transfer number, the time zone and the direction; one sentence of prose fills them in', async () => {
    const { id } = await rig.session();
    let last = { reply: '', session: await rig.session() };
    for (const line of SCRIPT) last = await rig.say(id, line);
    expect(last.session.stage).toBe('REVIEWING_WORKFLOW');
    const review = last.reply;
    expect(review).toContain('Before you deploy');
    expect(review).toContain('Business name: not set');
    expect(review).toContain('Transfer: the design hands callers to a person ("offer to transfer the caller to a human agent")');
    expect(review).toContain('Time zone: a tool deals in dates');
    expect(review).toContain('Calls: I take it the agent answers calls (inbound)');
    // The approval question still ends the message.
    expect(review.trim().endsWith('"go back to tools").')).toBe(true);

    const after = await rig.say(id, 'The business is called Northwind Outfitters. Transfer to +1 503 555 0199 when the caller asks for a person. We are in America/Chicago and it answers inbound calls.');
    const spec = after.session.spec;
    expect(spec.business_name?.value).toBe('Northwind Outfitters');
    expect(spec.transfers?.[0]?.phone_number?.value).toBe('+15035550199');
    expect(spec.timezone?.value).toBe('America/Chicago');
    expect(spec.call_direction?.value).toBe('inbound');
    expect(after.session.stage).toBe('REVIEWING_WORKFLOW');
    expect(after.reply).not.toContain('Before you deploy');

    const done = await rig.say(id, 'approve');
    expect(done.session.stage).toBe('COMPLETED');
    const prompt = String(done.session.spec.system_prompt?.value);
    expect(prompt).toContain('Northwind Outfitters');
    expect(prompt).toContain('{{system__time}}');
    expect(prompt).toMatch(/transfer/i);
  });

  it('a design that needs nothing more says nothing more', async () => {
    const { id } = await rig.session();
    const lines = [
      'We are Harbor Dental in America/Denver. I want an inbound receptionist that answers questions about opening hours, friendly and brief',
      'Answer questions about opening hours and directions',
      'Friendly and brief',
      'No tools',
    ];
    let last = { reply: '', session: await rig.session() };
    for (const line of lines) {
      last = await rig.say(id, line);
      if (last.session.stage === 'REVIEWING_WORKFLOW') break;
    }
    expect(last.session.stage).toBe('REVIEWING_WORKFLOW');
    expect(last.session.spec.business_name?.value).toBe('Harbor Dental');
    expect(last.reply).not.toContain('Before you deploy');
  });
});

describe('voicemail, for agents that place calls', () => {
  it('is listed at the review of an outbound design and read from one sentence, then said in the prompt and exported', async () => {
    const { id } = await rig.session();
    const lines = [
      'We are Northwind Outfitters in America/Chicago. I want an outbound agent that calls customers after a delivery for a short satisfaction survey',
      'Ask how the delivery went and record a score from 1 to 5',
      'Warm and brief',
      'No tools',
    ];
    let last = { reply: '', session: await rig.session() };
    for (const line of lines) {
      last = await rig.say(id, line);
      if (last.session.stage === 'REVIEWING_WORKFLOW') break;
    }
    expect(last.session.stage).toBe('REVIEWING_WORKFLOW');
    expect(last.session.spec.call_direction?.value).toBe('outbound');
    expect(last.reply).toContain('Voicemail: the agent places calls');
    expect(last.reply).not.toContain('Business name:');

    const after = await rig.say(id, 'At voicemail, leave a message: Hi, this is Northwind Outfitters calling about your delivery; we will try again tomorrow.');
    expect(after.session.spec.voicemail?.value).toEqual({ action: 'leave_message', message: 'Hi, this is Northwind Outfitters calling about your delivery; we will try again tomorrow.' });
    expect(after.reply).not.toContain('Voicemail: the agent places calls');
    const done = await rig.say(id, 'approve');
    expect(done.session.stage).toBe('COMPLETED');
    expect(String(done.session.spec.system_prompt?.value)).toContain('we will try again tomorrow');
  });

  it('"hang up" answers the question when it is asked directly at the review', async () => {
    const outbound = { value: 'outbound' as const, confidence: 1, source: 'user', locked: false };
    const { id } = await rig.session((s) => ({ ...s, stage: 'REVIEWING_WORKFLOW', awaiting: 'voicemail', spec: { ...s.spec, call_direction: outbound } }));
    const { session } = await rig.say(id, 'Just hang up');
    expect(session.spec.voicemail?.value).toEqual({ action: 'hang_up' });
  });
});

describe('the review items answered directly', () => {
  const basics = { agent_type: { value: 'receptionist', confidence: 1, source: 'user', locked: false } };
  it.each([
    ['business_name', 'It is called Harbor Dental.', { business_name: 'Harbor Dental' }],
    ['call_direction', 'It places the calls', { call_direction: 'outbound' }],
    ['call_direction', 'Inbound', { call_direction: 'inbound' }],
    ['timezone', 'Europe/Madrid', { timezone: 'Europe/Madrid' }],
  ] as const)('%s: "%s"', async (awaiting, text, expected) => {
    const { id } = await rig.session((s) => ({ ...s, stage: 'REVIEWING_WORKFLOW', awaiting, spec: { ...s.spec, ...basics } }));
    const { session } = await rig.say(id, text);
    const [key, value] = Object.entries(expected)[0]!;
    expect((session.spec as Record<string, { value?: unknown } | undefined>)[key]?.value).toBe(value);
  });
});
