import type { AgentSpec } from '../../shared/spec';
import { usesDates } from './prompt-generator';
import { mentionsTransfer } from './transfer-promise';

/**
 * What a deployable agent still lacks, said at the review so the user can give it in a sentence
 * instead of meeting it as an export error or a silently weaker prompt. Nothing here blocks the
 * approval: each line says what happens without it and how to say it.
 */
export function deployChecklist(spec: AgentSpec): string[] {
  const lines: string[] = [];
  if (!spec.business_name) {
    lines.push('Business name: not set, so the greeting and the instructions name no business. Say, for example, "the business is called Northwind Outfitters".');
  }
  const promise = transferPromise(spec);
  if (promise && !(spec.transfers ?? []).some((t) => t.phone_number?.value.trim())) {
    lines.push(
      `Transfer: the design hands callers to a person ("${promise}"), but there is no number to transfer to, so the agent will not offer it. Say, for example, "transfer to +1 503 555 0199 when the caller asks for a person".`,
    );
  }
  if (usesDates(spec) && !spec.timezone) {
    lines.push('Time zone: a tool deals in dates, so the agent needs the business\u2019s time zone to know what "today" is. Say, for example, "we are in America/New_York".');
  }
  if (spec.call_direction?.value === 'outbound' && !spec.voicemail) {
    lines.push('Voicemail: the agent places calls, but nothing says what it does when an answering machine picks up, so it hangs up. To leave a message instead, say, for example, "at voicemail, leave a message: Hi, this is Northwind calling about your order; please call us back".');
  }
  if (!spec.call_direction) {
    lines.push('Calls: I take it the agent answers calls (inbound). If it places them, say "it makes outbound calls".');
  }
  return lines;
}

/** The first phrase of the design that promises a person: goals, or a tool's trigger or error handling. */
function transferPromise(spec: AgentSpec): string | null {
  const texts = [spec.goals?.value, ...spec.tools.flatMap((t) => [t.error_handling?.value, t.trigger?.value])];
  for (const text of texts) {
    if (!text) continue;
    const clause = text.split(/(?<=[.;!?])\s+|,\s*/).find((part) => mentionsTransfer(part));
    if (clause) return clause.trim().replace(/^(?:and|or|then)\s+/i, '').replace(/[.;!?]+$/, '');
  }
  return null;
}

/** The checklist as a paragraph for the review message, or '' when nothing is missing. */
export function deployChecklistText(spec: AgentSpec): string {
  const lines = deployChecklist(spec);
  return lines.length ? `Before you deploy (you can answer now, or approve and add them later):\n${lines.map((l) => `• ${l}`).join('\n')}` : '';
}
