import type { AgentSpec, JsonSchemaDoc, ToolSpec } from '../../shared/spec';
import { generateAgentPrompt, domainsOf } from '../interview/prompt-generator';
import { PROMPT_TEXT, promptLang, type PromptLang, type PromptText } from '../interview/prompt-text';

/**
 * The agent under test, read the way a voice platform would run it: the system prompt and first
 * message as they stand (generated or edited by hand), the language, the tools' contracts, and
 * the transfers the design can really make. The offline driver follows only what the prompt
 * says, so a hole in the prompt shows up as a failed call.
 */

export interface ToolUnderTest {
  index: number;
  name: string;
  spec: ToolSpec;
  properties: Record<string, JsonSchemaDoc>;
  required: string[];
  /** The tool's section in the prompt, or null when the prompt has none. */
  section: {
    /** "Use it when: …", without the marker; null when the section does not say. */
    trigger: string | null;
    /** Inputs the section tells the agent to ask for first. */
    asks: string[];
    /** "If it fails or finds nothing: …"; null when the section does not say. */
    failure: string | null;
  } | null;
}

export interface TransferUnderTest {
  index: number;
  condition: string | null;
  number: string | null;
}

export interface AgentUnderTest {
  lang: PromptLang;
  text: PromptText;
  prompt: string;
  firstMessage: string;
  business: string | null;
  goals: string | null;
  tools: ToolUnderTest[];
  transfers: TransferUnderTest[];
  /** The prompt tells the agent it can transfer calls (a Transfers section, or a promise to). */
  promptTransfers: boolean;
  /** The goals promise a transfer ("… or put them through to a pharmacist"), whatever the prompt says. */
  goalsTransfer: boolean;
  guard: { medical: boolean; legal: boolean; financial: boolean; scope: boolean };
  /** The prompt tells the agent how to end a call (thank, say goodbye). */
  closes: boolean;
  domains: Set<'medical' | 'legal' | 'financial'>;
}

export const TRANSFER_WORDS = /\b(transfer\w*|put (?:them|the caller|you) through|connect (?:them|the caller|you) (?:to|with)|hand (?:them|the call) (?:over|off)|escalat\w*)\b/i;

/** "order_id" → "order id". */
export function inputWords(name: string): string {
  return name.replace(/_/g, ' ').trim();
}

/** What a person calls an input: "The order number the customer reads out, e.g. A1234." → "order number". */
export function inputLabel(name: string, prop: JsonSchemaDoc | undefined): string {
  const desc = typeof prop?.description === 'string' ? prop.description.trim() : '';
  const head = desc
    .replace(/^(the|a|an|your|their)\s+/i, '')
    .split(/\s+(?:the|that|which|who|of the|for the|to|as|from|in|on)\s+|[,.(;:]|\s+e\.g\./i)[0]
    ?.trim()
    .toLowerCase();
  return head && head.split(/\s+/).length <= 4 && /^[a-z][a-z0-9 '-]*$/.test(head) ? head : inputWords(name);
}

function objectOf(value: unknown): Record<string, JsonSchemaDoc> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, JsonSchemaDoc>) : {};
}

function sectionOf(prompt: string, name: string): string | null {
  const lines = prompt.split('\n');
  const start = lines.findIndex((l) => l.trim().replace(/^#+\s*/, '') === name && /^#{2,}\s/.test(l.trim()));
  if (start < 0) return null;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6}\s/.test(line.trim())) break;
    body.push(line);
  }
  return body.join('\n');
}

function lineAfter(section: string, marker: string): string | null {
  const line = section.split('\n').find((l) => l.trim().toLowerCase().startsWith(marker.toLowerCase()));
  return line ? line.trim().slice(marker.length).trim() || null : null;
}

function mentions(text: string, name: string): boolean {
  const t = text.toLowerCase();
  return t.includes(name.toLowerCase()) || t.includes(inputWords(name).toLowerCase());
}

