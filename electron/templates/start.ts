import { SESSION_SCHEMA_VERSION, type Message, type Session } from '../../shared/session';
import { TEMPLATE_SOURCE, type Template } from '../../shared/template';
import type { ProviderChoice } from '../../shared/providers';
import { languageName } from '../../shared/language';
import { runTransitions } from '../interview/transitions';
import { nextMissingField, questionFor } from '../interview/questions';
import { personalisationPaths } from '../interview/personalise';
import { applyGenerated } from '../interview/session-steps';
import { specFromTemplate } from './convert';

/** "a, b and c" */
function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** What the interviewer says first: what the template brings, what is left to make it yours, and the first question. */
function introduction(template: Template, session: Pick<Session, 'spec' | 'awaiting'>): string {
  const { spec } = template;
  const parts: string[] = [];
  parts.push(spec.tools.length ? `${spec.tools.length === 1 ? 'a tool' : `${spec.tools.length} tools`} (${list(spec.tools.map((t) => t.name))})` : 'no tools');
  const transfers = spec.transfers?.length ?? 0;
  if (transfers) parts.push(transfers === 1 ? 'a transfer' : `${transfers} transfers`);
  parts.push(`${languageName(spec.language)} as the language`);
  const toPersonalise = personalisationPaths(session.spec);
  const what = [
    toPersonalise.includes('business_name') ? 'the business name' : null,
    toPersonalise.some((p) => p.endsWith('.endpoint')) ? 'the real endpoints' : null,
    toPersonalise.some((p) => p.endsWith('.auth')) ? 'how they authenticate' : null,
    toPersonalise.some((p) => p.startsWith('transfers[')) ? 'the transfer numbers' : null,
    toPersonalise.includes('voicemail') ? 'the voicemail message' : null,
    toPersonalise.includes('language') ? 'the language' : null,
    toPersonalise.includes('timezone') ? 'the time zone' : null,
  ].filter((x): x is string => x !== null);
  const ask = session.awaiting ? ` ${questionFor(session.awaiting, session.spec)}` : '';
  return `You're starting from the “${template.title}” template: ${template.purpose.replace(/\.$/, '')}. The design is complete, with ${list(parts)}. Only what belongs to your business is left to personalise: ${list(what)}.${ask}`;
}

/**
 * A new session holding the template's whole design, every field sourced "template". The
 * stage rules carry it as far as they can (to the tools, since the personalisation still holds
 * up the review), and the first question is the first thing to personalise.
 */
export function templateSession(template: Template, at: string, newId: () => string, provider: ProviderChoice = 'auto'): Session {
  const spec = applyGenerated(specFromTemplate(template.spec), TEMPLATE_SOURCE);
  const run = runTransitions('COLLECTING_BASICS', spec, {});
  const awaiting = nextMissingField(run.stage, spec);
  const draft = { spec, awaiting };
  const message: Message = { id: newId(), role: 'assistant', text: introduction(template, draft), createdAt: at, status: 'complete' };
  return {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id: newId(),
    title: template.title,
    createdAt: at,
    updatedAt: at,
    provider,
    stage: run.stage,
    stageHistory: [{ stage: 'INITIAL', at }, { stage: 'COLLECTING_BASICS', at }, ...run.steps.map((s) => ({ stage: s.to, at }))],
    awaiting,
    spec,
    messages: [message],
    usage: [],
  };
}
