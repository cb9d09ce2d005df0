import type { Handlers } from '../../shared/ipc';
import type { SimulationService } from '../services/simulate';

export function simulateHandlers(simulation: SimulationService): Pick<Handlers, 'simulate:personas' | 'simulate:estimate' | 'simulate:run' | 'simulate:cancel'> {
  return {
    'simulate:personas': async ({ sessionId, count, fresh }) => ({ personas: await simulation.personas(sessionId, { count, fresh }) }),
    'simulate:estimate': async ({ sessionId, count }) => simulation.estimate(sessionId, count),
    'simulate:run': async ({ sessionId, count, personas }) => simulation.run(sessionId, { count, personas }),
    'simulate:cancel': async ({ sessionId }) => ({ cancelled: simulation.cancel(sessionId) }),
  };
}
