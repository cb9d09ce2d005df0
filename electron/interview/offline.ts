import { ParleyError } from '../../shared/errors';
import { stageIndex, type Stage } from '../../shared/stages';
import type { AgentSpec } from '../../shared/spec';
import type { GenerateOptions, GenerateResult, LlmProvider, TurnRequest, TurnResult } from '../llm/types';
import { formatPath, parsePath, toolLabel, type FieldPath } from './fields';
import {
  findRelativePath,
  findUrl,
  isApproval,
  isNoMoreTools,
  parseAgentType,
  parseAuth,
  parseFieldEdit,
  parseGoBack,
  parseMethod,
  parseToolName,
  parseYesNo,
  resolveStageTarget,
  usableText,
} from './answers';
import { mergeExtraction, reopenStage } from './merge';
import { runTransitions } from './transitions';
import { nextMissingField, questionFor, reentryAwaiting, reentryMessage } from './questions';
import { validateValue } from './validate';

/**
 * The offline guided interviewer: no key, no network, fully deterministic. It asks one field at
 * a time in the interview's fixed order and reads the answer with the same parsers, validators
 * and stage rules the orchestrator applies, so its questions always match what the rules decide.
 */

export const OFFLINE_MODEL = 'guided-interviewer';
export const OFFLINE_NOTE =
  "(I'm Parley's offline guided interviewer: I ask one thing at a time and read answers literally. Add an OpenAI or Anthropic key in Settings for a smarter, free-form interview.)";

type Values = Record<string, unknown>;
type Answer = { values: Values; approve?: boolean; noMoreTools?: boolean } | { problem: string; path: string | null };

function lastUserText(request: TurnRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (m?.role === 'user') return m.text;
  }
  return '';
}

function reask(path: FieldPath, spec: AgentSpec, lead: string): Answer {
  const key = formatPath(path);
  return { problem: `${lead} ${questionFor(key, spec)}`, path: key };
}

/** Reads the user's text as the answer to one field; may also pick up a method given with a URL. */
function readAnswer(path: FieldPath, text: string, spec: AgentSpec): Answer {
  const key = formatPath(path);
  const candidate = spec.candidates[key];
  if (candidate && parseYesNo(text) === true) return { values: { [key]: candidate.value } };

  if (path.kind === 'top') {
    switch (path.key) {
      case 'agent_type': {
        const value = parseAgentType(text);
        return value
          ? { values: { agent_type: value } }
          : reask(path, spec, 'I didn\'t catch the kind of agent; for example "a customer support agent" or "an appointment booking agent".');
      }
      case 'use_tools': {
        const value = parseYesNo(text);
        return value === null ? reask(path, spec, 'Please answer yes or no.') : { values: { use_tools: value } };
      }
      case 'tools_done': {
        const named = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/.exec(text)?.[0];
        if (named) return { values: { [`tools[${spec.tools.length}].name`]: named } };
        if (isNoMoreTools(text) || parseYesNo(text) === false) return { values: { tools_done: true }, noMoreTools: true };
        if (parseYesNo(text) === true || /\b(another|one more|add|new tool|next)\b/i.test(text)) return { values: {} };
        return { problem: 'Should I add another tool? Give its name (e.g. create_return), or say "no more tools".', path: key };
      }
      case 'workflow_approved':
        if (isApproval(text)) return { values: { workflow_approved: true }, approve: true };
        return {
          problem:
            'Offline I can only make changes you name exactly: write "field: value" (e.g. "tone: formal and concise" or "method: POST"), say "go back to tools", or say "approve" to generate the agent.',
          path: key,
        };
      default: {
        const value = usableText(text);
        return value ? { values: { [key]: value } } : reask(path, spec, "I didn't catch that.");
      }
    }
  }

  switch (path.key) {
    case 'name': {
      const name = parseToolName(text);
      return name ? { values: { [key]: name } } : reask(path, spec, "I didn't catch a name.");
    }
    case 'endpoint': {
      const url = findUrl(text);
      if (!url) {
        const relative = findRelativePath(text);
        const checked = relative ? validateValue(spec, path, relative) : null;
        if (checked && !checked.ok) return { problem: checked.message, path: key };
        return reask(path, spec, "I couldn't find a URL there.");
      }
      const values: Values = { [key]: url };
      const method = /\b(GET|POST|PUT|PATCH|DELETE)\b/.exec(text.replace(url, ''))?.[1];
      if (method && !spec.tools[path.index]?.method) values[`tools[${path.index}].method`] = method;
      return { values };
    }
    case 'method': {
      const found = parseMethod(text);
      if (!found) return reask(path, spec, "I didn't catch a method.");
      if ('unsupported' in found) {
        return {
          problem: `${found.unsupported} isn't supported: a tool uses GET, POST, PUT, PATCH or DELETE. Which one does ${toolLabel(spec, path.index)} use?`,
          path: key,
        };
      }
      return { values: { [key]: found.method } };
    }
    case 'auth': {
      const auth = parseAuth(text, spec.tools[path.index]?.name?.value);
      return auth ? { values: { [key]: auth } } : reask(path, spec, "I couldn't tell the authentication method.");
    }
    case 'input_schema':
    case 'output_schema':
      // Text goes to the validator as is: it parses JSON or the "order_id: string" form and says what is wrong.
      return { values: { [key]: text } };
    default: {
      const value = usableText(text);
      return value ? { values: { [key]: value } } : reask(path, spec, "I didn't catch that.");
    }
  }
}

