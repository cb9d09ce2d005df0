import type { Session } from '../../shared/session';
import { USER_EDIT, type AgentSpec, type ToolSpec } from '../../shared/spec';
import { hasNativeGreeting } from '../../shared/greetings';
import { languageName } from '../../shared/language';
import { compactPhoneNumber, isE164 } from '../../shared/phone';
import type { ExportFormat, LintFinding } from './types';
import { exportedTools, IMPORT_SOURCE, resolvePrompt } from './prompt';
import { safeToolName } from './naming';
import { findSecrets } from './secrets';
import { descriptionOf, isObject, objectParts, pathPlaceholders, type JsonObject } from './schema';
import { lintTemplateLeftovers } from './lint-template';
import { CALL_TRANSFER_PROMISE } from '../interview/transfer-promise';

/** Text that stands in for a prompt rather than being one. */
// TODO/TBD/FIXME only in capitals: "todo" is an ordinary Spanish and Portuguese word ("cuando todo esté resuelto").
const PLACEHOLDER = /\b(?:TODO|TBD|FIXME)\b/;
const PLACEHOLDER_WORDS = /\b(?:lorem ipsum|placeholder)\b|\[(?:insert|your|add)[^\]]*\]|<(?:insert|your)[^>]*>/i;
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
const ELEVENLABS_FORMATS: ReadonlySet<ExportFormat> = new Set(['elevenlabs', 'elevenlabs-agent']);

/**
 * Pre-flight checks run before every export. Errors block the export (the file would be
 * rejected, unsafe or leak a secret); warnings are shown and the export goes ahead. For the
 * design document and the session file, an unfinished design is fine: only secrets block them.
 * Without a format, the checks are those of the ElevenLabs project, Parley's main target.
 */
export function lintSession(session: Pick<Session, 'spec'>, format: ExportFormat = 'elevenlabs'): LintFinding[] {
  const findings = [...lintSpec(session), ...lintForTarget(session, format)];
  if (!DOCUMENT_FORMATS.has(format)) return findings;
  return findings.map((f) => (f.rule === 'secret-in-spec' ? f : { ...f, severity: 'warning' }));
}

/**
 * English function words: a parameter called "the", "and" or "number" is almost always a
 * description misread as parameter names ("street and number" → street, number).
 */
const FUNCTION_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'nor', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'by', 'from', 'as', 'into',
  'is', 'are', 'be', 'it', 'its', 'this', 'that', 'these', 'those', 'if', 'then', 'than', 'so', 'not', 'no', 'yes',
  'do', 'does', 'my', 'your', 'our', 'their', 'his', 'her', 'i', 'me', 'you', 'we', 'they', 'he', 'she', 'which', 'who',
]);

export function isFunctionWord(name: string): boolean {
  return FUNCTION_WORDS.has(name.toLowerCase());
}

/** "number" is a real parameter name unless the schema reads like it came from "X and number". */
function splitFromPhrase(name: string, properties: Record<string, JsonObject>): boolean {
  const phrase = new RegExp(`\\b\\w+\\s+(?:and|&|or)\\s+${name}\\b`, 'i');
  return Object.entries(properties).some(([other, prop]) => other !== name && (phrase.test(other.replace(/_/g, ' ')) || phrase.test(descriptionOf(prop) ?? '')));
}

/** The user wrote or locked the schema (or it came from a file they imported): its names are theirs. */
function confirmed(tool: ToolSpec): boolean {
  const f = tool.input_schema;
  return !!f && (f.locked || f.source === USER_EDIT || f.source === IMPORT_SOURCE);
}

