import { describe, expect, it } from 'vitest';
import { emptySpec, type AgentSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import { extract, languageCode, readAction, type Finding } from './extract';
import { paramsFromProse, describeSchema } from './params';
import { parseSchemaText } from './answers';
import { titleFor } from './fields';
import { f } from '../../tests/support/spec-fixtures';

function read(text: string, awaiting: string | null = 'agent_type', stage: Stage = 'INITIAL', spec: AgentSpec = emptySpec()): Record<string, Finding> {
  const out = extract(text, { stage, spec, awaiting, overwrite: false });
  return Object.fromEntries(out.findings.map((x) => [x.path, x]));
}

const PHARMACY =
  "Hi! I'm the operations manager at Greenleaf Pharmacy in Portland. We want a pharmacy phone assistant that helps patients with their prescriptions. " +
  'It should look up prescriptions and request refills, and tell callers our opening hours. Keep it warm, patient and clear, many of our callers are elderly. ' +
  "It needs two tools: lookup_prescription, a GET to https://api.greenleaf.example/v1/prescriptions/{rx_number}, which takes the rx number and the patient's date of birth " +
  'and returns the status, the pickup time and the price; and request_refill, a POST to https://api.greenleaf.example/v1/refills that takes the rx number and the store id. ' +
  'Both use a bearer token. If someone asks about side effects or dosage, transfer them to the pharmacist at +1 503 555 0199.';

describe('extract from free prose', () => {
  it('fills many fields from one paragraph, each with its own certainty', () => {
    const got = read(PHARMACY);
    expect(got.agent_type?.value).toBe('pharmacy phone assistant');
    expect(got.business_name?.value).toBe('Greenleaf Pharmacy');
    expect(got.tone?.value).toBe('warm, patient and clear');
    expect(String(got.goals?.value).split('; ')).toEqual(['Help patients with their prescriptions', 'Look up prescriptions', 'Request refills', 'Tell callers our opening hours']);
    expect(got.use_tools?.value).toBe(true);
    expect(got['tools[0].name']?.value).toBe('lookup_prescription');
    expect(got['tools[0].purpose']?.value).toBe('Looks up prescriptions.');
    expect(got['tools[0].method']?.value).toBe('GET');
    expect(got['tools[0].endpoint']?.value).toBe('https://api.greenleaf.example/v1/prescriptions/{rx_number}');
    expect(got['tools[0].input_schema']?.value).toEqual({
      type: 'object',
      properties: { rx_number: { type: 'string' }, patient_date_of_birth: { type: 'string', format: 'date' } },
      required: ['rx_number', 'patient_date_of_birth'],
    });
    expect(got['tools[0].output_schema']?.value).toEqual({
      type: 'object',
      properties: { status: { type: 'string' }, pickup_time: { type: 'string', format: 'date-time' }, price: { type: 'number' } },
    });
    expect(got['tools[1].name']?.value).toBe('request_refill');
    expect(got['tools[1].method']?.value).toBe('POST');
    expect(got['tools[1].input_schema']?.value).toMatchObject({ required: ['rx_number', 'store_id'] });
    for (const i of [0, 1]) expect(got[`tools[${i}].auth`]?.value).toMatchObject({ type: 'bearer', header: 'Authorization' });
    expect(got['transfers[0].phone_number']?.value).toBe('+15035550199');
    expect(got['transfers[0].condition']?.value).toBe('If someone asks about side effects or dosage.');
    // Outright statements are surer than guesses.
    expect(got['tools[0].method']!.confidence).toBeGreaterThan(got['tools[0].input_schema']!.confidence);
    expect(got['tools[0].name']!.confidence).toBeGreaterThan(0.9);
  });

  it('never makes the agent type or the title a paragraph', () => {
    const text =
      'i run guest services at the Harbor View Hotel and we get a lot of calls at night from guests who want room service, extra towels or a late checkout, ' +
      'and our night staff is small, so we would like something that answers, takes room service orders through our ordering system and books late checkouts, ' +
      'while being warm and discreet because it is a luxury hotel and guests expect to be treated well at any hour, including when they call very late.';
    const got = read(text);
    const type = String(got.agent_type?.value ?? '');
    expect(type.split(' ').length).toBeLessThanOrEqual(8);
    expect(titleFor(text).split(' ').length).toBeLessThanOrEqual(9);
    expect(got.business_name?.value).toBe('Harbor View Hotel');
  });

  it('reads a parameter list in prose with types, and says how sure it is', () => {
    const got = read("it takes the rx number, the store id and the patient's date of birth", 'tools[0].input_schema', 'CONFIGURING_TOOLS', {
      ...emptySpec(),
      tools: [{ name: f('lookup_prescription') }],
    });
    const schema = got['tools[0].input_schema'];
    expect(schema?.value).toEqual({
      type: 'object',
      properties: { rx_number: { type: 'string' }, store_id: { type: 'string' }, patient_date_of_birth: { type: 'string', format: 'date' } },
      required: ['rx_number', 'store_id', 'patient_date_of_birth'],
    });
    expect(describeSchema(schema!.value as never)).toBe('rx_number (string), store_id (string), patient_date_of_birth (date)');
    const unsure = paramsFromProse('the pickup window and the loyalty tier');
    expect(unsure?.certainty).toBeLessThan(0.6);
    const optional = paramsFromProse('the order number, and the postcode if they have it');
    expect(optional?.params.map((p) => [p.name, p.required])).toEqual([
      ['order_number', true],
      ['postcode', false],
    ]);
  });

  it('keeps "street and number" inside a description', () => {
    expect(parseSchemaText('street_address: string optional - street and number')).toEqual({
      ok: true,
      schema: { type: 'object', properties: { street_address: { type: 'string', description: 'street and number' } } },
    });
  });

  it('names tools from what they do', () => {
    expect(readAction('look up prescriptions')?.name).toBe('lookup_prescription');
    expect(readAction('check the status of an order')?.name).toBe('check_order_status');
    expect(readAction('book appointments for new patients')?.name).toBe('book_appointment');
    expect(readAction('tell callers the opening hours')).toBeNull();
    const got = read('Yes, it should look up prescriptions and request refills through our pharmacy system', 'use_tools', 'EXPLORING_TOOLS');
    expect([got['tools[0].name']?.value, got['tools[1].name']?.value]).toEqual(['lookup_prescription', 'request_refill']);
    expect(got['tools[0].name']!.confidence).toBeLessThan(0.9);
  });

  it('takes the last value of a self-repair', () => {
    const spec: AgentSpec = { ...emptySpec(), tools: [{ name: f('request_refill') }] };
    expect(read("PATCH - no wait, it's definitely POST", 'tools[0].method', 'CONFIGURING_TOOLS', spec)['tools[0].method']?.value).toBe('POST');
  });

  it('reads the first message, the language, triggers and error handling', () => {
    const got = read('It should speak Spanish and greet callers with "Farmacia Verde, ¿en qué le puedo ayudar?"');
    expect(got.language?.value).toBe('es');
    expect(got.first_message?.value).toBe('Farmacia Verde, ¿en qué le puedo ayudar?');
    expect(languageCode('Brazilian Portuguese')).toBe('pt-BR');
    expect(languageCode('auf Deutsch')).toBe('de');
    const spec: AgentSpec = { ...emptySpec(), tools: [{ name: f('lookup_order') }] };
    const tool = read(
      "Call it when the caller asks where their order is. If it can't find the order, apologise and ask for the postcode.",
      'tools[0].trigger',
      'CONFIGURING_TOOLS',
      spec,
    );
    expect(tool['tools[0].trigger']?.value).toBe('When the caller asks where their order is.');
    expect(tool['tools[0].error_handling']?.value).toBe("If it can't find the order, apologise and ask for the postcode.");
  });

  it('reads the call direction, the time zone and when to hang up', () => {
    const got = read('We call patients the day before to confirm their appointment. We are in Europe/Madrid. Hang up when they have confirmed or asked to cancel.');
    expect(got.call_direction?.value).toBe('outbound');
    expect(got.timezone?.value).toBe('Europe/Madrid');
    expect(got.end_call_conditions?.value).toBe('When they have confirmed or asked to cancel.');
    expect(read('Customers call us about their orders, we are on Pacific time.').timezone?.value).toBe('America/Los_Angeles');
    expect(read('Customers call us about their orders.').call_direction?.value).toBe('inbound');
  });

  it('keeps pages the agent should know as knowledge-base sources, apart from tool endpoints', () => {
    const got = read('Our FAQ is at https://greenleaf.example/faq and the menu at https://greenleaf.example/menu.pdf. lookup_rx is a GET to https://api.greenleaf.example/rx/{rx}.');
    expect(got['knowledge_base[0]']?.value).toEqual({ type: 'url', url: 'https://greenleaf.example/faq', name: 'FAQ' });
    expect(got['knowledge_base[1]']?.value).toEqual({ type: 'url', url: 'https://greenleaf.example/menu.pdf', name: 'Menu' });
    expect(got['tools[0].endpoint']?.value).toBe('https://api.greenleaf.example/rx/{rx}');
  });
});
