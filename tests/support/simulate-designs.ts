import type { AgentSpec, JsonSchemaDoc, ToolSpec } from '../../shared/spec';
import { f, finalize } from './export/sessions';

/** A three-tool pharmacy line for simulated calls (tests and the simulate bench). */

function tool(name: string, purpose: string, input: JsonSchemaDoc, output: JsonSchemaDoc, trigger: string, failure: string): ToolSpec {
  return {
    name: f(name),
    purpose: f(purpose),
    endpoint: f(`https://api.greenleaf.example/${name}`),
    method: f('POST' as const),
    auth: f({ type: 'bearer' as const, header: 'Authorization', secret_name: 'PHARMACY_TOKEN' }),
    input_schema: f(input),
    output_schema: f(output),
    trigger: f(trigger),
    error_handling: f(failure),
  };
}

export function pharmacySpec(): AgentSpec {
  return finalize({
    agent_type: f('pharmacy phone assistant'),
    business_name: f('Greenleaf Pharmacy'),
    goals: f('Refill prescriptions, give the status of a refill and the opening hours of a store'),
    tone: f('Calm and reassuring'),
    language: f('en'),
    call_direction: f('inbound' as const),
    transfers: [{ phone_number: f('+14155550100'), condition: f('The caller asks for a pharmacist or a person'), transfer_type: f('warm' as const) }],
    end_call_conditions: f('The caller has nothing else and says goodbye'),
    use_tools: f(true),
    tools: [
      tool(
        'request_refill',
        'Asks the pharmacy to refill a prescription.',
        {
          type: 'object',
          properties: {
            rx_number: { type: 'string', description: 'The prescription number on the label, e.g. RX4471.' },
            date_of_birth: { type: 'string', format: 'date', description: 'The patient date of birth.' },
          },
          required: ['rx_number', 'date_of_birth'],
        },
        { type: 'object', properties: { refill_id: { type: 'string' }, ready_at: { type: 'string', format: 'date-time' } } },
        'The caller wants to refill a prescription',
        'Apologise and offer to transfer the caller to a pharmacist',
      ),
      tool(
        'refill_status',
        'Tells where a refill is.',
        { type: 'object', properties: { refill_id: { type: 'string', description: 'The refill reference from the text message.' } }, required: ['refill_id'] },
        { type: 'object', properties: { status: { type: 'string', enum: ['queued', 'ready', 'picked_up'] } } },
        'The caller asks whether a refill is ready or about its status',
        'Say the system is not answering and suggest calling back in an hour',
      ),
      tool(
        'store_hours',
        'Gives the opening hours of a store.',
        { type: 'object', properties: { store_city: { type: 'string', description: 'The city of the store.' } }, required: ['store_city'] },
        { type: 'object', properties: { opens: { type: 'string' }, closes: { type: 'string' } } },
        'The caller asks when a store opens or closes',
        'Say the hours are on the website',
      ),
    ],
    tools_done: f(true),
    workflow_approved: f(true),
    candidates: {},
  });
}
