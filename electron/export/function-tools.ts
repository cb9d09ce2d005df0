import type { JsonSchemaDoc } from '../../shared/spec';
import type { Loss } from './types';
import type { NamedTool } from './naming';
import { describeAuth } from '../interview/prompt-generator';
import { composeToolDescription } from './prompt';
import { describeFromName, descriptionOf, isObject, objectParts, pathPlaceholders, type JsonObject } from './schema';

/**
 * Parameters for function-calling targets (OpenAI Realtime, Vapi), which take plain JSON
 * Schema: the input schema as the user wrote it, always an object, with every URL placeholder
 * present and every property described (descriptions are how the model knows what to ask for).
 */
export function functionParameters(named: NamedTool): JsonObject {
  const { tool } = named;
  const input: JsonSchemaDoc | undefined = tool.input_schema?.value;
  const isObjectSchema = !!input && (input.type === undefined || input.type === 'object');
  const { properties, required } = objectParts(isObjectSchema ? input : undefined);
  const props: Record<string, JsonObject> = {};
  for (const [key, schema] of Object.entries(properties)) props[key] = withDescriptions(schema, key);
  const req = [...required];
  for (const param of pathPlaceholders(tool.endpoint?.value ?? '')) {
    if (!props[param]) props[param] = { type: 'string', description: describeFromName(param) };
    if (!req.includes(param)) req.push(param);
  }
  const out: JsonObject = { type: 'object', properties: props };
  if (req.length) out.required = req;
  return out;
}

function withDescriptions(schema: JsonObject, name: string): JsonObject {
  const out: JsonObject = { ...schema };
  if (!descriptionOf(out)) out.description = describeFromName(name);
  if (isObject(out.properties)) {
    const nested: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(out.properties)) nested[key] = isObject(value) ? withDescriptions(value, key) : value;
    out.properties = nested;
  }
  if (isObject(out.items)) out.items = { ...out.items };
  return out;
}

export function functionDescription(named: NamedTool): string {
  const { tool } = named;
  return composeToolDescription(
    { purpose: tool.purpose?.value, trigger: tool.trigger?.value, error_handling: tool.error_handling?.value },
    `Calls ${tool.method?.value ?? 'GET'} ${tool.endpoint?.value ?? ''}.`.replace(' .', '.'),
  );
}

/** Function-calling targets run the HTTP call in the user's own code: say what that code must do. */
export function clientSideCallLoss(named: NamedTool, target: string): Loss {
  const { tool } = named;
  const auth = tool.auth?.value;
  const credential = auth && auth.type !== 'none' ? ` with ${describeAuth(auth)} (secret "${auth.secret_name ?? `${named.name}_secret`}")` : '';
  return {
    path: `tools[${named.index}]`,
    message: `${target} does not call HTTP endpoints itself: when the model calls ${named.name}, your code must call ${tool.method?.value ?? 'GET'} ${tool.endpoint?.value ?? '(no endpoint)'}${credential} and return the result.`,
  };
}
