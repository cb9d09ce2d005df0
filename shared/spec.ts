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
});
export type ToolSpec = z.infer<typeof ToolSpec>;

/** A value the model offered below the confidence threshold: shown as unconfirmed, not stored. */
export const Candidate = z.object({
  value: z.unknown().superRefine(withinBounds(VALUE_BOUNDS)),
  confidence: z.number().min(0).max(1),
  source: z.string(),
});
export type Candidate = z.infer<typeof Candidate>;

export const AgentSpec = z.object({
  agent_type: field(z.string()).optional(),
  goals: field(z.string()).optional(),
  tone: field(z.string()).optional(),
  language: field(z.string()).optional(),
  /** The LLM the deployed agent runs on, as the target names it (set by import or by the user). */
  llm: field(z.string()).optional(),
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
