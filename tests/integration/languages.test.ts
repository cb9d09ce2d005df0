import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/session';
import type { AgentSpec } from '../../shared/spec';
import { completeTool, f } from '../support/spec-fixtures';
import { offlineRig, type OfflineRig } from '../helpers/offline-session';

/**
 * Other languages (issue 16, item 5): yes, no, approval, "no more", "go back" and "skip" are read
 * in English, Spanish, German, French, Portuguese and Italian; a user writing another language
 * is asked whether the agent should speak it, and the answer sets the spec's language.
 */

let rig: OfflineRig;
beforeAll(async () => {
  rig = await offlineRig();
});
afterAll(async () => {
  await rig.close();
});

const BASICS: Partial<AgentSpec> = { agent_type: f('booking line'), goals: f('Book appointments'), tone: f('warm'), language: f('en') };
const ONE_TOOL: Partial<AgentSpec> = { ...BASICS, use_tools: f(true), tools: [completeTool('book_appointment')] };

function at(stage: Session['stage'], awaiting: string | null, spec: Partial<AgentSpec>) {
  return (s: Session): Session => ({ ...s, stage, awaiting, spec: { ...s.spec, ...spec } });
}

const YES = ['yes', 'Sí', 'Ja, er soll Termine buchen', 'Oui', 'Sim', 'Sì, certo'];
const NO = ['no', 'No, no hace falta', 'Nein', 'Non, pas besoin', 'Não', 'No, grazie'];
const APPROVE = ['approved', 'aprobado', 'genehmigt', 'approuvé', 'aprovado', 'approvato'];
const NO_MORE = ['no more tools', 'ninguna más', 'keine weiteren', "c'est tout", 'só isso', "nient'altro"];
const GO_BACK = ['go back to the tone', 'volvamos al tono', 'zurück zum Ton', 'revenons au ton', 'voltar ao tom', 'torniamo al tono'];
const SKIP = ['skip', 'saltar', 'überspringen', 'passer', 'pular', 'saltare'];

describe('six languages', () => {
  it.each(YES.map((t, i) => [t, i]))('%j is yes to tools', async (text) => {
    const s = await rig.session(at('EXPLORING_TOOLS', 'use_tools', BASICS));
    const { session } = await rig.say(s.id, text);
    expect(session.spec.use_tools?.value).toBe(true);
    expect([session.stage, session.awaiting]).toEqual(['CONFIGURING_TOOLS', 'tools[0].name']);
  });

  it.each(NO)('%j is no to tools', async (text) => {
    const s = await rig.session(at('EXPLORING_TOOLS', 'use_tools', BASICS));
    const { session } = await rig.say(s.id, text);
    expect(session.spec.use_tools?.value).toBe(false);
    expect(session.stage).toBe('REVIEWING_WORKFLOW');
  });

  it.each(NO_MORE)('%j ends the tools', async (text) => {
    const s = await rig.session(at('CONFIGURING_TOOLS', 'tools_done', ONE_TOOL));
    const { session } = await rig.say(s.id, text);
    expect(session.spec.tools).toHaveLength(1);
    expect(session.stage).toBe('REVIEWING_WORKFLOW');
  });

  it.each(APPROVE)('%j approves', async (text) => {
    const s = await rig.session(at('REVIEWING_WORKFLOW', 'workflow_approved', { ...ONE_TOOL, tools_done: f(true) }));
    const { session } = await rig.say(s.id, text);
    expect(session.stage).toBe('COMPLETED');
  });

  it.each(GO_BACK)('%j goes back to the tone', async (text) => {
    const s = await rig.session(at('CONFIGURING_TOOLS', 'tools_done', ONE_TOOL));
    const { session } = await rig.say(s.id, text);
    expect(session.awaiting).toBe('tone');
    expect(session.spec.tone?.value).toBe('warm');
  });

  it.each(SKIP)('%j parks the field', async (text) => {
    const s = await rig.session(at('CONFIGURING_TOOLS', 'tools[0].output_schema', { ...BASICS, use_tools: f(true), tools: [{ ...completeTool('book_appointment'), output_schema: undefined, trigger: undefined, error_handling: undefined }] }));
    const { session, reply } = await rig.say(s.id, text);
    expect(session.spec.parked).toEqual(['tools[0].output_schema']);
    expect(session.awaiting).toBe('tools[0].trigger');
    expect(reply).toMatch(/still needed/);
  });

  it('asks a Spanish-speaking user whether the agent should speak Spanish, and sets it', async () => {
    const s = await rig.session();
    const first = await rig.say(s.id, 'Hola, quiero un agente que reserve citas para nuestra peluquería en Madrid.');
    expect(first.reply).toMatch(/writing in Spanish\. Should the agent speak Spanish/);
    expect(first.session.awaiting).toBe('language');
    expect(first.session.spec.language).toBeUndefined();
    const yes = await rig.say(s.id, 'Sí');
    expect(yes.session.spec.language?.value).toBe('es');
    expect(yes.session.awaiting).toBe('tone');
    expect(yes.session.spec.goals?.value).toMatch(/reserve citas/i);
  });

  it('asks a German-speaking user, and a named language answers it', async () => {
    const s = await rig.session();
    await rig.say(s.id, 'Wir sind eine Zahnarztpraxis in Berlin und brauchen einen Telefonassistenten, der Termine bucht.');
    const answer = await rig.say(s.id, 'Nein, auf Englisch bitte');
    expect(answer.session.spec.language?.value).toBe('en');
  });
});
