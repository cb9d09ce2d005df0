import type * as EL from '@elevenlabs/elevenlabs-js/serialization';
import type { AgentSpec, ToolSpec } from '../../shared/spec';
import type { Session } from '../../shared/session';
import { defaultGreeting } from '../../shared/greetings';
import { languageName } from '../../shared/language';
import { compactPhoneNumber } from '../../shared/phone';
import { versionTag } from '../../shared/versions';
import type { BuiltExport, ExportOptions, Loss } from './types';
import { elevenLabsLlm } from './llm-map';
import { languageCode } from './language';
import { namedTools, type NamedTool } from './naming';
import { resolvePrompt, withToolUseSection } from './prompt';
import { isObject, objectParts, type JsonObject } from './schema';
import { webhookTool, type ElevenLabsWebhookTool } from './elevenlabs-tools';

export { webhookTool, toolCredential, type ElevenLabsWebhookTool, type ToolCredential } from './elevenlabs-tools';

/**
 * ElevenLabs' create-agent request body (POST /v1/convai/agents/create, and a project's
 * agent_configs/<slug>.json), typed with the official SDK's wire ("Raw") types so a shape
 * mistake fails type-checking; tests also check every body against the CLI's OpenAPI spec.
 * Tools are never inline (`prompt.tools` is rejected since July 2025): the agent names
 * standalone tools in `prompt.tool_ids`, and system tools live in `prompt.built_in_tools`.
 */
export type ElevenLabsAgentBody = EL.conversationalAi.agents.BodyCreateAgentV1ConvaiAgentsCreatePost.Raw;
type AgentPrompt = NonNullable<NonNullable<ElevenLabsAgentBody['conversation_config']['agent']>['prompt']>;
type BuiltInTools = NonNullable<AgentPrompt['built_in_tools']>;
type SystemTool = NonNullable<BuiltInTools['end_call']>;

/** ElevenLabs' agent default: deterministic answers suit tool-calling voice agents. */
export const ELEVENLABS_DEFAULT_TEMPERATURE = 0;
export const PARLEY_TAG = 'parley';
/** ElevenLabs' own default voice (the API's default for tts.voice_id); it speaks every supported language on the multilingual model. */
export const ELEVENLABS_DEFAULT_VOICE_ID = 'cjVigY5qzO86Huf0OWal';
/** English agents use the English-only low-latency model; every other language needs the multilingual one. */
export const TTS_MODEL_ENGLISH = 'eleven_flash_v2';
export const TTS_MODEL_MULTILINGUAL = 'eleven_flash_v2_5';
/** Where a prompt learns the current date and time; ElevenLabs fills it in using prompt.timezone. */
export const SYSTEM_TIME = '{{system__time}}';

/** The default voice for a language. ElevenLabs documents one default voice, used for every language. */
export function defaultVoiceId(_languageCode: string): string {
  return ELEVENLABS_DEFAULT_VOICE_ID;
}

/** The agent's display name: the session title, else its type. */
export function agentName(session: Pick<Session, 'title' | 'spec'>): string {
  return session.title.trim() || session.spec.agent_type?.value.trim() || 'Voice agent';
}

const DATE_WORDS = /(?:^|[_\s-])(?:date|time|datetime|day|hour|when|timestamp)s?(?:$|[_\s-])|(?:date|time)(?=[A-Z])|[a-z](?:Date|Time)s?$/i;
const DATE_FORMATS = new Set(['date', 'date-time', 'time']);

function mentionsDateOrTime(schema: JsonObject, name: string): boolean {
  if (typeof schema.format === 'string' && DATE_FORMATS.has(schema.format)) return true;
  if (DATE_WORDS.test(name)) return true;
  const { properties } = objectParts(schema);
  if (Object.entries(properties).some(([key, prop]) => mentionsDateOrTime(prop, key))) return true;
  return isObject(schema.items) ? mentionsDateOrTime(schema.items, name) : false;
}

/** A tool that takes a date or time needs the agent to know today's date ("tomorrow at 8"). */
export function takesDateOrTime(tool: ToolSpec): boolean {
  const { properties } = objectParts(tool.input_schema?.value);
  return Object.entries(properties).some(([key, prop]) => mentionsDateOrTime(prop, key));
}

/** Identifiers ElevenLabs accepts for criteria ids. */
function criterionId(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 64) || 'criterion'
  );
}

const TRANSFER_TYPE: Record<string, 'conference' | 'blind'> = { conference: 'conference', warm: 'conference', cold: 'blind' };

