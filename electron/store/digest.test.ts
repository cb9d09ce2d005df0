import { describe, expect, it } from 'vitest';
import { makeSession } from '../../tests/support/session-fixtures';
import { fold, matchesDigest, queryTerms, searchDigest, searchDigestSince } from './digest';

describe('search digest', () => {
  it('folds case, accents and compatibility forms', () => {
    expect(fold('Résumé ÅNGSTRÖM ﬁle')).toBe('resume angstrom file');
  });

  it('holds the words of the title, the messages and confirmed spec values, not candidates', () => {
    const s = makeSession(4, { messages: 2 });
    s.title = 'Front Desk';
    s.messages[0]!.text = 'We open at 9:30, Straße 5.';
    s.spec.tools[0]!.endpoint = { value: 'https://api.clinic.example/v2/slots', confidence: 1, source: 'user-edit', locked: true };
    s.spec.candidates = { tone: { value: 'sarcastic', confidence: 0.2, source: 'm0' } };
    const digest = searchDigest(s);
    for (const word of ['front', 'desk', 'strasse', '30', 'clinic', 'slots', 'friendly']) expect(matchesDigest(digest, [fold(word)])).toBe(true);
    expect(digest).not.toContain('sarcastic');
    expect(new Set(digest.split(' ')).size).toBe(digest.split(' ').length);
  });

  it('requires every query word', () => {
    const digest = searchDigest(makeSession(1, { messages: 3 }));
    expect(matchesDigest(digest, queryTerms('BOOKING Zurich'))).toBe(true);
    expect(matchesDigest(digest, queryTerms('booking xylophonic'))).toBe(false);
  });

  it('gives the same words when built message by message as when built whole', () => {
    const full = makeSession(7, { messages: 12 });
    const words = (digest: string) => new Set(digest.split(' '));
    let state;
    for (let n = 0; n <= full.messages.length; n++) {
      const partial = { ...full, messages: full.messages.slice(0, n) };
      const { digest, next } = searchDigestSince(partial, state);
      expect(words(digest)).toEqual(words(searchDigest(partial)));
      state = next;
    }
    // A session whose history is not a continuation (another session, a reload) starts over.
    const other = makeSession(8, { messages: 3 });
    expect(words(searchDigestSince(other, state).digest)).toEqual(words(searchDigest(other)));
  });
});