/** The tool an edit like "method: POST" applies to: the one being asked about, else the last. */
function editTarget(awaiting: string | null, spec: AgentSpec): number | null {
  const pending = awaiting ? parsePath(awaiting) : null;
  if (pending?.kind === 'tool' && pending.index < spec.tools.length) return pending.index;
  return spec.tools.length ? spec.tools.length - 1 : null;
}

function acknowledge(values: Values, approve: boolean, noMoreTools: boolean): string {
  if (approve) return 'Approved. Generating the system prompt and first message now.';
  if (noMoreTools) return 'OK, no more tools.';
  const paths = Object.keys(values);
  const only = paths.length === 1 ? paths[0] : undefined;
  if (only === 'agent_type') return `Great: a ${String(values.agent_type)}.`;
  if (only === 'use_tools') return values.use_tools ? "Great, let's set up the tools one detail at a time." : 'OK, no tools.';
  if (only && only.endsWith('.name')) return `OK, ${String(values[only])}.`;
  return paths.length ? 'Got it.' : 'OK.';
}

function helpAtEnd(stage: Stage): string {
  return stage === 'COMPLETED'
    ? 'Your agent is complete. Change a field with "field: value" (e.g. "tone: warm and upbeat"), say "regenerate", or "go back to tools"; or export it.'
    : 'One moment: the system prompt is being generated.';
}

