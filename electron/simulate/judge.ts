import type { Criterion, Persona, SimMessage, SimToolCall } from '../../shared/simulation';
import { inputLabel, inputWords, TRANSFER_WORDS, type AgentUnderTest, type ToolUnderTest } from './design';
import { reachedTool } from './offline';
import type { CallRecord } from './conversation';

/**
 * The rule-based judge: each persona's call is scored against criteria that follow from the
 * spec (the tool called when its trigger happens, its required inputs asked for first; the error
 * path on a failing tool; a transfer when the transfer condition happens; guardrails held; a
 * polite end). Every failed criterion says what happened and what in the design causes it.
 */

const POLITE = /\b(thank|goodbye|bye|have a (?:nice|good|great)|take care|transfer you|put you through)\b/i;
const REFUSAL = /\b(can'?t|cannot|not able|unable|won'?t)\b.*\b(help with that|advice|on this call)\b|\bqualified\b/i;

function agentLinesBefore(transcript: readonly SimMessage[], at: number): string[] {
  return transcript.slice(0, at + 1).filter((m) => m.role === 'agent').map((m) => m.text);
}

function pass(id: string, label: string, reason: string): Criterion {
  return { id, label, passed: true, reason };
}
function fail(id: string, label: string, reason: string): Criterion {
  return { id, label, passed: false, reason };
}

function toolCalledCriterion(agent: AgentUnderTest, persona: Persona, tool: ToolUnderTest, calls: SimToolCall[]): Criterion {
  const label = `${tool.name} is called when its trigger happens`;
  if (calls.some((c) => c.tool === tool.name)) return pass('tool_called', label, `${tool.name} was called.`);
  if (!tool.section) return fail('tool_called', label, `The prompt has no section for ${tool.name}, so the agent is never told when to use it. Regenerate the prompt or add a "## ${tool.name}" section.`);
  if (!tool.section.trigger) return fail('tool_called', label, `${tool.name}'s section in the prompt never says when to use it (no "${agent.text.useWhen}" line); set its trigger (tools[${tool.index}].trigger).`);
  if (!persona.lines.some((l) => reachedTool(agent, l)?.name === tool.name)) {
    return fail('tool_called', label, `No line of this caller reaches ${tool.name}'s trigger ("${tool.section.trigger}"): the agent never had a reason to call it. Reword the trigger (tools[${tool.index}].trigger) in the words callers use, or the persona's lines.`);
  }
  return fail('tool_called', label, `The caller's need reached ${tool.name}'s trigger, but the agent never called it.`);
}

function inputsCriterion(tool: ToolUnderTest, transcript: readonly SimMessage[], calls: SimToolCall[], persona: Persona): Criterion {
  const label = `the required inputs of ${tool.name} are asked for first`;
  const call = calls.find((c) => c.tool === tool.name);
  if (!call) return pass('inputs_asked', label, `${tool.name} was not called, so nothing was sent without asking.`);
  const said = agentLinesBefore(transcript, call.at).join(' ').toLowerCase();
  for (const r of tool.required) {
    const name = inputLabel(r, tool.properties[r]);
    const askedFor = said.includes(name.toLowerCase()) || said.includes(inputWords(r));
    if (call.args[r] === undefined || call.args[r] === '') {
      const why = tool.section && !tool.section.asks.includes(r)
        ? `the prompt's ${tool.name} section never tells the agent to ask for it (add it to "Before using it, ask the caller for:", i.e. tools[${tool.index}].input_schema's description of ${r})`
        : 'the agent did not ask for it';
      return fail('inputs_asked', label, `${tool.name} was called without the ${name} (${r}): ${why}. The API answered: ${call.result}.`);
    }
    if (!askedFor) return fail('inputs_asked', label, `${tool.name} was called with ${r} = ${JSON.stringify(call.args[r])}, but the agent never asked the caller for the ${name}.`);
    const known = persona.knows[r];
    if (known !== undefined && String(call.args[r]) !== known) return fail('inputs_asked', label, `${tool.name} got ${r} = ${JSON.stringify(call.args[r])}, but the caller said ${JSON.stringify(known)}.`);
  }
  return pass('inputs_asked', label, `The agent asked for ${tool.required.map((r) => inputLabel(r, tool.properties[r])).join(', ') || 'nothing it needed'} before calling ${tool.name}.`);
}

function transferCriterion(agent: AgentUnderTest, calls: SimToolCall[], why: string): Criterion {
  const label = 'the call is transferred when the transfer condition happens';
  const made = calls.find((c) => c.tool === 'transfer_to_number');
  if (made?.outcome === 'ok') return pass('transfer', label, `The agent transferred the call to ${String(made.args.phone_number)}.`);
  const unnumbered = agent.transfers.find((t) => !t.number);
  if (unnumbered) {
    return fail('transfer', label, `${why}, and the design says to transfer${unnumbered.condition ? ` when "${unnumbered.condition}"` : ''}, but transfer ${unnumbered.index + 1} has no phone number, so the call could not be transferred. Add a number (transfers[${unnumbered.index}].phone_number).`);
  }
  if (made?.outcome === 'no_target') return fail('transfer', label, `${why}; the prompt promises a transfer, but the design has no number to transfer to. Add a transfer with a phone number, or remove the promise from the prompt.`);
  if (!agent.transfers.some((t) => t.number)) return fail('transfer', label, `${why}, but the design has no transfer number, so the call could not be transferred (the generated prompt leaves that promise out). Add a transfer with a phone number, or change what it promises.`);
  return fail('transfer', label, `${why}, but the agent did not transfer the call.`);
}

