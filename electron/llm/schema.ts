import { z } from 'zod';
import { MESSAGE_KINDS, TurnResult } from './types';

/**
 * What we ask the model to produce. It carries the same information as TurnResult but fits
 * strict structured outputs (OpenAI strict mode, Anthropic output_config.format): every object
 * is closed, every property is required (absence is null), and `extracted` is a list because
 * strict schemas cannot express a record with free keys. `reply` comes first so that it streams
 * first.
 */
const WireValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .describe('The value. For an object or array (e.g. a JSON Schema, an auth block), its JSON text.');

export const TurnWire = z
  .object({
    reply: z.string().describe('What you say to the user next, in plain conversational text.'),
    kind: z
      .enum(MESSAGE_KINDS)
      .describe(
        'What the user\'s latest message is: answer (to the question asked), answers (several fields), question (to you), dont_know, suggest (asks you to propose a value), accept_suggestion, skip, correction (changes an earlier field), go_back, tool_op (remove/rename/move a tool), undo, conditional_approval, off_topic. Only answers, answers, accept_suggestion, correction, go_back with a value and conditional_approval may carry "extracted".',
      ),
    extracted: z
      .array(
        z
          .object({
            field: z.string().describe('Spec field path, e.g. "goals" or "tools[0].endpoint".'),
            value: WireValue,
            confidence: z.number().describe('0 to 1: how sure you are that the user meant this value.'),
          })
          .strict(),
      )
      .describe('Spec values stated or clearly implied by the user in this turn; [] when none.'),
    stage_complete: z.boolean().nullable(),
    awaiting: z.string().nullable().describe('The field your reply asks about next, or null.'),
    suggestion: z
      .object({
        field: z.string().describe('The field path you propose a value for.'),
        value: WireValue,
      })
      .strict()
      .nullable()
      .describe('When the user asks what you suggest or does not know: one concrete proposal they can accept with "use your suggestion"; otherwise null.'),
    intent: z
      .object({
        approve: z.boolean().nullable(),
        no_more_tools: z.boolean().nullable(),
        go_back_to: z.string().nullable().describe('A stage name the user wants to return to, or null.'),
        revisit: z.string().nullable().describe('A field path the user wants to change but gave no value for yet, or null.'),
        skip: z.string().nullable().describe('The field path the user skipped for now, or null.'),
        undo: z.boolean().nullable().describe('True when the user asks to undo the last change.'),
        change_request: z.string().nullable().describe('The condition of a conditional approval ("approve, as long as X" → "X"), or null.'),
        tool_ops: z
          .array(
            z
              .object({
                op: z.enum(['remove', 'rename', 'move']),
                tool: z.string().describe('The tool\'s name as in the spec.'),
                new_name: z.string().nullable().describe('For rename: the new snake_case name.'),
                position: z.number().int().nullable().describe('For move: the new 0-based position.'),
              })
              .strict(),
          )
          .nullable(),
      })
      .strict(),
  })
  .strict();
export type TurnWire = z.infer<typeof TurnWire>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Closes every object, requires every property, and drops keywords strict mode rejects. */
function strictify(node: Json): Json {
  if (Array.isArray(node)) return node.map(strictify);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === 'minimum' || k === 'maximum' || k === 'default') continue;
    out[k] = strictify(v);
  }
  if (out.type === 'object' && out.properties && typeof out.properties === 'object' && !Array.isArray(out.properties)) {
    out.additionalProperties = false;
    out.required = Object.keys(out.properties);
  }
  return out;
}

let cached: Record<string, unknown> | null = null;

/** JSON Schema of TurnWire, accepted by OpenAI strict structured outputs and Anthropic output_config.format. */
export function turnJsonSchema(): Record<string, unknown> {
  cached ??= strictify(z.toJSONSchema(TurnWire) as Json) as Record<string, unknown>;
  return cached;
}

export const TURN_SCHEMA_NAME = 'parley_turn';

/** Appended to the stage prompt so that every provider, structured or not, answers in one shape. */
export function formatInstructions(includeSchema: boolean): string {
  const lines = [
    'Output format: answer with exactly one JSON object and nothing else.',
    'Put "reply" first: it is what the user reads. List spec values in "extracted" as {"field", "value", "confidence"} items.',
  ];
  if (includeSchema) lines.push('The JSON object must match this JSON Schema:', JSON.stringify(turnJsonSchema()));
  return lines.join('\n');
}

function decodeJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return value;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return value;
  }
}

function withoutNulls(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

/**
 * Turns what a model produced (the wire shape, or the TurnResult shape a prompt may describe)
 * into the input TurnResult validates. Unknown shapes pass through to fail validation.
 */
export function normalizeTurn(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const obj = { ...(input as Record<string, unknown>) };
  if (Array.isArray(obj.extracted)) {
    const record: Record<string, unknown> = {};
    for (const item of obj.extracted as unknown[]) {
      if (item && typeof item === 'object' && typeof (item as { field?: unknown }).field === 'string') {
        const { field, value, confidence } = item as { field: string; value?: unknown; confidence?: unknown };
        record[field] = { value: decodeJsonText(value), confidence };
      } else {
        record[`#${Object.keys(record).length}`] = item; // keeps the bad item so validation names it
      }
    }
    obj.extracted = record;
  } else if (obj.extracted && typeof obj.extracted === 'object') {
    obj.extracted = Object.fromEntries(
      Object.entries(obj.extracted as Record<string, unknown>).map(([k, v]) =>
        v && typeof v === 'object' && 'value' in v ? [k, { ...v, value: decodeJsonText((v as { value: unknown }).value) }] : [k, v],
      ),
    );
  }
  if (obj.extracted === null) delete obj.extracted;
  if (obj.stage_complete === null) delete obj.stage_complete;
  if (obj.kind === null) delete obj.kind;
  if (obj.suggestion === null) delete obj.suggestion;
  else if (obj.suggestion && typeof obj.suggestion === 'object' && 'value' in obj.suggestion) {
    obj.suggestion = { ...(obj.suggestion as Record<string, unknown>), value: decodeJsonText((obj.suggestion as { value: unknown }).value) };
  }
  if (obj.intent === null) delete obj.intent;
  else if (obj.intent) {
    const intent = withoutNulls(obj.intent) as Record<string, unknown>;
    if (Array.isArray(intent.tool_ops)) {
      intent.tool_ops = (intent.tool_ops as unknown[]).map((op) => {
        if (!op || typeof op !== 'object') return op;
        const { new_name, ...rest } = withoutNulls(op) as Record<string, unknown>;
        return new_name === undefined ? rest : { ...rest, name: new_name };
      });
    }
    obj.intent = intent;
  }
  return obj;
}

export type TurnValidation = { ok: true; value: TurnResult } | { ok: false; errors: string };

export function validateTurn(candidate: unknown): TurnValidation {
  const parsed = TurnResult.safeParse(normalizeTurn(candidate));
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = parsed.error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, errors };
}
