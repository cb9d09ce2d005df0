import { describe, expect, it } from 'vitest';
import { makeSession } from './fixtures';
import { fold, matchesDigest, queryTerms, searchDigest } from './digest';

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
});
