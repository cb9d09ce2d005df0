import { describe, expect, it } from 'vitest';
import { canonicalize, toStableJson, toTextFile } from './serialize';

describe('stable JSON', () => {
  it('sorts keys at every depth, keeps array order, drops undefined, ends with a newline', () => {
    const a = toStableJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } });
    expect(a).toBe('{\n  "a": {\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
  });

  it('gives the same bytes whatever order the fields were filled in', () => {
    expect(toStableJson({ x: 1, y: { p: 'é', q: [1] } })).toBe(toStableJson({ y: { q: [1], p: 'é' }, x: 1 }));
    expect(canonicalize([undefined])).toEqual([null]);
  });

  it('normalises text files to LF with one trailing newline', () => {
    expect(toTextFile('a\r\nb\n\n\n')).toBe('a\nb\n');
  });
});
