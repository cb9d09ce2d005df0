import { z } from 'zod';
import { SessionId } from './ids';

/**
 * Publish: one step from a design to a live ElevenLabs agent. The steps run in this order; a
 * failure names its step and leaves what was done before it recorded, so publishing again
 * retries from there without duplicating anything.
 */
export const PUBLISH_STEPS = ['secrets', 'tools', 'knowledge_base', 'agent'] as const;
export const PublishStep = z.enum(PUBLISH_STEPS);
export type PublishStep = z.infer<typeof PublishStep>;

export const PUBLISH_STEP_LABELS: Record<PublishStep, string> = {
  secrets: 'Create the secrets for tool authentication',
  tools: 'Create or update the tools',
  knowledge_base: 'Upload the knowledge base',
  agent: 'Create or update the agent',
};

/** What a session remembers of its ElevenLabs agent, so a re-publish updates instead of duplicating. */
export const PublishRecord = z.object({
  agentId: z.string().optional(),
  /** Tool name (as exported) → ElevenLabs tool id. */
  toolIds: z.record(z.string(), z.string()).default({}),
  /** Knowledge-base source key → document id. */
  documentIds: z.record(z.string(), z.string()).default({}),
  /** Environment-variable label → its id in the workspace. */
  envVarIds: z.record(z.string(), z.string()).default({}),
  dashboardUrl: z.string().optional(),
  publishedAt: z.string().optional(),
  /** The last attempt's failure, cleared by a successful publish. */
  lastError: z.object({ step: PublishStep, message: z.string(), at: z.string() }).optional(),
});
export type PublishRecord = z.infer<typeof PublishRecord>;

/** A secret a design's tools need: the value is typed once and kept in the keychain. */
export const PublishSecret = z.object({
  label: z.string(),
  tool: z.string(),
  header: z.string(),
  /** What the value is ("Bearer " followed by the access token…). */
  holds: z.string(),
  /** A value is in the keychain already. */
  stored: z.boolean(),
});
export type PublishSecret = z.infer<typeof PublishSecret>;

export const PublishProgress = z.object({
  sessionId: SessionId,
  step: PublishStep,
  status: z.enum(['started', 'done', 'failed', 'skipped']),
  /** One line: what was created or updated, or why it failed. */
  detail: z.string(),
});
export type PublishProgress = z.infer<typeof PublishProgress>;

export const PublishResult = z.object({
  agentId: z.string(),
  toolIds: z.record(z.string(), z.string()),
  dashboardUrl: z.string(),
  /** "created" the first time, "updated" when the session's agent existed. */
  agent: z.enum(['created', 'updated']),
  steps: z.array(PublishProgress),
});
export type PublishResult = z.infer<typeof PublishResult>;
