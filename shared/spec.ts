import { z } from 'zod';
import { VALUE_BOUNDS, withinBounds } from './limits';

/**
 * Every value in the spec remembers how sure we are of it and where it came from, so the
 * user can trust it, trace it and lock it. `source` is the id of the message it came from,
 * or "user-edit" when typed by hand.
 */
export const USER_EDIT = 'user-edit';

export function field<T extends z.ZodType>(value: T) {
  return z.object({
    // Depth and size bounded, so that whatever validates can be saved and shown (shared/limits).
    value: value.superRefine(withinBounds(VALUE_BOUNDS)),
    confidence: z.number().min(0).max(1),
    source: z.string().min(1),
    locked: z.boolean().default(false),
  });
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const HttpMethod = z.enum(HTTP_METHODS);
export type HttpMethod = z.infer<typeof HttpMethod>;

export const AuthSpec = z.object({
  type: z.enum(['none', 'api_key', 'bearer', 'basic', 'oauth2']),
  /** Header that carries the credential (e.g. "Authorization", "X-API-Key"). */
  header: z.string().optional(),
  /** Name of the secret the user must create on the target platform; never the secret itself. */
  secret_name: z.string().optional(),
});
export type AuthSpec = z.infer<typeof AuthSpec>;

/** A JSON Schema document, kept as plain JSON; validated with Ajv by the orchestrator. */
export const JsonSchemaDoc = z.record(z.string(), z.unknown());
export type JsonSchemaDoc = z.infer<typeof JsonSchemaDoc>;

/** Where one input of a tool goes in the HTTP request. */
export const PARAM_LOCATIONS = ['path', 'query', 'header', 'body'] as const;
export const ParamLocation = z.enum(PARAM_LOCATIONS);
export type ParamLocation = z.infer<typeof ParamLocation>;

/** A response body kept in a fixture is cut at this many characters. */
export const MAX_EXAMPLE_BODY_CHARS = 32 * 1024;
/** Fixtures kept per tool; the oldest goes first. */
export const MAX_TOOL_EXAMPLES = 5;
/** All fixtures of a spec together, as JSON: a quarter of what a spec may hold (shared/limits.ts). */
export const MAX_FIXTURES_JSON_CHARS = 1024 * 1024;

/**
 * One request a test-fire made and what came back, kept on the tool for simulations and tests.
 * Never holds a secret: the auth header's value is replaced by the secret's name.
 */
export const ToolExample = z.object({
  at: z.string(),
  input: z.record(z.string(), z.unknown()).superRefine(withinBounds(VALUE_BOUNDS)),
  request: z.object({
    method: HttpMethod,
    url: z.string().max(10_000),
    headers: z.record(z.string(), z.string()),
    body: z.string().max(MAX_EXAMPLE_BODY_CHARS).optional(),
  }),
  response: z.object({
    status: z.number().int(),
    headers: z.record(z.string(), z.string()),
    body: z.string().max(MAX_EXAMPLE_BODY_CHARS),
    /** The body was longer than what is kept. */
    truncated: z.boolean(),
    latency_ms: z.number().nonnegative(),
  }),
});
export type ToolExample = z.infer<typeof ToolExample>;

export const ToolWorkbench = z.object({
  /** Where each input goes; without it, {path} placeholders, then query for GET/DELETE and the JSON body otherwise. */
  locations: z.record(z.string(), ParamLocation).optional(),
  /** Where the tool came from ("openapi", "swagger", "curl", "postman") and the operation id. */
  imported_from: z.object({ kind: z.string(), operation: z.string() }).optional(),
  /** Hosts the user confirmed for test-fires of this tool. */
  confirmed_hosts: z.array(z.string().max(300)).max(50).optional(),
  /** The user allowed test-fires to loopback and private addresses for this tool. */
  allow_private_network: z.boolean().optional(),
  examples: z.array(ToolExample).max(MAX_TOOL_EXAMPLES).optional(),
});
export type ToolWorkbench = z.infer<typeof ToolWorkbench>;

/** The nine details of a tool, in the order the interview asks for them. */
export const TOOL_FIELDS = [
  'name',
  'purpose',
  'endpoint',
  'method',
  'auth',
  'input_schema',
  'output_schema',
  'trigger',
  'error_handling',
] as const;
export type ToolField = (typeof TOOL_FIELDS)[number];

export const ToolSpec = z.object({
  name: field(z.string()).optional(),
  purpose: field(z.string()).optional(),
  endpoint: field(z.string()).optional(),
  method: field(HttpMethod).optional(),
  auth: field(AuthSpec).optional(),
  input_schema: field(JsonSchemaDoc).optional(),
  output_schema: field(JsonSchemaDoc).optional(),
  trigger: field(z.string()).optional(),
  error_handling: field(z.string()).optional(),
  /** What the tool workbench knows beyond the nine details (shared/workbench.ts): not asked, not in the prompt. */
  workbench: ToolWorkbench.optional(),
});
export type ToolSpec = z.infer<typeof ToolSpec>;

/** A value the model offered below the confidence threshold: shown as unconfirmed, not stored. */
export const Candidate = z.object({
  value: z.unknown().superRefine(withinBounds(VALUE_BOUNDS)),
  confidence: z.number().min(0).max(1),
  source: z.string(),
});
export type Candidate = z.infer<typeof Candidate>;

/** Whether the agent answers calls or places them; outbound agents meet voicemail and never say "thanks for calling". */
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const CallDirection = z.enum(CALL_DIRECTIONS);
export type CallDirection = z.infer<typeof CallDirection>;

/**
 * How a call is handed over. "conference": the colleague joins the call; "warm": the agent
 * briefs the colleague first; "cold": the caller is put straight through.
 */
export const TRANSFER_TYPES = ['conference', 'warm', 'cold'] as const;
export const TransferType = z.enum(TRANSFER_TYPES);
export type TransferType = z.infer<typeof TransferType>;

/** The transfer details, in the order the interview asks for them. */
export const TRANSFER_FIELDS = ['phone_number', 'condition', 'transfer_type'] as const;

export const TransferSpec = z.object({
  /** E.164, e.g. "+14155550123". */
  phone_number: field(z.string()).optional(),
  /** When the agent should transfer ("the caller asks for a person", "a refund over $100"). */
  condition: field(z.string()).optional(),
  transfer_type: field(TransferType).optional(),
});
export type TransferSpec = z.infer<typeof TransferSpec>;

/** What an outbound agent does when a machine answers. */
export const VoicemailSpec = z.object({
  action: z.enum(['hang_up', 'leave_message']),
  /** What to say after the beep when action is "leave_message". */
  message: z.string().optional(),
});
export type VoicemailSpec = z.infer<typeof VoicemailSpec>;

/** Something the agent should know: a web page, a file on this computer, or text typed in. */
export const KnowledgeSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url'), url: z.string().min(1), name: z.string().optional() }),
  z.object({ type: z.literal('file'), path: z.string().min(1), name: z.string().optional() }),
  z.object({ type: z.literal('text'), text: z.string().min(1), name: z.string().min(1) }),
]);
export type KnowledgeSource = z.infer<typeof KnowledgeSource>;

