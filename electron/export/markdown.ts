import type { Session } from '../../shared/session';
import type { JsonSchemaDoc } from '../../shared/spec';
import type { BuiltExport, Loss } from './types';
import { buildWorkflow, describeAuth } from '../interview/prompt-generator';
import { namedTools } from './naming';
import { resolvePrompt, withToolUseSection } from './prompt';
import { agentName } from './elevenlabs';
import { descriptionOf, objectParts, schemaType } from './schema';
import { cell, cellCode, fenced, prose, proseLine, quote } from './markdown-text';

function schemaTable(schema: JsonSchemaDoc | undefined): string[] {
  const { properties, required } = objectParts(schema);
  const entries = Object.entries(properties);
  if (!entries.length) return ['None.'];
  return [
    '| Name | Type | Required | Description |',
    '| --- | --- | --- | --- |',
    ...entries.map(([name, prop]) => `| ${cellCode(name)} | ${cell(schemaType(prop).type)} | ${required.includes(name) ? 'yes' : 'no'} | ${cell(descriptionOf(prop) ?? '')} |`),
  ];
}

/**
 * A design document for people: readable in any Markdown viewer. Everything taken from the spec
 * is escaped (markdown-text.ts), so no HTML, link or code fence in it becomes markup.
 */
export function buildMarkdown(session: Pick<Session, 'title' | 'spec' | 'stage'>): BuiltExport & { document: string } {
  const losses: Loss[] = [];
  const { spec } = session;
  const tools = namedTools(spec, []);
  const resolved = resolvePrompt(session);
  // The workflow's greeting must be the one exported, hand-edited or not.
  const workflowSpec = spec.first_message ? { ...spec, first_message: { ...spec.first_message, value: resolved.firstMessage, locked: true } } : spec;
  const prompt = resolved.systemPrompt ? withToolUseSection(resolved.systemPrompt, tools) : '';
  const value = (f: { value: string } | undefined) => f?.value.trim() || '(not set)';

  const out: string[] = [
    `# ${proseLine(agentName(session))}`,
    '',
    `Voice agent design exported from Parley (stage: ${session.stage}).`,
    '',
    '## Overview',
    '',
    '| | |',
    '| --- | --- |',
    `| Agent type | ${cell(value(spec.agent_type))} |`,
    `| Language | ${cell(value(spec.language))} |`,
    `| Tone | ${cell(value(spec.tone))} |`,
    '',
    '## Goals',
    '',
    prose(value(spec.goals)),
    '',
    '## Workflow',
    '',
    ...buildWorkflow(workflowSpec).map((step, i) => `${i + 1}. **${proseLine(step.title)}**: ${proseLine(step.detail)}`),
    '',
    '## Tools',
    '',
  ];
  if (!tools.length) out.push('None.', '');
  for (const { name, tool } of tools) {
    out.push(
      `### ${proseLine(name)}`,
      '',
      '| Field | Value |',
      '| --- | --- |',
      `| Purpose | ${cell(tool.purpose?.value ?? '')} |`,
      `| Endpoint | ${cellCode(tool.endpoint?.value ?? '')} |`,
      `| Method | ${cell(tool.method?.value ?? '')} |`,
      `| Authentication | ${cell(tool.auth ? `${describeAuth(tool.auth.value)}${tool.auth.value.secret_name ? ` (secret: ${tool.auth.value.secret_name})` : ''}` : '')} |`,
      `| Trigger | ${cell(tool.trigger?.value ?? '')} |`,
      `| Error handling | ${cell(tool.error_handling?.value ?? '')} |`,
      '',
      '#### Inputs',
      '',
      ...schemaTable(tool.input_schema?.value),
      '',
      '#### Outputs',
      '',
      ...schemaTable(tool.output_schema?.value),
      '',
    );
  }
  out.push('## First message', '', resolved.firstMessage ? quote(resolved.firstMessage) : '(not set)', '');
  out.push('## System prompt', '', prompt ? fenced(prompt) : '(not set)', '');
  if (Object.keys(spec.candidates).length) {
    losses.push({ path: 'candidates', message: 'Unconfirmed values (below the confidence threshold) are not part of the document.' });
  }
  losses.push({ path: '', message: 'Confidence, sources and locks of each field are not part of the document; the Parley session file keeps them.' });
  return { document: out.join('\n'), losses };
}
