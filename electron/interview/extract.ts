import { readAgentType, readBusiness, businessKindFromText, readGoals, readTone } from './agent-facts';
import { readAwaited } from './awaited-answer';
import { readAfterCall } from './after-call-facts';
import { readCallFacts, readFirstMessage, readKnowledge, readLabelled, readLanguage, readTransfers } from './call-facts';
import { parsePath } from './fields';
import { pushTop, type ExtractContext, type Extraction, type Finding, type Unit } from './findings';
import { fold } from './lexicon';
import { protect, splitRepairs, splitSentences, wordCount } from './prose';
import { readTools } from './tool-text';

/**
 * Reads a message written in free prose into spec values: one paragraph can fill the agent type,
 * business name, goals, tone, language, several tools with their URLs, methods, auth, inputs and
 * outputs, transfers and the first message. Each value carries the reader's certainty (0–1): an
 * outright statement ("it's a POST") is near 1, a guess (a parameter type from its name, a tool
 * name made from "look up prescriptions") is lower, so the threshold decides what is stored and
 * what is asked back.
 *
 * This module runs the readers in order; each reader lives in a module named for what it reads.
 */

export type { ExtractContext, Extraction, Finding } from './findings';
export { readAction } from './actions';
export { languageCode } from './call-facts';

const NO_TOOLS = /\b(?:no tools?|no apis?|no integrations?|doesn'?t need (?:any )?(?:tools?|apis?|to look (?:anything|things) up|integrations?)|does not need (?:any )?(?:tools?|apis?)|without (?:any )?(?:tools?|apis?|integrations?)|nothing to look up|just (?:talk|answer questions)|only answers? (?:general )?questions|keine (?:werkzeuge|tools|schnittstellen)|sin herramientas|ninguna herramienta|pas d'outils?|aucun outil|sem ferramentas|nenhuma ferramenta|nessuno strumento|senza strumenti)\b/i;

/**
 * Everything the message says, as findings. The awaited field is read first as a direct answer
 * when the message is short; in prose the same readers run over every sentence.
 */
export function extract(text: string, ctx: ExtractContext): Extraction {
  const p = protect(text.trim());
  const units: Unit[] = [];
  for (const sentence of splitSentences(p.text)) for (const part of splitRepairs(sentence)) units.push({ text: part, consumed: false });
  const findings: Finding[] = [];
  const pending = ctx.awaiting ? parsePath(ctx.awaiting) : null;
  const pendingTool = pending?.kind === 'tool' ? pending.index : null;
  const labelTool = pendingTool ?? (ctx.spec.tools.length ? ctx.spec.tools.length - 1 : null);

  readLabelled(units, p, ctx, labelTool, findings);
  readFirstMessage(units, p, findings);
  readTransfers(units, p, ctx, findings);
  readKnowledge(units, p, ctx, findings);
  readAfterCall(units, p, ctx, findings);
  readLanguage(units, findings);

  readTools(units, p, ctx, findings);

  const business = readBusiness(units);
  if (business) pushTop(findings, ctx, 'business_name', business.name, business.confidence);
  const kind = business?.kind ?? businessKindFromText(units);
  const agentType = readAgentType(units, kind);
  if (agentType && !(ctx.awaiting === 'agent_type' && wordCount(text) <= 8)) pushTop(findings, ctx, 'agent_type', agentType.value, agentType.confidence);
  else if (!agentType && kind && ctx.awaiting === 'agent_type' && wordCount(text) > 8) {
    // No "… agent" in an opening about a hotel: a guess to confirm, not to store.
    pushTop(findings, ctx, 'agent_type', `${kind} phone agent`, 0.55);
  }
  const tone = readTone(units, ctx.awaiting === 'tone');
  if (tone) pushTop(findings, ctx, 'tone', tone.value, tone.confidence);
  const goals = ctx.awaiting === 'goals' && wordCount(text) <= 40 ? null : readGoals(units);
  if (goals) pushTop(findings, ctx, 'goals', goals.items.join('; '), goals.confidence);

  readCallFacts(units, p, ctx, findings);

  const toolsNamed = new Set(findings.filter((f) => /^tools\[\d+\]\.name$/.test(f.path)).map((f) => f.path));
  if (toolsNamed.size && ctx.spec.use_tools === undefined) findings.push({ path: 'use_tools', value: true, confidence: 0.9 });
  else if (NO_TOOLS.test(fold(p.text)) && ctx.spec.use_tools === undefined) findings.push({ path: 'use_tools', value: false, confidence: 0.85 });

  const problem = readAwaited(text, p, units, ctx, findings);
  return { findings: dedupe(findings), problem };
}

/** Later findings for a path win (a self-repair or a correction later in the message). */
function dedupe(findings: Finding[]): Finding[] {
  const byPath = new Map<string, Finding>();
  for (const f of findings) {
    byPath.delete(f.path);
    byPath.set(f.path, f);
  }
  return [...byPath.values()];
}
