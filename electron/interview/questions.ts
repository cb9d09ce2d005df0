import type { AgentSpec } from '../../shared/spec';
import { stageIndex, type Stage } from '../../shared/stages';
import { BASIC_FIELDS, getField, missingToolFields, parsePath, stillParked, toolLabel, toolPath } from './fields';
import { describeValue, fieldLabel } from './describe';
import { personalisationPaths } from './personalise';

/** The next field the interview asks about in a stage, in the fixed order; null when none is missing. */
export function nextMissingField(stage: Stage, spec: AgentSpec): string | null {
  // A template's fields still to personalise are asked before the review, like skipped ones.
  const parked = [...personalisationPaths(spec), ...stillParked(spec)];
  const open = (path: string) => !parked.includes(path);
  switch (stage) {
    case 'INITIAL':
      if (!spec.agent_type && open('agent_type')) return 'agent_type';
      return BASIC_FIELDS.find((k) => !spec[k] && open(k)) ?? null;
    case 'COLLECTING_BASICS':
      return BASIC_FIELDS.find((k) => !spec[k] && open(k)) ?? null;
    case 'EXPLORING_TOOLS':
      if (!spec.use_tools) return 'use_tools';
      return spec.use_tools.value === false ? (parked[0] ?? null) : null;
    case 'CONFIGURING_TOOLS': {
      if (spec.use_tools?.value === false) return parked[0] ?? null;
      for (let i = 0; i < spec.tools.length; i++) {
        const tool = spec.tools[i];
        const missing = tool ? missingToolFields(tool).find((key) => open(toolPath(i, key))) : undefined;
        if (missing) return toolPath(i, missing);
      }
      if (spec.tools.length === 0) return toolPath(0, 'name');
      if (spec.tools_done?.value !== true) return 'tools_done';
      // Before the review: the fields the user skipped.
      return parked[0] ?? null;
    }
    case 'REVIEWING_WORKFLOW':
      return spec.workflow_approved?.value === true ? null : 'workflow_approved';
    case 'FINALIZING':
    case 'COMPLETED':
      return null;
  }
}

/**
 * Whether a model may point `awaiting` at this path in this stage: a field of the stage that
 * is missing or unconfirmed, or the name of the next new tool.
 */
export function isAskable(stage: Stage, spec: AgentSpec, path: string): boolean {
  const parsed = parsePath(path);
  if (!parsed) return false;
  const unconfirmed = path in spec.candidates;
  // A skipped field is asked again before the review, whatever the stage.
  if ([...stillParked(spec), ...personalisationPaths(spec)].includes(path) && stageIndex(stage) < stageIndex('REVIEWING_WORKFLOW')) return true;
  if (parsed.kind === 'top') {
    const missing = spec[parsed.key] === undefined || unconfirmed;
    switch (stage) {
      case 'INITIAL':
      case 'COLLECTING_BASICS':
        return (BASIC_FIELDS as readonly string[]).includes(parsed.key) || parsed.key === 'language' ? missing : false;
      case 'EXPLORING_TOOLS':
        return parsed.key === 'use_tools' && missing;
      case 'CONFIGURING_TOOLS':
        return parsed.key === 'tools_done' && missing;
      case 'REVIEWING_WORKFLOW':
        // The review's "Before you deploy" items may be asked there too.
        if (parsed.key === 'voicemail') return spec.call_direction?.value === 'outbound' && missing;
        return (parsed.key === 'workflow_approved' || parsed.key === 'business_name' || parsed.key === 'timezone' || parsed.key === 'call_direction') && missing;
      default:
        return false;
    }
  }
  if (parsed.kind === 'knowledge') return stage !== 'COMPLETED' && parsed.index <= (spec.knowledge_base?.length ?? 0);
  if (parsed.kind === 'item') return stage !== 'COMPLETED' && parsed.index <= (spec[parsed.list]?.length ?? 0);
  // A transfer detail the user started is asked in any stage before the review.
  if (parsed.kind === 'transfer') {
    const transfer = spec.transfers?.[parsed.index];
    return stageIndex(stage) < stageIndex('REVIEWING_WORKFLOW') && transfer !== undefined && (transfer[parsed.key] === undefined || unconfirmed);
  }
  if (stage !== 'CONFIGURING_TOOLS') return false;
  if (parsed.index === spec.tools.length) return parsed.key === 'name';
  const tool = spec.tools[parsed.index];
  return tool !== undefined && (tool[parsed.key] === undefined || unconfirmed);
}

/** Where `awaiting` points right after the user reopens a stage. */
export function reentryAwaiting(stage: Stage, spec: AgentSpec): string | null {
  if (stage === 'EXPLORING_TOOLS') return 'use_tools';
  return nextMissingField(stage, spec);
}

function agentName(spec: AgentSpec): string {
  return spec.agent_type?.value ?? 'agent';
}

/** The question the interview asks for a field path; a parked field is marked as still needed. */
export function questionFor(path: string, spec: AgentSpec): string {
  const question = plainQuestion(path, spec);
  if (personalisationPaths(spec).includes(path)) {
    const parsed = parsePath(path);
    const current = parsed ? getField(spec, parsed) : undefined;
    return `To personalise the template: ${fieldLabel(path, spec)} is ${describeValue(path, current?.value, spec)} in the template. ${question}`;
  }
  return stillParked(spec).includes(path) ? `You skipped this earlier and it is still needed before the review. ${question}` : question;
}