function system(name: string, params: SystemTool['params'], description = ''): SystemTool {
  return { type: 'system', name, description, params };
}

function builtInTools(spec: AgentSpec, codes: string[], losses: Loss[]): BuiltInTools {
  // end_call always: without it an agent cannot hang up, and an outbound agent keeps a dead line open.
  const tools: BuiltInTools = { end_call: system('end_call', { system_tool_type: 'end_call' }, spec.end_call_conditions?.value.trim() ?? '') };
  const transfers = (spec.transfers ?? []).flatMap((t, i) => {
    const number = t.phone_number ? compactPhoneNumber(t.phone_number.value) : '';
    if (!number) return [];
    const type = t.transfer_type?.value ?? 'conference';
    if (type === 'warm') {
      losses.push({ path: `transfers[${i}].transfer_type`, message: 'ElevenLabs has conference, blind and SIP REFER transfers; the warm transfer is exported as a conference transfer, in which the agent stays on the line while the colleague joins.' });
    }
    const condition = t.condition?.value.trim() || 'The caller asks to speak to a person.';
    if (!t.condition) losses.push({ path: `transfers[${i}].condition`, message: `The transfer to ${number} does not say when to transfer; it is exported as "${condition}".` });
    return [{ transfer_destination: { type: 'phone' as const, phone_number: number }, condition, transfer_type: TRANSFER_TYPE[type] ?? 'conference' }];
  });
  if (transfers.length) tools.transfer_to_number = system('transfer_to_number', { system_tool_type: 'transfer_to_number', transfers, enable_client_message: true });
  if (codes.length > 1) tools.language_detection = system('language_detection', { system_tool_type: 'language_detection' });
  if (spec.call_direction?.value === 'outbound') {
    const mail = spec.voicemail?.value;
    const message = mail?.action === 'leave_message' ? mail.message?.trim() : undefined;
    tools.voicemail_detection = system('voicemail_detection', { system_tool_type: 'voicemail_detection', ...(message ? { voicemail_message: message } : {}) });
  }
  return tools;
}

function platformSettings(spec: AgentSpec): EL.AgentPlatformSettingsRequestModel.Raw | undefined {
  const items = (spec.data_collection ?? []).map((f) => f.value);
  const criteria = (spec.success_criteria ?? []).map((f) => f.value);
  if (!items.length && !criteria.length) return undefined;
  const settings: EL.AgentPlatformSettingsRequestModel.Raw = {};
  if (items.length) settings.data_collection = Object.fromEntries(items.map((item) => [item.name, { type: item.type, description: item.description }]));
  if (criteria.length) {
    const used = new Set<string>();
    settings.evaluation = {
      criteria: criteria.map((c) => {
        let id = criterionId(c.name);
        for (let n = 2; used.has(id); n++) id = `${criterionId(c.name).slice(0, 60)}_${n}`;
        used.add(id);
        return { id, name: c.name, type: 'prompt' as const, conversation_goal_prompt: c.goal };
      }),
    };
  }
  return settings;
}

/** The languages the agent speaks, as ElevenLabs codes, primary first, without duplicates. */
function languageCodes(spec: AgentSpec, losses: Loss[]): string[] {
  const primary = languageCode(spec.language?.value);
  if (primary.loss) losses.push({ path: 'language', message: primary.loss });
  const codes = [primary.code];
  (spec.additional_languages?.value ?? []).forEach((raw, i) => {
    const extra = languageCode(raw);
    if (extra.loss) losses.push({ path: `additional_languages[${i}]`, message: `${extra.loss.replace(/; the agent is set to English \("en"\)\./, '')}; it is left out.` });
    else if (!codes.includes(extra.code)) codes.push(extra.code);
  });
  return codes;
}

export interface AgentParts {
  body: ElevenLabsAgentBody;
  tools: NamedTool[];
  webhooks: ElevenLabsWebhookTool[];
  losses: Loss[];
  /**
   * The losses that are steps for the user on ElevenLabs (choose a voice, set a time zone…),
   * as opposed to what the conversion could not express: the project README lists these.
   */
  todo: Loss[];
}

/**
 * The complete agent and its standalone webhook tools. `toolIds` says what goes in
 * `prompt.tool_ids` for each tool, in order: its id when the project already has one, else its
 * name, which the link step replaces by the id `elevenlabs tools push` returns.
 */
