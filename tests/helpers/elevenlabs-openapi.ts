import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * ElevenLabs' own API description, as the official CLI embeds it (`elevenlabs agents create
 * --spec`), and request-body validators compiled from it. OpenAPI 3.1 schemas are JSON Schema
 * 2020-12; `discriminator` (an OpenAPI annotation) is ignored, the `oneOf` it annotates still
 * applies.
 */
export interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
  components: { schemas: Record<string, unknown> };
}

const require = createRequire(import.meta.url);

/** The CLI's native binary, as installed from npm (an optional dependency for this platform). */
export function elevenLabsCliBinary(): string {
  const platformPackage = `@elevenlabs/cli-${process.platform}-${process.arch}`;
  const manifest = require.resolve(`${platformPackage}/package.json`);
  return path.join(path.dirname(manifest), process.platform === 'win32' ? 'elevenlabs.exe' : 'elevenlabs');
}

let cached: OpenApiDoc | undefined;

export function loadElevenLabsSpec(): OpenApiDoc {
  cached ??= JSON.parse(execFileSync(elevenLabsCliBinary(), ['agents', 'create', '--spec'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 })) as OpenApiDoc;
  return cached;
}

const ID = 'https://parley.test/elevenlabs-openapi.json';

export interface BodyValidator {
  /** The OpenAPI path template a request path matches ("/v1/convai/tools/{tool_id}"), or null. */
  route(method: string, path: string): string | null;
  /** Errors of a JSON request body against the route's schema; [] when valid, null when the route has no JSON body schema. */
  validate(method: string, route: string, body: unknown): string[] | null;
  /** Errors of any value against a named component schema. */
  validateSchema(name: string, value: unknown): string[];
}

export function createBodyValidator(spec: OpenApiDoc = loadElevenLabsSpec()): BodyValidator {
  const schemas = { ...spec.components.schemas };
  // The embedded spec refers to these two without defining them (the CLI's own --dry-run check
  // fails on dynamic variables for that reason); they are the one DynamicVariablesConfig schema.
  for (const missing of ['DynamicVariablesConfig-Input', 'DynamicVariablesConfig-Output']) {
    if (!schemas[missing] && schemas.DynamicVariablesConfig) schemas[missing] = { $ref: '#/components/schemas/DynamicVariablesConfig' };
  }
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true, validateSchema: false });
  ajv.addSchema({ $id: ID, components: { schemas } });
  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: unknown) => {
    let fn = compiled.get(key);
    if (!fn) {
      // Schemas inside paths use refs relative to the document: resolve them against it.
      fn = ajv.compile({ $id: `${ID}/${encodeURIComponent(key)}`, allOf: [JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${ID}#/components/`))] });
      compiled.set(key, fn);
    }
    return fn;
  };
  const errors = (fn: ValidateFunction, value: unknown) =>
    fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);

  const templates = Object.keys(spec.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    literal: template.split('/').filter((p) => !p.startsWith('{')).length,
  }));
  return {
    route(method, requestPath) {
      const matches = templates.filter((t) => t.pattern.test(requestPath) && spec.paths[t.template]?.[method.toLowerCase()]);
      // "/v1/convai/agents/create" beats "/v1/convai/agents/{agent_id}".
      matches.sort((a, b) => b.literal - a.literal);
      return matches[0]?.template ?? null;
    },
    validate(method, route, body) {
      const schema = spec.paths[route]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
      if (!schema) return null;
      return errors(compile(`${method} ${route}`, schema), body);
    },
    validateSchema(name, value) {
      return errors(compile(`#${name}`, { $ref: `#/components/schemas/${name}` }), value);
    },
  };
}
