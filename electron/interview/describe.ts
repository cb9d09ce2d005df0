import type { AgentSpec, AuthSpec, JsonSchemaDoc } from '../../shared/spec';
import { parsePath, toolLabel } from './fields';
import { describeSchema } from './params';
import { languageLabel } from './vocabulary';

/** How fields and values read in a reply: "the tone", "the method of lookup_prescription", "GET". */

const TOP_LABELS: Record<string, string> = {
  agent_type: 'the agent type',
  goals: 'the goals',
  tone: 'the tone',
  language: 'the language',
  use_tools: 'whether it needs tools',
  tools_done: 'whether there are more tools',
  workflow_approved: 'the approval',
  system_prompt: 'the system prompt',
  first_message: 'the first message',
  business_name: 'the business name',
  call_direction: 'the call direction',
  voicemail: 'the voicemail behaviour',
  voice_id: 'the voice',
  llm: 'the agent\u2019s model',
  temperature: 'the agent\u2019s temperature',
  timezone: 'the time zone',
  end_call_conditions: 'when to end the call',
};

const TOOL_LABELS: Record<string, string> = {
  name: 'name',
  purpose: 'purpose',
  endpoint: 'endpoint',
  method: 'method',
  auth: 'authentication',
  input_schema: 'inputs',
  output_schema: 'outputs',
  trigger: 'trigger',
  error_handling: 'error handling',
};

export function fieldLabel(path: string, spec: AgentSpec): string {
  const parsed = parsePath(path);
  if (!parsed) return TOP_LABELS[path] ?? path.replace(/[_.[\]]+/g, ' ').trim();
  if (parsed.kind === 'top') return TOP_LABELS[parsed.key] ?? parsed.key;
  if (parsed.kind === 'knowledge') return `knowledge source ${parsed.index + 1}`;
  if (parsed.kind === 'item') return `${parsed.list === 'data_collection' ? 'after-call value' : 'success criterion'} ${parsed.index + 1}`;
  if (parsed.kind === 'transfer') return `transfer ${parsed.index + 1}'s ${parsed.key === 'phone_number' ? 'number' : parsed.key === 'condition' ? 'condition' : 'type'}`;
  return `${toolLabel(spec, parsed.index)}'s ${TOOL_LABELS[parsed.key] ?? parsed.key}`;
}

function describeAuth(auth: AuthSpec): string {
  // The secret's name tells two otherwise equal blocks apart ("Changed … from … to …").
  const secret = auth.secret_name && auth.type !== 'none' ? ` (secret ${auth.secret_name})` : '';
  return `${authKind(auth)}${secret}`;
}

function authKind(auth: AuthSpec): string {
  switch (auth.type) {
    case 'none':
      return 'no authentication';
    case 'bearer':
      return `a bearer token in the ${auth.header ?? 'Authorization'} header`;
    case 'api_key':
      return `an API key in the ${auth.header ?? 'X-API-Key'} header`;
    case 'basic':
      return 'basic auth';
    case 'oauth2':
      return 'an OAuth2 token';
  }
}

export function describeValue(path: string, value: unknown, _spec: AgentSpec): string {
  const parsed = parsePath(path);
  if (value === undefined) return '(not set)';
  if (parsed?.kind === 'tool' && (parsed.key === 'input_schema' || parsed.key === 'output_schema') && value && typeof value === 'object') {
    return describeSchema(value as JsonSchemaDoc);
  }
  if (parsed?.kind === 'tool' && parsed.key === 'auth' && value && typeof value === 'object') return describeAuth(value as AuthSpec);
  if (parsed?.kind === 'top' && parsed.key === 'language' && typeof value === 'string') return `${languageLabel(value)} (${value})`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return `"${value.length > 120 ? `${value.slice(0, 117)}…` : value}"`;
  return JSON.stringify(value);
}

export { toolLabel };
