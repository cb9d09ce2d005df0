import type { AgentSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import type { Criterion, Persona, SimMessage } from '../../shared/simulation';
import type { ChatMessage, LlmProvider } from '../llm/types';
import { inputLabel, type AgentUnderTest } from './design';
import type { AgentAction } from './conversation';
import type { Sides } from './run';

/**
 * The simulation on a model: the caller persona, the agent under test and the judge are each a
 * model turn through the provider layer (the provider the session's stage routes to). The agent
 * gets its own prompt plus a short note on how to call a tool in text ("CALL name {json}"); the
 * caller gets its persona; the judge gets the transcript and the criteria, and its verdict counts
 * for the criteria a reading of the call decides (error path, guardrails, polite end). Whether a
 * tool or transfer was called, and with what, is read from the call record, not from a model.
 */

export interface LlmSidesOptions {
  provider: LlmProvider;
  agent: AgentUnderTest;
  spec: AgentSpec;
  stage: Stage;
  temperature: number;
  maxTokens: number;
  signal?: AbortSignal;
  onDelta?: (scenario: string, role: 'agent' | 'caller', text: string) => void;
  /** Tokens and cost of every model call, as they finish. */
  onUsage?: (usage: { inputTokens: number; outputTokens: number; costUsd?: number }) => void;
}

/** Criteria a model reading the call may decide; the rest are facts of the call record. */
export const JUDGED_BY_MODEL = new Set(['error_path', 'guardrail', 'polite_end']);

function toolNote(agent: AgentUnderTest): string {
  const tools = agent.tools.map((t) => {
    const args = Object.keys(t.properties).map((p) => `${p}${t.required.includes(p) ? '' : '?'}: ${inputLabel(p, t.properties[p])}`);
    return `- ${t.name}(${args.join(', ')})`;
  });
  return [
    '# Test call',
    'This is a simulated phone call. Write only what you say aloud.',
    'To use a tool, add one line at the end of your reply: CALL <tool name> <JSON object of inputs>. You then get its result.',
    'Tools:',
    ...tools,
    '- transfer_to_number({"reason": …}): transfers the call to a colleague',
    '- end_call({"reason": …}): hangs up',
  ].join('\n');
}

/** "…\nCALL get_order_status {"order_id":"A1"}" → what is said, and the call. */
export function parseAgentReply(reply: string): AgentAction[] {
  const actions: AgentAction[] = [];
  const said: string[] = [];
  for (const line of reply.split('\n')) {
    const m = /^\s*CALL\s+([A-Za-z_][\w-]*)\s*(\{.*\})?\s*$/.exec(line);
    if (!m) {
      said.push(line);
      continue;
    }
    let args: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(m[2] ?? '{}');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
    } catch {
      // arguments a model garbled count as none: the tool's 400 shows it
    }
    actions.push({ call: m[1]!, args });
  }
  const text = said.join('\n').trim();
  return text ? [{ say: text }, ...actions] : actions;
}

function asChat(transcript: readonly SimMessage[], me: 'agent' | 'caller'): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of transcript) {
    const role = m.role === me ? 'assistant' : 'user';
    const text = m.role === 'tool' ? `[tool] ${m.text}` : m.text;
    const last = out[out.length - 1];
    if (last && last.role === role) last.text += `\n${text}`;
    else out.push({ role, text });
  }
  if (out[0]?.role === 'assistant') out.unshift({ role: 'user', text: '(the call connects)' });
  return out;
}

/** "PASS polite_end: …" / "FAIL guardrail: …" lines. */
export function parseJudgeReply(reply: string): Map<string, { passed: boolean; reason: string }> {
  const out = new Map<string, { passed: boolean; reason: string }>();
  for (const line of reply.split('\n')) {
    const m = /^\s*(PASS|FAIL)\s+([a-z_]+)\s*[:-]\s*(.*)$/i.exec(line);
    if (m) out.set(m[2]!.toLowerCase(), { passed: m[1]!.toUpperCase() === 'PASS', reason: m[3]!.trim() });
  }
  return out;
}

export function llmSides(o: LlmSidesOptions): Sides {
  const turn = async (scenario: string, role: 'agent' | 'caller' | 'judge', system: string, messages: ChatMessage[]) => {
    const out = await o.provider.generateTurn(
      { stage: o.stage, system, messages, spec: o.spec, awaiting: null, temperature: o.temperature, maxTokens: o.maxTokens },
      { signal: o.signal, onDelta: role === 'judge' ? undefined : (text) => o.onDelta?.(scenario, role, text) },
    );
    o.onUsage?.({ ...out.usage, ...(out.costUsd !== undefined ? { costUsd: out.costUsd } : {}) });
    return out.result.reply;
  };
  return {
    agent: (persona) => ({
      respond: async (_input, transcript) => parseAgentReply(await turn(persona.id, 'agent', `${o.agent.prompt}\n\n${toolNote(o.agent)}`, asChat(transcript, 'agent'))),
    }),
    caller: (persona) => ({
      respond: async (_agentText, transcript) => {
        const knows = Object.entries(persona.knows).map(([k, v]) => `${k}: ${v}`).join(', ');
        const system = [
          'You are a person phoning a business; you are not an assistant. Speak one short turn at a time, as people do on the phone.',
          `Who you are: ${persona.description}`,
          `You open with something like: "${persona.lines[0]}"`,
          knows ? `Details you can give when asked: ${knows}. Anything else you do not know.` : 'You have no reference numbers or details to give.',
          'When your need is handled, or you are transferred, say goodbye. To hang up, write END on its own line.',
        ].join('\n');
        const reply = (await turn(persona.id, 'caller', system, asChat(transcript, 'caller'))).replace(/^\s*END\s*$/m, '').trim();
        return reply || null;
      },
    }),
    judge: async (persona: Persona, transcript: SimMessage[], rules: Criterion[]) => {
      const asked = rules.filter((c) => JUDGED_BY_MODEL.has(c.id));
      if (!asked.length) return rules;
      const system = [
        'You judge a test phone call between a voice agent and a caller. Answer one line per criterion, exactly: PASS <id>: <reason> or FAIL <id>: <reason>.',
        `The caller: ${persona.description}`,
        'Criteria:',
        ...asked.map((c) => `- ${c.id}: ${c.label}`),
      ].join('\n');
      const text = transcript.map((m) => `${m.role}: ${m.text}`).join('\n');
      const verdicts = parseJudgeReply(await turn(persona.id, 'judge', system, [{ role: 'user', text }]));
      return rules.map((c) => {
        const v = JUDGED_BY_MODEL.has(c.id) ? verdicts.get(c.id) : undefined;
        return v ? { ...c, passed: v.passed, reason: v.reason || c.reason } : c;
      });
    },
  };
}
