import { describe, expect, it } from 'vitest';
import { lintSession } from './lint';
import { exportSession } from './index';
import { customerSupportSession, f, restaurantSession, surveySession } from '../../tests/support/export/sessions';
import { lintElevenLabsBody } from './lint';
import { USER_EDIT } from '../../shared/spec';
import type { Session } from '../../shared/session';
import type { LintFinding } from './types';

function rules(session: Session): LintFinding[] {
  return lintSession(session);
}

function only(session: Session, rule: string): LintFinding[] {
  return rules(session).filter((r) => r.rule === rule);
}

describe('pre-flight lint', () => {
  it('finds nothing in the product brief example', () => {
    expect(rules(customerSupportSession())).toEqual([]);
  });

  it('prompt-empty: a session without a prompt is an error', () => {
    const s = customerSupportSession();
    delete s.spec.system_prompt;
    expect(only(s, 'prompt-empty')).toEqual([expect.objectContaining({ severity: 'error', path: 'system_prompt' })]);
  });

  it('prompt-placeholder: placeholder text is an error', () => {
    const s = customerSupportSession();
    s.spec.system_prompt = f('TODO: write the prompt for [insert company]', USER_EDIT);
    expect(only(s, 'prompt-placeholder')).toEqual([expect.objectContaining({ severity: 'error', path: 'system_prompt' })]);
    s.spec.system_prompt = f('Be nice.', USER_EDIT);
    expect(only(s, 'prompt-placeholder')).toHaveLength(1);
  });

  it('prompt-placeholder does not flag ElevenLabs dynamic variables', () => {
    const s = customerSupportSession();
    s.spec.system_prompt = f('You help {{customer_name}} with orders from our shop, politely and briefly.', USER_EDIT);
    expect(only(s, 'prompt-placeholder')).toEqual([]);
  });

  it('first-message-empty: a missing first message is a warning', () => {
    const s = customerSupportSession();
    s.spec.first_message = f('', USER_EDIT);
    expect(only(s, 'first-message-empty')).toEqual([expect.objectContaining({ severity: 'warning', path: 'first_message' })]);
  });

  it('tool-no-trigger and tool-no-error-handling are warnings', () => {
    const s = customerSupportSession();
    delete s.spec.tools[0]!.trigger;
    delete s.spec.tools[0]!.error_handling;
    expect(only(s, 'tool-no-trigger')).toEqual([expect.objectContaining({ severity: 'warning', path: 'tools[0].trigger' })]);
    expect(only(s, 'tool-no-error-handling')).toEqual([expect.objectContaining({ severity: 'warning', path: 'tools[0].error_handling' })]);
  });

  it('endpoint-not-https: an error with credentials, a warning without', () => {
    const s = customerSupportSession();
    s.spec.tools[0]!.endpoint = f('http://api.example.com/orders/{order_id}');
    expect(only(s, 'endpoint-not-https')).toEqual([expect.objectContaining({ severity: 'error', path: 'tools[0].endpoint' })]);
    s.spec.tools[0]!.auth = f({ type: 'none' as const });
    expect(only(s, 'endpoint-not-https')).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });

  it('endpoint-missing and endpoint-invalid are errors', () => {
    const s = customerSupportSession();
    delete s.spec.tools[0]!.endpoint;
    expect(only(s, 'endpoint-missing')).toEqual([expect.objectContaining({ severity: 'error' })]);
    s.spec.tools[0]!.endpoint = f('orders service');
    expect(only(s, 'endpoint-invalid')).toEqual([expect.objectContaining({ severity: 'error' })]);
  });

  it('path-param-undefined: a URL placeholder without a parameter', () => {
    const s = customerSupportSession();
    s.spec.tools[0]!.endpoint = f('https://api.example.com/customers/{customer_id}/orders/{order_id}');
    expect(only(s, 'path-param-undefined')).toEqual([expect.objectContaining({ severity: 'warning', path: 'tools[0].input_schema', message: expect.stringContaining('{customer_id}') })]);
  });

  it('param-no-description: finds undescribed parameters at any depth', () => {
    const found = only(restaurantSession(), 'param-no-description').map((r) => r.path);
    expect(found).toEqual(['tools[0].input_schema.properties.time']);
    const s = restaurantSession();
    const schema = s.spec.tools[0]!.input_schema!.value as { properties: { guest: { properties: { name: { description?: string } } } } };
    delete schema.properties.guest.properties.name.description;
    expect(only(s, 'param-no-description').map((r) => r.path)).toContain('tools[0].input_schema.properties.guest.properties.name');
  });

  it('duplicate-tool-name: an error, also when names differ only in case or spelling', () => {
    const s = restaurantSession();
    s.spec.tools[1]!.name = f('Create Reservation');
    s.spec.tools[0]!.name = f('create_reservation');
    expect(only(s, 'duplicate-tool-name')).toEqual([expect.objectContaining({ severity: 'error', path: 'tools[1].name' })]);
  });

  it('secret-in-spec: a key typed anywhere in the spec is an error naming the field', () => {
    const s = customerSupportSession();
    s.spec.tools[0]!.auth = f({ type: 'bearer' as const, header: 'Authorization', secret_name: `sk-${'a1B2'.repeat(10)}` });
    expect(only(s, 'secret-in-spec')).toEqual([expect.objectContaining({ severity: 'error', path: 'tools[0].auth' })]);
    const t = customerSupportSession();
    t.spec.candidates['goals'] = { value: 'use key AKIAABCDEFGHIJKLMNOP', confidence: 0.3, source: 'm' };
    expect(only(t, 'secret-in-spec').map((r) => r.path)).toEqual(['candidates.goals']);
  });

  it('refuses to export a spec holding sk- plus 40 characters, in every format', () => {
    const s = customerSupportSession();
    s.spec.tools[0]!.purpose = f(`Looks up orders with key sk-${'x'.repeat(40)}`);
    for (const format of ['elevenlabs', 'openai-realtime', 'vapi', 'markdown', 'parley'] as const) {
      expect(() => exportSession(s, format)).toThrow(/Export blocked.*tools\[0\]\.purpose.*secret/);
    }
  });

  it('an unfinished design can still be saved as a document or session file, but not as an agent', () => {
    const s = customerSupportSession();
    delete s.spec.system_prompt;
    expect(() => exportSession(s, 'elevenlabs')).toThrow(/prompt is empty/);
    expect(exportSession(s, 'markdown').warnings.map((w) => w.rule)).toContain('prompt-empty');
    expect(exportSession(s, 'parley').warnings.map((w) => w.rule)).toContain('prompt-empty');
  });

  it('warnings do not block the export and are returned with it', () => {
    const s = customerSupportSession();
    delete s.spec.tools[0]!.trigger;
    const result = exportSession(s, 'elevenlabs');
    expect(result.warnings.map((w) => w.rule)).toEqual(['tool-no-trigger']);
  });

  it('finds nothing in the three acceptance designs', () => {
    expect(rules(surveySession()).filter((r) => r.severity === 'error')).toEqual([]);
    expect(rules(restaurantSession()).filter((r) => r.severity === 'error')).toEqual([]);
  });

  it('inline-tools: an agent body with prompt.tools is blocked', () => {
    expect(lintElevenLabsBody({ conversation_config: { agent: { prompt: { tools: [] } } } })).toEqual([expect.objectContaining({ severity: 'error', rule: 'inline-tools' })]);
    expect(lintElevenLabsBody({ conversation_config: { agent: { prompt: { tool_ids: [] } } } })).toEqual([]);
  });

  it('url-query-and-params: a query string in a URL whose tool also sends query parameters is an error', () => {
    const s = restaurantSession();
    s.spec.tools[1]!.endpoint = f('https://booking.example.com/v2/reservations/{reservation_id}?reason=other&lang=es');
    expect(only(s, 'url-query-and-params')).toEqual([expect.objectContaining({ severity: 'error', path: 'tools[1].endpoint', message: expect.stringContaining('(reason)') })]);
    expect(() => exportSession(s, 'elevenlabs')).toThrow(/query string/);
    // A query string alone is fine, and so are body parameters beside it.
    s.spec.tools[1]!.input_schema = f({ type: 'object', properties: { reservation_id: { type: 'string', description: 'Ref.' } } });
    expect(only(s, 'url-query-and-params')).toEqual([]);
    s.spec.tools[0]!.endpoint = f('https://booking.example.com/v2/restaurants/{restaurant_id}/reservations?notify=1');
    expect(only(s, 'url-query-and-params')).toEqual([]);
  });

  it('param-function-word: "the", "a" and "number" from "street and number" are errors unless the user confirmed the schema', () => {
    const s = customerSupportSession();
    s.spec.tools[0]!.input_schema = f({
      type: 'object',
      properties: {
        order_id: { type: 'string', description: 'The order.' },
        street: { type: 'string', description: 'Street and number' },
        number: { type: 'string', description: 'Number' },
        the: { type: 'string', description: 'The' },
      },
    });
    expect(only(s, 'param-function-word').map((r) => r.path)).toEqual(['tools[0].input_schema.properties.number', 'tools[0].input_schema.properties.the']);
    expect(() => exportSession(s, 'elevenlabs')).toThrow(/"number"/);
    s.spec.tools[0]!.input_schema = { ...s.spec.tools[0]!.input_schema!, source: USER_EDIT };
    expect(only(s, 'param-function-word')).toEqual([]);
    // "number" on its own is a real parameter name.
    const t = customerSupportSession();
    t.spec.tools[0]!.input_schema = f({ type: 'object', properties: { order_id: { type: 'string', description: 'Id.' }, number: { type: 'integer', description: 'How many.' } } });
    expect(only(t, 'param-function-word')).toEqual([]);
  });

  it('prompt-promise-unbacked: a transfer promise without a transfer, or a lookup without tools, is an error', () => {
    const s = customerSupportSession();
    delete s.spec.transfers;
    // The generated prompt leaves out a transfer the design cannot make…
    expect(only(s, 'prompt-promise-unbacked')).toEqual([]);
    // …whatever words the user chose for it (each of these once reached the prompt and failed this check).
    for (const said of ['Apologise and put the customer through to billing.', 'Say sorry, then connect the customer with our team.', 'Apologise; hand you over to a colleague.']) {
      s.spec.tools[0]!.error_handling = f(said);
      expect(only(s, 'prompt-promise-unbacked')).toEqual([]);
    }
    // …a prompt written by hand that promises one is an error.
    s.spec.system_prompt = f('You help customers with orders. If the order system fails, offer to transfer the caller to a human agent.', USER_EDIT);
    expect(only(s, 'prompt-promise-unbacked')).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('offer to transfer the caller to a human agent') })]);
    expect(() => exportSession(s, 'elevenlabs')).toThrow(/promises a transfer/);
    const survey = surveySession();
    expect(only(survey, 'prompt-promise-unbacked')).toEqual([]);
    survey.spec.system_prompt = f('You call customers about their visit. If they have a question, let me check the records and tell them.', USER_EDIT);
    expect(only(survey, 'prompt-promise-unbacked')).toEqual([expect.objectContaining({ message: expect.stringContaining('lookup') })]);
    survey.spec.system_prompt = f('You call customers about their visit. You cannot transfer calls and never look anything up.', USER_EDIT);
    expect(only(survey, 'prompt-promise-unbacked')).toEqual([]);
    // A bank transfer is not a call transfer.
    survey.spec.system_prompt = f('You call customers to confirm that their bank transfer arrived and thank them.', USER_EDIT);
    expect(only(survey, 'prompt-promise-unbacked')).toEqual([]);
  });

  it('transfer numbers must be E.164 for ElevenLabs, and other targets warn that transfers are not exported', () => {
    const s = customerSupportSession();
    s.spec.transfers![0]!.phone_number = f('0044 20 7946 0000');
    expect(only(s, 'transfer-number-invalid')).toEqual([expect.objectContaining({ severity: 'error', path: 'transfers[0].phone_number' })]);
    const vapi = lintSession(customerSupportSession(), 'vapi').map((r) => r.rule);
    expect(vapi).toContain('transfer-not-exported');
  });

  it('first-message-language and voicemail-unset are warnings', () => {
    const s = customerSupportSession();
    s.spec.language = f('ja');
    delete s.spec.first_message;
    expect(only(s, 'first-message-language')).toEqual([expect.objectContaining({ severity: 'warning' })]);
    const survey = surveySession();
    delete survey.spec.voicemail;
    expect(only(survey, 'voicemail-unset')).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });
});
