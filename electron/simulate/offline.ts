import type { Persona } from '../../shared/simulation';
import { inputLabel, inputWords, TRANSFER_WORDS, type AgentUnderTest, type ToolUnderTest } from './design';
import { speakResult } from './tool-responses';
import type { AgentAction, AgentSide, CallerSide } from './conversation';

/**
 * The offline pair: a scripted caller and a rule-based agent that does only what its prompt
 * says. Deterministic: same design and persona, same call. The agent reaches a tool when the
 * caller's words meet the tool's "use it when" line, asks exactly the inputs the prompt lists,
 * follows the failure line, transfers only when the prompt lets it, refuses what the guardrails
 * forbid, and closes politely when the prompt tells it how.
 */

const STOP = new Set('a an the and or but to of in on for with at by from is are be been being it its this that these those i me my you your we our they their them he she his her when whenever if as so do does did can could would should will want wants need needs ask asks about know please hi hello help calling call'.split(' '));

/** Content words, lightly stemmed ("orders" → "order", "delivered" → "deliver"). */
export function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (STOP.has(raw) || raw.length < 3) continue;
    out.add(raw.replace(/(ies)$/, 'y').replace(/(ing|ed|es|s)$/, '') || raw);
  }
  return out;
}

/** How many of the trigger's content words the line has. */
export function triggerScore(line: string, trigger: string): number {
  const want = contentWords(trigger);
  let n = 0;
  for (const w of contentWords(line)) if (want.has(w)) n++;
  return n;
}

/** The tool whose prompt trigger the line reaches, if any (at least two shared words, or all of a short trigger). */
export function reachedTool(agent: AgentUnderTest, line: string): ToolUnderTest | null {
  let best: ToolUnderTest | null = null;
  let bestScore = 0;
  for (const tool of agent.tools) {
    const trigger = tool.section?.trigger;
    if (!trigger) continue;
    const score = triggerScore(line, trigger);
    const needed = Math.min(2, contentWords(trigger).size);
    if (score >= needed && score > bestScore) {
      best = tool;
      bestScore = score;
    }
  }
  return best;
}

