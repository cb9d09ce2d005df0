import { stageIndex } from '../../shared/stages';
import type { TurnResult } from '../llm/types';
import { resolveStageTarget } from './answers';
import type { Classification } from './classify';
import { describeValue, fieldLabel } from './describe';
import { extract, languageCode } from './extract';
import { formatPath, getField, toolLabel, type FieldPath } from './fields';
import { reopenStage } from './merge';
import { answerTurn, settleAnswer } from './offline-answers';
import { plainQuestion, result, type Ctx } from './offline-turn';
import { wordCount } from './prose';
import { questionFor, reentryAwaiting, reentryMessage } from './questions';
import { currentTool, fieldWord, previousField, resolveFieldRef, resolveToolRef } from './refs';

/** Corrections, going back, tool edits and approval with a condition. */

const VALUE_SHAPES: Array<[RegExp, string]> = [
  [/^\s*(?:it'?s\s+|use\s+|make it\s+|a\s+|an\s+)?(GET|POST|PUT|PATCH|DELETE)\b|\b(GET|POST|PUT|PATCH|DELETE)\b/, 'method'],
  [/\b[a-z][a-z0-9+.-]*:\/\//i, 'endpoint'],
  [/\b(bearer|api[ -]?key|basic auth|oauth\s*2?|no auth\w*|unauthenticated|x-api-key)\b/i, 'auth'],
];

/** The field a correction without a field name most likely means ("actually make it POST"). */
function impliedField(value: string, ctx: Ctx): FieldPath | null {
  const tool = currentTool(ctx.spec, ctx.awaiting);
  for (const [re, key] of VALUE_SHAPES) if (re.test(value) && tool !== null) return { kind: 'tool', index: tool, key: key as never };
  if (languageCode(value) && wordCount(value) <= 4) return { kind: 'top', key: 'language' };
  return previousField(ctx.spec, ctx.awaiting);
}

/** Splits "change the tone to relaxed" / "the tone should be relaxed" / "make it POST" into a field phrase and a value. */
function splitCorrection(body: string): { field: string | null; value: string } {
  const t = body.trim().replace(/[.!]+$/, '');
  const change = /^(?:please\s+)?(?:can you\s+|could you\s+|let'?s\s+)?(?:change|set|update|switch|make|replace|turn|cambia|cambiar|pon|andere|aendere|setze|mach|change|mets|muda|troca|imposta|metti)\s+(.+?)\s+(?:to|into|=|as|a|zu|auf|en|em|in|para|por)\s+(.+)$/i.exec(t);
  if (change?.[1] && change[2] && !/^(it|that|this|them)$/i.test(change[1].trim())) return { field: change[1], value: change[2] };
  const should = /^(?:the\s+)?(.{2,60}?)\s+(?:should be|should use|must be|needs to be|has to be|is actually|is really|will be|should say|deberia ser|debe ser|sollte|soll|muss|doit etre|devrait etre|deve ser|deveria ser|dovrebbe essere|deve essere)\s+(.+)$/i.exec(t);
  if (should?.[1] && should[2] && !/^(it|that|this)$/i.test(should[1].trim())) return { field: should[1], value: should[2] };
  const colon = /^([a-z][a-z ']{1,30}?)\s*[:=]\s*(.+)$/i.exec(t);
  if (colon?.[1] && colon[2] && fieldWord(colon[1])) return { field: colon[1], value: colon[2] };
  // "the checkout one is a POST", "the refill tool uses GET"
  const is = /^(?:the\s+|el\s+|la\s+|der\s+|die\s+|das\s+|le\s+|o\s+|a\s+|il\s+)?(.{2,40}?)\s+(?:is|are|uses|should use|takes|es|ist|est|[eé]|[eè]|usa|nutzt|utilise)\s+(?:actually\s+|really\s+|en realidad\s+|eigentlich\s+)?(?:a\s+|an\s+|un\s+|una\s+|ein\s+|eine\s+|um\s+|uma\s+)?(.+)$/i.exec(t);
  if (is?.[1] && is[2] && !/^(it|that|this|they)$/i.test(is[1].trim())) return { field: is[1], value: is[2] };
  const makeIt = /^(?:make it|make that|it'?s|it is|use|set it to|change it to|switch (?:it )?to)\s+(.+)$/i.exec(t);
  if (makeIt?.[1]) return { field: null, value: makeIt[1] };
  return { field: null, value: t };
}

/** A correction (or a go-back with a value): the named field gets the new value at once. */
export function correctionTurn(ctx: Ctx, body: string, kind: 'correction' | 'go_back', fieldPhrase: string | null = null): TurnResult {
  const split = fieldPhrase ? { field: fieldPhrase, value: body } : splitCorrection(body);
  // "a POST, not a PATCH": the value is what it is, not what it is not.
  split.value = split.value.replace(/,?\s*(?:and\s+|y\s+|und\s+|et\s+|e\s+)?(?:not|no|nicht|pas|non|n[aã]o)\s+(?:a\s+|an\s+|the\s+|un\s+|una\s+|ein\s+|eine\s+|um\s+|uma\s+|le\s+|la\s+|il\s+)?[^,.;]+[.!]?$/i, '').trim() || split.value;
  let target: FieldPath | null = null;
  if (split.field) {
    target = resolveFieldRef(split.field, ctx.spec, ctx.awaiting);
    if (!target) {
      // "the second tool should be GET": a tool, and the field from the value's shape.
      const tool = resolveToolRef(split.field, ctx.spec);
      if (tool !== null) {
        const shape = impliedField(split.value, { ...ctx, awaiting: `tools[${tool}].name` });
        if (shape?.kind === 'tool') target = { ...shape, index: tool };
      }
    }
  }
  target ??= impliedField(split.value, ctx);
  if (!target) return answerTurn(ctx, body);
  const path = formatPath(target);
  if (path === ctx.awaiting && kind === 'correction') return answerTurn(ctx, split.value);
  if (target.kind === 'tool' && target.index >= ctx.spec.tools.length) return answerTurn(ctx, body);
  if (target.kind === 'tool' && target.key === 'name') {
    // A new name for a tool is a rename.
    return toolOpTurn(ctx, { kind: 'tool_op', ops: [{ op: 'rename', tool: target.index, name: split.value.trim().replace(/\s+/g, '_').toLowerCase() }], unresolved: null, lang: null });
  }
  const extraction = extract(split.value, { stage: ctx.stage, spec: ctx.spec, awaiting: path, overwrite: true });
  const finding = extraction.findings.find((f) => f.path === path);
  if (!finding) {
    return result(kind, `I couldn't read "${split.value}" as ${fieldLabel(path, ctx.spec)}. ${questionFor(path, ctx.spec)}`, path, kind === 'go_back' ? { intent: { revisit: path } } : {});
  }
  // The user said outright what it should be.
  const findings = [{ ...finding, confidence: Math.max(finding.confidence, 0.9) }];
  const turn = settleAnswer({ ...ctx, first: false }, kind, findings);
  return turn;
}

export function goBackTurn(ctx: Ctx, c: Extract<Classification, { kind: 'go_back' }>): TurnResult {
  const field = c.target ? resolveFieldRef(c.target, ctx.spec, ctx.awaiting) : null;
  const stageTarget = !field && c.target ? resolveStageTarget(c.target, ctx.spec) : null;
  if (field && (field.kind === 'top' || field.index < ctx.spec.tools.length)) {
    const path = formatPath(field);
    if (c.body) return correctionTurn(ctx, c.body, 'go_back', c.target);
    const current = getField(ctx.spec, field);
    const now = current ? ` It is now ${describeValue(path, current.value, ctx.spec)}.` : '';
    return result('go_back', `Sure.${now} ${plainQuestion(path, ctx.spec)}`, path, { intent: { revisit: path } });
  }
  if (stageTarget && stageTarget !== 'INITIAL' && stageIndex(stageTarget) < stageIndex(ctx.stage)) {
    const reopened = reopenStage(ctx.spec, stageTarget);
    return result('go_back', reentryMessage(stageTarget, reopened), reentryAwaiting(stageTarget, reopened), { intent: { go_back_to: stageTarget } });
  }
  return result(
    'go_back',
    `We're at ${ctx.stage}. Tell me what to change (for example "go back and change the tone"), or go back to "basics", "tools" or "review"${ctx.stage === 'COMPLETED' ? ', or "regenerate" the prompt' : ''}.`,
    ctx.awaiting,
  );
}

export function toolOpTurn(ctx: Ctx, c: Extract<Classification, { kind: 'tool_op' }>): TurnResult {
  if (c.ops.length === 0) {
    const names = ctx.spec.tools.map((_, i) => toolLabel(ctx.spec, i));
    return result('tool_op', `Which tool do you mean${c.unresolved ? ` by "${c.unresolved}"` : ''}? ${names.length ? `The tools are: ${names.join(', ')}.` : 'There are no tools yet.'}`, ctx.awaiting);
  }
  const tool_ops = c.ops.map((op) =>
    op.op === 'rename' ? { op: op.op, tool: `tools[${op.tool}]`, name: op.name } : op.op === 'move' ? { op: op.op, tool: `tools[${op.tool}]`, position: op.position } : { op: op.op, tool: `tools[${op.tool}]` },
  );
  // The orchestrator applies the edit and says what changed; the next question follows from the result.
  return result('tool_op', '', ctx.awaiting, { intent: { tool_ops } });
}

export function conditionalTurn(ctx: Ctx, condition: string): TurnResult {
  const extraction = extract(condition, { stage: ctx.stage, spec: ctx.spec, awaiting: null, overwrite: true });
  const changes = extraction.findings.filter((f) => f.confidence >= ctx.threshold);
  if (changes.length) {
    const turn = settleAnswer({ ...ctx, first: false }, 'conditional_approval', changes);
    turn.kind = 'conditional_approval';
    turn.intent = { ...turn.intent, change_request: condition };
    delete turn.intent.approve;
    turn.reply = `Not approved yet: I made the change you asked for first. ${turn.reply}`.trim();
    return turn;
  }
  // "Approve, as long as the knowledge base is included": ask for the source itself.
  if (/\b(knowledge base|faqs?|docs|documentation|website|menu|price list|policies|knowledge)\b/i.test(condition)) {
    const next = `knowledge_base[${ctx.spec.knowledge_base?.length ?? 0}]`;
    return result(
      'conditional_approval',
      `I haven't approved it yet, because you asked for something first: "${condition}". ${questionFor(next, ctx.spec)}`,
      next,
      { intent: { change_request: condition, revisit: next } },
    );
  }
  return result(
    'conditional_approval',
    `I haven't approved it yet, because you asked for something first: "${condition}". I can't add that from here; tell me the change in plain words (for example "change the tone to formal" or "add a tool called create_return"), or say "approve" to approve the design as it is.`,
    'workflow_approved',
    { intent: { change_request: condition } },
  );
}
