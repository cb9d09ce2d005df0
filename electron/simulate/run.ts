import type { AgentSpec } from '../../shared/spec';
import type { Persona, ScenarioResult, SimMessage, SimulationRun } from '../../shared/simulation';
import { agentUnderTest, designFindings, designHash, type AgentUnderTest } from './design';
import { proposePersonas } from './personas';
import { createToolResponder, type RecordedExamples } from './tool-responses';
import { runCall, type AgentSide, type CallerSide } from './conversation';
import { offlineAgent, offlineCaller, reachedTool } from './offline';
import { judgeCall } from './judge';
import type { Criterion } from '../../shared/simulation';

/**
 * A simulation run: every persona calls the agent under test once, and the judge scores each
 * call. Offline by default (deterministic); the LLM sides plug in through `sides` and `judge`.
 */

export interface Sides {
  agent(persona: Persona): AgentSide;
  caller(persona: Persona): CallerSide;
  /** An LLM judge's verdicts; the rule-based verdicts stand for any criterion it leaves out. */
  judge?(persona: Persona, transcript: SimMessage[], rules: Criterion[]): Promise<Criterion[]>;
}

export interface SimulateOptions {
  spec: AgentSpec;
  sessionId: string;
  runId: string;
  at: string;
  personas?: Persona[];
  /** How many proposed personas to use when `personas` is not given. */
  count?: number;
  examples?: RecordedExamples;
  sides?: Sides;
  mode?: SimulationRun['mode'];
  onMessage?: (scenario: string, message: SimMessage) => void;
  onScenario?: (result: ScenarioResult) => void;
  signal?: AbortSignal;
}

export function offlineSides(agent: AgentUnderTest): Sides {
  return { agent: () => offlineAgent(agent), caller: (p) => offlineCaller(p, agent) };
}

/** Triggers no persona line reaches: a design hole the personas reveal before any call. */
export function unreachedTriggers(agent: AgentUnderTest, personas: Persona[]): string[] {
  return agent.tools
    .filter((t) => t.section?.trigger && !personas.some((p) => p.lines.some((l) => reachedTool(agent, l)?.name === t.name)))
    .map((t) => `No persona line reaches ${t.name}'s trigger ("${t.section!.trigger}").`);
}

export async function simulate(options: SimulateOptions): Promise<SimulationRun> {
  const agent = agentUnderTest(options.spec);
  const personas = options.personas ?? proposePersonas(agent, options.count);
  const respond = createToolResponder({ examples: options.examples });
  const sides = options.sides ?? offlineSides(agent);
  const scenarios: ScenarioResult[] = [];
  for (const persona of personas) {
    const tool = agent.tools.find((t) => t.name === persona.tool);
    const record = await runCall({
      agent,
      persona,
      agentSide: sides.agent(persona),
      callerSide: sides.caller(persona),
      respond,
      failure: persona.kind === 'tool_fails' && tool ? { tool: tool.name, how: tool.index % 2 === 0 ? 'error' : 'empty' } : null,
      onMessage: (m) => options.onMessage?.(persona.id, m),
      signal: options.signal,
    });
    const rules = judgeCall(agent, persona, record);
    const criteria = sides.judge ? await sides.judge(persona, record.transcript, rules) : rules;
    const failed = criteria.find((c) => !c.passed);
    const result: ScenarioResult = { persona, transcript: record.transcript, toolCalls: record.toolCalls, criteria, passed: !failed, summary: failed?.reason ?? '' };
    scenarios.push(result);
    options.onScenario?.(result);
  }
  const passed = scenarios.filter((s) => s.passed).length;
  return {
    id: options.runId,
    sessionId: options.sessionId,
    at: options.at,
    mode: options.mode ?? 'offline',
    designHash: designHash(agent),
    scenarios,
    passed,
    total: scenarios.length,
    findings: [...designFindings(agent), ...unreachedTriggers(agent, personas)],
    inputTokens: 0,
    outputTokens: 0,
  };
}
