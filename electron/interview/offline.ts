import { ParleyError } from '../../shared/errors';
import type { GenerateOptions, GenerateResult, LlmProvider, TurnRequest, TurnResult } from '../llm/types';
import { classify } from './classify';
import { explainField } from './explain';
import { extract, type Finding } from './extract';
import { fieldLabel } from './describe';
import { leadingCue, originalAfter, wholeCue, type Lang } from './lexicon';
import { loadLanguageDetector, type LanguageDetector } from './language';
import { reopenStage } from './merge';
import { answerTurn, settleAnswer } from './offline-answers';
import { conditionalTurn, correctionTurn, goBackTurn, toolOpTurn } from './offline-corrections';
import { skipTurn, suggestTurn } from './offline-nonanswers';
import { askAgain, result, type Ctx } from './offline-turn';
import { reentryMessage } from './questions';
import { wordCount } from './prose';
import { OFFLINE_MODEL } from './offline-model';

/**
 * The offline interviewer: no key, no network, deterministic. It classifies each message
 * (answer, question, "don't know", skip, correction, go back, tool edit, undo, conditional
 * approval, off-topic), reads answers from free prose (one paragraph can fill many fields, each
 * value with the reader's certainty) and proposes, explains or asks back otherwise. It returns
 * the same structured turn an LLM provider returns; the orchestrator's rules decide what is kept.
 * Each kind of message has its handler in an offline-*.ts module beside this one.
 */

export { OFFLINE_MODEL };
export { OFFLINE_NOTE } from './offline-turn';

const DEFAULT_THRESHOLD = 0.6;

function lastUserText(request: TurnRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (m?.role === 'user') return m.text;
  }
  return '';
}

/** The user's own language, from the lexicon's cue or the detector; null when unclear or English. */
function userLanguage(text: string, cueLang: Lang | null, detector: LanguageDetector | null): Lang | null {
  const detected = detector?.detect(text) ?? null;
  if (detected) return detected;
  if (cueLang) return cueLang;
  for (const cue of ['yes', 'no', 'approve', 'no_more', 'dont_know', 'skip'] as const) {
    const m = leadingCue(text, cue) ?? wholeCue(text, cue);
    // A word shared with English ("no", "ok") says nothing; one language alone does.
    if (m && m.langs.length === 1 && m.langs[0] !== 'en') return m.langs[0] ?? null;
  }
  return null;
}

/** One interview step: the user's text → reply, extracted fields, kind, intent and the next question. */
export function interview(request: TurnRequest, detector: LanguageDetector | null = null): TurnResult {
  const text = lastUserText(request).trim();
  const c = classify(text, { stage: request.stage, spec: request.spec, awaiting: request.awaiting });
  const ctx: Ctx = {
    stage: request.stage,
    spec: request.spec,
    awaiting: request.awaiting,
    threshold: request.threshold ?? DEFAULT_THRESHOLD,
    text,
    userLang: userLanguage(text, c.lang, detector),
    first: request.stage === 'INITIAL',
  };
  if ((ctx.stage === 'COMPLETED' || ctx.stage === 'FINALIZING') && /^regenerate\b/i.test(text)) {
    const reopened = reopenStage(ctx.spec, 'FINALIZING');
    return result('go_back', reentryMessage('FINALIZING', reopened), null, { intent: { go_back_to: 'FINALIZING' } });
  }
  switch (c.kind) {
    case 'undo':
      return result('undo', '', ctx.awaiting, { intent: { undo: true } });
    case 'accept_suggestion': {
      const path = ctx.awaiting;
      const candidate = path ? ctx.spec.candidates[path] : undefined;
      if (!path || !candidate) return answerTurn(ctx, text);
      const findings: Finding[] = [{ path, value: candidate.value, confidence: 1 }];
      // "Use your suggestion, and call it whenever …": the rest of the message answers more.
      const cue = leadingCue(text, 'accept_suggestion') ?? leadingCue(text, 'yes');
      const rest = cue ? originalAfter(text, cue.phrase) : '';
      if (wordCount(rest) >= 3) {
        // Read as more about the same tool (or the same part of the design).
        const more = extract(rest, { stage: ctx.stage, spec: ctx.spec, awaiting: path, overwrite: false });
        for (const f of more.findings) if (f.path !== path) findings.push(f);
      }
      return settleAnswer(ctx, 'accept_suggestion', findings);
    }
    case 'go_back':
      return goBackTurn(ctx, c);
    case 'tool_op':
      return toolOpTurn(ctx, c);
    case 'suggest':
    case 'dont_know':
      return suggestTurn(ctx, c.kind);
    case 'skip':
      return skipTurn(ctx);
    case 'question':
      return result('question', `${explainField(ctx.awaiting, ctx.spec)} ${askAgain(ctx)}`, ctx.awaiting);
    case 'off_topic':
      return result('off_topic', `Let's stay with your agent. ${askAgain(ctx)}`, ctx.awaiting);
    case 'conditional_approval':
      return conditionalTurn(ctx, c.condition);
    case 'correction':
      return correctionTurn(ctx, c.body, 'correction');
    case 'answer':
      return answerTurn(ctx, c.body);
  }
}

function cancelledError(): ParleyError {
  return new ParleyError('CANCELLED', 'The turn was stopped.');
}

/** Word groups, so the UI's streaming path runs exactly as with a network provider. */
function chunks(text: string, wordsPerChunk = 4): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk) out.push(words.slice(i, i + wordsPerChunk).join(''));
  return out;
}

export function createOfflineProvider(): LlmProvider {
  // Starts loading the language detector now; the first turn waits for it if it is not there yet.
  const detector = loadLanguageDetector();
  return {
    name: 'offline',
    model: OFFLINE_MODEL,
    async generateTurn(request: TurnRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
      const { signal, onDelta } = options;
      if (signal?.aborted) throw cancelledError();
      const result = interview(request, await detector);
      if (signal?.aborted) throw cancelledError();
      for (const chunk of chunks(result.reply)) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (signal?.aborted) throw cancelledError();
        onDelta?.(chunk);
      }
      // No model runs, so no tokens are spent.
      return { result, usage: { inputTokens: 0, outputTokens: 0 }, model: OFFLINE_MODEL };
    },
  };
}

export { fieldLabel };
