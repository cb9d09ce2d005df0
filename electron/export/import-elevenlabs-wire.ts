import { z } from 'zod';
import { HttpMethod } from '../../shared/spec';
import type { JsonObject } from './schema';

/**
 * The part of ElevenLabs' agent and tool bodies that import reads, as zod schemas. Loose on
 * purpose: keys Parley does not read are reported as losses by the importer, never rejected here.
 */
const ElProperty: z.ZodType<JsonObject> = z.record(z.string(), z.unknown());
export const ElWebhook = z.object({
  type: z.literal('webhook'),
  name: z.string().min(1),
  description: z.string().default(''),
  response_timeout_secs: z.number().optional(),
  api_schema: z.object({
    url: z.string().min(1),
    method: HttpMethod.optional(),
    path_params_schema: z.record(z.string(), ElProperty).nullish(),
    query_params_schema: z.object({ properties: z.record(z.string(), ElProperty), required: z.array(z.string()).nullish() }).nullish(),
    request_body_schema: ElProperty.nullish(),
    response_body_schema: ElProperty.nullish(),
    request_headers: z.record(z.string(), z.unknown()).nullish(),
  }),
});
export type ElWebhook = z.infer<typeof ElWebhook>;

export const ElSystemTool = z.object({
  type: z.literal('system').optional(),
  name: z.string().optional(),
  description: z.string().nullish(),
  params: z.object({ system_tool_type: z.string() }).loose(),
});
export type ElSystemTool = z.infer<typeof ElSystemTool>;

export const ElTransfer = z.object({
  transfer_destination: z.object({ type: z.string(), phone_number: z.string().optional() }).loose().optional(),
  phone_number: z.string().nullish(),
  condition: z.string().optional(),
  transfer_type: z.string().nullish(),
});

export const ElAgentFile = z.object({
  name: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  conversation_config: z
    .object({
      agent: z
        .object({
          first_message: z.string().nullish(),
          language: z.string().nullish(),
          prompt: z
            .object({
              prompt: z.string().nullish(),
              llm: z.string().nullish(),
              temperature: z.number().nullish(),
              timezone: z.string().nullish(),
              tools: z.array(z.record(z.string(), z.unknown())).nullish(),
              tool_ids: z.array(z.string()).nullish(),
              built_in_tools: z.record(z.string(), z.unknown()).nullish(),
              knowledge_base: z.array(z.unknown()).nullish(),
            })
            .loose()
            .nullish(),
        })
        .loose()
        .nullish(),
      tts: z.object({ model_id: z.string().nullish(), voice_id: z.string().nullish() }).loose().nullish(),
      language_presets: z.record(z.string(), z.unknown()).nullish(),
    })
    .loose(),
  platform_settings: z.record(z.string(), z.unknown()).nullish(),
  workflow: z.unknown().optional(),
});
export type ElAgentFile = z.infer<typeof ElAgentFile>;

