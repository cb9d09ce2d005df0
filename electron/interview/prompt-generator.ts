import type { AgentSpec, AuthSpec, JsonSchemaDoc, ToolSpec } from '../../shared/spec';
import { defaultGreeting } from '../../shared/greetings';
import { languageName } from '../../shared/language';
import { PROMPT_TEXT, promptLang, type PromptLang, type PromptText } from './prompt-text';
import { mentionsTransfer } from './transfer-promise';

/**
 * Pure generators from the spec: the workflow the user reviews, its text summary, and the
 * voice agent's system prompt and first message. Same spec in, same text out.
 */

export interface WorkflowStep {
  kind: 'greeting' | 'intents' | 'tool' | 'failure' | 'closing';
  title: string;
  detail: string;
}

function v<T>(f: { value: T } | undefined, fallback: T): T {
  return f ? f.value : fallback;
}

function agentType(spec: AgentSpec): string {
  return v(spec.agent_type, 'voice agent');
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** A trigger as the start of a sentence: "As soon as …" stays as it is; "the caller asks" becomes "When the caller asks". */
function whenPhrase(trigger: string): string {
  const t = lowerFirst(trigger.trim()).replace(/[.!?]$/, '');
  if (/^(when|whenever|as soon as|once|after|before|if|while|every time|each time|during|on)\b/.test(t)) return t.charAt(0).toUpperCase() + t.slice(1);
  return `When ${t}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function configuredTools(spec: AgentSpec): ToolSpec[] {
  return spec.use_tools?.value === false ? [] : spec.tools.filter((t) => t.name);
}

export function describeAuth(auth: AuthSpec | undefined): string {
  if (!auth) return 'not set';
  switch (auth.type) {
    case 'none':
      return 'no authentication';
    case 'bearer':
      return `bearer token in the ${auth.header ?? 'Authorization'} header`;
    case 'api_key':
      return `API key in the ${auth.header ?? 'X-API-Key'} header`;
    case 'basic':
      return 'HTTP basic auth';
    case 'oauth2':
      return 'OAuth2 access token';
  }
}

/** Transfers the design can really make: a promise of one without a number would be a lie to the caller. */
function transfers(spec: AgentSpec): Array<{ condition: string }> {
  return (spec.transfers ?? []).filter((t) => t.phone_number?.value.trim()).map((t) => ({ condition: v(t.condition, 'the caller asks to speak to a person') }));
}

function outbound(spec: AgentSpec): boolean {
  return spec.call_direction?.value === 'outbound';
}

/** What the agent does when it cannot help: a transfer only when the design has one. */
function handoff(spec: AgentSpec): string {
  const who = outbound(spec) ? 'the person you called' : 'the caller';
  return transfers(spec).length
    ? `If ${who} asks for a human, or you cannot help after two attempts, transfer the call as described under Transfers.`
    : `If ${who} asks for a human, or you cannot help after two attempts, say honestly that you cannot do more on this call and suggest another way to get help. You cannot transfer calls.`;
}

export function buildWorkflow(spec: AgentSpec): WorkflowStep[] {
  const tools = configuredTools(spec);
  const steps: WorkflowStep[] = [
    { kind: 'greeting', title: 'Greeting', detail: `The agent answers with: "${firstMessage(spec)}"` },
    {
      kind: 'intents',
      title: 'Understand the request',
      detail: spec.goals ? `It works out what the caller needs, within its goals: ${lowerFirst(sentence(spec.goals.value))}` : 'It works out what the caller needs.',
    },
  ];
  for (const tool of tools) {
    steps.push({
      kind: 'tool',
      title: `Call ${v(tool.name, 'tool')}`,
      detail: `${tool.trigger ? whenPhrase(tool.trigger.value) : 'When needed'}, it calls ${v(tool.name, 'the tool')} (${v(tool.method, 'GET')} ${v(tool.endpoint, '?')}).`,
    });
  }
  const canTransfer = transfers(spec).length > 0;
  const failures = tools.map((t) => `if ${v(t.name, 'a tool')} fails: ${lowerFirst(sentence(sayable(t.error_handling?.value, canTransfer) ?? 'apologise and offer another way to help'))}`);
  steps.push({
    kind: 'failure',
    title: 'When something goes wrong',
    detail: [...failures.map((f) => f.charAt(0).toUpperCase() + f.slice(1)), handoff(spec)].join(' '),
  });
  const endWhen = spec.end_call_conditions ? ` It also ends the call when ${lowerFirst(spec.end_call_conditions.value).replace(/[.!?]$/, '')}.` : '';
  steps.push({ kind: 'closing', title: 'Closing', detail: `It confirms everything is handled, asks if there is anything else, thanks the caller and ends the call.${endWhen}` });
  return steps;
}

/** The review text: the whole design, then the workflow, then the approval question. */
export function workflowSummary(spec: AgentSpec): string {
  const tools = configuredTools(spec);
  const lines = [
    "Here's the design so far:",
    `• Agent type: ${agentType(spec)}`,
    `• Goals: ${v(spec.goals, '(not set)')}`,
    `• Tone: ${v(spec.tone, '(not set)')}`,
    `• Tools:${tools.length ? '' : ' none'}`,
  ];
  for (const t of tools) {
    lines.push(`  – ${v(t.name, '?')}: ${t.purpose ? `${sentence(t.purpose.value)} ` : ''}${v(t.method, '?')} ${v(t.endpoint, '?')}, ${describeAuth(t.auth?.value)}.`);
  }
  const afterCall = afterCallLine(spec);
  if (afterCall) lines.push(afterCall);
  lines.push('', 'Workflow:');
  buildWorkflow(spec).forEach((step, i) => lines.push(`${i + 1}. ${step.title}: ${step.detail}`));
  return lines.join('\n');
}

/** "• After each call: records order_number; a success when …", when the design says either. */
function afterCallLine(spec: AgentSpec): string | null {
  const records = (spec.data_collection ?? []).map((f) => f.value.name);
  const goals = (spec.success_criteria ?? []).map((f) => lowerFirst(f.value.goal).replace(/[.!?]+$/, ''));
  const parts = [records.length ? `records ${records.join(', ')}` : '', goals.length ? `a success when ${goals.join('; or when ')}` : ''].filter(Boolean);
  return parts.length ? `• After each call: ${parts.join('; ')}.` : null;
}

export function firstMessage(spec: AgentSpec): string {
  if (spec.first_message?.locked) return spec.first_message.value;
  return defaultGreeting({
    language: spec.language?.value,
    direction: spec.call_direction?.value,
    businessName: spec.business_name?.value,
    agentType: agentType(spec),
  });
}

/**
 * What the user wrote, made safe to say: no raw URLs, no HTTP verbs, and no promise of a transfer
 * the design cannot make (those clauses are dropped; if nothing is left, null).
 */
function sayable(text: string | undefined, canTransfer: boolean): string | null {
  if (!text?.trim()) return null;
  let out = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, 'the website').replace(/\b(GET|POST|PUT|PATCH|DELETE)\b/g, '').replace(/\s{2,}/g, ' ').trim();
  if (!canTransfer && mentionsTransfer(out)) {
    const kept = out.split(/(?<=[.;!?])\s+|,\s*(?:and|or|then)\s+|\s+(?:and|or)\s+(?=(?:offer|transfer|put|connect|hand|escalate))/i).filter((part) => !mentionsTransfer(part));
    out = kept.join(', ').trim();
    if (!out || !/[a-z]/i.test(out)) return null;
  }
  return out;
}

/** "patient_date_of_birth" → "the patient date of birth"; optional ones say so. */
function spokenParams(schema: JsonSchemaDoc | undefined, optionalWord: string): string[] {
  const props = schema?.properties;
  if (!props || typeof props !== 'object' || Array.isArray(props)) return [];
  const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
  return Object.entries(props as Record<string, JsonSchemaDoc>).map(([name, prop]) => {
    const words = name.replace(/_/g, ' ');
    const desc = typeof prop?.description === 'string' && prop.description.trim() ? ` (${prop.description.trim().replace(/[.]+$/, '')})` : '';
    return `${words}${desc}${required.size && !required.has(name) ? ` ${optionalWord}` : ''}`;
  });
}

const OPTIONAL_WORD: Record<PromptLang, string> = { en: '(if they have it)', es: '(si lo tiene)', de: '(falls vorhanden)', fr: "(s'il l'a)", pt: '(se tiver)', it: '(se ce l’ha)' };

/** Whether any tool takes or gives a date or time: then the agent needs today's date. */
export function usesDates(spec: AgentSpec): boolean {
  for (const tool of configuredTools(spec)) {
    for (const schema of [tool.input_schema?.value, tool.output_schema?.value]) {
      const props = schema?.properties;
      if (!props || typeof props !== 'object') continue;
      for (const [name, prop] of Object.entries(props as Record<string, JsonSchemaDoc>)) {
        const format = typeof prop?.format === 'string' ? prop.format : '';
        if (/^(date|date-time|time)$/.test(format) || /(^|_)(date|day|time|when|birth|dob|fecha|hora|datum|uhrzeit|heure|data|ora|checkin|checkout|slot)(_|$)/.test(name)) return true;
      }
    }
  }
  return false;
}

type Domain = 'medical' | 'legal' | 'financial';

/** Domains whose advice an agent must not give, from what the design is about. */
export function domainsOf(spec: AgentSpec): Set<Domain> {
  const text = [spec.agent_type?.value, spec.goals?.value, spec.business_name?.value, ...spec.tools.map((t) => `${t.name?.value ?? ''} ${t.purpose?.value ?? ''}`)].join(' ').toLowerCase();
  const out = new Set<Domain>();
  if (/pharma|prescri|clinic|health|medic|dental|dentist|doctor|patient|hospital|vet\b|veterin|nurse|therap|physio|farmac|apothe|arzt|praxis|cl[ií]nic|m[eé]dic/.test(text)) out.add('medical');
  if (/\blaw\b|legal|attorney|lawyer|solicitor|abogad|anwalt|avocat|advogad|avvocat/.test(text)) out.add('legal');
  if (/bank|credit union|loan|mortgage|invest|insur|financ|\bcard\b|balance|account|tax|accounting|pension|banco|tarjeta|kredit|versicher|banque|assurance|cart[aã]o|banca|carta/.test(text)) out.add('financial');
  return out;
}

/** Card numbers matter only where cards are: payments, banking, or a tool that takes card details. */
function handlesCards(spec: AgentSpec): boolean {
  if (domainsOf(spec).has('financial')) return true;
  return spec.tools.some((t) => /card|payment|pay|charge|billing|invoice/.test(`${t.name?.value ?? ''} ${JSON.stringify(t.input_schema?.value ?? {})}`));
}

function toolSection(tool: ToolSpec, text: PromptText, lang: PromptLang, canTransfer: boolean): string {
  const ask = spokenParams(tool.input_schema?.value, OPTIONAL_WORD[lang]);
  const learn = spokenParams(tool.output_schema?.value, '').map((p) => p.trim());
  const purpose = sayable(tool.purpose?.value, canTransfer);
  const trigger = sayable(tool.trigger?.value, canTransfer);
  const failure = sayable(tool.error_handling?.value, canTransfer) ?? text.defaultFailure;
  const lines = [`## ${v(tool.name, 'tool')}`];
  if (purpose) lines.push(sentence(purpose));
  if (trigger) lines.push(`${text.useWhen} ${sentence(lowerFirst(trigger).replace(/^(?:when|whenever)\s+/i, ''))}`);
  lines.push(ask.length ? `${text.askFirst} ${ask.join(', ')}.` : text.nothingToAsk);
  if (learn.length) lines.push(`${text.youLearn} ${learn.join(', ')}.`);
  lines.push(`${text.onFailure} ${sentence(failure)}`);
  return lines.join('\n');
}

/**
 * The voice agent's system prompt, in the structure of ElevenLabs' prompting guide (Personality,
 * Environment, Tone, Goal as steps, Guardrails, Tools, spoken-format rules), in the agent's
 * language. It names the business, says whether the agent answers or places calls, gives it the
 * current time when a tool deals in dates, keeps domain guardrails (no medical, legal or
 * financial advice where they apply) and promises no transfer the design cannot make.
 */
export function generateSystemPrompt(spec: AgentSpec): string {
  const lang = promptLang(spec.language?.value);
  const text = PROMPT_TEXT[lang];
  const business = spec.business_name?.value?.trim() || null;
  const tools = configuredTools(spec);
  const handovers = transfers(spec);
  const canTransfer = handovers.length > 0;
  const calling = outbound(spec);
  const tone = v(spec.tone, '').replace(/[.!?]$/, '').trim();

  const personality = [text.youAre(lowerFirst(agentType(spec)), business)];
  if (tone) personality.push(text.personalityTone(lowerFirst(tone)));
  personality.push(text.disclosure);

  const environment = [calling ? text.outbound(business) : text.inbound(business), text.phoneOnly];
  const others = (spec.additional_languages?.value ?? []).map(languageName);
  if (others.length) environment.push(text.switchTo(others.join(' / ')));
  if (usesDates(spec)) environment.push(text.now);
  if (spec.timezone?.value) environment.push(text.timezone(spec.timezone.value));

  const goals = v(spec.goals, '')
    .split(/\s*(?:;|\n)\s*/)
    .map((g) => sayable(g, canTransfer))
    .filter((g): g is string => !!g);
  const steps = [calling ? text.greetOutbound : text.greetStep];
  if (goals.length) steps.push(`${calling ? text.needOutbound : text.needStep}\n${goals.map((g) => `   - ${sentence(g.charAt(0).toUpperCase() + g.slice(1))}`).join('\n')}`);
  if (tools.length) steps.push(text.confirmStep);
  const endWhen = sayable(spec.end_call_conditions?.value, canTransfer);
  steps.push(endWhen ? `${text.closeStep} ${text.endWhen(lowerFirst(endWhen))}` : text.closeStep);

  const domains = domainsOf(spec);
  const guard = [text.guard.facts, text.guard.data, text.guard.secrets];
  if (domains.has('medical')) guard.push(text.guard.medical(canTransfer ? text.guard.referralTransfer : text.guard.referralStaff));
  if (domains.has('legal')) guard.push(text.guard.legal);
  if (domains.has('financial')) guard.push(text.guard.financial);
  if (handlesCards(spec)) guard.push(text.guard.cards);
  guard.push(canTransfer ? text.transfersIntro : text.noTransfer, text.guard.scope, text.guard.instructions);

  const sections = [
    `${text.headings.personality}\n${personality.join(' ')}`,
    `${text.headings.environment}\n${environment.join(' ')}`,
    `${text.headings.tone}\n${text.toneLines.join(' ')}`,
    `${text.headings.goal}\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`,
    `${text.headings.guardrails}\n${guard.map((g) => `- ${g}`).join('\n')}`,
    tools.length ? `${text.headings.tools}\n${text.toolsIntro}\n\n${tools.map((t) => toolSection(t, text, lang, canTransfer)).join('\n\n')}` : `${text.headings.tools}\n${text.noTools}`,
  ];
  if (canTransfer) {
    sections.push(`${text.headings.transfers}\n${text.transferWhen}\n${handovers.map((t) => `- ${sentence(t.condition)}`).join('\n')}`);
  }
  if (calling && spec.voicemail) {
    const mail = spec.voicemail.value;
    sections.push(`${text.headings.voicemail}\n${mail.action === 'leave_message' && mail.message ? text.leaveMessage(mail.message) : text.hangUpOnVoicemail}`);
  }
  sections.push(`${text.headings.speaking}\n${text.speaking.map((l) => `- ${l}`).join('\n')}`);
  return sections.join('\n\n');
}

export function generateAgentPrompt(spec: AgentSpec): { systemPrompt: string; firstMessage: string } {
  return { systemPrompt: generateSystemPrompt(spec), firstMessage: firstMessage(spec) };
}