/** One deterministic interview step: the user's text → reply, extracted fields, intent, next field. */
export function interview(request: TurnRequest): TurnResult {
  const { stage, spec } = request;
  const text = lastUserText(request).trim();
  const awaiting = request.awaiting;

  const back = parseGoBack(text) ?? (stage === 'COMPLETED' && /^regenerate\b/i.test(text) ? 'FINALIZING' : null);
  if (back) {
    const target = resolveStageTarget(back, spec);
    if (target && target !== 'INITIAL' && stageIndex(target) < stageIndex(stage)) {
      const reopened = reopenStage(spec, target);
      return {
        reply: reentryMessage(target, reopened),
        extracted: {},
        awaiting: reentryAwaiting(target, reopened),
        intent: { go_back_to: target },
        stage_complete: false,
      };
    }
    return {
      reply: `We're at ${stage}. I can go back to "basics", "tools" or "review"${stage === 'COMPLETED' ? ', or "regenerate" the prompt' : ''}. Which one?`,
      extracted: {},
      awaiting,
      intent: {},
      stage_complete: false,
    };
  }

  let answer: Answer;
  const edit = parseFieldEdit(text);
  const editPath: FieldPath | null =
    edit?.kind === 'top'
      ? { kind: 'top', key: edit.key }
      : edit?.kind === 'tool' && editTarget(awaiting, spec) !== null
        ? { kind: 'tool', index: editTarget(awaiting, spec) ?? 0, key: edit.key }
        : null;
  const pending = awaiting ? parsePath(awaiting) : null;
  if (edit && editPath && !(pending && formatPath(pending) === formatPath(editPath))) answer = readAnswer(editPath, edit.value, spec);
  else if (pending) answer = readAnswer(pending, edit && editPath ? edit.value : text, spec);
  else if (stage === 'COMPLETED' || stage === 'FINALIZING') return { reply: helpAtEnd(stage), extracted: {}, awaiting: null, intent: {}, stage_complete: false };
  else answer = { values: {} };

  if ('problem' in answer) {
    return { reply: answer.problem, extracted: {}, awaiting: answer.path ?? awaiting, intent: {}, stage_complete: false };
  }

  // Check with the orchestrator's own merge so only values it will accept are proposed.
  const proposed = Object.fromEntries(Object.entries(answer.values).map(([k, value]) => [k, { value, confidence: 1 }]));
  const merged = mergeExtraction(spec, proposed, { threshold: 0, source: 'offline', stage });
  const rejected = merged.rejected[0];
  if (rejected) {
    return { reply: rejected.message, extracted: {}, awaiting: rejected.path, intent: {}, stage_complete: false };
  }
  // Hand on the normalised value (e.g. a parsed schema), not the raw text.
  const extracted: TurnResult['extracted'] = {};
  for (const path of merged.stored) {
    const parsed = parsePath(path);
    const field = parsed ? (parsed.kind === 'top' ? merged.spec[parsed.key] : merged.spec.tools[parsed.index]?.[parsed.key]) : undefined;
    if (field) extracted[path] = { value: field.value, confidence: 1 };
  }
  const approve = answer.approve === true;
  const noMoreTools = answer.noMoreTools === true;
  const simulated = approve ? { ...merged.spec, workflow_approved: { value: true, confidence: 1, source: 'offline', locked: false } } : merged.spec;
  const next = runTransitions(stage, simulated, {}).stage;
  let nextAwaiting = nextMissingField(next, simulated);
  // "Yes, another tool" without a name: ask for the new tool's name.
  if (awaiting === 'tools_done' && next === 'CONFIGURING_TOOLS' && Object.keys(answer.values).length === 0) {
    nextAwaiting = `tools[${spec.tools.length}].name`;
  }

  const locked = merged.ignored.filter((i) => i.reason === 'locked').map((i) => i.path);
  const parts = [
    locked.length
      ? `${locked.join(', ')} ${locked.length === 1 ? 'is' : 'are'} locked, so I left ${locked.length === 1 ? 'it' : 'them'} unchanged; unlock in the spec panel to change.`
      : acknowledge(answer.values, approve, noMoreTools),
  ];
  if (stage === 'INITIAL') parts.push(OFFLINE_NOTE);
  // From the review on, the orchestrator shows the summary or the finished prompt itself.
  if (nextAwaiting && stageIndex(next) < stageIndex('REVIEWING_WORKFLOW')) parts.push(questionFor(nextAwaiting, simulated));
  else if (next === 'COMPLETED' && stage === 'COMPLETED') parts.push('I regenerated the prompt with that change.');

  const intent: TurnResult['intent'] = {};
  if (approve) intent.approve = true;
  if (noMoreTools) intent.no_more_tools = true;
  return { reply: parts.join(' '), extracted, awaiting: nextAwaiting, intent, stage_complete: next !== stage };
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
  return {
    name: 'offline',
    model: OFFLINE_MODEL,
    async generateTurn(request: TurnRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
      const { signal, onDelta } = options;
      if (signal?.aborted) throw cancelledError();
      const result = interview(request);
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
