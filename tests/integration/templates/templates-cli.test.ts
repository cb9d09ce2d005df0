import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Template, TEMPLATE_SOURCE } from '../../../shared/template';
import type { Session } from '../../../shared/session';
import { parleyJson, runParley } from '../../helpers/cli';
import { PERSONALISATIONS, personalisationAnswer } from './answers';

/** `parley new --template` and `parley templates …`, in-process, on a temporary data folder. */

let work: string;
let data: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'parley-templates-cli-'));
  data = path.join(work, 'data');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Turn {
  id: string;
  stage: string;
  reply: string;
  awaiting: string | null;
}

describe('parley templates', () => {
  it('new --template starts from it, say personalises it, templates save/export/import share it', async () => {
    // Like `list`, the read-only commands need a data folder; the first writing command makes it.
    expect((await runParley(data, ['templates', 'list'])).err).toMatch(/There is no Parley data folder/);
    await parleyJson(data, ['new', '--provider', 'offline']);
    const list = await parleyJson<{ items: Array<{ name: string; builtIn: boolean; tools: string[] }> }>(data, ['templates', 'list']);
    expect(list.items.filter((t) => t.builtIn).length).toBeGreaterThanOrEqual(8);
    expect(list.items.find((t) => t.name === 'after-hours-outages')?.tools).toEqual(['check_outage']);
    const human = await runParley(data, ['templates', 'list']);
    expect(human.out).toMatch(/^after-hours-outages +built-in +en +inbound +After-hours line with outage lookup: /m);

    const started = await parleyJson<Turn>(data, ['new', '--provider', 'offline', '--template', 'after-hours-outages']);
    expect(started.awaiting).toBe('business_name');
    expect(started.reply).toMatch(/“After-hours line with outage lookup” template/);
    let turn: Turn & { spec?: Session['spec'] } = started;
    let turns = 0;
    const answers = PERSONALISATIONS['after-hours-outages']!;
    while (turn.stage !== 'COMPLETED' && turns < 12) {
      const answer = personalisationAnswer(answers, { awaiting: turn.awaiting } as Session);
      if (answer === null) throw new Error(`asked ${turn.awaiting}`);
      turn = await parleyJson(data, ['say', started.id, answer]);
      turns++;
    }
    expect(turn.stage).toBe('COMPLETED');
    expect(turns).toBeLessThanOrEqual(10);
    expect(turn.spec?.goals?.source).toBe(TEMPLATE_SOURCE);

    const saved = await parleyJson<{ template: { name: string } }>(data, ['templates', 'save', started.id, '--title', 'Severn Water nights']);
    expect(saved.template.name).toBe('severn-water-nights');
    const again = await runParley(data, ['templates', 'save', started.id, '--title', 'Severn Water nights', '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.err).error.code).toBe('CONFLICT');
    expect((await runParley(data, ['templates', 'save', started.id, '--title', 'Severn Water nights', '--force'])).code).toBe(0);

    const file = path.join(work, 'severn.parley-template.json');
    const exported = await parleyJson<{ file: string }>(data, ['templates', 'export', 'severn-water-nights', '--out', file]);
    expect(exported.file).toBe(file);
    const template = Template.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(template.spec.business_name).toBe('Severn Water');
    expect((await runParley(data, ['templates', 'export', 'severn-water-nights', '--out', file])).code).toBe(1);

    const colleague = path.join(work, 'colleague');
    await parleyJson(colleague, ['new', '--provider', 'offline']);
    const imported = await parleyJson<{ name: string }>(colleague, ['templates', 'import', file]);
    expect(imported.name).toBe('severn-water-nights');
    const shown = await parleyJson<{ template: Template; builtIn: boolean }>(colleague, ['templates', 'show', 'severn-water-nights']);
    expect(shown).toEqual({ template, builtIn: false });
    const theirs = await parleyJson<Turn>(colleague, ['new', '--template', 'severn-water-nights', '--provider', 'offline']);
    expect(theirs.reply).toMatch(/"Severn Water" in the template/);
  }, 60_000);

  it('says what is wrong: an unknown template, a missing name, an unknown subcommand', async () => {
    const unknown = await runParley(data, ['new', '--template', 'no-such-template', '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.err).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/There is no template "no-such-template". Templates: customer-support-orders, /) });
    expect((await runParley(data, ['templates', 'show'])).code).toBe(2);
    expect((await runParley(data, ['templates', 'frobnicate'])).code).toBe(2);
    const badName = await runParley(data, ['new', '--template', 'Not A Name', '--json']);
    expect(badName.code).toBe(2);
  });
});
