import type { AgentSpec } from '../../shared/spec';
import { TEMPLATE_SOURCE } from '../../shared/template';
import { personalisationPaths } from '../interview/personalise';
import { fieldLabel } from '../interview/describe';
import type { LintFinding } from './types';

/** Reserved for documentation (RFC 2606): nothing real answers there. */
const EXAMPLE_HOST = /(?:^|\.)example\.(?:com|org|net)$/i;

function exampleHost(url: string): string | null {
  try {
    const host = new URL(url).hostname;
    return EXAMPLE_HOST.test(host) ? host : null;
  } catch {
    return null;
  }
}

/**
 * What a design started from a template still holds of the template. A URL at example.com
 * that nobody replaced is an error (the agent would call nothing); the other values to
 * personalise (business name, auth, numbers, language, time zone) are warnings, since the
 * template's may be right.
 */
export function lintTemplateLeftovers(spec: AgentSpec): LintFinding[] {
  const findings: LintFinding[] = [];
  const fromTemplate = (field: { source: string } | undefined) => field?.source === TEMPLATE_SOURCE;
  const urls: Array<[string, string | undefined, boolean]> = [
    ...spec.tools.map((t, i): [string, string | undefined, boolean] => [`tools[${i}].endpoint`, t.endpoint?.value, fromTemplate(t.endpoint)]),
    ...(spec.knowledge_base ?? []).map((k, i): [string, string | undefined, boolean] => [`knowledge_base[${i}]`, k.value.type === 'url' ? k.value.url : undefined, fromTemplate(k)]),
    ['tool_server_url', spec.tool_server_url?.value, fromTemplate(spec.tool_server_url)],
  ];
  for (const [path, url, templated] of urls) {
    const host = url && templated ? exampleHost(url) : null;
    if (!host) continue;
    findings.push({
      severity: 'error',
      rule: 'template-example-url',
      path,
      message: `${fieldLabel(path, spec)} still points at ${host}, the template's placeholder; the agent would call nothing there.`,
      fix: 'Answer the personalisation question in the chat, or type your real https:// URL in the spec panel.',
    });
  }
  for (const path of personalisationPaths(spec)) {
    if (path.endsWith('.endpoint')) continue;
    findings.push({
      severity: 'warning',
      rule: 'template-not-personalised',
      path,
      message: `${fieldLabel(path, spec)} is still the template's value.`,
      fix: 'Confirm or change it in the chat, or edit it in the spec panel.',
    });
  }
  return findings;
}