const NEGATION = /\b(?:not|never|no|cannot|can't|can not|don't|do not|unable|won't|without)\b/i;
const LOOKUP_PROMISE = /\b(?:look(?:ing)? (?:it |that |this |them )?up|let me check|I(?:'ll| will| can) check|check (?:the |your |their )?(?:status|availability|order|booking|reservation|account|system|database|records))\b/i;

/**
 * Clauses of the prompt and greeting that promise something; a clause that negates it ("you
 * cannot transfer calls") is not a promise, while "the system is not answering, and offer to
 * transfer the caller" still is.
 */
function promises(text: string, pattern: RegExp): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((sentence) => sentence.split(/[,;:]|\s(?:and|but|or)\s/).some((clause) => pattern.test(clause) && !NEGATION.test(clause)));
}

function hasTransfer(spec: AgentSpec): boolean {
  return (spec.transfers ?? []).some((t) => !!t.phone_number?.value.trim());
}

function lintForTarget(session: Pick<Session, 'spec'>, format: ExportFormat): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (f: LintFinding) => findings.push(f);
  const { spec } = session;
  const elevenlabs = ELEVENLABS_FORMATS.has(format);
  const tools = exportedTools(spec);

  tools.forEach((tool, i) => {
    const base = `tools[${i}]`;
    const name = tool.name?.value ?? `tool ${i + 1}`;
    const endpoint = tool.endpoint?.value.trim() ?? '';
    const { properties } = objectParts(tool.input_schema?.value);
    const placeholders = pathPlaceholders(endpoint);
    const method = tool.method?.value ?? 'GET';
    const queryParams = method === 'GET' || method === 'DELETE' ? Object.keys(properties).filter((p) => !placeholders.includes(p)) : [];
    const query = endpoint.includes('?') ? endpoint.slice(endpoint.indexOf('?') + 1) : '';
    if (query && queryParams.length) {
      add({
        severity: 'error',
        rule: 'url-query-and-params',
        path: `${base}.endpoint`,
        message: `${name}'s URL has a query string (?${query}) and the tool also sends query parameters (${queryParams.join(', ')}); the request would carry both, and duplicated keys confuse APIs.`,
        fix: 'Remove the query string from the URL and make each of its values a parameter (with a fixed value in the description if it never changes).',
      });
    }
    if (!confirmed(tool)) {
      for (const param of Object.keys(properties)) {
        const lower = param.toLowerCase();
        if (FUNCTION_WORDS.has(lower) || (lower === 'number' && splitFromPhrase(lower, properties))) {
          add({
            severity: 'error',
            rule: 'param-function-word',
            path: `${base}.input_schema.properties.${param}`,
            message: `${name} has a parameter named "${param}", which looks like a word of a description read as a parameter name.`,
            fix: `Rename or remove "${param}" in the input schema; edit the schema by hand to confirm it if it really is the API's name.`,
          });
        }
      }
    }
  });

  (spec.transfers ?? []).forEach((t, i) => {
    const base = `transfers[${i}]`;
    const number = t.phone_number ? compactPhoneNumber(t.phone_number.value) : '';
    if (!number) {
      add({ severity: elevenlabs ? 'error' : 'warning', rule: 'transfer-number-missing', path: `${base}.phone_number`, message: `Transfer ${i + 1} has no phone number.`, fix: 'Enter the number to transfer to, with its country code, e.g. +14155550123.' });
    } else if (!isE164(number)) {
      add({ severity: elevenlabs ? 'error' : 'warning', rule: 'transfer-number-invalid', path: `${base}.phone_number`, message: `"${t.phone_number?.value}" is not a phone number in international (E.164) form.`, fix: 'Write it as + country code and number, digits only, e.g. +34912345678.' });
    }
    if (number && !t.condition?.value.trim()) {
      add({ severity: 'warning', rule: 'transfer-no-condition', path: `${base}.condition`, message: `Transfer ${i + 1} does not say when to transfer.`, fix: 'Describe when the agent should transfer, e.g. "the caller asks for a person".' });
    }
  });
  if (!elevenlabs && hasTransfer(spec) && !DOCUMENT_FORMATS.has(format)) {
    add({ severity: 'warning', rule: 'transfer-not-exported', path: 'transfers', message: `The ${format} export cannot make phone transfers; the agent will not be able to transfer calls.`, fix: 'Configure the transfer on the platform, or export to ElevenLabs.' });
  }

  if (!DOCUMENT_FORMATS.has(format)) {
    const { systemPrompt, firstMessage } = resolvePrompt(session);
    const text = `${systemPrompt}\n${firstMessage}`;
    const canTransfer = elevenlabs && hasTransfer(spec);
    const transferPromises = canTransfer ? [] : promises(text, CALL_TRANSFER_PROMISE);
    if (transferPromises.length) {
      add({
        severity: elevenlabs ? 'error' : 'warning',
        rule: 'prompt-promise-unbacked',
        path: 'system_prompt',
        message: `The prompt promises a transfer that ${elevenlabs ? 'no transfer target provides' : `the ${format} export cannot make`}: "${transferPromises[0]}"`,
        fix: elevenlabs ? 'Add a transfer (phone number and when to transfer), or remove the promise from the prompt and the tools\' error handling.' : 'Remove the promise, or export to ElevenLabs.',
      });
    }
    const lookups = tools.length ? [] : promises(text, LOOKUP_PROMISE);
    if (lookups.length) {
      add({ severity: elevenlabs ? 'error' : 'warning', rule: 'prompt-promise-unbacked', path: 'system_prompt', message: `The prompt promises a lookup but the agent has no tools: "${lookups[0]}"`, fix: 'Add the tool that does the lookup, or remove the promise from the prompt.' });
    }
    if (format === 'openai-realtime') {
      const hangUps = promises(text, /\bend (?:the|this) call\b|\bhang up\b/i);
      if (hangUps.length) add({ severity: 'warning', rule: 'prompt-promise-unbacked', path: 'system_prompt', message: `OpenAI Realtime sessions cannot hang up by themselves: "${hangUps[0]}"`, fix: 'End the call from your client code when the model says goodbye.' });
    }
  }

  if (elevenlabs) {
    const language = spec.language?.value;
    const first = spec.first_message;
    const generated = !first || !(first.locked || first.source === USER_EDIT || first.source === IMPORT_SOURCE);
    if (language && generated && !hasNativeGreeting(language)) {
      add({ severity: 'warning', rule: 'first-message-language', path: 'first_message', message: `The default first message is in English, but the agent speaks ${languageName(language)}.`, fix: `Write the first message in ${languageName(language)}.` });
    }
    if (spec.call_direction?.value === 'outbound' && !spec.voicemail) {
      add({ severity: 'warning', rule: 'voicemail-unset', path: 'voicemail', message: 'This outbound agent does not say what to do when voicemail answers; it hangs up without a message.', fix: 'Choose to hang up or to leave a message (and write it).' });
    }
  }
  if (format === 'vapi' && tools.length && !spec.tool_server_url?.value.trim()) {
    add({ severity: 'warning', rule: 'tool-server-missing', path: 'tool_server_url', message: 'Vapi sends tool calls to your own server, and none is set.', fix: 'Enter the https:// URL of the server that runs the tools for Vapi.' });
  }
  return findings;
}

/** The last guard on an ElevenLabs agent body: tools inline in the prompt are refused by the API since July 2025. */
export function lintElevenLabsBody(body: { conversation_config?: { agent?: { prompt?: object | null } | null } }): LintFinding[] {
  const prompt = body.conversation_config?.agent?.prompt;
  return prompt && 'tools' in prompt
    ? [{ severity: 'error', rule: 'inline-tools', path: 'tools', message: 'The agent lists its tools inline (prompt.tools), which ElevenLabs refuses since 23 July 2025.', fix: 'Create the tools separately and list their ids in prompt.tool_ids (the project export does this).' }]
    : [];
}

function lintSpec(session: Pick<Session, 'spec'>): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (f: LintFinding) => findings.push(f);
  const { spec } = session;
  const { systemPrompt, firstMessage } = resolvePrompt(session);

  if (!systemPrompt.trim()) {
    add({ severity: 'error', rule: 'prompt-empty', path: 'system_prompt', message: 'The system prompt is empty.', fix: 'Finish the interview (FINALIZING writes it) or type a prompt in the spec panel.' });
  } else if (PLACEHOLDER.test(systemPrompt) || PLACEHOLDER_WORDS.test(systemPrompt) || systemPrompt.trim().length < MIN_PROMPT_CHARS) {
    add({ severity: 'error', rule: 'prompt-placeholder', path: 'system_prompt', message: 'The system prompt is a placeholder, not instructions.', fix: 'Replace the placeholder text with the agent\'s real instructions.' });
  }
  if (!firstMessage.trim()) {
    add({ severity: 'warning', rule: 'first-message-empty', path: 'first_message', message: 'There is no first message; the agent will wait silently for the caller.', fix: 'Write what the agent says when a call starts.' });
  } else if (PLACEHOLDER.test(firstMessage) || PLACEHOLDER_WORDS.test(firstMessage)) {
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
  findings.push(...lintTemplateLeftovers(spec));
  return findings;
}

export function lintErrors(findings: LintFinding[]): LintFinding[] {
  return findings.filter((f) => f.severity === 'error');
}
