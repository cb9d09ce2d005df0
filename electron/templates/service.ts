import { ParleyError } from '../../shared/errors';
import type { Session } from '../../shared/session';
import type { ProviderChoice } from '../../shared/providers';
import { TEMPLATE_FILE_SUFFIX, TEMPLATE_FORMAT, TEMPLATE_FORMAT_VERSION, Template, TemplateName, templateNameFor, type TemplateSummary } from '../../shared/template';
import type { TemplateLibrary } from './library';
import { templateFileText } from './library';
import { templateSpecFrom } from './convert';
import { templateSession } from './start';

export interface TemplateServiceDeps {
  library: TemplateLibrary;
  sessions: { get(id: string): Promise<Session>; create(session: Session): Promise<Session> };
  clock: () => Date;
  newId: () => string;
}

export interface SaveAsTemplate {
  sessionId: string;
  name?: string;
  title?: string;
  purpose?: string;
  replace?: boolean;
}

export interface TemplateService {
  list(): Promise<TemplateSummary[]>;
  get(name: string): Promise<Template>;
  /** A new session from a template: the design filled, the interview at the first thing to personalise. */
  start(name: string, provider?: ProviderChoice): Promise<Session>;
  /** A session's design as a user template: no conversation, no sources, nothing that looks like a secret. */
  saveFromSession(input: SaveAsTemplate): Promise<{ template: TemplateSummary; removedSecrets: string[] }>;
  import(text: string, options?: { name?: string; replace?: boolean }): Promise<TemplateSummary>;
  /** A template as a file to share: its suggested file name and text. */
  export(name: string): Promise<{ fileName: string; content: string }>;
}

/** The first sentence of the goals, as a one-line purpose. */
function purposeFrom(goals: string | undefined, fallback: string): string {
  const first = (goals ?? '').split(/(?<=[.!?])\s|;\s*/)[0]?.trim().replace(/[.;]+$/, '') ?? '';
  const line = first || fallback;
  return `${line.charAt(0).toUpperCase()}${line.slice(1)}`.slice(0, 199).concat('.');
}

export function createTemplateService(deps: TemplateServiceDeps): TemplateService {
  const { library, sessions, clock, newId } = deps;
  return {
    list: () => library.list(),
    get: async (name) => (await library.get(name)).template,
    async start(name, provider) {
      const { template } = await library.get(name);
      return sessions.create(templateSession(template, clock().toISOString(), newId, provider));
    },
    async saveFromSession(input) {
      const session = await sessions.get(input.sessionId);
      const { spec, secrets } = templateSpecFrom(session.spec);
      const title = (input.title ?? session.title).trim().slice(0, 80) || 'Untitled template';
      const name = input.name ?? templateNameFor(title);
      if (!TemplateName.safeParse(name).success) throw new ParleyError('INVALID_INPUT', `"${name}" is not a template name; use lower-case letters, digits and hyphens.`);
      const template: Template = {
        format: TEMPLATE_FORMAT,
        version: TEMPLATE_FORMAT_VERSION,
        name,
        title,
        purpose: input.purpose?.trim() || purposeFrom(session.spec.goals?.value, session.spec.agent_type?.value ?? title),
        spec,
      };
      return { template: await library.save(template, { replace: input.replace }), removedSecrets: secrets };
    },
    async import(text, options = {}) {
      const parsed = library.parse(text);
      const template = options.name ? { ...parsed, name: options.name } : parsed;
      return library.save(template, { replace: options.replace });
    },
    async export(name) {
      const { template } = await library.get(name);
      return { fileName: `${template.name}${TEMPLATE_FILE_SUFFIX}`, content: templateFileText(template) };
    },
  };
}
