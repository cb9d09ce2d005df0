import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/session';
import { TOOL_FIELDS, type AgentSpec, type ToolSpec } from '../../shared/spec';
import { f } from '../support/spec-fixtures';
import { offlineRig, type OfflineRig } from '../helpers/offline-session';

/**
 * Corrections and navigation in plain words (issue 16, item 4), through the real orchestrator
 * with the offline interviewer: each phrasing changes exactly the field it names, says so in one
 * line, and leaves everything else as it was.
 */

function tool(name: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', endpoint: string): ToolSpec {
  return {
    name: f(name),
    purpose: f(`${name} purpose`),
    endpoint: f(endpoint),
    method: f(method),
    auth: f({ type: 'bearer' as const, header: 'Authorization', secret_name: `${name.toUpperCase()}_TOKEN` }),
    input_schema: f({ type: 'object', properties: { rx_number: { type: 'string' } }, required: ['rx_number'] }),
    output_schema: f({ type: 'object', properties: { status: { type: 'string' } } }),
    trigger: f('When the caller asks about a prescription'),
    error_handling: f('Apologise and offer to take a message'),
  };
}

const SPEC: AgentSpec = {
  tools: [
    tool('lookup_prescription', 'GET', 'https://api.greenleaf.example/rx/{rx_number}'),
    tool('refill_prescription', 'PUT', 'https://api.greenleaf.example/refills/{rx_number}'),
  ],
  candidates: {},
  agent_type: f('pharmacy refill line'),
  goals: f('Look up prescriptions; request refills'),
  tone: f('warm and patient'),
  language: f('en'),
  use_tools: f(true),
};

function at(stage: Session['stage'], awaiting: string | null, spec: Partial<AgentSpec> = {}) {
  return (s: Session): Session => ({ ...s, stage, awaiting, spec: { ...SPEC, ...spec } });
}

/** The spec's values only (no provenance), to compare what changed. */
function values(spec: AgentSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'tools') out.tools = (v as ToolSpec[]).map((t) => Object.fromEntries(TOOL_FIELDS.map((tk) => [tk, t[tk]?.value]).filter(([, tv]) => tv !== undefined)));
    else if (v && typeof v === 'object' && 'value' in v) out[k] = (v as { value: unknown }).value;
  }
  return out;
}

let rig: OfflineRig;
beforeAll(async () => {
  rig = await offlineRig();
});
afterAll(async () => {
  await rig.close();
});

interface Case {
  say: string;
  stage: Session['stage'];
  awaiting: string | null;
  spec?: Partial<AgentSpec>;
  /** The one change expected, as a function of the values before. */
  expect: (before: Record<string, unknown>) => Record<string, unknown>;
  line: RegExp;
}

const withTools = (before: Record<string, unknown>, index: number, patch: Record<string, unknown>) => {
  const tools = (before.tools as Array<Record<string, unknown>>).slice();
  tools[index] = { ...tools[index], ...patch };
  return { ...before, tools };
};

const CASES: Case[] = [
  {
    say: 'actually make it POST',
    stage: 'CONFIGURING_TOOLS',
    awaiting: 'tools[1].auth',
    spec: { tools: [SPEC.tools[0]!, { ...SPEC.tools[1]!, auth: undefined }] },
    expect: (b) => withTools(b, 1, { method: 'POST' }),
    line: /Changed refill_prescription's method from "PUT" to "POST"/,
  },
  {
    say: 'change the tone to relaxed',
    stage: 'CONFIGURING_TOOLS',
    awaiting: 'tools_done',
    expect: (b) => ({ ...b, tone: 'relaxed' }),
    line: /Changed the tone from "warm and patient" to "relaxed"/,
  },
  {
    say: 'no wait, POST',
    stage: 'CONFIGURING_TOOLS',
    awaiting: 'tools[1].auth',
    spec: { tools: [SPEC.tools[0]!, { ...SPEC.tools[1]!, auth: undefined }] },
    expect: (b) => withTools(b, 1, { method: 'POST' }),
    line: /Changed refill_prescription's method from "PUT" to "POST"/,
  },
  {
    say: "PATCH - no wait, it's definitely POST",
    stage: 'CONFIGURING_TOOLS',
    awaiting: 'tools[1].method',
    spec: { tools: [SPEC.tools[0]!, { ...SPEC.tools[1]!, method: undefined, auth: undefined }] },
    expect: (b) => withTools(b, 1, { method: 'POST' }),
    line: /authenticate/,
  },
  {
    say: 'go back, change the tone — relaxed and friendly',
    stage: 'CONFIGURING_TOOLS',
    awaiting: 'tools_done',
    expect: (b) => ({ ...b, tone: 'relaxed and friendly' }),
    line: /Changed the tone from "warm and patient" to "relaxed and friendly"/,
  },
  {
    say: 'the second tool should be GET',
    stage: 'CONFIGURING_TOOLS',
    awaiting: 'tools_done',
    expect: (b) => withTools(b, 1, { method: 'GET' }),
    line: /Changed refill_prescription's method from "PUT" to "GET"/,
  },
  {
    say: 'remove the refill tool',
    stage: 'CONFIGURING_TOOLS',
    awaiting: 'tools_done',
    expect: (b) => ({ ...b, tools: (b.tools as unknown[]).slice(0, 1) }),
    line: /Removed refill_prescription\./,
  },
  {
    say: 'rename lookup_prescription to find_prescription',
    stage: 'CONFIGURING_TOOLS',
    awaiting: 'tools_done',
    expect: (b) => withTools(b, 0, { name: 'find_prescription' }),
    line: /Renamed lookup_prescription to find_prescription\./,
  },
  {
    say: 'Rename the refill tool to request_refill',
    stage: 'REVIEWING_WORKFLOW',
    awaiting: 'workflow_approved',
    spec: { tools_done: f(true) },
    expect: (b) => withTools(b, 1, { name: 'request_refill' }),
    line: /Renamed refill_prescription to request_refill\./,
  },
];

