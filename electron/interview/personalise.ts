import { TEMPLATE_SOURCE } from '../../shared/template';
import type { AgentSpec } from '../../shared/spec';
import { toolPath } from './fields';

/**
 * A session started from a template holds a whole design, but some of it belongs to one business
 * only: its name, the real endpoints and how they authenticate, the numbers calls go to, the
 * voicemail message, the language and time zone. Those fields stay "to personalise" while their value is still the
 * template's (source "template"); the interview asks them before the review, in this order.
 */
export function personalisationPaths(spec: AgentSpec): string[] {
  const paths: string[] = [];
  const fromTemplate = (field: { source: string } | undefined) => field?.source === TEMPLATE_SOURCE;
  if (fromTemplate(spec.business_name)) paths.push('business_name');
  spec.tools.forEach((tool, i) => {
    if (fromTemplate(tool.endpoint)) paths.push(toolPath(i, 'endpoint'));
    if (fromTemplate(tool.auth)) paths.push(toolPath(i, 'auth'));
  });
  (spec.transfers ?? []).forEach((transfer, i) => {
    if (fromTemplate(transfer.phone_number)) paths.push(`transfers[${i}].phone_number`);
  });
  // A voicemail message names the business; hanging up says nothing of it.
  if (fromTemplate(spec.voicemail) && spec.voicemail?.value.action === 'leave_message') paths.push('voicemail');
  if (fromTemplate(spec.language)) paths.push('language');
  if (fromTemplate(spec.timezone)) paths.push('timezone');
  return paths;
}

export function isPersonalisationPath(spec: AgentSpec, path: string): boolean {
  return personalisationPaths(spec).includes(path);
}
