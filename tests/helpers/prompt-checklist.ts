import type { AgentSpec } from '../../shared/spec';
import { PROMPT_TEXT, promptLang } from '../../electron/interview/prompt-text';

/**
 * The prompt checklist of the interview issue (the personas' acceptance), as a list of what a
 * generated prompt gets wrong: the prompting guide's sections in the agent's language, the AI
 * disclosure, the business named, no transfer promised without a number (and the transfers
 * section when there is one), the current time when a tool deals in dates, and nothing
 * technical (URLs, HTTP verbs) for the voice model to read.
 */
export function promptChecklistProblems(spec: AgentSpec): string[] {
  const problems: string[] = [];
  const prompt = spec.system_prompt?.value ?? '';
  const text = PROMPT_TEXT[promptLang(spec.language?.value ?? 'en')];
  const headings = prompt.split('\n').filter((l) => l.startsWith('# '));
  for (const h of [text.headings.personality, text.headings.environment, text.headings.tone, text.headings.goal, text.headings.guardrails, text.headings.tools, text.headings.speaking]) {
    if (!headings.includes(h)) problems.push(`missing section ${h}`);
  }
  if (!prompt.includes(text.disclosure)) problems.push('no AI disclosure');
  const business = spec.business_name?.value;
  if (business && !prompt.includes(business)) problems.push(`the business "${business}" is not named`);
  const targets = (spec.transfers ?? []).filter((t) => t.phone_number?.value);
  if (targets.length === 0) {
    if (prompt.includes(text.headings.transfers)) problems.push('a transfers section without a number');
    if (!prompt.includes(text.noTransfer)) problems.push('does not say it cannot transfer');
    const tools = prompt.slice(prompt.indexOf(text.headings.tools));
    if (/\b(transfer\w*|transfier\w*|weiterleit\w*|a human|a person)\b/i.test(tools)) problems.push('the tools section promises a transfer');
  } else if (!prompt.includes(text.headings.transfers)) problems.push('no transfers section although there is a number');
  const dated = spec.tools.some((t) =>
    [t.input_schema?.value, t.output_schema?.value].some((schema) =>
      Object.values(((schema as { properties?: Record<string, { format?: string }> } | undefined)?.properties ?? {})).some((p) => p.format === 'date' || p.format === 'date-time' || p.format === 'time'),
    ),
  );
  if (dated && !prompt.includes('{{system__time}}')) problems.push('a tool takes dates but the prompt has no current time');
  if (/[a-z]+:\/\//i.test(prompt)) problems.push('the prompt holds a URL');
  if (/\b(GET|POST|PUT|PATCH|DELETE)\b/.test(prompt)) problems.push('the prompt holds an HTTP verb');
  return problems;
}