export function buildElevenLabsParts(session: Pick<Session, 'title' | 'spec'>, options: ExportOptions = {}, toolIds?: (named: NamedTool) => string): AgentParts {
  const losses: Loss[] = [];
  const todos: Loss[] = [];
  const todo = (loss: Loss) => {
    losses.push(loss);
    todos.push(loss);
  };
  const { spec } = session;
  const tools = namedTools(spec, losses);
  const webhooks = tools.map((t) => webhookTool(t, losses));
  for (const t of tools) {
    if (t.tool.auth?.value.type === 'oauth2') {
      todos.push({ path: `tools[${t.index}].auth`, message: `${t.name} uses OAuth2, which ElevenLabs webhooks do not refresh: store a long-lived token, or set up an OAuth2 auth connection in ElevenLabs.` });
    }
  }
  const resolved = resolvePrompt(session);
  const llm = elevenLabsLlm(spec.llm?.value ?? options.model);
  if (llm.loss) losses.push({ path: 'llm', message: llm.loss });
  const codes = languageCodes(spec, losses);
  const [primary = 'en'] = codes;

  let promptText = withToolUseSection(resolved.systemPrompt, tools);
  const needsTime = tools.some((t) => takesDateOrTime(t.tool));
  if (needsTime && promptText && !promptText.includes(SYSTEM_TIME)) {
    promptText = `${promptText.trimEnd()}\n\n# Current time\nThe current date and time is ${SYSTEM_TIME}. Use it for words like "today" and "tomorrow".`;
  }
  if (needsTime && !spec.timezone) {
    todo({ path: 'timezone', message: 'A tool takes a date or time but the design has no time zone; ElevenLabs gives {{system__time}} in UTC until prompt.timezone is set.' });
  }

  const prompt: AgentPrompt = {
    prompt: promptText,
    llm: llm.llm as EL.Llm.Raw,
    temperature: spec.temperature?.value ?? ELEVENLABS_DEFAULT_TEMPERATURE,
    tool_ids: tools.map((t) => toolIds?.(t) ?? t.name),
    built_in_tools: builtInTools(spec, codes, losses),
  };
  if (spec.timezone?.value.trim()) prompt.timezone = spec.timezone.value.trim();

  const conversation: ElevenLabsAgentBody['conversation_config'] = {
    agent: { first_message: resolved.firstMessage, language: primary, prompt },
    tts: {
      model_id: codes.every((c) => c === 'en') ? TTS_MODEL_ENGLISH : TTS_MODEL_MULTILINGUAL,
      voice_id: spec.voice_id?.value.trim() || defaultVoiceId(primary),
    },
  };
  if (!spec.voice_id) {
    todo({ path: 'voice_id', message: `No voice is chosen; the agent uses ElevenLabs' default voice (${ELEVENLABS_DEFAULT_VOICE_ID}). For a native ${languageName(primary)} accent, pick a voice in ElevenLabs' Voice Library and set it as the voice.` });
  }
  if (codes.length > 1) {
    conversation.language_presets = Object.fromEntries(
      codes.slice(1).map((code) => [
        code,
        {
          overrides: {
            agent: {
              first_message: defaultGreeting({ language: code, direction: spec.call_direction?.value, businessName: spec.business_name?.value, agentType: spec.agent_type?.value }),
              language: code,
            },
          },
        },
      ]),
    );
    todo({ path: 'additional_languages', message: `The greetings in ${codes.slice(1).map(languageName).join(', ')} are Parley's defaults; edit conversation_config.language_presets to change them.` });
  }

  const body: ElevenLabsAgentBody = { name: agentName(session), conversation_config: conversation, tags: [PARLEY_TAG, ...(options.version ? [versionTag(options.version)] : [])] };
  const settings = platformSettings(spec);
  if (settings) body.platform_settings = settings;
  return { body, tools, webhooks, losses, todo: todos };
}

/** `--format elevenlabs-agent`: the agent config alone; its tools must be created separately. */
export function buildElevenLabsAgent(session: Pick<Session, 'title' | 'spec'>, options: ExportOptions = {}): BuiltExport & { document: ElevenLabsAgentBody } {
  const { body, tools, losses } = buildElevenLabsParts(session, options);
  if (tools.length) {
    losses.push({
      path: 'tools',
      message: `This file is the agent alone: prompt.tool_ids holds the tool names ${tools.map((t) => t.name).join(', ')}. Create those tools first (export the ElevenLabs project to get their configs) and replace each name by the id ElevenLabs returns, or the agent is refused.`,
    });
  }
  return { document: body, losses };
}
