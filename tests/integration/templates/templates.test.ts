import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../electron/backend';
import { createNodeSecretStore } from '../../../electron/secrets';
import { dispatch } from '../../../electron/rpc';
import { writeProject } from '../../../electron/fs/project';
import { lintSession } from '../../../electron/export';
import { personalisationPaths } from '../../../electron/interview/personalise';
import { getField, parsePath } from '../../../electron/interview/fields';
import { builtInTemplates, BUILT_IN_DATA } from '../../../electron/templates/builtin';
import { TEMPLATES_DIR } from '../../../electron/templates/library';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc';
import { ParleyError } from '../../../shared/errors';
import { TEMPLATE_SOURCE, Template } from '../../../shared/template';
import type { Session } from '../../../shared/session';
import { startElevenLabsMock, type ElevenLabsMock } from '../../helpers/elevenlabs-mock';
import { agentBodies, commandProblems, deployProblems, deployProject, killDeployProcesses, removeCliHome, toolBodies } from '../../helpers/elevenlabs-deploy';
import { promptChecklistProblems } from '../../helpers/prompt-checklist';
import { PERSONALISATIONS, personalisationAnswer } from './answers';

/**
 * Issue 20's acceptance for the built-in templates, through the real backend (offline
 * interviewer, session store, template library, exporter) and the official ElevenLabs CLI
 * against the local API mock.
 */

let work: string;
let backend: Backend;
let mock: ElevenLabsMock;

async function call<C extends Channel>(b: Backend, channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(b.handlers, channel, input);
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

async function openBackend(dataDir: string): Promise<Backend> {
  return createBackend({ dataDir, host: 'cli', version: '0.0.0-test', secrets: await createNodeSecretStore({ dataDir, env: {} }) });
}

async function say(b: Backend, id: string, text: string): Promise<Session> {
  return (await b.orchestrator.processMessage(id, text, { turnId: randomUUID() })).session;
}

function transcript(session: Session): string {
  return session.messages.map((m) => `${m.role}: ${m.text}`).join('\n');
}

/** Starts from the template and answers only what the interview asks to personalise. */
async function personalise(b: Backend, name: string): Promise<{ started: Session; finished: Session; turns: number }> {
  const answers = PERSONALISATIONS[name];
  if (!answers) throw new Error(`no personalisation answers for ${name}`);
  const started = await call(b, 'templates:start', { name, provider: 'offline' });
  let session = started;
  let turns = 0;
  while (session.stage !== 'COMPLETED' && turns < 12) {
    const answer = personalisationAnswer(answers, session);
    if (answer === null) throw new Error(`asked ${session.awaiting} at ${session.stage}, which is not personalisation\n${transcript(session)}`);
    session = await say(b, started.id, answer);
    turns++;
  }
  return { started, finished: session, turns };
}

const FINISHED = new Map<string, Session>();

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'parley-templates-'));
  backend = await openBackend(path.join(work, 'data'));
  mock = await startElevenLabsMock();
}, 120_000);

afterAll(async () => {
  killDeployProcesses();
  await backend?.close();
  await mock?.close();
  await removeCliHome();
  await rm(work, { recursive: true, force: true });
});

