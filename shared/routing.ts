import type { Stage } from './stages';
import type { ProviderChoice, ProviderName } from './providers';

export interface PickInput {
  stage: Stage;
  choice: ProviderChoice;
  routing: Partial<Record<Stage, ProviderName>>;
  /** Providers that could answer right now (a key is set, a local endpoint is configured, offline). */
  available: ReadonlySet<ProviderName>;
}

/**
 * Which provider answers a turn: an explicit choice when it can answer; otherwise the routing
 * table, then the other keyed provider, then a local endpoint, then offline. The main process
 * routes with it and the window shows its answer, so the two never disagree.
 */
export function pickProviderName({ stage, choice, routing, available }: PickInput): { name: ProviderName; reason: string } {
  if (choice !== 'auto' && available.has(choice)) return { name: choice, reason: `chosen: ${choice}` };
  const routed = routing[stage];
  if (routed && available.has(routed)) return { name: routed, reason: 'routed' };
  for (const name of ['openai', 'anthropic', 'local'] as const) {
    if (available.has(name)) return { name, reason: `fallback: ${routed ?? 'routed provider'} is not configured` };
  }
  return { name: 'offline', reason: 'no LLM provider is configured; the offline guided interviewer answers' };
}

/** The provider the user asked for (the session's choice, else the stage's route). */
export function wantedProvider(stage: Stage, choice: ProviderChoice, routing: Partial<Record<Stage, ProviderName>>): ProviderName {
  return choice !== 'auto' ? choice : (routing[stage] ?? 'offline');
}
