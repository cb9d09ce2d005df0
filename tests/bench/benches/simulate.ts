import { simulate } from '../../../electron/simulate/run';
import { pharmacySpec } from '../../support/simulate-designs';
import type { BenchContext } from '../context';
import { sample } from '../measure';
import type { BenchResult } from '../types';

/** Issue 21: a 5-persona offline simulation of a 3-tool design, start to verdicts; budget < 2 s. */
export async function simulate5x3(ctx: BenchContext): Promise<BenchResult> {
  const spec = pharmacySpec();
  let passed = 0;
  let total = 0;
  let messages = 0;
  const figures = await sample(
    'simulate',
    async () => {
      const run = await simulate({ spec, sessionId: '3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f', runId: 'bench', at: '2026-11-29T00:00:00.000Z', count: 5 });
      passed = run.passed;
      total = run.total;
      messages = run.scenarios.reduce((n, s) => n + s.transcript.length, 0);
    },
    { iterations: ctx.sizes.iterations, warmup: ctx.sizes.warmup },
  );
  return {
    name: 'simulate_5x3',
    unit: 'ms',
    value: figures.median,
    budget: '< 2000 ms',
    pass: figures.median < 2000 && total === 5,
    detail: `offline simulate() of a 3-tool pharmacy design with 5 personas (agent under test read from its prompt, calls, judge), median of ${figures.samples.length}; ${passed} of ${total} scenarios passed, ${messages} messages`,
  };
}
