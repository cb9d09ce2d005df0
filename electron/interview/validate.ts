import { AuthSpec, DataItem, dataItemType, HTTP_METHODS, KnowledgeSource, SuccessCriterion, VoicemailSpec, type AgentSpec, type HttpMethod, type JsonSchemaDoc } from '../../shared/spec';
import { toolLabel, type FieldPath } from './fields';
import { parseAuth, parseSchemaText, parseYesNo } from './answers';
import { loadAjvs, type AjvLike } from './lazy-ajv';
import { paramsFromProse } from './params';
import { jsonBoundsProblem, VALUE_BOUNDS } from '../../shared/limits';

export type Validation = { ok: true; value: unknown } | { ok: false; message: string };

const MAX_TEXT = 4000;
export const TOOL_NAME_RE = /^[a-z][a-z0-9_]*$/;
const PLACEHOLDER_RE = /\{([^{}]*)\}/g;
const PLACEHOLDER_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The Ajv instance for a schema's dialect (draft-07 unless it names 2019-09 or 2020-12). */
function ajvFor(schema: JsonSchemaDoc): AjvLike {
  const ajvs = loadAjvs();
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (dialect.includes('2020-12')) return ajvs.d2020;
  if (dialect.includes('2019-09')) return ajvs.d2019;
  return ajvs.draft7;
}

function fail(message: string): Validation {
  return { ok: false, message };
}

function text(raw: unknown, what: string): Validation {
  if (typeof raw !== 'string') return fail(`I need ${what} as text. Could you describe it in a sentence?`);
  const value = raw.trim().replace(/\s+/g, ' ');
  if (!/[\p{L}\p{N}]/u.test(value)) return fail(`I didn't catch ${what}. Could you describe it in a few words?`);
  if (value.length > MAX_TEXT) return fail(`That description of ${what} is over ${MAX_TEXT} characters; could you shorten it?`);
  return { ok: true, value };
}

/** Names of the `{param}` placeholders in an endpoint, in order. */
export function endpointPlaceholders(endpoint: string): string[] {
  return [...endpoint.matchAll(PLACEHOLDER_RE)].map((m) => m[1] ?? '');
}

function schemaProperties(schema: JsonSchemaDoc | undefined): Set<string> {
  const props = schema?.properties;
  return new Set(props && typeof props === 'object' && !Array.isArray(props) ? Object.keys(props) : []);
}

function placeholderMismatch(endpoint: string, input: JsonSchemaDoc | undefined, name: string): string | null {
  if (!input) return null;
  const props = schemaProperties(input);
  const missing = endpointPlaceholders(endpoint).filter((p) => !props.has(p));
  if (missing.length === 0) return null;
  const list = missing.map((p) => `"${p}"`).join(', ');
  return `The endpoint of ${name} uses ${missing.map((p) => `{${p}}`).join(', ')}, but its input schema has no ${list} ${missing.length === 1 ? 'property' : 'properties'}. Add ${missing.length === 1 ? 'it' : 'them'} to the input schema's "properties" (and "required"), or change the endpoint.`;
}

