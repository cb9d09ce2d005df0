import { HTTP_METHODS, type AgentSpec, type AuthSpec, type HttpMethod, type JsonSchemaDoc } from '../../shared/spec';
import { STAGES, type Stage } from '../../shared/stages';
import type { TopField } from './fields';
import type { ToolField } from '../../shared/spec';

/**
 * Readers for plain-text answers. The offline interviewer is built on them, and the
 * validators use them to accept a model's loosely typed value ("yes", "Bearer token").
 * Each returns null when it cannot read the answer, so the caller can ask precisely again.
 */

function norm(text: string): string {
  return text.trim().toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ');
}

const YES_RE = /^(yes|yeah|yea|yep|yup|ya|y|sure|ok|okay|of course|definitely|absolutely|certainly|correct|right|indeed|affirmative|please do|i do|we do|it does|it will|it should|i want|we want|we need|it needs|i need|yes please)\b/;
const NO_RE = /^(no|nope|nah|n|not really|not needed|no need|none|negative|never|i don't|we don't|it doesn't|it does not|we do not|i do not|no thanks|no thank you)\b/;

/** yes/no variants; null when the answer is neither. */
export function parseYesNo(text: string): boolean | null {
  const t = norm(text).replace(/^(um+|uh+|well|hmm+|so|actually)[, ]+/, '');
  if (/\bno (tools?|apis?|integrations?)\b|\bdoesn'?t need (any )?(tools?|apis?)\b|\bwithout (any )?(tools?|apis?)\b/.test(t)) return false;
  if (NO_RE.test(t)) return false;
  if (YES_RE.test(t)) return true;
  return null;
}

/** "no more tools", "that's all", "done": the user has no further tools to add. */
export function isNoMoreTools(text: string): boolean {
  const t = norm(text);
  return /\b(no (more|other|further|additional) tools?|no more|that'?s (all|it|everything)|nothing (else|more)|no others?|i'?m done|we'?re done|done with tools|only (one|that one|this one))\b/.test(t)
    || /^(no|nope|nah|none|done|that'?s it|all done)\b[.!]?$/.test(t);
}

/** Explicit approval without a change request in the same breath. */
export function isApproval(text: string): boolean {
  const t = norm(text);
  if (/\b(no|not|never|change|but|instead|however|wrong|except|rather|actually|wait)\b|n't\b/.test(t)) return false;
  return /\b(approve[ds]?|approval|looks? (good|great|fine|right)|lgtm|sounds? (good|great)|perfect|ship it|go ahead|confirm(ed)?|all good|that'?s (right|correct|good|great|perfect)|correct|yes|yep|yeah|ok(ay)?|great|good to go|let'?s do it)\b/.test(t);
}

/** "go back to tools" → "tools"; null when the message is not a jump request. */
export function parseGoBack(text: string): string | null {
  const t = norm(text).replace(/[.!?]+$/, '');
  const m =
    /\b(?:go|jump|take me|bring me|move|get|step|head|let'?s go)\s+back\s+(?:to\s+)?(?:the\s+)?(.+)$/.exec(t) ??
    /^(?:back\s+to|revisit|return\s+to|reopen|redo)\s+(?:the\s+)?(.+)$/.exec(t);
  return m?.[1]?.trim() || null;
}

/** Maps a stage name or a phrase ("tools", "basics", "review") to an earlier stage to reopen. */
export function resolveStageTarget(phrase: string, spec: AgentSpec): Stage | null {
  const t = norm(phrase).replace(/[\s-]+/g, '_');
  const exact = STAGES.find((s) => s.toLowerCase() === t);
  if (exact) return exact === 'INITIAL' ? 'COLLECTING_BASICS' : exact;
  const p = norm(phrase);
  if (/\b(basics?|agent type|type of agent|goals?|tone|voice|style|start|beginning)\b/.test(p)) return 'COLLECTING_BASICS';
  if (/\b(explor\w*|whether|need(s)? tools?)\b/.test(p)) return 'EXPLORING_TOOLS';
  if (/\b(configur\w*|endpoints?|schemas?|methods?|auth\w*|tool details?)\b/.test(p)) return 'CONFIGURING_TOOLS';
  if (/\btools?\b|\bapis?\b/.test(p)) return spec.use_tools?.value === true ? 'CONFIGURING_TOOLS' : 'EXPLORING_TOOLS';
  if (/\b(review\w*|workflow|summary|design)\b/.test(p)) return 'REVIEWING_WORKFLOW';
  if (/\b(final\w*|prompts?|regenerat\w*|generat\w*|first message)\b/.test(p)) return 'FINALIZING';
  return null;
}

export type MethodAnswer = { method: HttpMethod } | { unsupported: string } | null;

/** The first HTTP method word in the text; an unsupported one (HEAD, OPTIONS…) is reported. */
export function parseMethod(text: string): MethodAnswer {
  const m = /\b(get|post|put|patch|delete|head|options|connect|trace)\b/i.exec(text);
  if (!m?.[1]) return null;
  const word = m[1].toUpperCase();
  if ((HTTP_METHODS as readonly string[]).includes(word)) return { method: word as HttpMethod };
  return { unsupported: word };
}

/** An absolute URL in the text, trailing punctuation removed. */
export function findUrl(text: string): string | null {
  const m = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/i.exec(text);
  return m ? m[0].replace(/[.,;:!?)\]]+$/, '') : null;
}

/** A path-looking token ("/orders/{id}") when no absolute URL was given. */
export function findRelativePath(text: string): string | null {
  const m = /(?:^|\s)(\/[^\s"'<>`]*)/.exec(text);
  return m?.[1] ? m[1].replace(/[.,;:!?)\]]+$/, '') : null;
}

function secretName(toolName: string | undefined, suffix: string): string {
  const base = (toolName ?? 'api').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return `${base}_${suffix}`;
}

/** "Bearer token in the Authorization header" → {type: "bearer", header: "Authorization", …}. */
export function parseAuth(text: string, toolName?: string): AuthSpec | null {
  const t = norm(text);
  const headerMatch = /\b(x-[a-z0-9-]+|authorization|api-key|apikey)\b/i.exec(text);
  const header = headerMatch?.[1];
  const canonicalHeader = header ? (header.toLowerCase() === 'authorization' ? 'Authorization' : header) : undefined;
  if (/^(none|no|nope|nothing|n\/a|public|open)\b|\bno (auth\w*|key|token|credentials?)\b|\b(not|isn't|doesn't|does not) (need |require )?(any )?(auth\w*|credentials?)\b|\bpublic\b|\bunauthenticated\b/.test(t)) {
    return { type: 'none' };
  }
  if (/\boauth\s*2?\b|\boauth2\b/.test(t)) return { type: 'oauth2', header: 'Authorization', secret_name: secretName(toolName, 'OAUTH_TOKEN') };
  if (/\bbasic\b/.test(t)) return { type: 'basic', header: 'Authorization', secret_name: secretName(toolName, 'BASIC_AUTH') };
  if (/\bbearer\b|\bjwt\b|\baccess token\b|\btoken\b/.test(t)) {
    return { type: 'bearer', header: canonicalHeader ?? 'Authorization', secret_name: secretName(toolName, 'TOKEN') };
  }
  if (/\bapi[ -_]?key\b|\bkey\b|\bx-api-key\b/.test(t)) {
    return { type: 'api_key', header: canonicalHeader ?? 'X-API-Key', secret_name: secretName(toolName, 'API_KEY') };
  }
  return null;
}

const TYPE_ALIASES: Record<string, string> = {
  string: 'string', str: 'string', text: 'string',
  number: 'number', float: 'number', double: 'number', decimal: 'number', num: 'number',
  integer: 'integer', int: 'integer', long: 'integer',
  boolean: 'boolean', bool: 'boolean', flag: 'boolean',
  array: 'array', list: 'array',
  object: 'object', dict: 'object', map: 'object',
  date: 'string', datetime: 'string', 'date-time': 'string', time: 'string', email: 'string',
};
/** Type words that are strings of a known format ("appointment_date: date"). */
const FORMATS: Record<string, string> = { date: 'date', datetime: 'date-time', 'date-time': 'date-time', time: 'time', email: 'email' };

/** Splits "a: string, b: integer" at separators followed by a new "name:" (or "name type"), so commas inside descriptions stay. */
const TYPED_ITEM_SPLIT = new RegExp(
  `\\s*(?:[,;\\n]|\\band\\b)\\s*(?=[A-Za-z_][A-Za-z0-9_]*\\??\\s*(?:[:(]|\\s+(?:${Object.keys(TYPE_ALIASES).join('|')})\\b))`,
  'i',
);
const TYPED_ITEM = new RegExp(`^[A-Za-z_][A-Za-z0-9_]*\\??\\s*(?:[:(]|\\s+(?:${Object.keys(TYPE_ALIASES).join('|')})\\b)`, 'i');
const ITEM_SPLIT = new RegExp(
  `\\s*(?:[,;\\n]|\\band\\b)\\s*(?=[A-Za-z_][A-Za-z0-9_]*\\??\\s*(?:[:(]|\\s+(?:${Object.keys(TYPE_ALIASES).join('|')}|optional|required)\\b|$|[,;\\n]))`,
  'i',
);

export type SchemaTextResult = { ok: true; schema: JsonSchemaDoc } | { ok: false; message: string };

function parseJsonSchemaText(text: string): SchemaTextResult {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (end < start) return { ok: false, message: 'That JSON is missing its closing "}".' };
  try {
    const value: unknown = JSON.parse(text.slice(start, end + 1));
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'A JSON Schema must be a JSON object.' };
    return { ok: true, schema: value as JsonSchemaDoc };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `That isn't valid JSON (${reason}).` };
  }
}

/**
 * A JSON Schema from pasted text: JSON (optionally in a code fence), or a simple list such as
 * "order_id: string, quantity: integer optional - how many". "none" means no parameters.
 */
export function parseSchemaText(raw: string): SchemaTextResult {
  const text = raw.replace(/```(?:json)?/gi, '').trim();
  if (text.includes('{')) return parseJsonSchemaText(text);
  const body = text
    .replace(/^(?:it\s+)?(?:takes|needs|accepts|returns|gives back|responds with|outputs?|inputs?|parameters|params|fields)\b\s*:?\s*/i, '')
    .trim();
  if (/^(none|nothing|no (parameters|params|inputs?|fields|output)|empty)\b/i.test(body)) {
    return { ok: true, schema: { type: 'object', properties: {} } };
  }
  // In a typed list ("street_address: string optional - street and number"), only a typed name starts an
  // item, so "and number" inside a description is not a parameter.
  const typed = TYPED_ITEM.test(body);
  const items = body.split(typed ? TYPED_ITEM_SPLIT : ITEM_SPLIT).filter(Boolean);
  if (items.length === 0) return { ok: false, message: 'I found no parameters there.' };
  const properties: Record<string, JsonSchemaDoc> = {};
  const required: string[] = [];
  for (const item of items) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(\?)?\s*(?:[:(]\s*|\s+|$)(.*)$/.exec(item);
    if (!m?.[1]) {
      return { ok: false, message: `I couldn't read "${item}" as a parameter. Use the form "order_id: string, quantity: integer", or paste a JSON Schema.` };
    }
    const name = m[1];
    let rest = (m[3] ?? '').replace(/\)\s*/, ' ').trim();
    let description: string | undefined;
    const dash = /\s*[-–—]\s+(.+)$/.exec(rest);
    if (dash?.[1]) {
      description = dash[1].trim();
      rest = rest.slice(0, dash.index).trim();
    }
    const words = rest.toLowerCase().split(/\s+/).filter(Boolean);
    const typeWord = words.find((w) => w in TYPE_ALIASES);
    const optional = m[2] === '?' || words.includes('optional');
    const leftover = words.filter((w) => w !== typeWord && w !== 'optional' && w !== 'required').join(' ');
    if (!description && leftover) description = rest;
    const prop: JsonSchemaDoc = { type: typeWord ? TYPE_ALIASES[typeWord] : 'string' };
    if (typeWord && FORMATS[typeWord]) prop.format = FORMATS[typeWord];
    if (description) prop.description = description;
    properties[name] = prop;
    if (!optional) required.push(name);
  }
  const schema: JsonSchemaDoc = { type: 'object', properties };
  if (required.length) schema.required = required;
  return { ok: true, schema };
}

