import { AgentSpec, type ToolSpec, type TransferSpec } from '../../shared/spec';
import { TEMPLATE_SOURCE, TemplateSpec, type TemplateTool, type TemplateTransfer } from '../../shared/template';
import { ParleyError } from '../../shared/errors';
import { parsePath, setField, type StoredField } from '../interview/fields';
import { validateValue } from '../interview/validate';
import { findSecrets } from '../export/secrets';

/**
 * Between a template's plain values and a session's spec. Into a spec, every value is checked
 * by the interview's own validation and marked with the source "template"; out of a spec, only
 * the design is kept: no sources, confidences, candidates, parked fields or approvals, no
 * generated prompt, and nothing that looks like a credential.
 */

const stored = (value: unknown, locked = false): StoredField => ({ value, confidence: 1, source: TEMPLATE_SOURCE, locked });

/** Sets one field through the interview's validation, so a template cannot hold what a user could not type. */
function put(spec: AgentSpec, path: string, value: unknown, locked = false): AgentSpec {
  const parsed = parsePath(path);
  if (!parsed) throw new ParleyError('INVALID_INPUT', `The template sets "${path}", which is not a spec field.`);
  const checked = validateValue(spec, parsed, value);
  if (!checked.ok) throw new ParleyError('INVALID_INPUT', `The template's ${path} is not valid: ${checked.message}`);
  return setField(spec, parsed, stored(checked.value, locked));
}

const TOP_KEYS = ['agent_type', 'business_name', 'goals', 'tone', 'language', 'call_direction', 'timezone', 'end_call_conditions', 'voicemail'] as const;
const TOOL_KEYS = ['name', 'purpose', 'endpoint', 'method', 'auth', 'input_schema', 'output_schema', 'trigger', 'error_handling'] as const;
const TRANSFER_KEYS = ['phone_number', 'condition', 'transfer_type'] as const;

/** The spec a session starts with: the whole design, every field sourced "template", the review still to come. */
export function specFromTemplate(plain: TemplateSpec): AgentSpec {
  let spec: AgentSpec = { tools: [], candidates: {} };
  for (const key of TOP_KEYS) if (plain[key] !== undefined) spec = put(spec, key, plain[key]);
  plain.tools.forEach((tool, i) => {
    for (const key of TOOL_KEYS) spec = put(spec, `tools[${i}].${key}`, tool[key]);
  });
  plain.transfers?.forEach((transfer, i) => {
    for (const key of TRANSFER_KEYS) spec = put(spec, `transfers[${i}].${key}`, transfer[key]);
  });
  plain.knowledge_base?.forEach((source, i) => (spec = put(spec, `knowledge_base[${i}]`, source)));
  const plainField = <T>(value: T | undefined) => (value === undefined ? undefined : stored(value));
  spec = {
    ...spec,
    additional_languages: plainField(plain.additional_languages) as AgentSpec['additional_languages'],
    llm: plainField(plain.llm) as AgentSpec['llm'],
    temperature: plainField(plain.temperature) as AgentSpec['temperature'],
    voice_id: plainField(plain.voice_id) as AgentSpec['voice_id'],
    tool_server_url: plainField(plain.tool_server_url) as AgentSpec['tool_server_url'],
    data_collection: plain.data_collection?.map((item) => stored(item)) as AgentSpec['data_collection'],
    success_criteria: plain.success_criteria?.map((item) => stored(item)) as AgentSpec['success_criteria'],
    use_tools: stored(plain.tools.length > 0) as AgentSpec['use_tools'],
    tools_done: stored(true) as AgentSpec['tools_done'],
  };
  // A prompt or first message written by hand stays as written (locked); otherwise FINALIZING generates them.
  if (plain.system_prompt) spec.system_prompt = stored(plain.system_prompt, true) as AgentSpec['system_prompt'];
  if (plain.first_message) spec.first_message = stored(plain.first_message, true) as AgentSpec['first_message'];
  for (const key of Object.keys(spec) as Array<keyof AgentSpec>) if (spec[key] === undefined) delete spec[key];
  return AgentSpec.parse(spec);
}

export interface Stripped {
  spec: TemplateSpec;
  /** Paths of values left out because they look like a credential. */
  secrets: string[];
}

