import { ParleyError } from '../../shared/errors';
import type { EventPayload } from '../../shared/ipc';
import type { ProviderChoice } from '../../shared/providers';
import type { Settings } from '../../shared/settings';
import { MAX_SIMULATION_RUNS, type Persona, type SimulationEstimate, type SimulationRun } from '../../shared/simulation';
import { stageIndex, type Stage } from '../../shared/stages';
import type { Route } from '../llm/types';
import { priceOf } from '../llm/prices';
import { agentUnderTest } from '../simulate/design';
import { proposePersonas } from '../simulate/personas';
import { simulate } from '../simulate/run';
import { llmSides } from '../simulate/llm';
import { MAX_CALLER_TURNS } from '../simulate/conversation';
import { recordedExamplesOnTool } from '../simulate/tool-responses';
import type { SessionService } from './sessions';

/**
 * Simulated calls for a session: who runs them (offline, or the provider the session's stage
 * routes to, like a turn), what they may cost, the run itself with its messages streamed as
 * simulate:event, and the result stored with the session (the newest few runs).
 */
export interface SimulationService {
  personas(sessionId: string, options?: { count?: number; fresh?: boolean }): Promise<Persona[]>;
  estimate(sessionId: string, count?: number): Promise<SimulationEstimate>;
  run(sessionId: string, options?: { count?: number; personas?: Persona[]; signal?: AbortSignal }): Promise<SimulationRun>;
  /** Stops the session's running simulation (nothing of it is stored); false when none runs. */
  cancel(sessionId: string): boolean;
}

/** Personas a run uses when none are asked for: every proposed one, up to this many. */
export const DEFAULT_PERSONAS = 5;

export function createSimulationService(deps: {
  sessions: Pick<SessionService, 'get' | 'update'>;
  getSettings: () => Promise<Settings>;
  resolveProvider: (stage: Stage, choice: ProviderChoice) => Promise<Route>;
  clock: () => Date;
  newId: () => string;
  emit: (event: 'simulate:event', payload: EventPayload<'simulate:event'>) => void;
}): SimulationService {
  const running = new Map<string, AbortController>();
  const ready = async (sessionId: string) => {
    const session = await deps.sessions.get(sessionId);
    if (stageIndex(session.stage) < stageIndex('REVIEWING_WORKFLOW')) {
      throw new ParleyError('CONFLICT', `Simulated calls need a design to review: this session is at ${session.stage}; finish the tools first (REVIEWING_WORKFLOW or later).`);
    }
    return session;
  };

  const personasOf = async (sessionId: string, count?: number, fresh?: boolean): Promise<Persona[]> => {
    const session = await ready(sessionId);
    const last = session.simulations?.at(-1);
    const proposed = proposePersonas(agentUnderTest(session.spec));
    const base = !fresh && last ? last.scenarios.map((s) => s.persona) : proposed;
    return base.slice(0, count ?? (fresh || !last ? DEFAULT_PERSONAS : base.length));
  };

  return {
    personas: (sessionId, options = {}) => personasOf(sessionId, options.count, options.fresh),

    async estimate(sessionId, count) {
      const session = await ready(sessionId);
      const personas = (await personasOf(sessionId, count)).length;
      const { provider } = await deps.resolveProvider(session.stage, session.provider);
      if (provider.name === 'offline') return { mode: 'offline', provider: 'offline', model: provider.model, personas, calls: 0, costUsd: 0 };
      const settings = await deps.getSettings();
      const agent = agentUnderTest(session.spec);
      // At most: a caller and up to two agent turns per caller turn, and one judge call, per persona.
      const calls = personas * (MAX_CALLER_TURNS * 3 + 1);
      const inputTokens = Math.ceil((agent.prompt.length + 3000) / 4);
      const price = priceOf(provider.model);
      const costUsd = price ? Math.round(calls * (inputTokens * price.inputPerMTok + Math.min(settings.maxTokens, 300) * price.outputPerMTok)) / 1e6 : null;
      return { mode: 'llm', provider: provider.name, model: provider.model, personas, calls, costUsd };
    },

    cancel(sessionId) {
      const controller = running.get(sessionId);
      controller?.abort();
      return controller !== undefined;
    },

    async run(sessionId, options = {}) {
      if (running.has(sessionId)) throw new ParleyError('CONFLICT', 'A simulation is already running for this session.');
      const controller = new AbortController();
      running.set(sessionId, controller);
      const stop = () => controller.abort();
      options.signal?.addEventListener('abort', stop, { once: true });
      try {
        return await runOnce(sessionId, { ...options, signal: controller.signal });
      } catch (error) {
        throw controller.signal.aborted ? new ParleyError('CANCELLED', 'The simulation was stopped.') : error;
      } finally {
        options.signal?.removeEventListener('abort', stop);
        running.delete(sessionId);
      }
    },
  };

  async function runOnce(sessionId: string, options: { count?: number; personas?: Persona[]; signal: AbortSignal }): Promise<SimulationRun> {
    const session = await ready(sessionId);
    const personas = options.personas ?? (await personasOf(sessionId, options.count));
    const runId = deps.newId();
    const { provider } = await deps.resolveProvider(session.stage, session.provider);
    const settings = await deps.getSettings();
    const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0, priced: true };
    const agent = agentUnderTest(session.spec);
    const online = provider.name !== 'offline';
    const result = await simulate({
      spec: session.spec,
      sessionId,
      runId,
      at: deps.clock().toISOString(),
      personas,
      examples: recordedExamplesOnTool,
      mode: online ? 'llm' : 'offline',
      signal: options.signal,
      sides: online
        ? llmSides({
            provider,
            agent,
            spec: session.spec,
            stage: session.stage,
            temperature: settings.temperature,
            maxTokens: settings.maxTokens,
            signal: options.signal,
            onDelta: (scenario, role, text) => deps.emit('simulate:event', { type: 'delta', runId, sessionId, scenario, role, text }),
            onUsage: (u) => {
              usage.inputTokens += u.inputTokens;
              usage.outputTokens += u.outputTokens;
              if (u.costUsd === undefined) usage.priced = false;
              else usage.costUsd += u.costUsd;
            },
          })
        : undefined,
      onMessage: (scenario, message) => deps.emit('simulate:event', { type: 'message', runId, sessionId, scenario, message }),
      onScenario: (s) => deps.emit('simulate:event', { type: 'scenario', runId, sessionId, scenario: s.persona.id, passed: s.passed, summary: s.summary }),
    });
    const run: SimulationRun = {
      ...result,
      ...(online ? { provider: provider.name, model: provider.model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } : {}),
      ...(online && usage.priced ? { costUsd: Math.round(usage.costUsd * 1e8) / 1e8 } : {}),
    };
    if (options.signal.aborted) throw new ParleyError('CANCELLED', 'The simulation was stopped.');
    await deps.sessions.update(sessionId, (latest) => ({ ...latest, simulations: [...(latest.simulations ?? []), run].slice(-MAX_SIMULATION_RUNS) }));
    return run;
  }
}
