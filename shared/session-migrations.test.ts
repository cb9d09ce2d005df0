import { describe, expect, it } from 'vitest';
import { SESSION_SCHEMA_VERSION } from './session';
import { makeSession } from '../tests/support/session-fixtures';
import { MIGRATIONS, decodeSessionDocument, decodeSessionText } from './session-migrations';

describe('session migrations', () => {
  it('has a step from every older version to the current one', () => {
    for (let v = 0; v < SESSION_SCHEMA_VERSION; v++) expect(typeof MIGRATIONS[v]).toBe('function');
  });

  it('upgrades a version-0 document without mutating it', () => {
    const v0: Record<string, unknown> = { ...makeSession(2, { messages: 2 }) };
    delete v0.schemaVersion;
    delete v0.stageHistory;
    delete v0.awaiting;
    delete v0.usage;
    const frozen = structuredClone(v0);
    const decoded = decodeSessionDocument(v0);
    expect(v0).toEqual(frozen);
    expect(decoded.kind).toBe('ok');
    if (decoded.kind !== 'ok') return;
    expect(decoded.migratedFrom).toBe(0);
    expect(decoded.session.schemaVersion).toBe(SESSION_SCHEMA_VERSION);
    expect(decoded.session.stageHistory).toEqual([{ stage: v0.stage, at: v0.createdAt }]);
    expect(decoded.session.awaiting).toBeNull();
    expect(decoded.session.messages).toEqual(makeSession(2, { messages: 2 }).messages);
  });

  it('upgrades a version-1 file: language names become BCP-47 tags with provenance kept, the new fields stay unset', () => {
    const current = makeSession(3, { messages: 1 });
    const field = (value: string) => ({ value, confidence: 0.8, source: 'm1', locked: true });
    const v1 = { ...current, schemaVersion: 1, spec: { ...current.spec, language: field('Brazilian Portuguese') } };
    const frozen = structuredClone(v1);
    const decoded = decodeSessionText(JSON.stringify(v1));
    expect(v1).toEqual(frozen);
    expect(decoded).toMatchObject({ kind: 'ok', migratedFrom: 1 });
    if (decoded.kind !== 'ok') return;
    expect(decoded.session.schemaVersion).toBe(2);
    expect(decoded.session.spec.language).toEqual(field('pt-BR'));
    expect(decoded.session.spec.transfers).toBeUndefined();
    expect(decoded.session.spec.call_direction).toBeUndefined();
    expect(decoded.session.messages).toEqual(current.messages);

    for (const [given, expected] of [['Spanish', 'es'], ['es', 'es'], ['en_us', 'en-US'], ['Klingon', 'Klingon']] as const) {
      const doc = { ...v1, spec: { ...v1.spec, language: field(given) } };
      const out = decodeSessionDocument(doc);
      expect(out.kind === 'ok' && out.session.spec.language?.value).toBe(expected);
    }
    const noLanguage = decodeSessionDocument({ ...v1, spec: { ...v1.spec, language: undefined } });
    expect(noLanguage.kind === 'ok' && noLanguage.session.spec.language).toBeUndefined();
  });

  it('reads a current file as is, a newer one read-only, and explains what is wrong with a bad one', () => {
    const s = makeSession(1, { messages: 1 });
    expect(decodeSessionText(JSON.stringify(s))).toEqual({ kind: 'ok', session: s, migratedFrom: null });
    const future = decodeSessionText(JSON.stringify({ ...s, schemaVersion: 3, extra: 1 }));
    expect(future).toMatchObject({ kind: 'future', version: 3, session: { title: s.title } });
    expect(decodeSessionText('')).toEqual({ kind: 'invalid', reason: 'the file is empty' });
    expect(decodeSessionText('{"a":')).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/not valid JSON/) });
    expect(decodeSessionText('[1,2]')).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/session object/) });
    expect(decodeSessionText('{"schemaVersion":"1"}')).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/whole number/) });
    expect(decodeSessionText(JSON.stringify({ ...s, messages: 'x' }))).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/messages/) });
  });
});
