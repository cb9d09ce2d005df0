import path from 'node:path';
import { ParleyError } from '../../shared/errors';
import { MAX_FILE_BYTES } from '../../shared/limits';
import { TEMPLATE_FILE_SUFFIX, Template, TemplateName, summarizeTemplate, type TemplateSummary } from '../../shared/template';
import { writeFileAtomic } from '../fs/atomic';
import { readTextFile } from '../fs/guarded-read';
import { errorCode, isNotFound, nodeFs, type FsLayer } from '../fs/layer';
import { builtInTemplates } from './builtin';
import { specFromTemplate } from './convert';

/** The folder of user templates inside the data folder: one `<name>.parley-template.json` each. */
export const TEMPLATES_DIR = 'templates';

export interface TemplateLibraryDeps {
  dataDir: string;
  /** Nothing is created or written (commands that only read); saving is refused with READ_ONLY. */
  readOnly?: boolean;
  fs?: FsLayer;
}

export interface StoredTemplate {
  template: Template;
  builtIn: boolean;
}

export interface TemplateLibrary {
  /** Built-ins first, in their order, then the user's by title; a user file that does not validate is left out. */
  list(): Promise<TemplateSummary[]>;
  get(name: string): Promise<StoredTemplate>;
  /** Writes a user template; an existing one of that name is replaced only with `replace`. A built-in name is never taken. */
  save(template: Template, options?: { replace?: boolean }): Promise<TemplateSummary>;
  /** A template file's text, checked: the same schema and the same validation as the interview. */
  parse(text: string): Template;
}

/** A template file's text as it is saved and exported. */
export function templateFileText(template: Template): string {
  return `${JSON.stringify(template, null, 2)}\n`;
}

export function parseTemplateText(text: string): Template {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ParleyError('INVALID_INPUT', `This is not a template file: it is not JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  const result = Template.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the file';
    throw new ParleyError('INVALID_INPUT', `This is not a valid Parley template: ${where}: ${issue?.message ?? 'invalid'}.`);
  }
  // Every value must also pass the interview's own checks (endpoint ↔ inputs, E.164, time zone…).
  specFromTemplate(result.data.spec);
  return result.data;
}

export function createTemplateLibrary(deps: TemplateLibraryDeps): TemplateLibrary {
  const fs = deps.fs ?? nodeFs;
  const dir = path.join(deps.dataDir, TEMPLATES_DIR);
  const fileOf = (name: string) => path.join(dir, `${name}${TEMPLATE_FILE_SUFFIX}`);
  const builtIn = (name: string) => builtInTemplates().find((t) => t.name === name);

  async function readUser(name: string): Promise<Template | null> {
    const read = await readTextFile(fs, fileOf(name), MAX_FILE_BYTES, { noFollow: true });
    if (read.kind === 'missing') return null;
    if (read.kind !== 'text') throw new ParleyError('INVALID_INPUT', `The template file ${fileOf(name)} cannot be read (${read.kind}).`);
    const template = parseTemplateText(read.text);
    if (template.name !== name) throw new ParleyError('INVALID_INPUT', `The template file ${fileOf(name)} names itself "${template.name}"; rename the file or the template.`);
    return template;
  }

  async function userNames(): Promise<string[]> {
    const entries = await fs.readdir(dir).catch((error: unknown) => {
      if (isNotFound(error)) return [] as string[];
      throw error;
    });
    return entries
      .filter((e) => e.endsWith(TEMPLATE_FILE_SUFFIX))
      .map((e) => e.slice(0, -TEMPLATE_FILE_SUFFIX.length))
      .filter((n) => TemplateName.safeParse(n).success);
  }

  return {
    async list() {
      const users: Template[] = [];
      for (const name of await userNames()) {
        const template = await readUser(name).catch(() => null);
        if (template && !builtIn(template.name)) users.push(template);
      }
      users.sort((a, b) => a.title.localeCompare(b.title));
      return [...builtInTemplates().map((t) => summarizeTemplate(t, true)), ...users.map((t) => summarizeTemplate(t, false))];
    },

    async get(name) {
      const checked = TemplateName.safeParse(name);
      if (!checked.success) throw new ParleyError('INVALID_INPUT', `"${name}" is not a template name: ${checked.error.issues[0]?.message ?? ''}.`);
      const shipped = builtIn(name);
      if (shipped) return { template: shipped, builtIn: true };
      const user = await readUser(name);
      if (!user) {
        const names = (await this.list()).map((t) => t.name).join(', ');
        throw new ParleyError('NOT_FOUND', `There is no template "${name}". Templates: ${names}.`);
      }
      return { template: user, builtIn: false };
    },

    async save(template, options = {}) {
      if (deps.readOnly) throw new ParleyError('READ_ONLY', 'Templates were opened read-only (by a command that only reads); nothing was saved.');
      const checked = parseTemplateText(templateFileText(template));
      if (builtIn(checked.name)) throw new ParleyError('CONFLICT', `"${checked.name}" is a built-in template's name; choose another name.`);
      await fs.mkdir(dir);
      try {
        await writeFileAtomic(fs, fileOf(checked.name), templateFileText(checked), { replace: options.replace === true });
      } catch (error) {
        if (errorCode(error) === 'EEXIST') throw new ParleyError('CONFLICT', `A template named "${checked.name}" already exists; choose another name or replace it.`);
        throw new ParleyError('SAVE_FAILED', `Could not save the template: ${error instanceof Error ? error.message : String(error)}`);
      }
      return summarizeTemplate(checked, false);
    },

    parse: parseTemplateText,
  };
}
