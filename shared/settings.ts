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

export const LocalEndpoint = z.object({
  baseURL: z.url(),
  model: z.string().min(1),
});

export const Settings = z.object({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION).default(SETTINGS_SCHEMA_VERSION),
  routing: z.record(Stage, ProviderName).default({ ...DEFAULT_ROUTING }),
  models: z
    .object({ openai: z.string().min(1), anthropic: z.string().min(1) })
    .default({ openai: 'gpt-5.5', anthropic: 'claude-sonnet-5-5' }),
  /** Proxy / gateway base URLs; when absent the SDKs' own OPENAI_BASE_URL / ANTHROPIC_BASE_URL apply. */
  baseURLs: z
    .object({ openai: z.url().optional(), anthropic: z.url().optional() })
    .default({}),
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
