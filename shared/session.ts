import { z } from 'zod';
import { SessionId } from './ids';
import { Stage } from './stages';
import { AgentSpec } from './spec';
import { ProviderChoice, ProviderName } from './providers';
import { MAX_FIELD_CHARS, MAX_MESSAGE_CHARS, messagesWithinLimits, specWithinLimits } from './limits';
import { PublishRecord } from './publish';
import { MAX_SIMULATION_RUNS, SimulationRun } from './simulation';
import { VersionRelease } from './versions';

export const SESSION_SCHEMA_VERSION = 2;

export const Message = z.object({
  id: z.string().min(1),
  role: z.enum(['user', 'assistant', 'notice']),
  text: z.string().max(MAX_MESSAGE_CHARS),
  createdAt: z.string(),
  turnId: z.string().optional(),
  provider: ProviderName.optional(),
  model: z.string().optional(),
  /** "partial" when a turn was cancelled or failed mid-stream: the text so far is kept. */
  status: z.enum(['complete', 'partial', 'error']).default('complete'),
});
export type Message = z.infer<typeof Message>;

export const TurnUsage = z.object({
  turnId: z.string(),
  provider: ProviderName,
  model: z.string(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
  firstTokenMs: z.number().nonnegative().optional(),
  costUsd: z.number().nonnegative().optional(),
  at: z.string(),
});
export type TurnUsage = z.infer<typeof TurnUsage>;

export const StageEntry = z.object({ stage: Stage, at: z.string() });

export const Session = z.object({
  schemaVersion: z.literal(SESSION_SCHEMA_VERSION),
  id: SessionId,
  title: z.string().max(MAX_FIELD_CHARS),
  createdAt: z.string(),
  updatedAt: z.string(),
  provider: ProviderChoice.default('auto'),
  stage: Stage,
  stageHistory: z.array(StageEntry),
  /** The spec field the interviewer is asking about (e.g. "goals", "tools[0].endpoint"), or null. */
  awaiting: z.string().nullable(),
  spec: AgentSpec.superRefine(specWithinLimits),
  messages: z.array(Message).superRefine(messagesWithinLimits),
  usage: z.array(TurnUsage).default([]),
  /** The design before the last change made in chat, so "undo that" can restore it. */
  undo: z
    .object({
      stage: Stage,
      awaiting: z.string().nullable(),
      spec: AgentSpec,
      /** What the change was ("tone", "removed refill_prescription"), for the reply. */
      change: z.string(),
    })
    .optional(),
  /** The ElevenLabs agent this design was published as (absent until the first Publish). */
  elevenlabs: PublishRecord.optional(),
  /** Simulated-call runs against this design, oldest first (the newest few are kept). */
  simulations: z.array(SimulationRun).max(MAX_SIMULATION_RUNS).optional(),
  /** Which version of the design was exported or published where (see shared/versions.ts). */
  releases: z.array(VersionRelease).optional(),
});
export type Session = z.infer<typeof Session>;

/** What the session browser lists: small, derived from the index, never from parsing every file. */
export const SessionSummary = z.object({
  id: SessionId,
  title: z.string(),
  stage: Stage,
  agentType: z.string().nullable(),
  updatedAt: z.string(),
  size: z.number().int().nonnegative(),
  /** Written by a newer Parley: shown, never overwritten. */
  readOnly: z.boolean().optional(),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

export const QuarantinedFile = z.object({
  file: z.string(),
  reason: z.string(),
  at: z.string(),
});
export type QuarantinedFile = z.infer<typeof QuarantinedFile>;
