import { z } from 'zod';
import { SessionId } from './ids';
import { ProviderName } from './providers';

/**
 * Simulated calls: caller personas talk to the designed agent (its prompt, first message,
 * language and tools), tools answer from examples or their output schema, and a judge scores each
 * conversation against criteria derived from the spec. Runs are kept with the session, so two runs
 * against successive designs can be compared.
 */

/** Personas in one run at most. */
export const MAX_PERSONAS = 12;

/** What a persona is there to test; the judge's criteria follow from it. */
export const PERSONA_KINDS = ['knows', 'doesnt_know', 'tool_fails', 'wants_human', 'guardrail'] as const;
export const PersonaKind = z.enum(PERSONA_KINDS);
export type PersonaKind = z.infer<typeof PersonaKind>;

export const Persona = z.object({
  /** Stable within a design ("knows-get_order_status"), so runs can be compared scenario by scenario. */
  id: z.string().min(1).max(120),
  /** "Knows the order number". */
  name: z.string().min(1).max(200),
  kind: PersonaKind,
  /** Who the caller is and what they want, for the LLM caller and the ElevenLabs test. */
  description: z.string().min(1).max(2000),
  /** The tool this persona is about (knows, doesnt_know, tool_fails). */
  tool: z.string().max(200).optional(),
  /** What the caller says, in order (offline: said as written; with a provider: hints). */
  lines: z.array(z.string().min(1).max(1000)).min(1).max(20),
  /** Values the caller gives when asked for them, by input name ("order_id": "A1234"). */
  knows: z.record(z.string().max(200), z.string().max(500)).default({}),
});
export type Persona = z.infer<typeof Persona>;

/** Bounds that keep a session with five full runs well under the session file's size limit. */
export const MAX_SIM_TEXT = 4000;
export const MAX_SIM_MESSAGES = 60;
export const MAX_SIM_TOOL_CALLS = 30;

export const SimMessage = z.object({
  role: z.enum(['agent', 'caller', 'tool']),
  text: z.string().max(MAX_SIM_TEXT),
});
export type SimMessage = z.infer<typeof SimMessage>;

export const SimToolCall = z.object({
  /** A webhook tool's name, or a system tool ("transfer_to_number", "end_call"). */
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  /** How the tool answered: a result, an HTTP 500, an empty result, or no target to transfer to. */
  outcome: z.enum(['ok', 'error', 'empty', 'no_target']),
  /** What it returned (JSON text), or the error. */
  result: z.string().max(MAX_SIM_TEXT),
  /** Index in the transcript of the message it came after. */
  at: z.number().int().nonnegative(),
});
export type SimToolCall = z.infer<typeof SimToolCall>;

export const Criterion = z.object({
  /** "tool_called", "inputs_asked", "error_path", "transfer", "guardrail", "polite_end", "no_invented_input". */
  id: z.string(),
  label: z.string(),
  passed: z.boolean(),
  /** Why, in a sentence a person reads: what happened, what the design lacks, where to fix it. */
  reason: z.string().max(2000),
});
export type Criterion = z.infer<typeof Criterion>;

export const ScenarioResult = z.object({
  persona: Persona,
  transcript: z.array(SimMessage).max(MAX_SIM_MESSAGES),
  toolCalls: z.array(SimToolCall).max(MAX_SIM_TOOL_CALLS),
  criteria: z.array(Criterion),
  passed: z.boolean(),
  /** The first failed criterion's reason, or "" when it passed. */
  summary: z.string().max(2000),
});
export type ScenarioResult = z.infer<typeof ScenarioResult>;

export const SimulationRun = z.object({
  id: z.string().min(1),
  sessionId: SessionId,
  at: z.string(),
  /** 'offline' (scripted personas, rule-based agent and judge) or the provider that ran it. */
  mode: z.enum(['offline', 'llm']),
  provider: ProviderName.optional(),
  model: z.string().optional(),
  /** A hash of what was tested (prompt, first message, language, tools, transfers): which design version this ran against. */
  designHash: z.string(),
  scenarios: z.array(ScenarioResult).max(MAX_PERSONAS),
  passed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Design holes found before any call (a required input the prompt never asks for, …). */
  findings: z.array(z.string().max(2000)).default([]),
  costUsd: z.number().nonnegative().optional(),
  inputTokens: z.number().int().nonnegative().default(0),
  outputTokens: z.number().int().nonnegative().default(0),
});
export type SimulationRun = z.infer<typeof SimulationRun>;

/** Runs kept per session: the newest ones (enough to compare, small enough for the session file). */
export const MAX_SIMULATION_RUNS = 5;


/** "3 of 5 passed → 5 of 5 passed"; the newest run alone when there is no earlier one. */
export function compareRuns(previous: Pick<SimulationRun, 'passed' | 'total'> | undefined, current: Pick<SimulationRun, 'passed' | 'total'>): string {
  const now = `${current.passed} of ${current.total} passed`;
  return previous ? `${previous.passed} of ${previous.total} passed → ${now}` : now;
}

/** A streamed piece of a run: a scenario's message as it is said, or a scenario's verdict. */
export const SimulationEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), runId: z.string(), sessionId: SessionId, scenario: z.string(), message: SimMessage }),
  z.object({ type: z.literal('delta'), runId: z.string(), sessionId: SessionId, scenario: z.string(), role: z.enum(['agent', 'caller']), text: z.string() }),
  z.object({ type: z.literal('scenario'), runId: z.string(), sessionId: SessionId, scenario: z.string(), passed: z.boolean(), summary: z.string() }),
]);
export type SimulationEvent = z.infer<typeof SimulationEvent>;

export const SimulationEstimate = z.object({
  mode: z.enum(['offline', 'llm']),
  provider: ProviderName,
  model: z.string(),
  personas: z.number().int().nonnegative(),
  /** Model calls the run will make at most. */
  calls: z.number().int().nonnegative(),
  /** Upper estimate in USD; null when the model has no listed price, 0 offline. */
  costUsd: z.number().nonnegative().nullable(),
});
export type SimulationEstimate = z.infer<typeof SimulationEstimate>;
