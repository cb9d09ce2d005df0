import { ParleyError } from '../../shared/errors';
import { MAX_TOOLS } from '../../shared/limits';
import type { Message, Session } from '../../shared/session';
import { TOOL_FIELDS, type AgentSpec, type ToolSpec } from '../../shared/spec';
import { stageIndex } from '../../shared/stages';
import type { ImportPreview } from '../../shared/workbench';
import { nextMissingField, questionFor } from '../interview/questions';
import { settle, withStages } from '../interview/session-steps';
import { isOpenApi, parseOpenApi, parseStructured } from './openapi';
import { looksLikeCurl, parseCurl } from './curl';
import { isPostman, parsePostman } from './postman';
import { inputsOf, listed, snakeName, toolFromOperation, type OperationDef, type ParsedDescription } from './operations';

/** Any of the description formats, recognised by content. */
export async function parseDescription(text: string): Promise<ParsedDescription> {
  if (looksLikeCurl(text)) return parseCurl(text);
  const doc = parseStructured(text);
  if (!doc) throw new ParleyError('INVALID_INPUT', 'This is neither an OpenAPI/Swagger document, a Postman collection (JSON or YAML) nor a curl command.');
  if (isOpenApi(doc)) return parseOpenApi(doc);
  if (isPostman(doc)) return parsePostman(doc);
  throw new ParleyError('INVALID_INPUT', 'This JSON/YAML is neither an OpenAPI 3 or Swagger 2 document ("openapi"/"swagger" field) nor a Postman v2.1 collection (info.schema).');
}

export function previewOf(parsed: ParsedDescription): ImportPreview {
  return { kind: parsed.kind, title: parsed.title, operations: parsed.operations.map(listed), warnings: parsed.warnings };
}

/** The picked operations, by id or by tool name; every one when none is named. */
export function pickOperations(parsed: ParsedDescription, picks: readonly string[] | undefined): OperationDef[] {
  if (!picks || picks.length === 0) return parsed.operations;
  const chosen: OperationDef[] = [];
  const unknown: string[] = [];
  for (const pick of picks) {
    const op = parsed.operations.find((o) => o.id === pick) ?? parsed.operations.find((o) => snakeName(o.id) === snakeName(pick));
    if (!op) unknown.push(pick);
    else if (!chosen.includes(op)) chosen.push(op);
  }
  if (unknown.length) {
    const known = parsed.operations.slice(0, 20).map((o) => o.id).join(', ');
    throw new ParleyError('INVALID_INPUT', `No operation ${unknown.map((u) => `"${u}"`).join(', ')} in this description. It has: ${known}${parsed.operations.length > 20 ? ', …' : ''}.`);
  }
  return chosen;
}

/** An imported tool over one already there by the same name: imported details replace unlocked ones; what the user settled stays. */
function mergeTool(existing: ToolSpec, imported: ToolSpec): ToolSpec {
  const out: ToolSpec = { ...existing };
  for (const key of TOOL_FIELDS) {
    const value = imported[key];
    if (value && !existing[key]?.locked) (out as Record<string, unknown>)[key] = value;
  }
  out.workbench = { ...existing.workbench, ...imported.workbench, examples: existing.workbench?.examples, confirmed_hosts: existing.workbench?.confirmed_hosts };
  return out;
}

function describeTool(op: OperationDef, tool: ToolSpec): string {
  const { schema, locations } = inputsOf({ ...op, warnings: [] });
  const required = new Set((schema.required ?? []) as string[]);
  const inputs = Object.keys(locations).map((name) => `${name} (${locations[name]}${required.has(name) ? ', required' : ''})`);
  const auth = tool.auth?.value;
  const authText = !auth || auth.type === 'none' ? 'no auth' : `${auth.type === 'api_key' ? 'an API key' : auth.type === 'basic' ? 'basic auth' : 'a bearer token'} in ${auth.header ?? 'Authorization'} from the secret ${auth.secret_name}`;
  const output = tool.output_schema?.value.properties;
  const returns = output && typeof output === 'object' ? Object.keys(output) : [];
  return `• ${tool.name?.value}: ${op.method} ${op.url}; inputs: ${inputs.length ? inputs.join(', ') : 'none'}; ${authText}; returns ${returns.length ? returns.join(', ') : 'no declared fields'}.`;
}

export interface Imported {
  session: Session;
  tools: string[];
  summary: string;
  warnings: string[];
}

/**
 * Adds the operations as tools and moves the interview on: the tools' details are stored (each
 * from the import, at full confidence), the interview asks only what the description cannot say
 * (when to use the tool, what to do when it fails), and one message confirms the rest.
 */
export function importIntoSession(session: Session, parsed: ParsedDescription, ops: OperationDef[], at: string, newId: () => string): Imported {
  if (ops.length === 0) throw new ParleyError('INVALID_INPUT', 'There is no operation to import.');
  const source = `import:${parsed.kind}`;
  let tools = [...session.spec.tools];
  const names: string[] = [];
  const lines: string[] = [];
  const warnings = [...parsed.warnings];
  for (const op of ops) {
    const tool = toolFromOperation(op, parsed.kind, source);
    const name = tool.name!.value;
    const at = tools.findIndex((t) => t.name?.value === name);
    if (at >= 0) tools[at] = mergeTool(tools[at]!, tool);
    else tools = [...tools, tool];
    names.push(name);
    lines.push(describeTool(op, tool));
    warnings.push(...op.warnings.map((w) => `${name}: ${w}`));
  }
  if (tools.length > MAX_TOOLS) throw new ParleyError('INVALID_INPUT', `That would make ${tools.length} tools; an agent has at most ${MAX_TOOLS}. Pick fewer operations.`);
  let spec: AgentSpec = { ...session.spec, tools };
  if (!spec.use_tools) spec = { ...spec, use_tools: { value: true, confidence: 1, source, locked: false } };
  // New tools are incomplete, so a design past the tools stage goes back to it.
  let stage = session.stage;
  let stageHistory = session.stageHistory;
  if (stageIndex(stage) > stageIndex('CONFIGURING_TOOLS')) {
    const back = settle(stage, spec, { goBackTo: 'CONFIGURING_TOOLS' }, source);
    spec = back.spec;
    stage = back.stage;
    stageHistory = withStages(session, back.steps, at);
  } else if (stage === 'EXPLORING_TOOLS') {
    const forward = settle(stage, spec, {}, source);
    spec = forward.spec;
    stage = forward.stage;
    stageHistory = withStages(session, forward.steps, at);
  }
  const awaiting = stageIndex(stage) >= stageIndex('EXPLORING_TOOLS') ? nextMissingField(stage, spec) : session.awaiting;
  const still = 'Still to settle for each: when the agent should use it, and what it should say when it fails.';
  const next = awaiting ? questionFor(awaiting, spec) : '';
  const summary = [`Imported ${names.length} tool${names.length === 1 ? '' : 's'} from ${parsed.title} (${parsed.kind}):`, ...lines, '', still, next].filter((l, i, all) => l !== '' || i < all.length - 1).join('\n').trim();
  const message: Message = { id: newId(), role: 'assistant', text: summary, createdAt: at, status: 'complete' };
  return {
    session: { ...session, spec, stage, stageHistory, awaiting, messages: session.messages.concat(message), updatedAt: at },
    tools: names,
    summary,
    warnings,
  };
}
