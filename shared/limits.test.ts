import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channels } from './ipc';
import { MAX_FILE_BYTES, MAX_PREVIEW_FRAME_BYTES } from './limits';

describe('limits', () => {
  it('the preview frame holds a request importing the largest file Parley reads', () => {
    expect(channels['sessions:import'].input.shape.text.maxLength).toBe(MAX_FILE_BYTES);
    // Escaped as a JSON string, a JSON text (compact or indented, any characters) takes at most twice its UTF-8 bytes.
    const escapedAtMostTwice = (text: string) => Buffer.byteLength(JSON.stringify(text)) <= 2 * Buffer.byteLength(text) + 2;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, pretty) => escapedAtMostTwice(JSON.stringify(value, null, pretty ? 2 : undefined))),
      { numRuns: 500, seed: 1711 },
    );
    for (const worst of [`"${'\\\\'.repeat(1000)}"`, `"${'\\"'.repeat(1000)}"`, `[${'\n'.repeat(1000)}]`, '"\\u0001"', JSON.stringify('\ud800'), '"😀€"']) {
      expect(escapedAtMostTwice(worst), worst.slice(0, 10)).toBe(true);
    }
    const envelope = Buffer.byteLength(JSON.stringify({ id: Number.MAX_SAFE_INTEGER, channel: 'sessions:import', input: { text: '' } }));
    expect(2 * MAX_FILE_BYTES + envelope).toBeLessThanOrEqual(MAX_PREVIEW_FRAME_BYTES);
  });
});
