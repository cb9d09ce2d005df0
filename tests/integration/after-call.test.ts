import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineRig, type OfflineRig } from '../helpers/offline-session';
import { buildElevenLabsAgent } from '../../electron/export/elevenlabs';

/** Data collection and success criteria, said in prose, stored as after-call items and exported. */

let rig: OfflineRig;
beforeEach(async () => {
  rig = await offlineRig();
});
afterEach(async () => {
  await rig.close();
});

const values = <T>(list: Array<{ value: T }> | undefined) => (list ?? []).map((f) => f.value);

describe('after the call', () => {
  it('reads what to record and when a call succeeds from an opening paragraph, shows them at the review and exports them', async () => {
    const { id } = await rig.session();
    const opening =
      'We are Northwind Outfitters. I want a customer support agent that helps customers track their orders, friendly and calm. ' +
      'After each call, record the order number and whether the issue was solved. A call is a success when the caller gets their order status.';
    let last = await rig.say(id, opening);
    expect(values(last.session.spec.data_collection)).toEqual([
      { name: 'order_number', type: 'string', description: 'Order number' },
      { name: 'issue_was_solved', type: 'boolean', description: 'Issue was solved' },
    ]);
    expect(values(last.session.spec.success_criteria)).toEqual([{ name: 'caller_gets_their_order', goal: 'The caller gets their order status.' }]);
    // Neither sentence became a goal.
    expect(String(last.session.spec.goals?.value)).not.toMatch(/record|success/i);

    for (const line of ['Help customers track their orders', 'Friendly and calm', 'No tools']) {
      if (last.session.stage === 'REVIEWING_WORKFLOW') break;
      last = await rig.say(id, line);
    }
    expect(last.session.stage).toBe('REVIEWING_WORKFLOW');
    expect(last.reply).toContain('After each call: records order_number, issue_was_solved; a success when the caller gets their order status.');

    const body = buildElevenLabsAgent(last.session).document as unknown as { platform_settings: { data_collection: Record<string, unknown>; evaluation: { criteria: Array<{ conversation_goal_prompt: string }> } } };
    expect(Object.keys(body.platform_settings.data_collection)).toEqual(['order_number', 'issue_was_solved']);
    expect(body.platform_settings.evaluation.criteria.map((c) => c.conversation_goal_prompt)).toEqual(['The caller gets their order status.']);
  });

  it('takes a labelled value and a success goal as direct answers', async () => {
    const { id } = await rig.session((s) => ({ ...s, stage: 'REVIEWING_WORKFLOW', awaiting: 'data_collection[0]' }));
    let { session } = await rig.say(id, 'refund_amount (number): the amount refunded on the call');
    expect(values(session.spec.data_collection)).toEqual([{ name: 'refund_amount', type: 'number', description: 'the amount refunded on the call' }]);
    await rig.store.save({ ...session, awaiting: 'success_criteria[0]' });
    ({ session } = await rig.say(id, 'the caller leaves with a confirmed refund'));
    expect(values(session.spec.success_criteria)).toEqual([{ name: 'caller_leaves_with_a', goal: 'The caller leaves with a confirmed refund.' }]);
  });
});

describe("the deployed agent's voice, model and temperature", () => {
  it('are set by hand by path, checked, and used by the ElevenLabs export instead of its defaults', async () => {
    const { id } = await rig.session();
    await rig.orchestrator.editField(id, 'voice_id', 'JBFqnCBsd6RMkjVDRZzb');
    await rig.orchestrator.editField(id, 'llm', 'gpt-4o-mini');
    const session = await rig.orchestrator.editField(id, 'temperature', '0.3');
    expect([session.spec.voice_id?.value, session.spec.llm?.value, session.spec.temperature?.value]).toEqual(['JBFqnCBsd6RMkjVDRZzb', 'gpt-4o-mini', 0.3]);
    await expect(rig.orchestrator.editField(id, 'temperature', '5')).rejects.toThrow(/from 0 .* to 2/);
    const body = buildElevenLabsAgent(session).document as unknown as { conversation_config: { agent: { prompt: { llm: string; temperature: number } }; tts: { voice_id: string } } };
    expect([body.conversation_config.tts.voice_id, body.conversation_config.agent.prompt.llm, body.conversation_config.agent.prompt.temperature]).toEqual(['JBFqnCBsd6RMkjVDRZzb', 'gpt-4o-mini', 0.3]);
  });
});