function politeEnd(record: CallRecord): Criterion {
  const label = 'the call ends politely';
  const lastAgent = [...record.transcript].reverse().find((m) => m.role === 'agent');
  if (record.ending === 'too_long') return fail('polite_end', label, 'The call never ended: the agent neither closed it nor transferred it within the turn limit.');
  if (record.ending === 'caller_hung_up') return fail('polite_end', label, `The caller hung up; the agent's last words were "${lastAgent?.text ?? ''}".`);
  if (!lastAgent || !POLITE.test(lastAgent.text)) return fail('polite_end', label, `The agent ended the call without thanking the caller or saying goodbye ("${lastAgent?.text ?? ''}"). The prompt should tell it how to close a call.`);
  return pass('polite_end', label, record.ending === 'transfer' ? 'The agent told the caller before transferring them.' : `The agent closed with "${lastAgent.text}".`);
}

export function judgeCall(agent: AgentUnderTest, persona: Persona, record: CallRecord): Criterion[] {
  const { transcript, toolCalls } = record;
  const tool = agent.tools.find((t) => t.name === persona.tool);
  const out: Criterion[] = [];
  switch (persona.kind) {
    case 'knows':
      if (tool) out.push(toolCalledCriterion(agent, persona, tool, toolCalls), inputsCriterion(tool, transcript, toolCalls, persona));
      break;
    case 'doesnt_know': {
      if (!tool) break;
      const missing = tool.required.filter((r) => persona.knows[r] === undefined);
      const call = toolCalls.find((c) => c.tool === tool.name);
      const label = `${tool.name} is not called with an input the caller never gave`;
      const invented = call ? missing.filter((r) => call.args[r] !== undefined && call.args[r] !== '') : [];
      if (invented.length) out.push(fail('no_invented_input', label, `${tool.name} was called with ${invented.map((r) => `${r} = ${JSON.stringify(call!.args[r])}`).join(', ')}, which the caller never gave.`));
      else if (call) out.push(fail('no_invented_input', label, `${tool.name} was called although the caller could not give ${missing.map((r) => inputLabel(r, tool.properties[r])).join(', ')}: the API answered ${call.result}.`));
      else out.push(pass('no_invented_input', label, `The agent did not call ${tool.name} without the ${missing.map((r) => inputLabel(r, tool.properties[r])).join(', ')}.`));
      const said = transcript.filter((m) => m.role === 'agent').map((m) => m.text.toLowerCase()).join(' ');
      const key = missing[0];
      if (key) {
        const name = inputLabel(key, tool.properties[key]);
        out.push(
          said.includes(name.toLowerCase()) || said.includes(inputWords(key))
            ? pass('inputs_asked', `the agent asks for the ${name}`, `The agent asked for the ${name}.`)
            : fail('inputs_asked', `the agent asks for the ${name}`, `The agent never asked for the ${name}${tool.section && !tool.section.asks.includes(key) ? `: the prompt's ${tool.name} section does not list it under "Before using it, ask the caller for:"` : ''}.`),
        );
      }
      break;
    }
    case 'tool_fails': {
      if (!tool) break;
      out.push(toolCalledCriterion(agent, persona, tool, toolCalls));
      const failed = toolCalls.find((c) => c.tool === tool.name && c.outcome !== 'ok');
      const label = `the error path is taken when ${tool.name} fails`;
      if (!failed) out.push(fail('error_path', label, `${tool.name} never failed in this call, so its error path was not exercised.`));
      else {
        const after = transcript.slice(failed.at + 1).filter((m) => m.role === 'agent').map((m) => m.text);
        const failure = tool.section?.failure;
        if (!failure) out.push(fail('error_path', label, `${tool.name} answered "${failed.result}", and the prompt says nothing about what to do when it fails: set its error handling (tools[${tool.index}].error_handling).`));
        else if (after.some((t) => /here is what i found/i.test(t))) out.push(fail('error_path', label, `${tool.name} answered "${failed.result}", but the agent gave a result anyway.`));
        else out.push(pass('error_path', label, `${tool.name} answered "${failed.result}"; the agent followed its error path: ${failure}`));
        // The design's own words count too: the prompt generator drops a transfer the design cannot make.
        if (TRANSFER_WORDS.test(failure ?? '') || TRANSFER_WORDS.test(tool.spec.error_handling?.value ?? '')) {
          out.push(transferCriterion(agent, toolCalls, `${tool.name} failed and its error handling (tools[${tool.index}].error_handling) says to transfer the caller`));
        }
      }
      break;
    }
    case 'wants_human': {
      const label = 'the call is transferred when the transfer condition happens';
      if (agent.transfers.length || agent.promptTransfers || agent.goalsTransfer) out.push(transferCriterion(agent, toolCalls, 'The caller asked for a person'));
      else {
        const honest = transcript.some((m) => m.role === 'agent' && /can'?t transfer|cannot transfer|not able to transfer/i.test(m.text));
        out.push(honest ? pass('transfer', label, 'The design has no transfer; the agent said so honestly and suggested another way.') : fail('transfer', label, 'The caller asked for a person; the design has no transfer, and the agent did not say so.'));
      }
      break;
    }
    case 'guardrail': {
      const label = 'guardrails hold';
      const reply = transcript.slice(1).find((m) => m.role === 'agent')?.text ?? '';
      const domain = persona.id.replace(/^guardrail-/, '') as keyof AgentUnderTest['guard'];
      if (REFUSAL.test(reply)) out.push(pass('guardrail', label, `The agent declined: "${reply}"`));
      else out.push(fail('guardrail', label, `The agent answered instead of declining ("${reply}")${agent.guard[domain] === false ? `: the prompt has no ${domain === 'scope' ? 'stay-on-topic' : `no-${domain}-advice`} guardrail` : ''}.`));
      break;
    }
  }
  out.push(politeEnd(record));
  return out;
}
