import { ParleyError } from '../../shared/errors';
import { MAX_SIM_MESSAGES, MAX_SIM_TEXT, MAX_SIM_TOOL_CALLS, type Persona, type SimMessage, type SimToolCall } from '../../shared/simulation';
import type { AgentUnderTest } from './design';
import type { ToolFailure, ToolResponder } from './tool-responses';

/**
 * One simulated call: the agent greets, then caller and agent take turns until the agent ends
 * the call, transfers it, or the caller hangs up. Tool calls go to the responder (webhook tools)
 * or are settled here (system tools: transfer_to_number, end_call). The same loop runs the
 * offline drivers and the LLM ones.
 */

export type AgentAction = { say: string } | { call: string; args: Record<string, unknown> };

export interface AgentInput {
  kind: 'caller' | 'tool';
  text: string;
  call?: SimToolCall;
}

export interface AgentSide {
  respond(input: AgentInput, transcript: readonly SimMessage[]): Promise<AgentAction[]>;
}

export interface CallerSide {
  /** The caller's next line, or null when they hang up. */
  respond(agentText: string, transcript: readonly SimMessage[]): Promise<string | null>;
}

export interface CallRecord {
  transcript: SimMessage[];
  toolCalls: SimToolCall[];
  /** How the call ended: the agent ended it, transferred it, the caller hung up, or it ran too long. */
  ending: 'end_call' | 'transfer' | 'caller_hung_up' | 'too_long';
}

export const MAX_CALLER_TURNS = 10;
const MAX_ACTIONS_PER_TURN = 8;

export async function runCall(input: {
  agent: AgentUnderTest;
  persona: Persona;
  agentSide: AgentSide;
  callerSide: CallerSide;
  respond: ToolResponder;
  /** Which tool fails for this persona, and how. */
  failure: { tool: string; how: ToolFailure } | null;
  onMessage?: (message: SimMessage) => void;
  signal?: AbortSignal;
}): Promise<CallRecord> {
  const transcript: SimMessage[] = [];
  const toolCalls: SimToolCall[] = [];
  const clip = (text: string) => (text.length > MAX_SIM_TEXT ? `${text.slice(0, MAX_SIM_TEXT - 1)}…` : text);
  const push = (message: SimMessage) => {
    const kept = { role: message.role, text: clip(message.text) };
    transcript.push(kept);
    input.onMessage?.(kept);
  };
  /** Arguments as given, unless a model sent something too big to keep. */
  const keepArgs = (args: Record<string, unknown>) => (JSON.stringify(args).length > MAX_SIM_TEXT ? { too_large: true } : args);
  // Room left for a turn's messages and tool calls before the call is cut off as too long.
  const full = () => transcript.length >= MAX_SIM_MESSAGES - MAX_ACTIONS_PER_TURN - 2 || toolCalls.length >= MAX_SIM_TOOL_CALLS - MAX_ACTIONS_PER_TURN;
  push({ role: 'agent', text: input.agent.firstMessage });
  let ending: CallRecord['ending'] | null = null;
  let lastAgent = input.agent.firstMessage;
  for (let turn = 0; turn < MAX_CALLER_TURNS && !ending && !full(); turn++) {
    if (input.signal?.aborted) throw new ParleyError('CANCELLED', 'The simulation was stopped.');
    const line = await input.callerSide.respond(lastAgent, transcript);
    if (line === null) {
      ending = 'caller_hung_up';
      break;
    }
    push({ role: 'caller', text: line });
    const said: string[] = [];
    let queue = await input.agentSide.respond({ kind: 'caller', text: line }, transcript);
    let acted = 0;
    while (queue.length && !ending && acted < MAX_ACTIONS_PER_TURN) {
      const next: AgentAction[] = [];
      for (const action of queue) {
        if (++acted > MAX_ACTIONS_PER_TURN) break;
        if ('say' in action) {
          if (!action.say.trim()) continue;
          push({ role: 'agent', text: action.say });
          said.push(action.say);
          continue;
        }
        const at = transcript.length - 1;
        if (action.call === 'end_call') {
          toolCalls.push({ tool: 'end_call', args: keepArgs(action.args), outcome: 'ok', result: 'call ended', at });
          push({ role: 'tool', text: 'end_call → the call ended' });
          ending = 'end_call';
          break;
        }
        if (action.call === 'transfer_to_number') {
          const target = input.agent.transfers.find((t) => t.number);
          const call: SimToolCall = target
            ? { tool: 'transfer_to_number', args: { ...keepArgs(action.args), phone_number: target.number }, outcome: 'ok', result: `transferred to ${target.number}`, at }
            : { tool: 'transfer_to_number', args: keepArgs(action.args), outcome: 'no_target', result: 'no transfer number is configured', at };
          toolCalls.push(call);
          push({ role: 'tool', text: `transfer_to_number → ${call.result}` });
          if (target) {
            ending = 'transfer';
            break;
          }
          next.push(...(await input.agentSide.respond({ kind: 'tool', text: call.result, call }, transcript)));
          continue;
        }
        const tool = input.agent.tools.find((t) => t.name === action.call);
        const answer = tool
          ? input.respond(tool, action.args, input.failure?.tool === tool.name ? input.failure.how : null)
          : { outcome: 'error' as const, result: `no tool named ${action.call}` };
        const call: SimToolCall = { tool: action.call.slice(0, 200), args: keepArgs(action.args), outcome: answer.outcome, result: clip(answer.result), at };
        toolCalls.push(call);
        push({ role: 'tool', text: `${call.tool}(${JSON.stringify(call.args)}) → ${call.result}` });
        next.push(...(await input.agentSide.respond({ kind: 'tool', text: answer.result, call }, transcript)));
      }
      queue = next;
    }
    lastAgent = said.join(' ');
  }
  return { transcript, toolCalls, ending: ending ?? 'too_long' };
}