function validateEndpoint(raw: unknown, spec: AgentSpec, index: number): Validation {
  const name = toolLabel(spec, index);
  if (typeof raw !== 'string' || !raw.trim()) return fail(`What is the full URL of ${name}'s endpoint, e.g. https://api.example.com/orders/{order_id}?`);
  const endpoint = raw.trim();
  if (/\s/.test(endpoint)) return fail(`The endpoint "${endpoint}" contains spaces. Please give one full URL such as https://api.example.com/orders/{order_id}.`);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) {
    return fail(`"${endpoint}" is a relative URL. The endpoint must be an absolute http(s) URL including the host, e.g. https://api.example.com${endpoint.startsWith('/') ? '' : '/'}${endpoint}. What is the full URL?`);
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return fail(`"${endpoint}" is not a valid URL. Please give a full URL such as https://api.example.com/orders/{order_id}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(`The endpoint must use http or https, not "${url.protocol.replace(':', '')}". What is the http(s) URL?`);
  }
  if (!url.hostname || url.hostname.includes('{')) return fail(`The endpoint's host must be a real host name, not a placeholder. What is the full URL?`);
  const bad = endpointPlaceholders(endpoint).filter((p) => !PLACEHOLDER_NAME_RE.test(p));
  if (bad.length) return fail(`The placeholder {${bad[0]}} in the endpoint is not a valid parameter name; use letters, digits and underscores, e.g. {order_id}.`);
  if (/[{}]/.test(endpoint.replace(PLACEHOLDER_RE, ''))) return fail(`The endpoint has an unmatched brace. Placeholders look like {order_id}. What is the full URL?`);
  const mismatch = placeholderMismatch(endpoint, spec.tools[index]?.input_schema?.value, name);
  if (mismatch) return fail(mismatch);
  return { ok: true, value: endpoint };
}

function validateMethod(raw: unknown, spec: AgentSpec, index: number): Validation {
  const name = toolLabel(spec, index);
  const method = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  if ((HTTP_METHODS as readonly string[]).includes(method)) return { ok: true, value: method as HttpMethod };
  const shown = typeof raw === 'string' && raw.trim() ? `"${raw.trim()}" is not a supported HTTP method. ` : '';
  return fail(`${shown}Which HTTP method does ${name} use: GET, POST, PUT, PATCH or DELETE?`);
}

function validateName(raw: unknown, spec: AgentSpec, index: number): Validation {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (!name) return fail('What should the tool be called? Use a snake_case name such as get_order_status.');
  if (name.length > 64) return fail(`"${name.slice(0, 40)}…" is ${name.length} characters; tool names can be at most 64. What shorter snake_case name should it have?`);
  if (!TOOL_NAME_RE.test(name)) {
    const suggestion = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, 'tool_$1');
    return fail(`"${name}" is not a snake_case name (lowercase letters, digits and underscores, starting with a letter)${suggestion && TOOL_NAME_RE.test(suggestion) ? `; for example "${suggestion}"` : ''}. What should the tool be called?`);
  }
  const clash = spec.tools.findIndex((t, i) => i !== index && t.name?.value === name);
  if (clash >= 0) return fail(`Tool ${clash + 1} is already called "${name}"; tool names must be unique. What should this tool be called instead?`);
  return { ok: true, value: name };
}

function validateAuth(raw: unknown, spec: AgentSpec, index: number): Validation {
  const name = toolLabel(spec, index);
  const candidate = typeof raw === 'string' ? parseAuth(raw, spec.tools[index]?.name?.value) : raw;
  const parsed = AuthSpec.safeParse(candidate);
  if (parsed.success) return { ok: true, value: parsed.data };
  return fail(`How does ${name}'s API authenticate? For example "Bearer token in the Authorization header", "API key in the X-API-Key header", "basic auth", "OAuth2" or "none".`);
}