const UNUSABLE = /^(yes|no|ok|okay|sure|maybe|idk|i don'?t know|not sure|dunno|whatever|anything|nothing|none|n\/a|h+m+|u+m+|u+h+|e+r+m*|a+h+|\?+)$/;

/** Free-text answers must say something: not empty, not a bare yes/no/"idk". */
export function usableText(text: string): string | null {
  const value = text.trim().replace(/\s+/g, ' ');
  const t = norm(value).replace(/[.!?]+$/, '');
  if (!/[\p{L}\p{N}]/u.test(value) || UNUSABLE.test(t) || t.length < 2) return null;
  return value;
}

/** "I want to build a customer support agent" → "customer support agent". */
export function parseAgentType(text: string): string | null {
  let t = text.trim().replace(/\s+/g, ' ').replace(/[.!?]+$/, '');
  t = t.replace(/^(hi|hello|hey)[,!.]?\s+/i, '');
  t = t.replace(
    /^(?:i(?:'d| would)?\s+(?:really\s+)?(?:want|like|need|wanna|plan)\s+(?:to\s+)?(?:build|create|make|design|have|set up|get|develop)?\s*|we(?:'d| would)?\s+(?:want|like|need)\s+(?:to\s+)?(?:build|create|make|design|have)?\s*|let'?s\s+(?:build|create|make|design)\s+|(?:please\s+)?(?:build|create|make|design)\s+(?:me\s+|us\s+)?|it'?s\s+|it\s+(?:is|will be|should be)\s+|i'?m\s+(?:building|making|creating)\s+)/i,
    '',
  );
  t = t.replace(/^(?:a|an|the|one|some)\s+/i, '').replace(/\bvoice\s+(agent|assistant|bot)\b/i, '$1').trim();
  const value = usableText(t);
  if (!value) return null;
  if (/^(agent|assistant|bot|voice agent|something|one)$/i.test(value)) return null;
  return value.charAt(0).toLowerCase() + value.slice(1);
}

/** A tool name from "call it get_order_status" or "Get order status" (converted to snake_case). */
export function parseToolName(text: string): string | null {
  const t = text.trim().replace(/[.!?]+$/, '');
  const snake = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/.exec(t);
  if (snake) return snake[0];
  const camel = /\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/.exec(t);
  if (camel) return camel[0].replace(/([A-Z])/g, '_$1').toLowerCase();
  const stripped = t
    .replace(/^(?:yes|yeah|sure|ok|okay)[,!.]?\s*/i, '')
    .replace(/^(?:(?:let'?s\s+)?(?:call|name)\s+it|it'?s\s+called|it\s+is\s+called|the\s+name\s+is|name\s*:|named|called|a\s+tool\s+called|another\s+(?:one\s+)?called)\s*/i, '')
    .replace(/["'`]/g, '')
    .trim();
  const words = stripped.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 5) return null;
  const name = words.join('_').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(name) ? name : null;
}

const TOP_LABELS: Array<[RegExp, TopField]> = [
  [/^(agent[ _]?type|type( of agent)?|kind( of agent)?|agent)$/, 'agent_type'],
  [/^goals?$/, 'goals'],
  [/^(tone|voice|style|voice style|tone of voice)$/, 'tone'],
  [/^language$/, 'language'],
  [/^system[ _]?prompt$/, 'system_prompt'],
  [/^first[ _]?message$/, 'first_message'],
];
const TOOL_LABELS: Array<[RegExp, ToolField]> = [
  [/^(tool[ _]?)?name$/, 'name'],
  [/^purpose$/, 'purpose'],
  [/^(endpoint|url|api url|endpoint url)$/, 'endpoint'],
  [/^(http[ _]?)?method$/, 'method'],
  [/^(auth|authentication|authorization)$/, 'auth'],
  [/^(input[ _]?schema|inputs?|parameters|params|input parameters)$/, 'input_schema'],
  [/^(output[ _]?schema|outputs?|response|returns)$/, 'output_schema'],
  [/^(triggers?|trigger conditions?|when)$/, 'trigger'],
  [/^(error[ _]?handling|errors?|on error|failure handling)$/, 'error_handling'],
];

export type FieldEdit = { kind: 'top'; key: TopField; value: string } | { kind: 'tool'; key: ToolField; value: string };

/** "tone: formal", "change the tone to formal" → an edit of a named field; null otherwise. */
export function parseFieldEdit(text: string): FieldEdit | null {
  const t = text.trim();
  const m =
    /^(?:please\s+)?(?:change|set|update|make|switch)\s+(?:the\s+)?([a-z][a-z _]{1,30}?)\s+(?:to|=)\s+([\s\S]+)$/i.exec(t) ??
    /^([a-z][a-z _]{1,30}?)\s*[:=]\s*([\s\S]+)$/i.exec(t);
  if (!m?.[1] || !m[2]) return null;
  const label = norm(m[1]).replace(/^(agent'?s|the)\s+/, '');
  const value = m[2].trim().replace(/^["']|["']$/g, '');
  for (const [re, key] of TOP_LABELS) if (re.test(label)) return { kind: 'top', key, value };
  for (const [re, key] of TOOL_LABELS) if (re.test(label)) return { kind: 'tool', key, value };
  return null;
}
