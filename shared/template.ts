import { z } from 'zod';
import { AuthSpec, CallDirection, DataItem, HttpMethod, JsonSchemaDoc, KnowledgeSource, SuccessCriterion, TransferType, VoicemailSpec } from './spec';
import { VALUE_BOUNDS, withinBounds } from './limits';

/**
 * A template: a complete agent design to start from, as plain values. Built-in templates (data
 * files shipped with Parley) and user templates (files in the data folder, shared as files) are
 * validated by this one schema. A template holds no conversation, no confidences, no sources and
 * no secrets: a session started from it marks every field with the source "template".
 */

export const TEMPLATE_SOURCE = 'template';
export const TEMPLATE_FORMAT = 'parley-template';
export const TEMPLATE_FORMAT_VERSION = 1;
/** How a template file is named when exported: `<name>.parley-template.json`. */
export const TEMPLATE_FILE_SUFFIX = '.parley-template.json';

/** Lower-case words joined by hyphens: what the CLI and file names use. */
export const TemplateName = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { message: 'a template name is lower-case letters, digits and hyphens, e.g. "dental-booking"' });
export type TemplateName = z.infer<typeof TemplateName>;

const text = (max = 20_000) => z.string().trim().min(1).max(max);

export const TemplateTool = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { message: 'a tool name is snake_case, e.g. get_order_status' }),
    purpose: text(),
    endpoint: text(2000),
    method: HttpMethod,
    auth: AuthSpec,
    input_schema: JsonSchemaDoc,
    output_schema: JsonSchemaDoc,
    trigger: text(),
    error_handling: text(),
  })
  .strict();
export type TemplateTool = z.infer<typeof TemplateTool>;

export const TemplateTransfer = z
  .object({
    phone_number: z.string().regex(/^\+[1-9]\d{6,14}$/, { message: 'a transfer number is E.164, e.g. +14155550123' }),
    condition: text(),
    transfer_type: TransferType,
  })
  .strict();
export type TemplateTransfer = z.infer<typeof TemplateTransfer>;

/** The design, one plain value per spec field; the generated prompt is absent unless it was written by hand. */
export const TemplateSpec = z
  .object({
    agent_type: text(200),
    business_name: text(200),
    goals: text(),
    tone: text(2000),
    language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, { message: 'a language is a BCP-47 tag such as "en" or "pt-BR"' }),
    additional_languages: z.array(z.string().min(2).max(35)).max(20).optional(),
    call_direction: CallDirection,
    timezone: z.string().min(1).max(64).optional(),
    llm: z.string().min(1).max(100).optional(),
    temperature: z.number().min(0).max(2).optional(),
    voice_id: z.string().min(1).max(100).optional(),
    transfers: z.array(TemplateTransfer).max(20).optional(),
    end_call_conditions: text(),
    voicemail: VoicemailSpec.optional(),
    knowledge_base: z.array(KnowledgeSource).max(50).optional(),
    data_collection: z.array(DataItem).max(50).optional(),
    success_criteria: z.array(SuccessCriterion).max(20).optional(),
    tool_server_url: z.string().min(1).max(2000).optional(),
    tools: z.array(TemplateTool).max(20),
    /** Only a prompt or first message written by hand is kept; otherwise they are generated from the design. */
    system_prompt: text(100_000).optional(),
    first_message: text(2000).optional(),
  })
  .strict()
  .superRefine(withinBounds(VALUE_BOUNDS));
export type TemplateSpec = z.infer<typeof TemplateSpec>;

export const Template = z
  .object({
    format: z.literal(TEMPLATE_FORMAT),
    version: z.literal(TEMPLATE_FORMAT_VERSION),
    name: TemplateName,
    title: text(80),
    /** One line: what an agent built from it does. */
    purpose: text(200),
    spec: TemplateSpec,
  })
  .strict();
export type Template = z.infer<typeof Template>;

/** What the gallery and `templates list` show. */
export const TemplateSummary = z.object({
  name: TemplateName,
  title: z.string(),
  purpose: z.string(),
  tools: z.array(z.string()),
  language: z.string(),
  callDirection: CallDirection,
  /** Shipped with Parley (read-only) or saved by the user in the data folder. */
  builtIn: z.boolean(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

export function summarizeTemplate(template: Template, builtIn: boolean): TemplateSummary {
  return {
    name: template.name,
    title: template.title,
    purpose: template.purpose,
    tools: template.spec.tools.map((t) => t.name),
    language: template.spec.language,
    callDirection: template.spec.call_direction,
    builtIn,
  };
}

/** A title turned into a template name: "Dental booking (v2)" → "dental-booking-v2". */
export function templateNameFor(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
  return slug || 'template';
}
