import type { Session } from '../../shared/session';
import type { BuiltExport, ExportOptions, Loss } from './types';
import { vapiModel } from './llm-map';
import { languageCode } from './language';
import { namedTools } from './naming';
import { resolvePrompt, withToolUseSection } from './prompt';
import { clientSideCallLoss, functionDescription, functionParameters } from './function-tools';
import { agentName } from './elevenlabs';
import type { JsonObject } from './schema';

/** Vapi limits an assistant's name to 40 characters. */
export const VAPI_NAME_MAX = 40;

export interface VapiFunctionTool {
  type: 'function';
  function: { name: string; description: string; parameters: JsonObject };
  /** The user's own tool server; without it Vapi uses the assistant's or the account's server URL. */
  server?: { url: string };
}

/** The body of Vapi's create-assistant call (POST /assistant), the parts Parley can fill. */
export interface VapiAssistant {
  name: string;
  firstMessage: string;
  model: {
    provider: string;
    model: string;
    temperature: number;
    messages: Array<{ role: 'system'; content: string }>;
    tools?: VapiFunctionTool[];
  };
  transcriber: { provider: 'deepgram'; language: string };
  /** Gives the model Vapi's endCall function, so "end the call when…" in the prompt can be done. */
  endCallFunctionEnabled: boolean;
}

export function buildVapi(session: Pick<Session, 'title' | 'spec'>, options: ExportOptions = {}): BuiltExport & { document: VapiAssistant } {
  const losses: Loss[] = [];
  const tools = namedTools(session.spec, losses);
  const resolved = resolvePrompt(session);
  const model = vapiModel(options.model);
  if (model.loss) losses.push({ path: '', message: model.loss });
  const language = languageCode(session.spec.language?.value);
  if (language.loss) losses.push({ path: 'language', message: language.loss });

  let name = agentName(session);
  if ([...name].length > VAPI_NAME_MAX) {
    const short = [...name].slice(0, VAPI_NAME_MAX).join('').trimEnd();
    losses.push({ path: '', message: `Vapi names hold at most ${VAPI_NAME_MAX} characters; "${name}" is exported as "${short}".` });
    name = short;
  }

  const serverUrl = session.spec.tool_server_url?.value.trim();
  if (tools.length) {
    losses.push({
      path: 'tool_server_url',
      message: serverUrl
        ? `Vapi POSTs each tool call to your tool server (${serverUrl}), not to the APIs the tools describe: that server must make the HTTP call and answer with the result.`
        : 'Vapi POSTs each tool call to a server of yours, not to the APIs the tools describe; no tool server URL is set, so Vapi uses the assistant\'s or account\'s server URL. Set it in the spec (tool_server_url).',
    });
  }
  const vapiTools: VapiFunctionTool[] = tools.map((named) => {
    losses.push(clientSideCallLoss(named, 'Vapi (it POSTs its own tool-call message to your tool server)'));
    return {
      type: 'function',
      function: { name: named.name, description: functionDescription(named), parameters: functionParameters(named) },
      ...(serverUrl ? { server: { url: serverUrl } } : {}),
    };
  });
  losses.push({ path: '', message: 'No voice is chosen in Parley; Vapi uses its default voice until you pick one.' });

  const document: VapiAssistant = {
    name,
    firstMessage: resolved.firstMessage,
    model: {
      provider: model.provider,
      model: model.model,
      temperature: session.spec.temperature?.value ?? 0,
      messages: [{ role: 'system', content: withToolUseSection(resolved.systemPrompt, tools) }],
      ...(vapiTools.length ? { tools: vapiTools } : {}),
    },
    transcriber: { provider: 'deepgram', language: language.code },
    endCallFunctionEnabled: true,
  };
  return { document, losses };
}