export function agentUnderTest(spec: AgentSpec): AgentUnderTest {
  const generated = generateAgentPrompt(spec);
  const prompt = spec.system_prompt?.value ?? generated.systemPrompt;
  const firstMessage = spec.first_message?.value ?? generated.firstMessage;
  const lang = promptLang(spec.language?.value);
  const text = PROMPT_TEXT[lang];
  const configured = spec.use_tools?.value === false ? [] : spec.tools;
  const tools: ToolUnderTest[] = [];
  configured.forEach((tool, index) => {
    const name = tool.name?.value;
    if (!name) return;
    const schema = tool.input_schema?.value;
    const properties = objectOf(schema?.properties);
    const required = Array.isArray(schema?.required) ? (schema.required as unknown[]).filter((r): r is string => typeof r === 'string') : [];
    const body = sectionOf(prompt, name);
    const ask = body === null ? null : lineAfter(body, text.askFirst);
    tools.push({
      index,
      name,
      spec: tool,
      properties,
      required,
      section:
        body === null
          ? null
          : {
              trigger: lineAfter(body, text.useWhen),
              asks: ask ? Object.keys(properties).filter((p) => mentions(ask, p)) : [],
              failure: lineAfter(body, text.onFailure),
            },
    });
  });
  const transfers = (spec.transfers ?? []).map((t, index) => ({
    index,
    condition: t.condition?.value?.trim() || null,
    number: t.phone_number?.value?.trim() || null,
  }));
  const noTransfer = prompt.includes(text.noTransfer);
  const promptTransfers = !noTransfer && (prompt.includes(text.headings.transfers) || prompt.includes(text.transfersIntro) || TRANSFER_WORDS.test(prompt.replace(/\bcannot transfer\b[^.]*\./gi, '')));
  const has = (line: string) => prompt.includes(line.slice(0, 24));
  return {
    lang,
    text,
    prompt,
    firstMessage,
    business: spec.business_name?.value?.trim() || null,
    goals: spec.goals?.value?.trim() || null,
    tools,
    transfers,
    promptTransfers,
    goalsTransfer: TRANSFER_WORDS.test(spec.goals?.value ?? ''),
    guard: {
      medical: has(text.guard.medical('')),
      legal: has(text.guard.legal),
      financial: has(text.guard.financial),
      scope: has(text.guard.scope),
    },
    closes: has(text.closeStep) || /\b(goodbye|thank the caller|end the call)\b/i.test(prompt),
    domains: domainsOf(spec),
  };
}

/** A stable short hash of what a simulation tests (FNV-1a, 64-bit as two halves): which design version a run saw. */
export function designHash(agent: AgentUnderTest): string {
  const material = JSON.stringify({
    prompt: agent.prompt,
    first: agent.firstMessage,
    lang: agent.lang,
    tools: agent.tools.map((t) => t.spec),
    transfers: agent.transfers,
  });
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < material.length; i++) {
    const c = material.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

/** Holes visible before any call is simulated. */
export function designFindings(agent: AgentUnderTest): string[] {
  const out: string[] = [];
  for (const tool of agent.tools) {
    if (!tool.section) {
      out.push(`The prompt has no section for ${tool.name}: the agent is never told when to use it or what to ask first.`);
      continue;
    }
    if (!tool.section.trigger) out.push(`The prompt never says when to use ${tool.name} (no "${agent.text.useWhen}" line).`);
    for (const r of tool.required) {
      if (!tool.section.asks.includes(r)) out.push(`${tool.name} needs ${inputLabel(r, tool.properties[r])} (${r}), but the prompt never tells the agent to ask the caller for it.`);
    }
  }
  for (const t of agent.transfers) {
    if (!t.number) out.push(`Transfer ${t.index + 1}${t.condition ? ` ("${t.condition}")` : ''} has no phone number: the agent cannot make it.`);
  }
  if (agent.promptTransfers && !agent.transfers.some((t) => t.number)) out.push('The prompt promises a transfer, but the design has no number to transfer to.');
  if (!agent.transfers.length) {
    if (agent.goalsTransfer) out.push(`The goals promise a transfer ("${agent.goals}"), but the design has no transfer number.`);
    for (const tool of agent.tools) {
      const words = tool.spec.error_handling?.value ?? '';
      if (TRANSFER_WORDS.test(words)) out.push(`${tool.name}'s error handling promises a transfer ("${words}"), but the design has no transfer number.`);
    }
  }
  return out;
}
