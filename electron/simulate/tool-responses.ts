import type { JsonSchemaDoc } from '../../shared/spec';
import type { SimToolCall } from '../../shared/simulation';
import type { ToolUnderTest } from './design';
import { sampleValue } from './personas';

/**
 * What a tool answers during a simulated call. A recorded example (a real test-fire of the
 * tool) is preferred; without one, a value is made from the tool's output schema. A persona
 * whose tool fails gets an HTTP 500 or an empty result instead, and a call that lacks a required
 * input gets the 400 the API would give.
 */

export type ToolFailure = 'error' | 'empty';

export interface ToolAnswer {
  outcome: SimToolCall['outcome'];
  result: string;
  /** The parsed result, for the agent to speak from (absent on failures). */
  value?: unknown;
}

/** Recorded responses of a tool, newest first; none → the schema is used. */
export type RecordedExamples = (tool: ToolUnderTest) => unknown[] | undefined;

function fromSchema(schema: JsonSchemaDoc | undefined, name: string, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties && typeof schema.properties === 'object' ? (schema.properties as Record<string, JsonSchemaDoc>) : {};
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromSchema(v, k, depth + 1)]));
    }
    case 'array':
      return [fromSchema(schema.items as JsonSchemaDoc | undefined, name, depth + 1)];
    case 'integer':
      return 2;
    case 'number':
      return 12.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      const format = typeof schema.format === 'string' ? schema.format : '';
      if (format === 'date' || /date|eta|day/.test(name)) return '2026-12-04';
      if (format === 'date-time') return '2026-12-04T15:30:00Z';
      return sampleValue(name, schema);
    }
  }
}

export function createToolResponder(options: { examples?: RecordedExamples } = {}) {
  return function respond(tool: ToolUnderTest, args: Record<string, unknown>, failure: ToolFailure | null): ToolAnswer {
    const missing = tool.required.filter((r) => args[r] === undefined || args[r] === '');
    if (missing.length) return { outcome: 'error', result: `HTTP 400: missing required input ${missing.join(', ')}` };
    if (failure === 'error') return { outcome: 'error', result: 'HTTP 500: Internal Server Error' };
    if (failure === 'empty') return { outcome: 'empty', result: '{}' };
    const recorded = options.examples?.(tool)?.[0];
    const value = recorded !== undefined ? recorded : fromSchema(tool.spec.output_schema?.value ?? { type: 'object', properties: { result: { type: 'string' } } }, tool.name);
    return { outcome: 'ok', result: JSON.stringify(value), value };
  };
}

export type ToolResponder = ReturnType<typeof createToolResponder>;

/** A result as the agent says it: "status processing, eta 2026-12-04". */
export function speakResult(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(speakResult).join('; ');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${speakResult(v)}`)
    .join(', ');
}

/**
 * The test-fire exchanges saved on a tool (tools[i].workbench.examples): the bodies of its 2xx
 * answers, as JSON when they parse, else as text; undefined when none was saved.
 */
export const recordedExamplesOnTool: RecordedExamples = (tool) => {
  const ok = (tool.spec.workbench?.examples ?? []).filter((e) => e.response.status >= 200 && e.response.status < 300 && !e.response.truncated);
  if (!ok.length) return undefined;
  return ok.map((e) => {
    try {
      return JSON.parse(e.response.body) as unknown;
    } catch {
      return e.response.body;
    }
  });
};
