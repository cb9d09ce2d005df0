import type { AgentSpec } from '../../shared/spec';
import { stageIndex, type Stage } from '../../shared/stages';
import { BASIC_FIELDS, isToolComplete, missingToolFields, stillParked, toolPath } from './fields';
import { personalisationPaths } from './personalise';

/** What the rules look at: derived from the spec, never from the model's say-so. */
export interface StageFacts {
  /** A user message was processed in this step (INITIAL needs one exchange). */
  exchanged: boolean;
  /** Basics still missing and not parked. */
  missingBasics: string[];
  /** Fields the user skipped for now that are still empty: they are asked before the review. */
  parked: string[];
  useTools: boolean | null;
  completeTools: number;
  incompleteTools: number;
  toolsDone: boolean;
  approved: boolean;
  promptsReady: boolean;
}

/** What the model (or the offline interviewer) proposed this turn. */
export interface Proposal {
  stage_complete?: boolean;
  /** An earlier stage the user asked to reopen (already resolved from the user's phrase). */
  goBackTo?: Stage | null;
}

export interface Transition {
  from: Stage;
  to: Stage;
  /** Stable rule id, for tests and logs. */
  rule: string;
  reason: string;
}

export function deriveFacts(spec: AgentSpec, exchanged: boolean): StageFacts {
  // A template's fields still to personalise hold up the review like skipped ones.
  const parked = [...stillParked(spec), ...personalisationPaths(spec)];
  let completeTools = 0;
  let incompleteTools = 0;
  spec.tools.forEach((tool, i) => {
    if (isToolComplete(tool)) completeTools++;
    // A tool whose only gaps are parked fields does not hold up the next tool; the review waits for them.
    else if (missingToolFields(tool).some((key) => !parked.includes(toolPath(i, key)))) incompleteTools++;
  });
  return {
    exchanged,
    missingBasics: BASIC_FIELDS.filter((k) => spec[k] === undefined && !parked.includes(k)),
    parked,
    useTools: spec.use_tools ? spec.use_tools.value : null,
    completeTools,
    incompleteTools,
    toolsDone: spec.tools_done?.value === true,
    approved: spec.workflow_approved?.value === true,
    promptsReady: spec.system_prompt !== undefined && spec.first_message !== undefined,
  };
}

interface Rule {
  id: string;
  when: (f: StageFacts) => boolean;
  to: Stage;
  reason: string;
}

/** Forward rules per stage, first match wins; no match means stay. */
const RULES: Record<Stage, Rule[]> = {
  INITIAL: [{ id: 'initial.exchanged', when: (f) => f.exchanged, to: 'COLLECTING_BASICS', reason: 'the first exchange happened' }],
  COLLECTING_BASICS: [
    { id: 'basics.complete', when: (f) => f.missingBasics.length === 0, to: 'EXPLORING_TOOLS', reason: 'agent type, goals and tone are stored' },
  ],
  EXPLORING_TOOLS: [
    { id: 'explore.yes', when: (f) => f.useTools === true, to: 'CONFIGURING_TOOLS', reason: 'the agent needs tools' },
    { id: 'explore.no', when: (f) => f.useTools === false && f.parked.length === 0, to: 'REVIEWING_WORKFLOW', reason: 'the agent needs no tools' },
  ],
  CONFIGURING_TOOLS: [
    { id: 'configure.no-tools', when: (f) => f.useTools === false && f.parked.length === 0, to: 'REVIEWING_WORKFLOW', reason: 'the user no longer wants tools' },
    {
      id: 'configure.done',
      when: (f) => f.completeTools >= 1 && f.incompleteTools === 0 && f.toolsDone && f.parked.length === 0,
      to: 'REVIEWING_WORKFLOW',
      reason: 'every tool is complete and the user has no more',
    },
  ],
  REVIEWING_WORKFLOW: [{ id: 'review.approved', when: (f) => f.approved, to: 'FINALIZING', reason: 'the user approved the workflow' }],
  FINALIZING: [{ id: 'finalize.ready', when: (f) => f.promptsReady, to: 'COMPLETED', reason: 'the system prompt and first message exist' }],
  COMPLETED: [],
};

function waitingFor(stage: Stage, f: StageFacts): string {
  switch (stage) {
    case 'INITIAL':
      return 'the first exchange';
    case 'COLLECTING_BASICS':
      return f.missingBasics.join(', ');
    case 'EXPLORING_TOOLS':
      return f.useTools === false && f.parked.length ? `the skipped fields ${f.parked.join(', ')}` : 'an answer to whether tools are needed';
    case 'CONFIGURING_TOOLS':
      if (f.incompleteTools > 0) return 'the details of every started tool';
      if (f.completeTools === 0 && f.parked.length === 0) return 'at least one complete tool';
      if (!f.toolsDone) return 'the user saying there are no more tools';
      return `the skipped fields ${f.parked.join(', ')}`;
    case 'REVIEWING_WORKFLOW':
      return "the user's explicit approval";
    case 'FINALIZING':
      return 'the generated system prompt and first message';
    case 'COMPLETED':
      return 'nothing: the design is complete';
  }
}

/**
 * The stage machine, as a pure function: the model proposes (stage_complete, go back), the
 * rules decide from the spec. A jump back to an earlier stage wins over moving forward.
 */
export function decideTransition(stage: Stage, facts: StageFacts, proposal: Proposal = {}): Transition {
  const back = proposal.goBackTo;
  if (back && back !== 'INITIAL' && stageIndex(back) < stageIndex(stage)) {
    return { from: stage, to: back, rule: 'jump-back', reason: `the user asked to go back to ${back}` };
  }
  for (const rule of RULES[stage]) {
    if (rule.when(facts)) return { from: stage, to: rule.to, rule: rule.id, reason: rule.reason };
  }
  const waiting = waitingFor(stage, facts);
  if (proposal.stage_complete) {
    return { from: stage, to: stage, rule: 'stay.overruled', reason: `the model proposed completing ${stage}, but the rules still need ${waiting}` };
  }
  return { from: stage, to: stage, rule: 'stay', reason: `waiting for ${waiting}` };
}

/**
 * Applies the rules until the stage settles, within one turn: several fields from one message
 * can carry the interview through more than one stage. It stops on a jump back (the user wants
 * to look at that stage) and on entering FINALIZING (the caller generates the prompt first).
 */
export function runTransitions(stage: Stage, spec: AgentSpec, proposal: Proposal): { stage: Stage; steps: Transition[] } {
  const steps: Transition[] = [];
  let current = stage;
  for (let i = 0; i < 8; i++) {
    const t = decideTransition(current, deriveFacts(spec, i === 0), i === 0 ? proposal : {});
    if (t.to === current) break;
    steps.push(t);
    current = t.to;
    if (t.rule === 'jump-back' || current === 'FINALIZING') break;
  }
  return { stage: current, steps };
}
