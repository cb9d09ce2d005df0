import { z } from 'zod';
import { SessionId } from './ids';
import { Session } from './session';
import { HttpMethod, JsonSchemaDoc } from './spec';
import { MAX_FILE_BYTES, VALUE_BOUNDS, withinBounds } from './limits';

/**
 * The tool workbench's contract: importing API descriptions as tools, and test-firing a tool's
 * real request from the main process. Secrets never appear here: a request's auth header is
 * shown by the secret's name.
 */

export const IMPORT_KINDS = ['openapi', 'swagger', 'curl', 'postman'] as const;
export const ImportKind = z.enum(IMPORT_KINDS);
export type ImportKind = z.infer<typeof ImportKind>;

/** One operation an API description offers, as the picker lists it. */
export const ImportedOperation = z.object({
  /** The operationId (or a made-up one: "GET /orders/{id}"); what `operations` picks by. */
  id: z.string(),
  /** The tool name it becomes (snake_case). */
  name: z.string(),
  method: HttpMethod,
  url: z.string(),
  summary: z.string(),
  /** What could not be carried over (a cookie parameter, a multipart body, …). */
  warnings: z.array(z.string()),
});
export type ImportedOperation = z.infer<typeof ImportedOperation>;

export const ImportPreview = z.object({
  kind: ImportKind,
  title: z.string(),
  operations: z.array(ImportedOperation),
  warnings: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

/** An API description: a file's or a paste's text, or an http(s) address main fetches. */
export const ImportSource = z.union([
  z.object({ text: z.string().min(1).max(MAX_FILE_BYTES) }).strict(),
  z.object({ url: z.string().url().max(2000), allowPrivate: z.boolean().optional() }).strict(),
]);
export type ImportSource = z.infer<typeof ImportSource>;

export const ImportResult = z.object({
  session: Session,
  /** Names of the tools added, in order. */
  tools: z.array(z.string()),
  /** The one message that confirms what was imported and says what is still to settle. */
  summary: z.string(),
  warnings: z.array(z.string()),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** How a response body compares with the tool's output schema. */
export const SchemaProposal = z.object({
  /** The body is valid JSON and fits the output schema as it is. */
  matches: z.boolean(),
  /** What differs, one readable line each ("new field: order.total (number)"). */
  changes: z.array(z.string()),
  /** The output schema to accept (the current one with the additions, or one inferred from the body); null when there is nothing to propose. */
  proposed: JsonSchemaDoc.nullable(),
});
export type SchemaProposal = z.infer<typeof SchemaProposal>;

/** The largest response body shown after a test-fire; past it the body is cut with a notice. */
export const MAX_SHOWN_BODY_BYTES = 1024 * 1024;

export const TRY_ERRORS = ['dns', 'tls', 'timeout', 'cancelled', 'connection', 'private-address', 'redirect', 'invalid'] as const;

export const TryRequestShown = z.object({
  method: HttpMethod,
  url: z.string(),
  /** The auth header's value is "<secret NAME>", never the secret. */
  headers: z.record(z.string(), z.string()),
  body: z.string().optional(),
});
export type TryRequestShown = z.infer<typeof TryRequestShown>;

export const TryResult = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('response'),
    tryId: z.string(),
    request: TryRequestShown,
    status: z.number().int(),
    statusText: z.string(),
    latencyMs: z.number().nonnegative(),
    headers: z.record(z.string(), z.string()),
    /** Pretty-printed when it is JSON; at most MAX_SHOWN_BODY_BYTES of it. */
    body: z.string(),
    json: z.boolean(),
    /** Bytes received (the whole body's size when the server said it). */
    size: z.number().int().nonnegative(),
    truncated: z.boolean(),
    /** Said when the body was cut. */
    notice: z.string().nullable(),
    /** A readable explanation of a 401/403/404/5xx. */
    problem: z.string().nullable(),
    schema: SchemaProposal,
  }),
  /** The host was never called from this tool: ask, then try again with confirmHost. */
  z.object({ kind: z.literal('confirm-host'), host: z.string(), message: z.string() }),
  z.object({ kind: z.literal('error'), reason: z.enum(TRY_ERRORS), message: z.string(), request: TryRequestShown.optional() }),
]);
export type TryResult = z.infer<typeof TryResult>;

const ToolRef = { sessionId: SessionId, tool: z.number().int().nonnegative().max(199) };
const TryId = z.string().min(8).max(100);

/** A tool's secret as the test-fire shows it: named, described, present or not; never its value. */
export const TrySecret = z.object({
  label: z.string(),
  /** What the value is ("Bearer " followed by the access token…). */
  holds: z.string(),
  stored: z.boolean(),
});
export type TrySecret = z.infer<typeof TrySecret>;
const TypedSecret = z.string().trim().min(1).max(8192);

/** Appended to the IPC contract (shared/ipc.ts). */
export const workbenchChannels = {
  /** Lists the operations of an OpenAPI/Swagger document, a curl command or a Postman collection; changes nothing. */
  'tools:parse-import': { input: ImportSource, output: ImportPreview },
  /** Adds the picked operations (by id; all when omitted) as tools and says what the interview still needs. */
  'tools:import': {
    input: z.object({ sessionId: SessionId, source: ImportSource, operations: z.array(z.string().max(500)).max(200).optional() }).strict(),
    output: ImportResult,
  },
  /** Example inputs for a tool, from its input schema (examples, enums, formats). */
  /** Example inputs for the test-fire, and the tool's secret: its label, what it holds, whether the key store has a value (never the value). */
  'tools:example-input': { input: z.object(ToolRef).strict(), output: z.object({ input: z.record(z.string(), z.unknown()), secret: TrySecret.nullable() }) },
  /**
   * Calls the tool's real endpoint from main with its secret from the key store. `confirmHost`:
   * the user agreed to a host never called before; `allowPrivate`: to loopback/private addresses
   * for this tool (both remembered on the tool). `secret`: a value typed for the tool's secret,
   * stored in the key store (as Publish does) before the request is sent.
   */
  'tools:try': {
    input: z
      .object({ ...ToolRef, tryId: TryId, input: z.record(z.string(), z.unknown()).superRefine(withinBounds(VALUE_BOUNDS)), confirmHost: z.boolean().optional(), allowPrivate: z.boolean().optional(), secret: TypedSecret.optional() })
      .strict(),
    output: TryResult,
  },
  'tools:cancel-try': { input: z.object({ tryId: TryId }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** Keeps a test-fire's request and response on the tool as a fixture (tools[i].workbench.examples). */
  'tools:save-example': { input: z.object({ ...ToolRef, tryId: TryId }).strict(), output: Session },
} as const;
