import type { Session } from '../../shared/session';
import type { ExportFormat, LintFinding } from './types';
import { exportedTools, resolvePrompt } from './prompt';
import { safeToolName } from './naming';
import { findSecrets } from './secrets';
import { descriptionOf, isObject, objectParts, pathPlaceholders, type JsonObject } from './schema';

/** Text that stands in for a prompt rather than being one. */
const PLACEHOLDER = /\b(?:TODO|TBD|FIXME|lorem ipsum|placeholder)\b|\[(?:insert|your|add)[^\]]*\]|<(?:insert|your)[^>]*>/i;
const MIN_PROMPT_CHARS = 20;

/** Spec panel paths name a field, not the inside of its value. */
function fieldPath(path: string): string {
  return path.replace(/\.value(?:[.[].*)?$/, '');
}

function walkProperties(schema: JsonObject, path: string, visit: (name: string, prop: JsonObject, path: string) => void): void {
  const { properties } = objectParts(schema);
  for (const [name, prop] of Object.entries(properties)) {
    const p = `${path}.properties.${name}`;
    visit(name, prop, p);
    walkProperties(prop, p, visit);
    if (isObject(prop.items)) walkProperties(prop.items, `${p}.items`, visit);
  }
}

/** Formats that are documents about the design rather than a deployable agent. */
const DOCUMENT_FORMATS: ReadonlySet<ExportFormat> = new Set(['markdown', 'parley']);

/**
 * Pre-flight checks run before every export. Errors block the export (the file would be
 * rejected, unsafe or leak a secret); warnings are shown and the export goes ahead. For the
 * design document and the session file, an unfinished design is fine: only secrets block them.
 */
export function lintSession(session: Pick<Session, 'spec'>, format?: ExportFormat): LintFinding[] {
  const findings = lintSpec(session);
  if (!format || !DOCUMENT_FORMATS.has(format)) return findings;
  return findings.map((f) => (f.rule === 'secret-in-spec' ? f : { ...f, severity: 'warning' }));
}

function lintSpec(session: Pick<Session, 'spec'>): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (f: LintFinding) => findings.push(f);
  const { spec } = session;
  const { systemPrompt, firstMessage } = resolvePrompt(session);

  if (!systemPrompt.trim()) {
    add({ severity: 'error', rule: 'prompt-empty', path: 'system_prompt', message: 'The system prompt is empty.', fix: 'Finish the interview (FINALIZING writes it) or type a prompt in the spec panel.' });
  } else if (PLACEHOLDER.test(systemPrompt) || systemPrompt.trim().length < MIN_PROMPT_CHARS) {
    add({ severity: 'error', rule: 'prompt-placeholder', path: 'system_prompt', message: 'The system prompt is a placeholder, not instructions.', fix: 'Replace the placeholder text with the agent\'s real instructions.' });
  }
  if (!firstMessage.trim()) {
    add({ severity: 'warning', rule: 'first-message-empty', path: 'first_message', message: 'There is no first message; the agent will wait silently for the caller.', fix: 'Write what the agent says when a call starts.' });
  } else if (PLACEHOLDER.test(firstMessage)) {
    add({ severity: 'error', rule: 'prompt-placeholder', path: 'first_message', message: 'The first message is a placeholder.', fix: 'Write what the agent really says when a call starts.' });
  }

  const seen = new Map<string, number>();
  exportedTools(spec).forEach((tool, i) => {
    const base = `tools[${i}]`;
    const name = tool.name?.value ?? `tool ${i + 1}`;
    const key = safeToolName(tool.name?.value ?? '').toLowerCase();
    if (key) {
      const first = seen.get(key);
      if (first !== undefined) {
        add({ severity: 'error', rule: 'duplicate-tool-name', path: `${base}.name`, message: `"${name}" has the same name as tools[${first}].`, fix: 'Give every tool a distinct name.' });
      } else seen.set(key, i);
    }
    if (!tool.trigger?.value.trim()) {
      add({ severity: 'warning', rule: 'tool-no-trigger', path: `${base}.trigger`, message: `${name} does not say when to call it.`, fix: `Describe when the agent should call ${name}.` });
    }
    if (!tool.error_handling?.value.trim()) {
      add({ severity: 'warning', rule: 'tool-no-error-handling', path: `${base}.error_handling`, message: `${name} does not say what to do when it fails.`, fix: `Describe what the agent says or does when ${name} fails.` });
    }

    const endpoint = tool.endpoint?.value.trim() ?? '';
    let url: URL | null = null;
    try {
      url = endpoint ? new URL(endpoint) : null;
    } catch {
      url = null;
    }
    if (!endpoint) {
      add({ severity: 'error', rule: 'endpoint-missing', path: `${base}.endpoint`, message: `${name} has no endpoint.`, fix: 'Enter the full https:// URL the tool calls.' });
    } else if (!url) {
      add({ severity: 'error', rule: 'endpoint-invalid', path: `${base}.endpoint`, message: `"${endpoint}" is not a URL.`, fix: 'Enter a full URL such as https://api.example.com/orders/{order_id}.' });
    } else if (url.protocol !== 'https:') {
      const credentials = !!tool.auth && tool.auth.value.type !== 'none';
      add({
        severity: credentials ? 'error' : 'warning',
        rule: 'endpoint-not-https',
        path: `${base}.endpoint`,
        message: `${name} calls ${url.protocol.replace(':', '')}, not https${credentials ? ', and would send its credentials unencrypted' : ''}.`,
        fix: 'Use the https:// address of the API.',
      });
    }

    const input = tool.input_schema?.value;
    const { properties } = objectParts(input);
    for (const param of pathPlaceholders(endpoint)) {
      if (!properties[param]) {
        add({ severity: 'warning', rule: 'path-param-undefined', path: `${base}.input_schema`, message: `The URL has {${param}} but the input schema has no "${param}" parameter.`, fix: `Add "${param}" (with type and description) to ${name}'s input schema.` });
      }
    }
    if (input) {
      walkProperties(input, `${base}.input_schema`, (param, prop, path) => {
        if (!descriptionOf(prop)) {
          add({ severity: 'warning', rule: 'param-no-description', path, message: `Parameter "${param}" of ${name} has no description.`, fix: `Say what "${param}" is, so the agent knows what to ask the caller for.` });
        }
      });
    }
  });

  for (const hit of findSecrets(spec)) {
    add({
      severity: 'error',
      rule: 'secret-in-spec',
      path: fieldPath(hit.path),
      message: `This field contains what looks like a real ${hit.kind}; exported files must never carry secrets.`,
      fix: 'Replace it with the name of a secret (e.g. ORDERS_API_KEY) and create that secret on the target platform.',
    });
  }
  return findings;
}

export function lintErrors(findings: LintFinding[]): LintFinding[] {
  return findings.filter((f) => f.severity === 'error');
}