const HUMAN = /\b(real person|a person|human|someone real|speak to (?:someone|somebody|a)|talk to (?:someone|somebody|a)|representative|operator|manager|pharmacist)\b/i;
const GOODBYE = /\b(goodbye|bye|that'?s all|that is all|nothing else|no,? thanks?|thanks anyway)\b/i;
const NEGATIVE = /\b(don'?t|do not|no idea|not sure|haven'?t|can'?t find|without)\b/i;
const MEDICAL = /\b(pills?|dos(?:e|age)|medication|side effects?|symptoms?|diagnos\w*|safely take)\b/i;
const LEGAL = /\b(sue|lawsuit|legal(?:ly)?|lawyer)\b/i;
const FINANCIAL = /\b(invest\w*|stocks?|savings|shares)\b/i;
const OFF_TOPIC = /\b(football|match|weather|election|prediction|movie)\b/i;

function spokenFailure(failure: string): string {
  const t = failure.trim().replace(/[.!?]+$/, '');
  return `I'm sorry, that didn't work. (${t.charAt(0).toLowerCase()}${t.slice(1)}.)`;
}

export function offlineAgent(agent: AgentUnderTest): AgentSide {
  let tool: ToolUnderTest | null = null;
  let asking: string | null = null;
  let collected: Record<string, string> = {};
  const anythingElse = 'Is there anything else I can help you with?';

  const transfer = (reason: string): AgentAction[] => {
    if (agent.promptTransfers) return [{ say: 'Of course. I will transfer you to a colleague now, please hold.' }, { call: 'transfer_to_number', args: { reason } }];
    return [{ say: `I'm sorry, I can't transfer calls. ${agent.business ? `You can reach ${agent.business} another way, for example by e-mail.` : 'You can reach the team another way, for example by e-mail.'} ${anythingElse}` }];
  };

  const proceed = (): AgentAction[] => {
    if (!tool) return [];
    const ask = (tool.section?.asks ?? []).find((p) => collected[p] === undefined);
    if (ask) {
      const first = asking === null;
      asking = ask;
      return [{ say: `${first ? 'Sure, I can help with that. Could you tell me' : 'Thank you. And could you tell me'} the ${inputLabel(ask, tool.properties[ask])}?` }];
    }
    asking = null;
    const args = { ...collected };
    return [{ say: 'Thank you, one moment while I check that.' }, { call: tool.name, args }];
  };

  return {
    async respond(input) {
      if (input.kind === 'tool') {
        const call = input.call!;
        if (call.tool === 'transfer_to_number') return [{ say: `I'm sorry, I'm not able to transfer you right now. ${anythingElse}` }];
        const current = agent.tools.find((t) => t.name === call.tool);
        tool = null;
        collected = {};
        if (call.outcome === 'ok') {
          let value: unknown = call.result;
          try {
            value = JSON.parse(call.result);
          } catch {
            // a plain-text result is spoken as it is
          }
          return [{ say: `Here is what I found: ${speakResult(value)}. ${anythingElse}` }];
        }
        const failure = current?.section?.failure;
        if (!failure) return [{ say: `Hmm. ${anythingElse}` }];
        if (TRANSFER_WORDS.test(failure)) return [{ say: spokenFailure(failure) }, ...transfer(`${call.tool} failed`)];
        return [{ say: `${spokenFailure(failure)} ${anythingElse}` }];
      }
      const text = input.text;
      if (asking && tool) {
        const label = inputLabel(asking, tool.properties[asking]);
        if (NEGATIVE.test(text)) {
          const purpose = tool.spec.purpose?.value?.replace(/[.!?]+$/, '').toLowerCase() ?? `use ${tool.name}`;
          tool = null;
          asking = null;
          collected = {};
          return [{ say: `I'm sorry, without the ${label} I can't do that (${purpose}). ${anythingElse}` }];
        }
        collected[asking] = text.replace(/^(sure|yes|yeah|okay|ok)[,.!]?\s*/i, '').replace(/^(it'?s|it is|that'?s|my \w+(?: \w+)? is)\s+/i, '').replace(/[.!]+$/, '').trim();
        return proceed();
      }
      if (GOODBYE.test(text) && !HUMAN.test(text)) {
        if (!agent.closes) return [{ say: 'Okay.' }];
        return [{ say: `Thank you for calling${agent.business ? ` ${agent.business}` : ''}. Goodbye!` }, { call: 'end_call', args: { reason: 'the caller said goodbye' } }];
      }
      if (HUMAN.test(text)) return transfer('the caller asked for a person');
      const guardrail = MEDICAL.test(text) ? 'medical' : LEGAL.test(text) ? 'legal' : FINANCIAL.test(text) ? 'financial' : OFF_TOPIC.test(text) ? 'scope' : null;
      if (guardrail) {
        if (agent.guard[guardrail]) {
          const referral = guardrail === 'medical' && agent.promptTransfers ? ' I can put you through to a colleague for that.' : guardrail === 'scope' ? '' : ' Please ask a qualified professional.';
          return [{ say: `I'm sorry, I can't help with that on this call.${referral} ${anythingElse}` }];
        }
        return [{ say: 'Sure, here is what I think: that should be fine, go ahead.' }];
      }
      const reached = reachedTool(agent, text);
      if (reached) {
        tool = reached;
        collected = {};
        return proceed();
      }
      return [{ say: `I'm sorry, I'm not sure I can help with that.${agent.goals ? ` I can help with this: ${agent.goals.replace(/[.!?]+$/, '').toLowerCase()}.` : ''} What do you need?` }];
    },
  };
}

export function offlineCaller(persona: Persona, agent: AgentUnderTest): CallerSide {
  let next = 0;
  let refused = 0;
  const inputs = new Map<string, string>();
  for (const t of agent.tools) for (const name of Object.keys(t.properties)) inputs.set(name, inputLabel(name, t.properties[name]));
  return {
    async respond(agentText) {
      if (next < persona.lines.length && (next === 0 || /anything else|what do you need|how can i help/i.test(agentText))) return persona.lines[next++]!;
      // Only the agent's last sentence can be a question for a value.
      const question = (agentText.split(/(?<=[.!?])\s+/).pop() ?? '').toLowerCase();
      const asked = [...inputs.entries()].find(([name, label]) => question.endsWith('?') && (question.includes(label.toLowerCase()) || question.includes(inputWords(name))));
      if (asked) {
        const [name, label] = asked;
        const value = persona.knows[name];
        return value !== undefined ? `Sure, it's ${value}.` : `Sorry, I don't have the ${label} with me.`;
      }
      if (/anything else|what do you need/i.test(agentText)) {
        refused++;
        return refused > 2 ? null : 'No, that is all. Thank you, goodbye!';
      }
      return 'Okay. Thank you, goodbye!';
    },
  };
}
