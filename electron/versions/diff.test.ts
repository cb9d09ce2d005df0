import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VersionDiff } from '../../shared/versions';
import { GOLDENS, goldenBase } from '../../tests/support/version-goldens';
import { customerSupportSession } from '../../tests/support/export/sessions';
import { designOf, type Design } from './design';
import { diffDesigns, summarize } from './diff';
import { wordDiff } from './word-diff';

const GOLDEN_FILE = join(__dirname, '..', '..', 'tests', 'support', '__golden__', 'version-diffs.json');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const withSpec = (design: Design, change: (spec: Design['spec']) => Design['spec']): Design => ({ ...design, spec: change(structuredClone(design.spec)) });

describe('semantic diff', () => {
  it('shows each golden change as exactly one readable line (and the renderer reads the same lines)', () => {
    const base = designOf(goldenBase());
    const diffs = GOLDENS.map((g, i) => {
      const changes = diffDesigns(base, withSpec(base, g.change));
      expect(changes.map((c) => c.line), g.name).toEqual([g.line]);
      return { name: g.name, diff: VersionDiff.parse({ from: 'v1', to: `v${i + 2}`, changes }) };
    });
    const text = `${JSON.stringify(diffs, null, 2)}\n`;
    if (UPDATE || !existsSync(GOLDEN_FILE)) writeFileSync(GOLDEN_FILE, text);
    expect(readFileSync(GOLDEN_FILE, 'utf8')).toBe(text);
  });

  it('finds nothing between equal designs, and ignores provenance alone (source, confidence)', () => {
    const base = designOf(goldenBase());
    expect(diffDesigns(base, structuredClone(base))).toEqual([]);
    const resourced = withSpec(base, (spec) => ({ ...spec, tone: { ...spec.tone!, source: 'msg-9', confidence: 0.5 } }));
    expect(diffDesigns(base, resourced)).toEqual([]);
  });

  it('reports tools added and removed, parameter adds, removes and type changes, locks, transfers and lists', () => {
    const base = designOf(customerSupportSession());
    const after = withSpec(base, (spec) => {
      const tool = spec.tools[0]!;
      const schema = tool.input_schema!.value as { properties: Record<string, unknown>; required: string[] };
      return {
        ...spec,
        tone: { ...spec.tone!, locked: true },
        tools: [
          {
            ...tool,
            input_schema: { ...tool.input_schema!, value: { ...schema, required: [], properties: { order_id: { type: 'integer', description: 'The order number.' }, email: { type: 'string' } } } },
          },
          { name: { value: 'refund_order', confidence: 1, source: 'user-edit', locked: true }, method: { value: 'POST', confidence: 1, source: 'user-edit', locked: true } },
        ],
        transfers: [{ ...spec.transfers![0]!, phone_number: { ...spec.transfers![0]!.phone_number!, value: '+14155550199' } }],
        data_collection: [],
        knowledge_base: [{ value: { type: 'url', url: 'https://acme.example.com/faq' }, confidence: 1, source: 'user-edit', locked: false }],
      };
    });
    const lines = diffDesigns(base, after).map((c) => c.line);
    expect(lines).toEqual(
      expect.arrayContaining([
        'Tone locked',
        'Tool "get_order_status": parameter "email" added (string, optional)',
        'Tool "get_order_status": parameter "order_id" type string → integer',
        'Tool "get_order_status": parameter "order_id" is now optional',
        'Tool "refund_order" added (POST)',
        'Transfer 1: phone number +14155550123 → +14155550199',
        expect.stringMatching(/^Data item removed: name order_id/),
        expect.stringMatching(/^Knowledge source added: type url, url https:\/\/acme.example.com\/faq/),
      ]),
    );
    const removed = diffDesigns(after, base).map((c) => c.line);
    expect(removed).toContain('Tool "refund_order" removed');
    expect(removed).toContain('Tool "get_order_status": parameter "email" removed');
  });

  it('summarizes a change in one line, naming how many more there are', () => {
    const base = designOf(goldenBase());
    expect(summarize(null, base)).toBe('First version: restaurant booking assistant, 2 tools, completed');
    expect(summarize(base, base)).toBe('No change to the design');
    const two = withSpec(withSpec(base, GOLDENS[0]!.change), GOLDENS[2]!.change);
    expect(summarize(base, two)).toBe('Tool "create_reservation" renamed to "book_table" (and 1 more change)');
  });
});

describe('word diff', () => {
  it('gives back both texts exactly and marks only the changed words', () => {
    const a = 'Book a table for two at eight, please.';
    const b = 'Reserve a table for four at eight please.';
    const ops = wordDiff(a, b);
    expect(ops.filter((o) => o.op !== 'add').map((o) => o.text).join('')).toBe(a);
    expect(ops.filter((o) => o.op !== 'del').map((o) => o.text).join('')).toBe(b);
    expect(ops.filter((o) => o.op === 'add').map((o) => o.text.trim())).toEqual(['Reserve', 'four', 'eight']);
  });
});
