import type { SessionUpdateEvent, RealtimeFunctionTool } from 'openai/resources/realtime/realtime';
import type { Session } from '../../shared/session';
import type { BuiltExport, ExportOptions, Loss } from './types';
import { openAiRealtimeModel } from './llm-map';
import { namedTools } from './naming';
import { resolvePrompt, withToolUseSection } from './prompt';
import { clientSideCallLoss, functionDescription, functionParameters } from './function-tools';

/** A current built-in Realtime voice; Parley does not choose voices yet. */
export const OPENAI_REALTIME_DEFAULT_VOICE = 'marin';

/**
 * The client event that configures an OpenAI Realtime session (GA interface, type "realtime"),
 * typed with the openai SDK's own event type.
 */
export function buildOpenAiRealtime(session: Pick<Session, 'title' | 'spec'>, options: ExportOptions = {}): BuiltExport & { document: SessionUpdateEvent } {
  const losses: Loss[] = [];
  const tools = namedTools(session.spec, losses);
  const resolved = resolvePrompt(session);
  const model = openAiRealtimeModel(options.model);
  if (model.loss) losses.push({ path: '', message: model.loss });

  let instructions = withToolUseSection(resolved.systemPrompt, tools);
  if (resolved.firstMessage) {
    instructions = `${instructions.trimEnd()}\n\n# Opening line\nWhen the call starts, say: "${resolved.firstMessage}"`;
    losses.push({ path: 'first_message', message: 'Realtime sessions have no first-message setting; the opening line is in the instructions, so have your client send response.create when the call connects.' });
  }
  losses.push({ path: '', message: `No voice is chosen in Parley; the session uses "${OPENAI_REALTIME_DEFAULT_VOICE}".` });
  if (session.spec.language) {
    losses.push({ path: 'language', message: 'Realtime sessions have no language setting; the language is given only through the instructions.' });
  }

  const functions: RealtimeFunctionTool[] = tools.map((named) => {
    losses.push(clientSideCallLoss(named, 'OpenAI Realtime'));
    return { type: 'function', name: named.name, description: functionDescription(named), parameters: functionParameters(named) };
  });

  const document: SessionUpdateEvent = {
    type: 'session.update',
    session: {
      type: 'realtime',
      model: model.llm,
      instructions,
      output_modalities: ['audio'],
      audio: { output: { voice: OPENAI_REALTIME_DEFAULT_VOICE } },
      tools: functions,
      tool_choice: functions.length ? 'auto' : 'none',
    },
  };
  return { document, losses };
}