function plainQuestion(path: string, spec: AgentSpec): string {
  const parsed = parsePath(path);
  if (!parsed) return 'What would you like to change?';
  if (parsed.kind === 'top') {
    switch (parsed.key) {
      case 'agent_type':
        return 'What kind of voice agent would you like to create?';
      case 'goals':
        return `What should your ${agentName(spec)} achieve for callers? Tell me its main goals.`;
      case 'tone':
        return 'What tone and voice style should it have (for example "friendly and empathetic" or "formal and concise")?';
      case 'language':
        return 'Which language should it speak?';
      case 'use_tools':
        return 'Does the agent need to call any external tools or APIs during a call, for example to look up an order? (yes or no)';
      case 'tools_done':
        return `${toolLabel(spec, spec.tools.length - 1)} is fully configured. Does the agent need another tool? Give its name, or say "no more tools".`;
      case 'workflow_approved':
        return 'Does this look right? Say "approve" to generate the agent, or tell me what to change (for example "tone: formal and concise" or "go back to tools").';
      case 'system_prompt':
        return 'What should the system prompt say?';
      case 'first_message':
        return 'What should the agent say first when a call starts?';
      case 'business_name':
        return 'What is the name of the business the agent speaks for?';
      case 'call_direction':
        return 'Does the agent answer calls (inbound) or place them (outbound)?';
      case 'timezone':
        return 'Which time zone is the business in (for example "Europe/Madrid" or "America/New_York")?';
      case 'end_call_conditions':
        return 'When should the agent end the call?';
      case 'voice_id':
        return 'Which voice should the agent use? Give a voice id from the ElevenLabs Voice Library, or keep the default for its language.';
      case 'llm':
        return 'Which model should the deployed agent run on (for example gpt-4o-mini)?';
      case 'temperature':
        return 'What temperature should the deployed agent use, from 0 (steady) to 2?';
      case 'voicemail':
        return 'If an outbound call reaches voicemail, should the agent hang up, or leave a message (and what should it say)?';
    }
  }
  if (parsed.kind === 'transfer') {
    switch (parsed.key) {
      case 'phone_number':
        return 'What number should the call be transferred to? Give it with the country code, like +1 503 555 0199.';
      case 'condition':
        return 'When should the agent transfer the call?';
      case 'transfer_type':
        return 'Should the call be put straight through (cold), introduced first (warm), or joined as a conference?';
    }
  }
  if (parsed.kind === 'item') {
    return parsed.list === 'data_collection'
      ? 'What should be recorded from each call? Name it and say what it is, like "order_id: the order number the caller gave".'
      : 'When is a call a success? For example "the caller got their order status".';
  }
  if (parsed.kind === 'knowledge') {
    return 'What should the agent know? Give a web page (its URL), a file on this computer (its path), or type the text.';
  }
  const name = toolLabel(spec, parsed.index);
  const ordinal = parsed.index === 0 ? 'first' : 'next';
  switch (parsed.key) {
    case 'name':
      return `What should the ${ordinal} tool be called? Use a snake_case name such as ${parsed.index === 0 ? 'get_order_status' : 'create_return'}.`;
    case 'purpose':
      return `In one sentence, what does ${name} do?`;
    case 'endpoint':
      return `What is the API endpoint URL for ${name}? Give a full https:// URL, with path parameters in braces, e.g. https://api.example.com/orders/{order_id}.`;
    case 'method':
      return `Which HTTP method does ${name} use: GET, POST, PUT, PATCH or DELETE?`;
    case 'auth':
      return `How does ${name}'s API authenticate? For example "Bearer token in the Authorization header", "API key in the X-API-Key header", "basic auth", "OAuth2" or "none".`;
    case 'input_schema': {
      const endpoint = spec.tools[parsed.index]?.endpoint?.value ?? '';
      const params = [...endpoint.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
      const hint = params.length ? ` It must include ${params.map((p) => `"${p}"`).join(', ')} from the endpoint.` : '';
      return `What input parameters does ${name} take? Paste a JSON Schema, or list them like "order_id: string".${hint}`;
    }
    case 'output_schema':
      return `What does ${name} return? Paste a JSON Schema for the response, or list the fields like "status: string, eta: string".`;
    case 'trigger':
      return `When should the agent call ${name}? Describe the situation, e.g. "when the caller asks where their order is".`;
    case 'error_handling':
      return `What should the agent do if ${name} fails or finds nothing, e.g. "apologise and offer to transfer to a human"?`;
  }
}

function basicsLine(spec: AgentSpec): string {
  const show = (v: string | undefined) => (v ? `"${v}"` : '(not set)');
  return `agent type ${show(spec.agent_type?.value)}, goals ${show(spec.goals?.value)}, tone ${show(spec.tone?.value)}`;
}

/** What the interviewer says when the user reopens a stage. */
export function reentryMessage(stage: Stage, spec: AgentSpec): string {
  const awaiting = reentryAwaiting(stage, spec);
  const ask = awaiting ? ` ${questionFor(awaiting, spec)}` : '';
  switch (stage) {
    case 'INITIAL':
    case 'COLLECTING_BASICS':
      return `Back to the basics: ${basicsLine(spec)}.${ask || ' Tell me what to change, e.g. "tone: formal and concise", or say "continue".'}`;
    case 'EXPLORING_TOOLS':
      return `Back to tools.${ask}`;
    case 'CONFIGURING_TOOLS': {
      const names = spec.tools.map((_, i) => toolLabel(spec, i));
      const list = names.length ? ` Tools so far: ${names.join(', ')}.` : '';
      return `Back to configuring tools.${list}${ask || ' Tell me what to change, e.g. "method: POST", or say "no more tools".'}`;
    }
    case 'REVIEWING_WORKFLOW':
      return 'Back to the review.';
    case 'FINALIZING':
    case 'COMPLETED':
      return 'Regenerating the system prompt and first message.';
  }
}