describe('built-in templates', () => {
  it('are at least 8 data files, each valid under the one template schema, covering the kinds the issue lists', () => {
    expect(BUILT_IN_DATA.length).toBeGreaterThanOrEqual(8);
    for (const data of BUILT_IN_DATA) expect(Template.safeParse(data).success).toBe(true);
    const names = builtInTemplates().map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(['customer-support-orders', 'dental-appointments', 'restaurant-reservations', 'sales-lead-qualification', 'satisfaction-survey', 'receptionist-routing', 'subscription-retention', 'after-hours-outages']),
    );
    for (const t of builtInTemplates()) {
      const { spec } = t;
      // Example tools at example.com, end-call conditions and a language; transfers except for the survey.
      for (const tool of spec.tools) expect(new URL(tool.endpoint).hostname, `${t.name} ${tool.name}`).toMatch(/(^|\.)example\.com$/);
      expect(spec.end_call_conditions.length).toBeGreaterThan(10);
      expect(spec.language).toBeTruthy();
      if (t.name !== 'satisfaction-survey') {
        expect(spec.tools.length, t.name).toBeGreaterThan(0);
        expect(spec.transfers?.length, t.name).toBeGreaterThan(0);
      }
    }
    const survey = builtInTemplates().find((t) => t.name === 'satisfaction-survey')!;
    expect(survey.spec.tools).toEqual([]);
    expect(survey.spec.call_direction).toBe('outbound');
    expect(builtInTemplates().find((t) => t.name === 'sales-lead-qualification')!.spec.call_direction).toBe('outbound');
  });

  it('the prompt checklist can fail', async () => {
    const { spec } = await call(backend, 'templates:start', { name: 'receptionist-routing', provider: 'offline' });
    const broken = { ...spec, system_prompt: { ...spec.system_prompt!, value: '# Tools\nPOST to https://directory.example.com/api/staff, then say goodbye.' } };
    expect(promptChecklistProblems(broken)).toEqual(
      expect.arrayContaining(['missing section # Personality', 'no AI disclosure', 'the business "Example Partners" is not named', 'no transfers section although there is a number', 'the prompt holds a URL', 'the prompt holds an HTTP verb']),
    );
    const withoutTransfers = { ...spec, transfers: [], system_prompt: { ...spec.system_prompt!, value: `${spec.system_prompt!.value}\n# Tools\nTransfer the caller to a person.` } };
    expect(promptChecklistProblems(withoutTransfers)).toEqual(expect.arrayContaining(['a transfers section without a number', 'does not say it cannot transfer']));
  });

  it('the schema refuses what a template must not be', () => {
    const good = structuredClone(BUILT_IN_DATA[0]) as Template;
    expect(Template.safeParse({ ...good, name: 'Not A Name' }).success).toBe(false);
    expect(Template.safeParse({ ...good, messages: [] }).success).toBe(false);
    expect(Template.safeParse({ ...good, spec: { ...good.spec, tools: [{ ...good.spec.tools[0], method: 'FETCH' }] } }).success).toBe(false);
    expect(Template.safeParse({ ...good, spec: { ...good.spec, transfers: [{ phone_number: '555-0100', condition: 'x', transfer_type: 'warm' }] } }).success).toBe(false);
  });

  it.each(builtInTemplates().map((t) => [t.name] as const))('%s starts with every field sourced "template" and asks the personalisation first', async (name) => {
    const session = await call(backend, 'templates:start', { name, provider: 'offline' });
    const { spec } = session;
    const sources: string[] = [];
    for (const [key, field] of Object.entries(spec)) {
      if (Array.isArray(field)) {
        for (const item of field as unknown[]) {
          if (item && typeof item === 'object' && 'source' in item) sources.push((item as { source: string }).source);
          else if (item && typeof item === 'object') for (const f of Object.values(item as Record<string, { source: string }>)) sources.push(f.source);
        }
      } else if (field && typeof field === 'object' && 'source' in field) sources.push(`${(field as { source: string }).source}`);
      else if (key !== 'candidates' && field !== undefined) throw new Error(`unexpected ${key}`);
    }
    expect(new Set(sources)).toEqual(new Set([TEMPLATE_SOURCE]));
    expect(session.awaiting).toBe('business_name');
    expect(session.messages).toHaveLength(1);
    expect(session.messages[0]!.text).toMatch(/What is the name of the business/);
    const toPersonalise = personalisationPaths(spec);
    expect(toPersonalise[0]).toBe('business_name');
    expect(toPersonalise).toContain('language');
    // The template's own prompt already passes the checklist.
    expect(promptChecklistProblems(spec)).toEqual([]);
    // Not exportable while a URL still points at example.com.
    const errors = lintSession(session, 'elevenlabs').filter((f) => f.severity === 'error');
    const endpoints = spec.tools.map((_, i) => `tools[${i}].endpoint`);
    expect(errors.filter((e) => e.rule === 'template-example-url').map((e) => e.path)).toEqual(endpoints);
    if (endpoints.length) await expect(backend.exports.build(session.id, 'elevenlabs')).rejects.toThrow(/example\.com/);
  });

  it.each(builtInTemplates().map((t) => [t.name] as const))('%s: answering only the personalisation reaches COMPLETED in ≤ 10 turns, and its prompt passes the checklist', async (name) => {
    const { started, finished, turns } = await personalise(backend, name);
    const log = transcript(finished);
    expect(finished.stage, log).toBe('COMPLETED');
    expect(turns, log).toBeLessThanOrEqual(10);
    console.log(`template ${name}: COMPLETED in ${turns} turns`);
    const answers = PERSONALISATIONS[name]!;
    const { spec } = finished;
    expect(spec.business_name?.value).toBe(answers.business);
    expect(spec.language?.value).toBe(answers.languageTag);
    expect(spec.tools.map((t) => t.endpoint?.value)).toEqual(answers.endpoints);
    expect(spec.tools.every((t) => t.auth?.source !== TEMPLATE_SOURCE)).toBe(true);
    expect((spec.transfers ?? []).map((t) => t.phone_number?.value)).toEqual(answers.numbers.map((n) => n.replace(/\s/g, '')));
    if (answers.timezone) expect(spec.timezone?.value).toBe(answers.timezone);
    if (answers.voicemail) expect(spec.voicemail?.value).toEqual({ action: 'leave_message', message: answers.voicemail });
    expect(personalisationPaths(spec)).toEqual([]);
    // Everything that was not personalised is still the template's.
    for (const path of ['agent_type', 'goals', 'tone', 'end_call_conditions']) expect(getField(spec, parsePath(path)!)?.source, path).toBe(TEMPLATE_SOURCE);
    expect(spec.tools.map((t) => t.input_schema?.value)).toEqual(started.spec.tools.map((t) => t.input_schema?.value));
    expect(promptChecklistProblems(spec), spec.system_prompt?.value).toEqual([]);
    expect(lintSession(finished, 'elevenlabs').filter((f) => f.severity === 'error')).toEqual([]);
    FINISHED.set(name, finished);
  }, 60_000);

  it.each(builtInTemplates().map((t) => [t.name] as const))('%s: the personalised ElevenLabs project deploys to the mock with the official CLI', async (name) => {
    const finished = FINISHED.get(name);
    if (!finished) throw new Error(`${name} did not finish`);
    const result = await backend.exports.build(finished.id, 'elevenlabs');
    const project = await writeProject(path.join(work, `project-${name}`), result.files ?? []);
    const deploy = await deployProject(project, mock, 'script');
    expect(commandProblems(deploy.runs)).toEqual([]);
    expect(deployProblems(deploy.requests)).toEqual([]);
    const [agent, ...more] = agentBodies(deploy.requests);
    expect(more).toEqual([]);
    const config = (agent!.conversation_config as Record<string, Record<string, unknown>>).agent!;
    expect(config.language).toBe(PERSONALISATIONS[name]!.languageTag);
    expect(JSON.stringify(config.first_message)).toContain(PERSONALISATIONS[name]!.business.replace(/&/g, '\\u0026').split(' ')[0]);
    const tools = toolBodies(deploy.requests);
    expect(tools.map((t) => t.name).sort()).toEqual(finished.spec.tools.map((t) => t.name!.value).sort());
    expect(JSON.stringify(tools)).not.toContain('example.com');
    for (const number of PERSONALISATIONS[name]!.numbers) expect(JSON.stringify(agent)).toContain(number.replace(/\s/g, ''));
    // Nothing of the template's placeholder business is left in what was deployed.
    const placeholder = builtInTemplates().find((t) => t.name === name)!.spec.business_name;
    expect(JSON.stringify([agent, tools])).not.toContain(placeholder);
  }, 120_000);
});

