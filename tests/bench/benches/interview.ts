import { emptySpec } from '../../../shared/spec';
import type { TurnRequest } from '../../../electron/llm/types';
import { interview } from '../../../electron/interview/offline';
import { loadLanguageDetector } from '../../../electron/interview/language';
import type { BenchContext } from '../context';
import { sample } from '../measure';
import type { BenchResult } from '../types';

/**
 * Opening messages of about 600 characters, the kind a new user writes: every fact in one
 * paragraph. The offline interviewer classifies each and reads every field it holds.
 */
const OPENINGS = [
  "Hi! I'm the operations manager at Greenleaf Pharmacy in Portland. We want a pharmacy phone assistant that helps patients with their prescriptions. It should look up prescriptions and request refills, and tell callers our opening hours. Keep it warm, patient and clear. lookup_prescription is a GET to https://api.greenleaf.example/v1/prescriptions/{rx_number} and takes the rx number and the patient's date of birth; request_refill is a POST to https://api.greenleaf.example/v1/refills with the rx number and the store id. Both use a bearer token. If someone asks about side effects, transfer them to the pharmacist.",
  'hello, i run guest services at the Harbor View Hotel on the waterfront and we get a lot of calls at night from guests who want room service, extra towels or a late checkout, and our night staff is small, so we would like something that answers the phone politely, takes room service orders through our ordering system and books late checkouts, while being warm and discreet because it is a luxury hotel and guests expect to be treated well at any hour of the night. If something goes wrong, transfer them to the night manager at +1 415 555 0134, who is always on duty and knows every guest by name here.',
  'We are Pipe Dreams, a family-run plumbing company in Denver, Colorado, and we need an appointment booking agent. It should book service visits through our scheduling API, POST https://api.pipedreams.example/v2/jobs with the customer name, the street address, the phone number and the preferred date, and check the status of an existing job with a GET to https://api.pipedreams.example/v2/jobs/{job_id}. Use an API key in the X-API-Key header. Be friendly, efficient and reassuring; people calling a plumber are often stressed. If the booking fails, apologise and ask them to call back in a few minutes.',
];

function request(text: string): TurnRequest {
  return { stage: 'INITIAL', system: '', messages: [{ role: 'user', text }], spec: emptySpec(), awaiting: 'agent_type', temperature: 0.7, maxTokens: 1000, threshold: 0.6 };
}

export async function offlineTurn600(ctx: BenchContext): Promise<BenchResult> {
  const detector = await loadLanguageDetector();
  const requests = OPENINGS.map(request);
  const chars = OPENINGS.map((t) => t.length);
  let n = 0;
  const figures = await sample(
    'offline_turn_600',
    async () => {
      const started = performance.now();
      interview(requests[n++ % requests.length]!, detector);
      return performance.now() - started;
    },
    { iterations: Math.max(ctx.sizes.iterations * 6, 30), warmup: ctx.sizes.warmup + 6 },
  );
  return {
    name: 'offline_turn_600',
    unit: 'ms',
    value: figures.median,
    budget: '≤ 25 ms',
    pass: figures.median <= 25,
    detail: `the offline interviewer's whole turn (classify, read every field from prose, check with the orchestrator's merge, choose the next question) on opening messages of ${Math.min(...chars)}–${Math.max(...chars)} characters (three domains, each filling 8–20 fields); median ${figures.median.toFixed(2)} ms, p95 ${figures.p95.toFixed(2)} ms over ${figures.samples.length} turns, NLP libraries loaded (compromise, eld)`,
  };
}