export const DATA_ITEM_TYPES = ['string', 'boolean', 'integer', 'number'] as const;

/** A JSON Schema type as a data-collection type: the ones it has, else text. */
export function dataItemType(schemaType: unknown): (typeof DATA_ITEM_TYPES)[number] {
  return DATA_ITEM_TYPES.find((t) => t === schemaType) ?? 'string';
}

/** One value to extract from every finished call (ElevenLabs calls this data collection). */
export const DataItem = z.object({
  /** An identifier: letters, digits and underscores. */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/),
  type: z.enum(DATA_ITEM_TYPES),
  description: z.string().min(1),
});
export type DataItem = z.infer<typeof DataItem>;

/** What makes a call a success, judged on the transcript after the call. */
export const SuccessCriterion = z.object({
  name: z.string().min(1),
  /** The question the evaluator answers, e.g. "Did the caller get a confirmed booking?". */
  goal: z.string().min(1).max(2000),
});
export type SuccessCriterion = z.infer<typeof SuccessCriterion>;

export const AgentSpec = z.object({
  agent_type: field(z.string()).optional(),
  /** The business or brand the agent speaks for ("La Tasca"), used in the prompt and greeting. */
  business_name: field(z.string()).optional(),
  goals: field(z.string()).optional(),
  tone: field(z.string()).optional(),
  /** BCP-47 tag of the language the agent speaks first ("en", "es", "pt-BR"). Older files may hold a name ("Spanish"). */
  language: field(z.string()).optional(),
  /** Further BCP-47 tags the agent switches to when the caller speaks them. */
  additional_languages: field(z.array(z.string())).optional(),
  call_direction: field(CallDirection).optional(),
  /** IANA time zone of the business ("Europe/Madrid"), for the current date and time in calls. */
  timezone: field(z.string()).optional(),
  /** The LLM the deployed agent runs on, as the target names it (set by import or by the user). */
  llm: field(z.string()).optional(),
  /** The deployed agent's temperature; not the interviewer's. Targets default to 0 for tool-calling agents. */
  temperature: field(z.number().min(0).max(2)).optional(),
  /** The target's voice id; unset means a default voice for the language. */
  voice_id: field(z.string()).optional(),
  // The lists below are optional rather than defaulted so specs written before they existed stay valid literals.
  transfers: z.array(TransferSpec).optional(),
  /** When the agent should hang up ("the caller says goodbye", "the caller is abusive"). */
  end_call_conditions: field(z.string()).optional(),
  voicemail: field(VoicemailSpec).optional(),
  knowledge_base: z.array(field(KnowledgeSource)).optional(),
  data_collection: z.array(field(DataItem)).optional(),
  success_criteria: z.array(field(SuccessCriterion)).optional(),
  /**
   * The user's own server that runs the tools for function-calling targets (Vapi POSTs tool
   * calls there); not the API a tool wraps.
   */
  tool_server_url: field(z.string()).optional(),
  use_tools: field(z.boolean()).optional(),
  tools: z.array(ToolSpec).default([]),
  /** The user said there are no more tools to add. */
  tools_done: field(z.boolean()).optional(),
  workflow_approved: field(z.boolean()).optional(),
  system_prompt: field(z.string()).optional(),
  first_message: field(z.string()).optional(),
  /** Unconfirmed candidates keyed by field path (e.g. "goals", "tools[0].endpoint"). */
  candidates: z.record(z.string(), Candidate).default({}),
  /** Fields the user skipped for now ("still needed"): asked again before the review. */
  parked: z.array(z.string()).optional(),
});
export type AgentSpec = z.infer<typeof AgentSpec>;

export function emptySpec(): AgentSpec {
  return { tools: [], candidates: {} };
}