describe('Save as template', () => {
  it('holds no conversation text and no secret, and round-trips through export and import as a file', async () => {
    const { finished } = await personalise(backend, 'dental-appointments');
    // Small talk, a question and a pasted credential: none of it may reach the template.
    const chat = 'By the way, my cat Mittens likes the waiting room music a lot';
    await say(backend, finished.id, chat);
    const token = 'sk_live_51HxQ2JKLmnopQRstuvWXyz0123456789abcd';
    await backend.orchestrator.editField(finished.id, 'end_call_conditions', `The patient says goodbye (api key ${token})`);
    // A credential in a field the design needs: refused, with what to do.
    await expect(call(backend, 'templates:save', { sessionId: finished.id })).rejects.toThrow(/end_call_conditions holds what looks like a credential/);
    await backend.orchestrator.editField(finished.id, 'end_call_conditions', 'The patient says goodbye');
    // One in a field it can do without (a note in the knowledge base): left out, and said so.
    await backend.orchestrator.editField(finished.id, 'knowledge_base[0]', { type: 'text', name: 'Front desk notes', text: `Insurance portal key ${token}` });
    const session = await call(backend, 'sessions:get', { id: finished.id });
    expect(session.messages.some((m) => m.text.includes('Mittens'))).toBe(true);

    const saved = await call(backend, 'templates:save', { sessionId: session.id, title: 'Bright Smile booking', replace: false });
    expect(saved.template).toMatchObject({ name: 'bright-smile-booking', title: 'Bright Smile booking', builtIn: false });
    expect(saved.removedSecrets).toEqual(['knowledge_base[0]']);
    const file = path.join(work, 'data', TEMPLATES_DIR, 'bright-smile-booking.parley-template.json');
    const text = await readFile(file, 'utf8');
    for (const m of session.messages) {
      // Nothing said in the chat, no message id; the values the user gave are design, not conversation.
      expect(text).not.toContain(m.id);
      if (m.role === 'assistant' || m.text === chat) expect(text).not.toContain(m.text.slice(0, 40));
    }
    expect(text).not.toContain('Mittens');
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/"(source|confidence|messages|candidates|parked|workflow_approved|usage)"/);
    const template = Template.parse(JSON.parse(text));
    expect(template.spec.business_name).toBe('Bright Smile Dental');
    // Generated texts are generated again from the design; only hand-written ones travel.
    expect(template.spec.system_prompt).toBeUndefined();

    // Export to a file, import into another data folder, start from it there.
    const exported = await call(backend, 'templates:export', { name: 'bright-smile-booking' });
    expect(exported.fileName).toBe('bright-smile-booking.parley-template.json');
    await writeProject(path.join(work, 'share'), [{ path: exported.fileName, content: exported.content }]);
    const sharedText = await readFile(path.join(work, 'share', exported.fileName), 'utf8');
    expect(sharedText).toBe(text);
    const other = await openBackend(path.join(work, 'data-colleague'));
    try {
      const imported = await call(other, 'templates:import', { text: sharedText });
      expect(imported).toMatchObject({ name: 'bright-smile-booking', builtIn: false });
      expect((await call(other, 'templates:get', { name: 'bright-smile-booking' })).template).toEqual(template);
      expect((await call(other, 'templates:list')).items.map((t) => t.name)).toContain('bright-smile-booking');
      await expect(call(other, 'templates:import', { text: sharedText })).rejects.toMatchObject({ code: 'CONFLICT' });
      const copy = await call(other, 'templates:import', { text: sharedText, name: 'bright-smile-copy' });
      expect(copy.name).toBe('bright-smile-copy');
      const again = await call(other, 'templates:start', { name: 'bright-smile-booking', provider: 'offline' });
      expect(again.spec.business_name).toMatchObject({ value: 'Bright Smile Dental', source: TEMPLATE_SOURCE });
      expect(again.awaiting).toBe('business_name');
      expect(await readdir(path.join(work, 'data-colleague', TEMPLATES_DIR))).toEqual(['bright-smile-booking.parley-template.json', 'bright-smile-copy.parley-template.json']);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('refuses an unfinished design, a built-in name and a file that is not a template', async () => {
    const blank = await call(backend, 'sessions:create', { provider: 'offline' });
    await expect(call(backend, 'templates:save', { sessionId: blank.id })).rejects.toThrow(/still missing: agent_type/);
    const { finished } = await personalise(backend, 'satisfaction-survey');
    await expect(call(backend, 'templates:save', { sessionId: finished.id, name: 'dental-appointments' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(call(backend, 'templates:import', { text: '{"format":"parley-template"}' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(call(backend, 'templates:import', { text: 'not json' })).rejects.toThrow(/not JSON/);
    // Valid JSON shape, but a value the interview would refuse (the endpoint's {order_id} has no input).
    const bad = structuredClone(builtInTemplates()[0]!) as Template;
    bad.name = 'bad-endpoint';
    bad.spec.tools[0]!.endpoint = 'https://api.example.com/v1/orders/{order_number}';
    await expect(call(backend, 'templates:import', { text: JSON.stringify(bad) })).rejects.toThrow(/order_number/);
  });
});
