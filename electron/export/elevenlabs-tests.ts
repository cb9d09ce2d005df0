import type { ScenarioResult, SimMessage, SimulationRun } from '../../shared/simulation';
import type { AgentSpec } from '../../shared/spec';
import { fileSlug, namedTools } from './naming';
import type { JsonObject } from './schema';

/**
 * ElevenLabs agent tests from the session's newest simulation run, one per scenario, in the
 * body `POST /v1/convai/agent-testing/create` takes (what `elevenlabs tests push` sends as is):
 * - a caller who has what a tool needs: a tool test, the conversation up to the caller's last
 *   words before the call, expecting that tool with the inputs the caller gave (exact match);
 * - a caller who lacks it: a tool test that the tool is NOT called;
 * - a caller who wants a human, in a design with a transfer: a tool test for transfer_to_number;
 * - other scenarios (guardrails, no transfer to make): a response test whose success condition is
 *   the judge's criteria, with the simulated agent's answer as the success example.
 * A scenario whose tool fails is left out: an ElevenLabs test can only make a tool fail through
 * mocks keyed by deployed tool ids. A webhook tool is named as in tool_configs until the link step
 * puts its id in (a re-export into a deployed project writes the id).
 */

export interface AgentTest {
  /** test_configs/<slug>.json */
  config: string;
  type: 'tool' | 'llm';
  body: JsonObject;
}

function history(transcript: SimMessage[], end: number): JsonObject[] {
  return transcript
    .slice(0, end + 1)
    .filter((m) => m.role !== 'tool')
    .map((m, i) => ({ role: m.role === 'caller' ? 'user' : 'agent', message: m.text, time_in_call_secs: i * 4 }));
}

/** Index of the last caller message before transcript index `at`. */
function lastCallerBefore(transcript: SimMessage[], at: number): number {
  for (let i = Math.min(at, transcript.length - 1); i >= 0; i--) if (transcript[i]!.role === 'caller') return i;
  return -1;
}

function firstCaller(transcript: SimMessage[]): number {
  return transcript.findIndex((m) => m.role === 'caller');
}

function toolTest(s: ScenarioResult, name: string, end: number, referenced: JsonObject, parameters: JsonObject[], absent: boolean): JsonObject {
  return {
    name,
    type: 'tool',
    chat_history: history(s.transcript, end),
    tool_call_parameters: { referenced_tool: referenced, parameters, verify_absence: absent },
  };
}

function testFor(s: ScenarioResult, exported: Map<string, string>, spec: AgentSpec): Omit<AgentTest, 'config'> | null {
  const name = `${s.persona.name} (Parley)`.slice(0, 200);
  const tool = s.persona.tool ? exported.get(s.persona.tool) : undefined;
  const specTool = spec.tools.find((t) => t.name?.value === s.persona.tool);
  const required = Array.isArray(specTool?.input_schema?.value.required) ? (specTool.input_schema.value.required as string[]) : [];
  switch (s.persona.kind) {
    case 'knows': {
      const call = s.toolCalls.find((c) => c.tool === s.persona.tool);
      if (!tool || !call) return null;
      const end = lastCallerBefore(s.transcript, call.at);
      const parameters = required.filter((r) => s.persona.knows[r] !== undefined).map((r) => ({ path: r, eval: { type: 'exact', expected_value: s.persona.knows[r] } }));
      return { type: 'tool', body: toolTest(s, name, end, { id: tool, type: 'webhook' }, parameters, false) };
    }
    case 'doesnt_know': {
      if (!tool) return null;
      const refusal = s.transcript.findIndex((m) => m.role === 'caller' && /don'?t|do not|without/i.test(m.text));
      if (refusal < 0) return null;
      return { type: 'tool', body: toolTest(s, name, refusal, { id: tool, type: 'webhook' }, [], true) };
    }
    case 'wants_human': {
      const transfer = s.toolCalls.find((c) => c.tool === 'transfer_to_number' && c.outcome === 'ok');
      if (transfer) return { type: 'tool', body: toolTest(s, name, lastCallerBefore(s.transcript, transfer.at), { id: 'transfer_to_number', type: 'system' }, [], false) };
      break;
    }
    case 'tool_fails':
      return null;
    default:
      break;
  }
  const opener = firstCaller(s.transcript);
  if (opener < 0) return null;
  const answer = s.transcript.slice(opener + 1).find((m) => m.role === 'agent')?.text;
  const conditions = s.criteria.filter((c) => c.id !== 'polite_end').map((c) => c.label);
  return {
    type: 'llm',
    body: {
      name,
      type: 'llm',
      chat_history: history(s.transcript, opener),
      success_condition: `${s.persona.description} The agent's reply passes if ${conditions.join(' and ') || 'it stays helpful and polite'}.`,
      success_examples: [{ response: s.passed && answer ? answer : "I'm sorry, I can't help with that on this call. Is there anything else I can help you with?", type: 'success' }],
      failure_examples: [{ response: 'Sure, here is what I think: that should be fine, go ahead.', type: 'failure' }],
    },
  };
}

/** `toolRef`: how a tool test names its webhook tool (its deployed id once the project has one). */
export function agentTests(session: { spec: AgentSpec; simulations?: SimulationRun[] }, toolRef: (exportedName: string) => string = (n) => n): AgentTest[] {
  const run = session.simulations?.at(-1);
  if (!run) return [];
  const exported = new Map(namedTools(session.spec, []).map((t) => [t.tool.name?.value ?? '', toolRef(t.name)]));
  const used = new Set<string>();
  const out: AgentTest[] = [];
  for (const s of run.scenarios) {
    const test = testFor(s, exported, session.spec);
    if (!test) continue;
    let slug = fileSlug(s.persona.id, 'scenario');
    for (let n = 2; used.has(slug); n++) slug = `${fileSlug(s.persona.id, 'scenario')}-${n}`;
    used.add(slug);
    out.push({ config: `test_configs/${slug}.json`, ...test });
  }
  return out;
}
