import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/session';
import type { AgentSpec, ToolSpec } from '../../shared/spec';
import { TOOL_FIELDS } from '../../shared/spec';
import { completeTool, f } from '../support/spec-fixtures';
import { offlineRig, type OfflineRig } from '../helpers/offline-session';

/**
 * Non-answers are never stored (issue 16, "non-answer table test"): every message below, at every
 * kind of field the interview asks, leaves every spec value as it was. They get an explanation,
 * a proposal, a parked field or the question again instead.
 */

export const NON_ANSWERS = [
  "I don't know yet, what do you suggest?",
  'skip',
  'What do you mean by that?',
  "not sure yet, I'll ask our developer",
  "I don't know",
  'no idea',
  'dunno',
  'idk',
  'skip for now',
  'can we come back to that later?',
  'what do you suggest?',
  'you decide',
  'up to you',
  'hmm',
  'let me think',
  'let me check with my team',
  "What's the weather like?",
  'tell me a joke',
  'thanks!',
  'hello?',
  'lol',
  'can you repeat the question?',
  "sorry, I didn't get that",
  'why do you need that?',
  'what is a JSON schema?',
  'how does that work?',
  'pass',
  'later',
  'whatever',
  'one sec',
  'any ideas?',
  'not decided yet',
  "I'm not sure, honestly",
  'I need to check with IT first',
  'what would you recommend?',
  '...',
  '?',
  'no sé',
  '¿qué sugieres?',
  'keine Ahnung',
  'was schlägst du vor?',
  'überspringen',
  'je ne sais pas',
  'plus tard',
  'não sei',
  'pular',
  'non lo so',
  'saltare',
];

const BASICS = { agent_type: f('pharmacy refill line'), goals: f('Look up prescriptions'), tone: f('warm'), language: f('en') };

function toolUpTo(key: (typeof TOOL_FIELDS)[number]): ToolSpec {
  const full = completeTool('lookup_prescription');
  const out: ToolSpec = {};
  for (const k of TOOL_FIELDS) {
    if (k === key) break;
    (out as Record<string, unknown>)[k] = full[k];
  }
  return out;
}

/** Every kind of field the interview asks: [awaiting, stage, spec]. */
const FIELDS: Array<[string, Session['stage'], Partial<AgentSpec>]> = [
  ['agent_type', 'INITIAL', {}],
  ['goals', 'COLLECTING_BASICS', { agent_type: BASICS.agent_type }],
  ['tone', 'COLLECTING_BASICS', { agent_type: BASICS.agent_type, goals: BASICS.goals }],
  ['language', 'COLLECTING_BASICS', { agent_type: BASICS.agent_type, goals: BASICS.goals }],
  ['first_message', 'COLLECTING_BASICS', { agent_type: BASICS.agent_type, goals: BASICS.goals }],
  ['use_tools', 'EXPLORING_TOOLS', BASICS],
  ...TOOL_FIELDS.map((key): [string, Session['stage'], Partial<AgentSpec>] => [
    `tools[0].${key}`,
    'CONFIGURING_TOOLS',
    { ...BASICS, use_tools: f(true), tools: key === 'name' ? [] : [toolUpTo(key)] },
  ]),
  ['tools_done', 'CONFIGURING_TOOLS', { ...BASICS, use_tools: f(true), tools: [completeTool('lookup_prescription')] }],
  ['workflow_approved', 'REVIEWING_WORKFLOW', { ...BASICS, use_tools: f(true), tools: [completeTool('lookup_prescription')], tools_done: f(true) }],
  // Fields of a deployable agent the interview asks when the user starts them.
  ['business_name', 'COLLECTING_BASICS', { agent_type: BASICS.agent_type }],
  ['transfers[0].phone_number', 'CONFIGURING_TOOLS', { ...BASICS, use_tools: f(true), tools: [completeTool('lookup_prescription')], transfers: [{ condition: f('If someone asks about dosage') }] }],
  ['knowledge_base[0]', 'REVIEWING_WORKFLOW', { ...BASICS, use_tools: f(true), tools: [completeTool('lookup_prescription')], tools_done: f(true) }],
  // The review's "Before you deploy" items, asked directly.
  ['call_direction', 'REVIEWING_WORKFLOW', { ...BASICS, use_tools: f(false) }],
  ['voicemail', 'REVIEWING_WORKFLOW', { ...BASICS, use_tools: f(false), call_direction: f('outbound' as const) }],
  // After-call items (data collection, success criteria).
  ['data_collection[0]', 'REVIEWING_WORKFLOW', { ...BASICS, use_tools: f(false) }],
  ['success_criteria[0]', 'REVIEWING_WORKFLOW', { ...BASICS, use_tools: f(false) }],
];

function values(spec: AgentSpec): unknown {
  return JSON.parse(
    JSON.stringify({ ...spec, candidates: undefined, parked: undefined }, (k, v: unknown) => (k === 'confidence' || k === 'source' || k === 'locked' ? undefined : v)),
  ) as unknown;
}

let rig: OfflineRig;
beforeAll(async () => {
  rig = await offlineRig();
});
afterAll(async () => {
  await rig.close();
});

describe('non-answers are never stored', () => {
  it(`has at least 40 non-answers`, () => {
    expect(new Set(NON_ANSWERS).size).toBeGreaterThanOrEqual(40);
  });

  it.each(FIELDS)('none is stored at %s', async (awaiting, stage, spec) => {
    const created = await rig.session((s) => ({ ...s, stage, awaiting, spec: { ...s.spec, ...spec } }));
    const stored: string[] = [];
    for (const text of NON_ANSWERS) {
      // Each message is said in the same situation: the session is put back before the next one.
      await rig.store.save({ ...created, updatedAt: new Date().toISOString() });
      const { session, reply } = await rig.say(created.id, text);
      if (!isDeepStrictEqual(values(session.spec), values(created.spec))) stored.push(`${text} → ${JSON.stringify(values(session.spec))}`);
      expect(reply.trim().length, text).toBeGreaterThan(0);
    }
    expect(stored).toEqual([]);
  });
});
