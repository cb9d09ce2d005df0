import { USER_EDIT, type AgentSpec, type ToolSpec } from '../../shared/spec';
import type { Session } from '../../shared/session';
import { firstMessage as defaultFirstMessage, generateAgentPrompt } from '../interview/prompt-generator';

/** Fields with this source came from an imported file; like hand edits, they are kept verbatim. */
export const IMPORT_SOURCE = 'import';

type TextField = AgentSpec['system_prompt'];

/** Written by a person (typed, locked or imported) rather than by the prompt generator. */
function authored(field: TextField): boolean {
  return !!field && (field.locked || field.source === USER_EDIT || field.source === IMPORT_SOURCE);
}

export interface ResolvedPrompt {
  systemPrompt: string;
  firstMessage: string;
  /** True when the stored text was generated for an earlier version of the spec and was regenerated. */
  regenerated: boolean;
}

/**
 * The prompt and greeting to export. Text a person wrote is used as it is. Generated text is
 * regenerated from the current spec: the generator is deterministic, so this is the FINALIZING
 * text when nothing changed since, and an up-to-date one when the spec was edited afterwards.
 * Before FINALIZING there is nothing to export (lint reports the empty prompt). A design with a
 * prompt but no first message greets with the default for its language and call direction.
 */
export function resolvePrompt(session: Pick<Session, 'spec'>): ResolvedPrompt {
  const { spec } = session;
  const generated = spec.system_prompt || spec.first_message ? generateAgentPrompt(spec) : null;
  const pick = (field: TextField, fresh: string | undefined): string => {
    if (!field) return '';
    if (authored(field) || fresh === undefined) return field.value;
    return fresh;
  };
  const systemPrompt = pick(spec.system_prompt, generated?.systemPrompt);
  // No greeting at all: the default one, in the agent's language, for its call direction.
  const firstMessage = spec.first_message ? pick(spec.first_message, generated?.firstMessage) : systemPrompt ? defaultFirstMessage(spec) : '';
  const regenerated =
    (!!spec.system_prompt && systemPrompt !== spec.system_prompt.value) ||
    (!!spec.first_message && firstMessage !== spec.first_message.value);
  return { systemPrompt, firstMessage, regenerated };
}

/** Tools that go into an export: none when the user said the agent needs no tools. */
export function exportedTools(spec: AgentSpec): ToolSpec[] {
  return spec.use_tools?.value === false ? [] : spec.tools;
}

const WHEN = 'When to use:';
const ON_FAILURE = 'On failure:';

function clean(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function sentence(text: string): string {
  return !text || /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * A tool's description on every target: purpose, then when to call it, then what to do when it
 * fails, so the model sees the rules right where it picks the tool. `parseToolDescription`
 * reads it back on import.
 */
export function composeToolDescription(parts: { purpose?: string; trigger?: string; error_handling?: string }, fallback: string): string {
  const purpose = clean(parts.purpose);
  const trigger = clean(parts.trigger);
  const onError = clean(parts.error_handling);
  const pieces = [purpose, trigger && `${WHEN} ${trigger}`, onError && `${ON_FAILURE} ${onError}`].filter(Boolean);
  // Full stops between the parts; the last is kept as written so an imported description round-trips.
  const text = pieces.map((p, i) => (i < pieces.length - 1 ? sentence(p) : p)).join(' ');
  return text || fallback;
}

export function parseToolDescription(description: string): { purpose: string; trigger?: string; error_handling?: string } {
  const text = clean(description);
  const re = new RegExp(`^(.*?)(?:\\s*${WHEN}\\s*(.*?))?(?:\\s*${ON_FAILURE}\\s*(.*))?$`);
  const m = re.exec(text);
  const purpose = m?.[1]?.trim() ?? text;
  const trigger = m?.[2]?.trim();
  const onError = m?.[3]?.trim();
  return { purpose, ...(trigger ? { trigger } : {}), ...(onError ? { error_handling: onError } : {}) };
}

/** Whether the prompt already states `text` (ignoring case, spacing and a final full stop). */
export function mentions(prompt: string, text: string): boolean {
  const norm = (s: string) => clean(s).replace(/[.!?]+$/, '').toLowerCase();
  const needle = norm(text);
  return !needle || norm(prompt).includes(needle);
}

/**
 * Makes sure the prompt states every tool's trigger and error handling. The generator's prompt
 * already does; a hand-written or imported one may not, and then a "Tool use" section is
 * appended for the tools it misses. Idempotent: an exported prompt passes through unchanged.
 */
export function withToolUseSection(prompt: string, tools: Array<{ name: string; tool: ToolSpec }>): string {
  const missing = tools.filter(({ name, tool }) => {
    // A prompt with a section of its own for the tool covers it (the generator words triggers and
    // failures for speech, and leaves out a transfer the design cannot make).
    if (new RegExp(`^#{2,3} ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm').test(prompt)) return false;
    const trigger = tool.trigger?.value;
    const onError = tool.error_handling?.value;
    return (trigger && !mentions(prompt, trigger)) || (onError && !mentions(prompt, onError));
  });
  if (!missing.length) return prompt;
  const lines = missing.map(({ name, tool }) => {
    const parts = [`- ${name}.`];
    if (tool.trigger?.value) parts.push(`Call it when: ${sentence(clean(tool.trigger.value))}`);
    if (tool.error_handling?.value) parts.push(`If it fails: ${sentence(clean(tool.error_handling.value))}`);
    return parts.join(' ');
  });
  return `${prompt.trimEnd()}\n\n# Tool use\n${lines.join('\n')}`;
}
