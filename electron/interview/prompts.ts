import type { AgentSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';

/** The interviewer's instructions per stage, for LLM providers. The offline interviewer ignores them. */

const STAGE_GOALS: Record<Stage, string> = {
  INITIAL: 'Find out what kind of voice agent the user wants (agent_type). Also take goals or tone if they mention them.',
  COLLECTING_BASICS:
    'Collect agent_type, goals and tone. Ask about ONE missing field at a time, conversationally. Take every field the latest message gives.',
  EXPLORING_TOOLS:
    'Find out whether the agent needs to call external tools/APIs during calls (use_tools: true/false). If they describe a tool, also extract its details as tools[0].<field>.',
  CONFIGURING_TOOLS:
    'Go through each tool in depth, one detail at a time: name (snake_case, unique, at most 64 chars), purpose, endpoint (absolute http(s) URL; path parameters as {param}, each also a property of the input schema), method (GET/POST/PUT/PATCH/DELETE), auth ({type: none|api_key|bearer|basic|oauth2, header?, secret_name?}; never ask for the secret itself), input_schema (JSON Schema object with the parameters), output_schema (JSON Schema), trigger (when to call it), error_handling. When a tool is complete ask whether there is another; when the user says there are no more, set intent.no_more_tools.',
  REVIEWING_WORKFLOW:
    'The app shows the user a summary of the design and workflow after your reply, so do not repeat it. If the user explicitly approves, set intent.approve = true. If they ask for a change, extract the changed fields and confirm the change in one sentence; never approve in the same turn as a change.',
  FINALIZING: 'The app generates the system prompt and first message; reply in one short sentence.',
  COMPLETED:
    'The design is complete. Help the user refine it: extract any field they change (the app regenerates the prompt), or set intent.go_back_to when they want to revisit a stage.',
};

const FORMAT = `Answer with one JSON object only, no prose around it:
{"reply": string (what you say to the user; short, friendly, one question at most),
 "extracted": {<field path>: {"value": <value>, "confidence": 0..1}},
 "stage_complete": boolean,
 "awaiting": <field path you ask about next> | null,
 "intent": {"approve"?: boolean, "no_more_tools"?: boolean, "go_back_to"?: "COLLECTING_BASICS" | "EXPLORING_TOOLS" | "CONFIGURING_TOOLS" | "REVIEWING_WORKFLOW" | "FINALIZING"}}
Field paths: agent_type, goals, tone, language (strings); use_tools (boolean); tools[i].name, tools[i].purpose, tools[i].endpoint, tools[i].method, tools[i].auth (object), tools[i].input_schema (object), tools[i].output_schema (object), tools[i].trigger, tools[i].error_handling.
Confidence: 1 for what the user said outright, about 0.5 for guesses. Values below the threshold are shown to the user as unconfirmed and asked about again. Only extract what the latest message says or confirms. Fields marked locked were set by the user by hand: never propose changes to them.`;

/** The spec as the model sees it: values only, with lock marks and unconfirmed candidates. */
export function compactSpec(spec: AgentSpec): string {
  const out: Record<string, unknown> = {};
  const put = (key: string, f: { value: unknown; locked: boolean } | undefined) => {
    if (f) out[key] = f.locked ? { value: f.value, locked: true } : f.value;
  };
  put('agent_type', spec.agent_type);
  put('goals', spec.goals);
  put('tone', spec.tone);
  put('language', spec.language);
  put('use_tools', spec.use_tools);
  if (spec.tools.length) {
    out.tools = spec.tools.map((tool) => {
      const t: Record<string, unknown> = {};
      for (const [key, f] of Object.entries(tool)) if (f) t[key] = f.locked ? { value: f.value, locked: true } : f.value;
      return t;
    });
  }
  put('tools_done', spec.tools_done);
  put('workflow_approved', spec.workflow_approved);
  const candidates = Object.entries(spec.candidates);
  if (candidates.length) out.unconfirmed = Object.fromEntries(candidates.map(([k, c]) => [k, c.value]));
  return JSON.stringify(out);
}

export function stageSystemPrompt(stage: Stage, spec: AgentSpec, awaiting: string | null, threshold: number): string {
  return [
    'You are Parley, an interviewer that helps the user design a production voice agent (a phone agent) by talking with them.',
    `Current stage: ${stage}. ${STAGE_GOALS[stage]}`,
    awaiting ? `You last asked about: ${awaiting}.` : '',
    'The user may ask to go back to an earlier stage; set intent.go_back_to to that stage.',
    FORMAT.replace('the threshold', `the threshold (${threshold})`),
    `Current spec: ${compactSpec(spec)}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}
