import { describe, it, expect } from 'vitest';
import { createReplyExtractor } from './stream-reply';

function feedAll(chunks: string[]): { deltas: string[]; reply: string; done: boolean } {
  const x = createReplyExtractor();
  const deltas = chunks.map((c) => x.push(c));
  return { deltas, reply: x.reply, done: x.done };
}

const isLoneSurrogateAtEnd = (s: string): boolean => {
  if (!s) return false;
  const code = s.charCodeAt(s.length - 1);
  return code >= 0xd800 && code <= 0xdbff;
};

describe('createReplyExtractor', () => {
  const tricky = {
    reply: 'Line one\nShe said "hi" \\ back/slash \t tab é \u00e9 😀 and \ud83d\ude80 done',
    extracted: { goals: { value: { reply: 'nested, not me' }, confidence: 0.9 } },
    awaiting: null,
  };
  // JSON.stringify keeps raw non-ASCII; a second form escapes it all as \uXXXX.
  const raw = JSON.stringify(tricky);
  const escaped = raw.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

  for (const [label, text] of [
    ['raw unicode', raw],
    ['\\u escapes', escaped],
  ] as const) {
    it(`decodes the reply exactly, split at every position (${label})`, () => {
      for (let cut = 0; cut <= text.length; cut++) {
        const { deltas, reply, done } = feedAll([text.slice(0, cut), text.slice(cut)]);
        expect(reply).toBe(tricky.reply);
        expect(deltas.join('')).toBe(tricky.reply);
        expect(done).toBe(true);
        for (const d of deltas) expect(isLoneSurrogateAtEnd(d)).toBe(false);
      }
    });
  }

  it('decodes one character at a time, in order', () => {
    const { deltas } = feedAll(Array.from(escaped.split('')));
    expect(deltas.join('')).toBe(tricky.reply);
    // the first reply character arrives with the chunk that carries it, not at the end
    const firstNonEmpty = deltas.findIndex((d) => d.length > 0);
    expect(firstNonEmpty).toBe(escaped.indexOf(':"') + 2);
  });

  it('finds the reply when it is not the first key and skips nested look-alikes', () => {
    const text = JSON.stringify({ extracted: { reply: 'no', list: ['reply', { reply: 'no' }] }, n: -1.5e3, ok: true, reply: 'yes' });
    expect(feedAll([text]).reply).toBe('yes');
  });

  it('skips a markdown fence or prose before the object', () => {
    const text = 'Here you go:\n```json\n{"reply": "Hello there", "awaiting": "goals"}\n```';
    const { reply, done } = feedAll(text.match(/.{1,3}/gs) ?? []);
    expect(reply).toBe('Hello there');
    expect(done).toBe(true);
  });

  it('reports not started when there is no reply key', () => {
    const x = createReplyExtractor();
    x.push('plain text without json');
    expect(x.started).toBe(false);
    expect(x.reply).toBe('');
  });

  it('does not emit an incomplete escape', () => {
    const x = createReplyExtractor();
    expect(x.push('{"reply": "a\\')).toBe('a');
    expect(x.push('u00')).toBe('');
    expect(x.push('e9b"}')).toBe('éb');
  });
});
