import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_SOURCE, Template } from '../../shared/template';
import { stageSystemPrompt } from '../interview/prompts';
import { interview } from '../interview/offline';
import { builtInTemplates } from './builtin';
import { specFromTemplate, templateSpecFrom } from './convert';
import { createTemplateLibrary, TEMPLATES_DIR, templateFileText } from './library';
import { templateSession } from './start';

let n = 0;
const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const AT = '2026-11-29T12:00:00.000Z';

describe('template sessions', () => {
  it.each(builtInTemplates().map((t) => [t.name, t] as const))('%s: a design from the template and back is the template again', (_name, template) => {
    expect(templateSpecFrom(specFromTemplate(template.spec))).toEqual({ spec: template.spec, secrets: [] });
  });

  it('start at the tools (or at EXPLORING_TOOLS without tools), asking the business name, with the intro and the first question in one message', () => {
    for (const template of builtInTemplates()) {
      const session = templateSession(template, AT, newId, 'offline');
      expect(session.stage).toBe(template.spec.tools.length ? 'CONFIGURING_TOOLS' : 'EXPLORING_TOOLS');
      expect(session.stageHistory.map((s) => s.stage)[0]).toBe('INITIAL');
      expect(session.awaiting).toBe('business_name');
      expect(session.messages[0]!.text).toContain(`the business name is "${template.spec.business_name}" in the template`);
      expect(session.spec.system_prompt).toMatchObject({ source: TEMPLATE_SOURCE, locked: false });
    }
  });

  it('a template value cannot be skipped, only confirmed or replaced; a model is told what is left to personalise', () => {
    const session = templateSession(builtInTemplates()[0]!, AT, newId, 'offline');
    const turn = interview({ stage: session.stage, system: '', messages: [{ role: 'user', text: 'skip for now' }], spec: session.spec, awaiting: 'business_name', temperature: 0, maxTokens: 500, threshold: 0.6 }, null);
    expect(turn.kind).toBe('skip');
    expect(turn.intent.skip).toBeUndefined();
    expect(turn.awaiting).toBe('business_name');
    expect(turn.reply).toMatch(/still the template's, and it must be yours before the review/);
    const prompt = stageSystemPrompt(session.stage, session.spec, session.awaiting, 0.6);
    expect(prompt).toContain('"to_personalise":["business_name","tools[0].endpoint","tools[0].auth","tools[1].endpoint","tools[1].auth","transfers[0].phone_number","language"]');
    expect(prompt).toContain('started from a template');
  });
});

describe('template library', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-template-lib-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const mine = (name: string): Template => ({ ...structuredClone(builtInTemplates()[1]!), name, title: `Mine ${name}` });

  it('lists the built-ins, then the user files that validate; a damaged or linked file is left out, not trusted', async () => {
    const library = createTemplateLibrary({ dataDir });
    await library.save(mine('zeta'));
    await library.save(mine('alpha'));
    const dir = path.join(dataDir, TEMPLATES_DIR);
    await writeFile(path.join(dir, 'broken.parley-template.json'), '{"format": "parley-template", ');
    await writeFile(path.join(dir, 'other.parley-template.json'), templateFileText(mine('not-other')));
    await symlink(path.join(dir, 'alpha.parley-template.json'), path.join(dir, 'linked.parley-template.json'));
    const items = await library.list();
    expect(items.filter((t) => t.builtIn)).toHaveLength(builtInTemplates().length);
    expect(items.filter((t) => !t.builtIn).map((t) => t.name)).toEqual(['alpha', 'zeta']);
    await expect(library.get('broken')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(library.get('other')).rejects.toThrow(/names itself "not-other"/);
    await expect(library.get('linked')).rejects.toThrow(/cannot be read/);
    await expect(library.get('../etc')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('never replaces a file unless asked, never takes a built-in name, and writes nothing when read-only', async () => {
    const library = createTemplateLibrary({ dataDir });
    await expect(library.save(mine('zeta'))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(library.save({ ...mine('zeta'), title: 'Zeta two' }, { replace: true })).resolves.toMatchObject({ title: 'Zeta two' });
    await expect(library.save(mine('customer-support-orders'))).rejects.toMatchObject({ code: 'CONFLICT' });
    const fresh = path.join(dataDir, 'readonly');
    await mkdir(fresh);
    const readOnly = createTemplateLibrary({ dataDir: fresh, readOnly: true });
    expect((await readOnly.list()).every((t) => t.builtIn)).toBe(true);
    await expect(readOnly.save(mine('nope'))).rejects.toMatchObject({ code: 'READ_ONLY' });
  });
});