/** A session's design as a template's plain values; what is missing must be filled before saving. */
export function templateSpecFrom(spec: AgentSpec): Stripped {
  const secrets: string[] = [];
  /** A value, unless it holds something that looks like a credential. */
  const clean = <T>(path: string, value: T | undefined): T | undefined => {
    if (value === undefined) return undefined;
    if (findSecrets(value).length) {
      secrets.push(path);
      return undefined;
    }
    return value;
  };
  const missing: string[] = [];
  const leaked: string[] = [];
  const required = <T>(path: string, value: T | undefined): T => {
    const v = clean(path, value);
    if (v === undefined) (value === undefined ? missing : leaked).push(path);
    return v as T;
  };
  const tools: TemplateTool[] = spec.tools.map((tool: ToolSpec, i) => {
    const out = {} as Record<string, unknown>;
    for (const key of TOOL_KEYS) out[key] = required(`tools[${i}].${key}`, tool[key]?.value);
    // A credential typed into the auth block: only the secret's name and header are kept.
    const auth = out.auth as TemplateTool['auth'] | undefined;
    if (auth) out.auth = { type: auth.type, ...(auth.header ? { header: auth.header } : {}), ...(auth.secret_name ? { secret_name: auth.secret_name } : {}) };
    return out as TemplateTool;
  });
  const transfers: TemplateTransfer[] = (spec.transfers ?? [])
    .map((transfer: TransferSpec, i) => ({
      phone_number: required(`transfers[${i}].phone_number`, transfer.phone_number?.value),
      condition: required(`transfers[${i}].condition`, transfer.condition?.value),
      transfer_type: transfer.transfer_type?.value ?? 'conference',
    }))
    .filter((t) => t.phone_number && t.condition);
  // A locked prompt or first message was written (or kept) by hand; an unlocked one is generated again.
  const handWritten = (field: { value: string; locked: boolean } | undefined, path: string) => (field?.locked ? clean(path, field.value) : undefined);
  const plain = {
    agent_type: required('agent_type', spec.agent_type?.value),
    business_name: required('business_name', spec.business_name?.value),
    goals: required('goals', spec.goals?.value),
    tone: required('tone', spec.tone?.value),
    language: required('language', spec.language?.value),
    additional_languages: clean('additional_languages', spec.additional_languages?.value),
    call_direction: spec.call_direction?.value ?? 'inbound',
    timezone: clean('timezone', spec.timezone?.value),
    llm: clean('llm', spec.llm?.value),
    temperature: spec.temperature?.value,
    voice_id: clean('voice_id', spec.voice_id?.value),
    transfers: transfers.length ? transfers : undefined,
    end_call_conditions: required('end_call_conditions', spec.end_call_conditions?.value),
    voicemail: clean('voicemail', spec.voicemail?.value),
    knowledge_base: spec.knowledge_base?.length ? spec.knowledge_base.map((k, i) => clean(`knowledge_base[${i}]`, k.value)).filter((k) => k !== undefined) : undefined,
    data_collection: spec.data_collection?.length ? spec.data_collection.map((d) => d.value) : undefined,
    success_criteria: spec.success_criteria?.length ? spec.success_criteria.map((c) => c.value) : undefined,
    tool_server_url: clean('tool_server_url', spec.tool_server_url?.value),
    tools,
    system_prompt: handWritten(spec.system_prompt, 'system_prompt'),
    first_message: handWritten(spec.first_message, 'first_message'),
  };
  if (leaked.length) {
    throw new ParleyError(
      'INVALID_INPUT',
      `${leaked.join(', ')} ${leaked.length === 1 ? 'holds' : 'hold'} what looks like a credential, and templates are shared. Replace it with the secret's name (e.g. "Bearer token in the Authorization header, secret ORDERS_API_TOKEN"), then save the template again.`,
    );
  }
  if (missing.length) {
    throw new ParleyError(
      'INVALID_INPUT',
      `A template needs a complete design; still missing: ${missing.join(', ')}. Finish the interview (or fill them in the spec panel), then save it as a template.`,
    );
  }
  const compact = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  const parsed = TemplateSpec.safeParse(compact);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ParleyError('INVALID_INPUT', `This design cannot be a template yet: ${issue?.path.join('.') || 'spec'}: ${issue?.message ?? 'invalid'}.`);
  }
  return { spec: parsed.data, secrets };
}
