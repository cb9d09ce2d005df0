import type { TurnResult } from '../llm/types';
import { explainField } from './explain';
import { formatPath, park, stillParked } from './fields';
import { fieldLabel } from './describe';
import { askAgain, plainQuestion, result, skippable, type Ctx } from './offline-turn';
import { nextMissingField, questionFor } from './questions';
import { resolveFieldRef } from './refs';
import { suggestFor } from './suggest';
import { runTransitions } from './transitions';
import { isPersonalisationPath } from './personalise';

/** Non-answers: "what would you suggest?", "I don't know", "skip for now". */

export function suggestTurn(ctx: Ctx, kind: 'suggest' | 'dont_know'): TurnResult {
  // "what would you suggest for the purpose of the status one?": the field named, else the one asked.
  const named = /\b(?:for|about|on)\s+(?:the\s+)?(.{3,60}?)\??$/i.exec(ctx.text)?.[1];
  const target = named ? resolveFieldRef(named, ctx.spec, ctx.awaiting) : null;
  const path = (target && (target.kind === 'top' || target.index < ctx.spec.tools.length) ? formatPath(target) : null) ?? ctx.awaiting ?? nextMissingField(ctx.stage, ctx.spec);
  const proposal = path ? suggestFor(path, ctx.spec, ctx.userLang) : null;
  if (!path || !proposal) {
    const lead = kind === 'dont_know' ? 'No problem.' : 'I have no proposal for that.';
    return result(kind, `${lead} ${explainField(path, ctx.spec)} ${askAgain(ctx)}`.trim(), ctx.awaiting);
  }
  const lead = kind === 'dont_know' ? `No problem, I can propose something for ${fieldLabel(path, ctx.spec)}.` : `For ${fieldLabel(path, ctx.spec)} I suggest`;
  const body = kind === 'dont_know' ? ` I suggest ${proposal.shown}.` : ` ${proposal.shown}.`;
  const tail = skippable(path)
    ? ' Say "use your suggestion" to take it, tell me your own, or say "skip for now".'
    : ' Say "use your suggestion" to take it, or tell me your own.';
  return result(kind, `${lead}${body}${tail}`, path, { suggestion: { field: path, value: proposal.value } });
}

export function skipTurn(ctx: Ctx): TurnResult {
  const path = ctx.awaiting;
  if (!skippable(path) || !path) {
    return result('skip', `I can't park this one: the answer decides what comes next. ${askAgain(ctx)}`, ctx.awaiting);
  }
  if (isPersonalisationPath(ctx.spec, path)) {
    // Still the template's value: it cannot be parked, only confirmed or replaced.
    return result('skip', `${fieldLabel(path, ctx.spec)} is still the template's, and it must be yours before the review: say it (even if it is the same). ${plainQuestion(path, ctx.spec)}`, path);
  }
  if (stillParked(ctx.spec).includes(path)) {
    const proposal = suggestFor(path, ctx.spec, ctx.userLang);
    const offer = proposal ? ` If you are unsure, I suggest ${proposal.shown}; say "use your suggestion" to take it.` : '';
    return result('skip', `${fieldLabel(path, ctx.spec)} is still needed before the review.${offer} ${plainQuestion(path, ctx.spec)}`, path, proposal ? { suggestion: { field: path, value: proposal.value } } : {});
  }
  const parked = park(ctx.spec, path);
  const next = runTransitions(ctx.stage, parked, {}).stage;
  const awaiting = nextMissingField(next, parked);
  const ask = awaiting && awaiting !== path ? ` ${questionFor(awaiting, parked)}` : '';
  return result('skip', `OK, I've parked ${fieldLabel(path, ctx.spec)} as still needed; I'll ask again before the review.${ask}`, awaiting, {
    intent: { skip: path },
    stage_complete: next !== ctx.stage,
  });
}
