import type { AgentSpec, AuthSpec, HttpMethod, JsonSchemaDoc } from '../../../shared/spec';
import type { Session } from '../../../shared/session';
import { parsePath } from '../../../electron/interview/fields';

/**
 * A persona written for the tests: a person with a business and a design in mind, who talks
 * in free prose. `truth` is the design they mean; `script` is what they say, in order.
 */

export interface InputTruth {
  type: 'string' | 'integer' | 'number' | 'boolean';
  format?: 'date' | 'date-time' | 'time' | 'email';
  required: boolean;
}

export interface ToolTruth {
  name: string;
  method: HttpMethod;
  endpoint: string;
  auth: AuthSpec['type'];
  inputs: Record<string, InputTruth>;
  /** The answers a one-field-at-a-time user would type for the fields the truth does not pin down. */
  purpose: string;
  outputs: JsonSchemaDoc;
  trigger: string;
  error_handling: string;
}

export interface TransferTruth {
  /** E.164 */
  phone_number: string;
  condition: string;
}

export interface Truth {
  agent_type: string;
  goals: string;
  tone: string;
  /** BCP-47 */
  language: string;
  business_name?: string;
  tools: ToolTruth[];
  transfers: TransferTruth[];
  /** True when the opening is in another language, so the interview asks whether the agent speaks it. */
  languageAsked?: boolean;
}

export interface Persona {
  id: string;
  domain: string;
  truth: Truth;
  script: string[];
}

function inputSchema(tool: ToolTruth): JsonSchemaDoc {
  const properties: Record<string, JsonSchemaDoc> = {};
  const required: string[] = [];
  for (const [name, input] of Object.entries(tool.inputs)) {
    properties[name] = input.format ? { type: input.type, format: input.format } : { type: input.type };
    if (input.required) required.push(name);
  }
  return required.length ? { type: 'object', properties, required } : { type: 'object', properties };
}

function authAnswer(auth: AuthSpec['type']): string {
  switch (auth) {
    case 'bearer':
      return 'a bearer token';
    case 'api_key':
      return 'an API key in the X-API-Key header';
    case 'basic':
      return 'basic auth';
    case 'oauth2':
      return 'OAuth2';
    case 'none':
      return 'none';
  }
}

/**
 * What a user answering strictly one field per message would type for the field `awaiting`:
 * the value alone, in the form the question asks for.
 */
export function literalAnswer(truth: Truth, awaiting: string, spec: AgentSpec): string {
  if (awaiting === 'agent_type') return truth.agent_type;
  if (awaiting === 'goals') return truth.goals;
  if (awaiting === 'tone') return truth.tone;
  if (awaiting === 'language') return truth.languageAsked ? 'Sí' : truth.language;
  if (awaiting === 'use_tools') return truth.tools.length ? 'yes' : 'no';
  if (awaiting === 'workflow_approved') return 'approve';
  if (awaiting === 'tools_done') return spec.tools.length < truth.tools.length ? truth.tools[spec.tools.length]!.name : 'no more tools';
  const path = parsePath(awaiting);
  if (path?.kind !== 'tool') throw new Error(`no literal answer for ${awaiting}`);
  const tool = truth.tools[path.index];
  if (!tool) throw new Error(`the truth has no tool ${path.index}`);
  switch (path.key) {
    case 'name':
      return tool.name;
    case 'purpose':
      return tool.purpose;
    case 'endpoint':
      return tool.endpoint;
    case 'method':
      return tool.method;
    case 'auth':
      return authAnswer(tool.auth);
    case 'input_schema':
      return JSON.stringify(inputSchema(tool));
    case 'output_schema':
      return JSON.stringify(tool.outputs);
    case 'trigger':
      return tool.trigger;
    case 'error_handling':
      return tool.error_handling;
  }
}

/** Fields of the truth the interview does not ask for: a one-field user volunteers each in its own message. */
export function unaskedFields(truth: Truth): number {
  return (truth.business_name ? 1 : 0) + truth.transfers.length * 2;
}

/** Where the final spec differs from the truth, one line per difference ([] when it matches). */
export function differences(spec: AgentSpec, truth: Truth): string[] {
  const out: string[] = [];
  const eq = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  };
  eq('language', spec.language?.value, truth.language);
  if (truth.business_name) eq('business_name', spec.business_name?.value, truth.business_name);
  eq('tool names', spec.tools.map((t) => t.name?.value), truth.tools.map((t) => t.name));
  truth.tools.forEach((want, i) => {
    const got = spec.tools[i];
    eq(`${want.name}.method`, got?.method?.value, want.method);
    eq(`${want.name}.endpoint`, got?.endpoint?.value, want.endpoint);
    eq(`${want.name}.auth`, got?.auth?.value.type, want.auth);
    const schema = got?.input_schema?.value;
    const props = (schema?.properties ?? {}) as Record<string, { type?: string; format?: string }>;
    const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
    const gotInputs = Object.fromEntries(
      Object.entries(props).map(([name, p]) => [name, { type: p.type, ...(p.format ? { format: p.format } : {}), required: required.has(name) }]),
    );
    eq(`${want.name}.inputs`, sortKeys(gotInputs), sortKeys(want.inputs));
    for (const key of ['purpose', 'output_schema', 'trigger', 'error_handling'] as const) if (!got?.[key]) out.push(`${want.name}.${key} missing`);
  });
  const transfers = spec.transfers ?? [];
  eq('transfer numbers', transfers.map((t) => t.phone_number?.value), truth.transfers.map((t) => t.phone_number));
  transfers.forEach((t, i) => {
    if (!t.condition?.value) out.push(`transfer ${i} has no condition`);
  });
  for (const key of ['agent_type', 'goals', 'tone'] as const) if (!spec[key]) out.push(`${key} missing`);
  if (spec.agent_type && spec.agent_type.value.split(/\s+/).length > 8) out.push(`agent_type is ${spec.agent_type.value.split(/\s+/).length} words`);
  return out;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** A readable transcript for failure messages. */
export function transcript(session: Session): string {
  return session.messages.map((m) => `${m.role === 'user' ? 'USER' : m.role === 'assistant' ? 'PARLEY' : 'NOTE'}: ${m.text}`).join('\n');
}