describe('corrections in plain words', () => {
  it.each(CASES)('$say', async (c) => {
    const session = await rig.session(at(c.stage, c.awaiting, c.spec));
    const before = values(session.spec);
    const { session: after, reply } = await rig.say(session.id, c.say);
    expect(values(after.spec)).toEqual(c.expect(before));
    expect(reply).toMatch(c.line);
    expect(after.stage).toBe(c.stage);
  });

  it('"can we go back and change the tone?" then "Relaxed and friendly" changes the tone', async () => {
    const session = await rig.session(at('CONFIGURING_TOOLS', 'tools_done'));
    const asked = await rig.say(session.id, 'Can we go back and change the tone?');
    expect(asked.session.awaiting).toBe('tone');
    expect(asked.session.spec.tone?.value).toBe('warm and patient');
    expect(asked.reply).toMatch(/It is now "warm and patient"/);
    const answered = await rig.say(session.id, 'Relaxed and friendly');
    expect(answered.session.spec.tone?.value).toBe('Relaxed and friendly');
    expect(answered.reply).toMatch(/Changed the tone from "warm and patient" to "Relaxed and friendly"/);
    // Back to where the interview was.
    expect([answered.session.stage, answered.session.awaiting]).toEqual(['CONFIGURING_TOOLS', 'tools_done']);
  });

  it('"undo that" restores the design before the last change', async () => {
    const session = await rig.session(at('CONFIGURING_TOOLS', 'tools_done'));
    const before = values(session.spec);
    const removed = await rig.say(session.id, 'remove the refill tool');
    expect(removed.session.spec.tools).toHaveLength(1);
    const undone = await rig.say(session.id, 'undo that');
    expect(values(undone.session.spec)).toEqual(before);
    expect(undone.reply).toMatch(/^Undone: removed refill_prescription\./);
    expect(undone.session.awaiting).toBe('tools_done');
    const changed = await rig.say(session.id, 'change the tone to calm');
    expect(changed.session.spec.tone?.value).toBe('calm');
    const again = await rig.say(session.id, 'undo');
    expect(again.session.spec.tone?.value).toBe('warm and patient');
    const nothing = await rig.say(session.id, 'undo that');
    expect(nothing.reply).toMatch(/nothing to undo/);
  });

  it('a conditional approval becomes a change request, never an approval', async () => {
    const session = await rig.session(at('REVIEWING_WORKFLOW', 'workflow_approved', { tools_done: f(true) }));
    const conditional = await rig.say(session.id, 'Approve, as long as the knowledge base is included');
    expect(conditional.session.stage).toBe('REVIEWING_WORKFLOW');
    expect(conditional.session.spec.workflow_approved).toBeUndefined();
    expect(conditional.reply).toMatch(/haven't approved/);
    // The condition is a change to make: Parley asks for the knowledge source, then the design is reviewed again.
    expect(conditional.session.awaiting).toBe('knowledge_base[0]');
    const source = await rig.say(session.id, 'https://greenleaf.example/faq');
    expect(source.session.spec.knowledge_base?.[0]?.value).toEqual({ type: 'url', url: 'https://greenleaf.example/faq' });
    expect(source.session.stage).toBe('REVIEWING_WORKFLOW');
    expect(source.session.spec.workflow_approved).toBeUndefined();
    const withChange = await rig.say(session.id, 'Looks good, but change the tone to calm and clear');
    expect(withChange.session.stage).toBe('REVIEWING_WORKFLOW');
    expect(withChange.session.spec.tone?.value).toBe('calm and clear');
    expect(withChange.session.spec.workflow_approved).toBeUndefined();
    const approved = await rig.say(session.id, 'Approved');
    expect(approved.session.stage).toBe('COMPLETED');
  });
});
