import { z } from 'zod';
import { Stage, STAGES } from './stages';
import { ProviderName } from './providers';

export const SETTINGS_SCHEMA_VERSION = 1;

/** Routing defaults from the product brief: Anthropic for the open-ended stages, OpenAI for extraction-heavy ones. */
export const DEFAULT_ROUTING: Record<Stage, ProviderName> = {
  INITIAL: 'anthropic',
  COLLECTING_BASICS: 'openai',
  EXPLORING_TOOLS: 'anthropic',
  CONFIGURING_TOOLS: 'openai',
  REVIEWING_WORKFLOW: 'anthropic',
  FINALIZING: 'openai',
  COMPLETED: 'openai',
};

export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

/** Only http(s): a base URL is where requests, and API keys, are sent; file:, javascript: and the rest are refused. */
export const HttpURL = z.url({ protocol: /^https?$/i, error: 'must be an http:// or https:// URL' });

/** This machine: localhost, 127.0.0.0/8 and ::1 (also IPv4-mapped). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

/** Plain http to another machine: what is sent (the conversation, a key) travels unencrypted. */
export function isInsecureRemote(baseURL: string): boolean {
  try {
    const url = new URL(baseURL);
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** The issue for an http:// base URL to another machine that the user has not confirmed. */
function requireConfirmation(urls: Array<[key: string, url: string | undefined]>, allowed: boolean | undefined, ctx: z.RefinementCtx): void {
  if (allowed) return;
  for (const [key, url] of urls) {
    if (url && isInsecureRemote(url)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `${url} is plain http to another machine, so requests and keys would travel unencrypted; use https, or confirm it (allowInsecureRemote: true)`,
      });
    }
  }
}

export const LocalEndpoint = z
  .object({
    baseURL: HttpURL,
    model: z.string().min(1),
    /** The user confirmed plain http to a host other than this machine. */
    allowInsecureRemote: z.boolean().optional(),
  })
  .superRefine((e, ctx) => requireConfirmation([['baseURL', e.baseURL]], e.allowInsecureRemote, ctx));
export type LocalEndpoint = z.infer<typeof LocalEndpoint>;

/** Proxy / gateway base URLs; when absent the SDKs' own OPENAI_BASE_URL / ANTHROPIC_BASE_URL apply. */
export const BaseURLs = z
  .object({
    openai: HttpURL.optional(),
    anthropic: HttpURL.optional(),
    /** The user confirmed sending keys over plain http to a host other than this machine. */
    allowInsecureRemote: z.boolean().optional(),
  })
  .superRefine((b, ctx) => requireConfirmation([['openai', b.openai], ['anthropic', b.anthropic]], b.allowInsecureRemote, ctx));

export const Settings = z.object({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION).default(SETTINGS_SCHEMA_VERSION),
  routing: z.record(Stage, ProviderName).default({ ...DEFAULT_ROUTING }),
  models: z
    .object({ openai: z.string().min(1), anthropic: z.string().min(1) })
    .default({ openai: 'gpt-5.5', anthropic: 'claude-sonnet-5-5' }),
  baseURLs: BaseURLs.default({}),
  localEndpoint: LocalEndpoint.nullable().default(null),
  temperature: z.number().min(0).max(2).default(0.7),
  maxTokens: z.number().int().min(64).max(32000).default(2048),
  timeoutMs: z.number().int().min(1000).max(600000).default(60000),
  confidenceThreshold: z.number().min(0).max(1).default(0.6),
  contextMessages: z.number().int().min(1).max(200).default(10),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  window: WindowState.nullable().default(null),
});
export type Settings = z.infer<typeof Settings>;

type Undefaulted<S extends z.ZodRawShape> = {
  [K in keyof S]: S[K] extends z.ZodDefault<infer Inner> ? Inner : S[K];
};

/** The same fields without their defaults, so that a patch never resets what it does not mention. */
function undefaulted<S extends z.ZodRawShape>(shape: S): Undefaulted<S> {
  return Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => [key, schema instanceof z.ZodDefault ? schema.unwrap() : schema]),
  ) as Undefaulted<S>;
}

/** A partial update; each present key replaces the stored one, then the merged whole is validated. */
export const SettingsPatch = z.object(undefaulted(Settings.omit({ schemaVersion: true }).shape)).partial();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export function defaultSettings(): Settings {
  return Settings.parse({});
}

export { STAGES };