function toSchema(raw: unknown): { ok: true; schema: JsonSchemaDoc } | { ok: false; message: string } {
  if (typeof raw === 'string') {
    const parsed = parseSchemaText(raw);
    return parsed.ok ? { ok: true, schema: parsed.schema } : parsed;
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return { ok: true, schema: raw as JsonSchemaDoc };
  return { ok: false, message: 'A JSON Schema must be a JSON object, e.g. {"type":"object","properties":{"order_id":{"type":"string"}}}.' };
}

function ajvProblem(schema: JsonSchemaDoc): string | null {
  const ajv = ajvFor(schema);
  let valid: boolean;
  try {
    valid = ajv.validateSchema(schema) as boolean;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (!valid) {
    const first = ajv.errors?.[0];
    if (!first) return 'it does not match the JSON Schema meta-schema';
    const at = first.instancePath ? first.instancePath.slice(1).replace(/\//g, '.') : 'the top level';
    const allowed = (first.params as { allowedValues?: unknown[] }).allowedValues;
    return `at ${at}: ${first.message ?? 'invalid'}${allowed ? ` (${allowed.join(', ')})` : ''}`;
  }
  try {
    ajv.compile(schema);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return null;
}

function validateSchema(raw: unknown, spec: AgentSpec, index: number, which: 'input_schema' | 'output_schema'): Validation {
  const name = toolLabel(spec, index);
  const what = which === 'input_schema' ? `the input parameters of ${name}` : `what ${name} returns`;
  const converted = toSchema(raw);
  if (!converted.ok) return fail(`${converted.message} Could you paste ${what} again?`);
  const schema = converted.schema;
  // Before Ajv walks it: a schema nested thousands deep could not be saved (shared/limits).
  const beyond = jsonBoundsProblem(schema, VALUE_BOUNDS);
  if (beyond) return fail(`That JSON Schema for ${what} ${beyond.message}. Could you paste a simpler one?`);
  const problem = ajvProblem(schema);
  if (problem) return fail(`That JSON Schema for ${what} is not valid: ${problem}. Could you correct it and paste it again?`);
  if (which === 'input_schema') {
    if (schema.type !== 'object') {
      return fail(`The input schema of ${name} must be an object schema ("type": "object") whose "properties" are the parameters; it has ${schema.type === undefined ? 'no "type"' : `"type": ${JSON.stringify(schema.type)}`}. Could you paste it again?`);
    }
    const props = schemaProperties(schema);
    const required = Array.isArray(schema.required) ? schema.required : [];
    const unknown = required.filter((r) => typeof r !== 'string' || !props.has(r));
    if (unknown.length) return fail(`The input schema of ${name} requires ${unknown.map((r) => `"${String(r)}"`).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not in its "properties". Add ${unknown.length === 1 ? 'it' : 'them'} to "properties" or remove ${unknown.length === 1 ? 'it' : 'them'} from "required".`);
    const endpoint = spec.tools[index]?.endpoint?.value;
    const mismatch = endpoint ? placeholderMismatch(endpoint, schema, name) : null;
    if (mismatch) return fail(mismatch);
  }
  return { ok: true, value: schema };
}

/**
 * Checks and normalises one extracted or hand-typed value. On failure the message is the
 * precise clarifying question to ask the user. Cross-field rules (unique names, endpoint
 * placeholders ↔ input-schema properties) read the rest of the spec.
 */
export function validateValue(spec: AgentSpec, path: FieldPath, raw: unknown): Validation {
  if (path.kind === 'top') {
    switch (path.key) {
      case 'use_tools':
      case 'tools_done':
      case 'workflow_approved': {
        const value = typeof raw === 'boolean' ? raw : typeof raw === 'string' ? parseYesNo(raw) : null;
        return value === null ? fail('Please answer yes or no.') : { ok: true, value };
      }
      case 'agent_type':
        return text(raw, 'the kind of agent');
      case 'goals':
        return text(raw, "the agent's goals");
      case 'tone':
        return text(raw, "the agent's tone");
      case 'language':
        return text(raw, 'the language');
      case 'system_prompt':
        return text(raw, 'the system prompt');
      case 'first_message':
        return text(raw, 'the first message');
      case 'business_name':
        return text(raw, 'the business name');
      case 'voicemail':
        return voicemailValue(raw);
      case 'voice_id':
        return text(raw, 'the voice id');
      case 'llm':
        return text(raw, 'the model the agent runs on');
      case 'temperature': {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
        return n >= 0 && n <= 2 ? { ok: true, value: n } : fail('The agent\u2019s temperature is a number from 0 (steady, best for tool calls) to 2.');
      }
      case 'end_call_conditions':
        return text(raw, 'when to end the call');
      case 'call_direction': {
        const t = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
        if (/^(inbound|in|answers?|incoming)$/.test(t)) return { ok: true, value: 'inbound' };
        if (/^(outbound|out|calls? out|outgoing|places? calls?)$/.test(t)) return { ok: true, value: 'outbound' };
        return fail('Does the agent answer calls (inbound) or place them (outbound)?');
      }
      case 'timezone': {
        const zone = typeof raw === 'string' ? raw.trim() : '';
        try {
          new Intl.DateTimeFormat('en', { timeZone: zone });
          return zone.includes('/') || zone === 'UTC' ? { ok: true, value: zone } : fail(`"${zone}" is not a time zone name; give one like "Europe/Madrid" or "America/New_York".`);
        } catch {
          return fail(`"${zone}" is not a time zone name; give one like "Europe/Madrid" or "America/New_York".`);
        }
      }
    }
  }
  if (path.kind === 'transfer') {
    switch (path.key) {
      case 'phone_number': {
        const digits = typeof raw === 'string' ? raw.replace(/[\s().-]/g, '') : '';
        const e164 = digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
        return /^\+[1-9]\d{7,14}$/.test(e164) ? { ok: true, value: e164 } : fail('What number should the call go to? Give it with the country code, like +1 503 555 0199.');
      }
      case 'condition':
        return text(raw, 'when to transfer the call');
      case 'transfer_type': {
        const t = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
        return t === 'conference' || t === 'warm' || t === 'cold' ? { ok: true, value: t } : fail('Should the call be put straight through (cold), introduced first (warm), or joined as a conference?');
      }
    }
  }
  if (path.kind === 'item') return path.list === 'data_collection' ? dataItemValue(raw) : successValue(raw);
  if (path.kind === 'knowledge') {
    const candidate = typeof raw === 'string' ? (/^https?:\/\//i.test(raw.trim()) ? { type: 'url', url: raw.trim() } : { type: 'text', text: raw.trim(), name: 'Notes' }) : raw;
    const parsed = KnowledgeSource.safeParse(candidate);
    return parsed.success ? { ok: true, value: parsed.data } : fail('What should the agent know? Give a web page (its URL), a file on this computer (its path), or type the text.');
  }
  const i = path.index;
  switch (path.key) {
    case 'name':
      return validateName(raw, spec, i);
    case 'purpose':
      return text(raw, `the purpose of ${toolLabel(spec, i)}`);
    case 'endpoint':
      return validateEndpoint(raw, spec, i);
    case 'method':
      return validateMethod(raw, spec, i);
    case 'auth':
      return validateAuth(raw, spec, i);
    case 'input_schema':
    case 'output_schema':
      return validateSchema(raw, spec, i, path.key);
    case 'trigger':
      return text(raw, `when to call ${toolLabel(spec, i)}`);
    case 'error_handling':
      return text(raw, `what to do when ${toolLabel(spec, i)} fails`);
  }
}

/** {action, message} as given, or prose: "hang up" / "leave a message: …" / the message itself. */
function voicemailValue(raw: unknown): Validation {
  const ask = 'Should the agent hang up at voicemail, or leave a message (and what should it say)?';
  if (raw && typeof raw === 'object') {
    const parsed = VoicemailSpec.safeParse(raw);
    if (!parsed.success) return fail(ask);
    const message = parsed.data.message?.trim();
    if (parsed.data.action === 'leave_message' && !message) return fail('What should the agent say when it leaves a voicemail?');
    return { ok: true, value: parsed.data.action === 'hang_up' ? { action: 'hang_up' } : { action: 'leave_message', message } };
  }
  const t = typeof raw === 'string' ? raw.trim() : '';
  if (/^(?:just )?(?:hang up|hangs up|end the call|don'?t leave (?:a )?message|do not leave (?:a )?message|no message|none)\.?$/i.test(t)) return { ok: true, value: { action: 'hang_up' } };
  const message = t.replace(/^(?:it should |please )?leave (?:a |this |the following )?message(?:\s*(?:saying|that says|like))?\s*[:,-]?\s*/i, '').replace(/^"(.*)"$/s, '$1').trim();
  return message.length >= 8 ? { ok: true, value: { action: 'leave_message', message } } : fail(ask);
}

/** {name, type, description}, or "order_id: the order number" / "the order number" (named for it). */
function dataItemValue(raw: unknown): Validation {
  const ask = 'What should be recorded from each call? Name it and say what it is, like "order_id: the order number the caller gave".';
  if (raw && typeof raw === 'object') {
    const parsed = DataItem.safeParse(raw);
    return parsed.success ? { ok: true, value: parsed.data } : fail(ask);
  }
  const t = typeof raw === 'string' ? raw.trim().replace(/[.!]+$/, '') : '';
  const labelled = /^([A-Za-z][A-Za-z0-9_]{0,63})\s*(?:\((string|boolean|integer|number)\))?\s*[:=-]\s*(.+)$/.exec(t);
  if (labelled) return { ok: true, value: { name: labelled[1]!, type: labelled[2] ?? 'string', description: labelled[3]!.trim() } };
  const param = paramsFromProse(t)?.params;
  if (param?.length !== 1) return fail(ask);
  return { ok: true, value: { name: param[0]!.name, type: dataItemType(param[0]!.schema.type), description: sentenceCase(t) } };
}

/** {name, goal}, or the goal in words ("the caller got their order status"). */
function successValue(raw: unknown): Validation {
  const ask = 'When is a call a success? For example "the caller got their order status".';
  if (raw && typeof raw === 'object') {
    const parsed = SuccessCriterion.safeParse(raw);
    return parsed.success ? { ok: true, value: parsed.data } : fail(ask);
  }
  const goal = typeof raw === 'string' ? raw.trim().replace(/^(?:(?:a|the) call (?:is a success|is successful|succeeds|counts as (?:a )?success(?:ful)?)|success means|it(?:'s| is) a success)\s*(?:when|if)?\s*/i, '') : '';
  if (goal.split(/\s+/).length < 3) return fail(ask);
  const name = goal.toLowerCase().replace(/^(?:the|a|an)\s+/, '').split(/\s+/).slice(0, 4).join('_').replace(/[^a-z0-9_]/g, '') || 'call_successful';
  return { ok: true, value: { name, goal: sentenceCase(goal.replace(/[.!]+$/, '')) + '.' } };
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
