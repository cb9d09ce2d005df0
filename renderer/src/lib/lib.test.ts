import { describe, expect, it } from 'vitest';
import { AgentSpec, TOOL_FIELDS } from '../../../shared/spec';
import { checkToolSchema, placeholdersOf } from './schemaCheck';
import { createFrameBatcher } from './frameBatcher';
import { missingForStage } from './specProgress';
import { FONT_SIZES, layoutWorkflow, MAX_DRAWN_TOOLS, toolDependencies, wrap } from './workflowModel';
import { lineDiff, textStats } from './lineDiff';
import { createOpenGuard, SLOW_OPEN_MS } from './openGuard';
import { countFilled } from '../components/SpecPanel';

const f = <T,>(value: T) => ({ value, confidence: 1, source: 'm1', locked: false });

describe('checkToolSchema', () => {
  it('accepts a good input schema', () => {
    expect(checkToolSchema({ type: 'object', properties: { order_id: { type: 'string', description: 'The order' } }, required: ['order_id'] }, { kind: 'input', placeholders: ['order_id'] })).toEqual([]);
  });
  it('finds structural errors with their place', () => {
    const problems = checkToolSchema(
      { type: 'array', properties: { a: 'x', b: { type: ['string', 'nope'] }, c: { type: 'array' } }, required: 'a' },
      { kind: 'output' },
    );
    expect(problems.map((p) => [p.severity, p.at])).toEqual([
      ['error', 'type'],
      ['error', 'properties.a'],
      ['error', 'properties.b.type'],
      ['warning', 'properties.c'],
      ['error', 'required'],
      ['warning', ''],
    ]);
    expect(checkToolSchema([], { kind: 'input' })[0]!.message).toBe('The schema must be a JSON object.');
  });
  it('asks for descriptions on inputs only, and for every endpoint placeholder', () => {
    const schema = { type: 'object', properties: { id: { type: 'string' } } };
    expect(checkToolSchema(schema, { kind: 'output' })).toEqual([]);
    expect(checkToolSchema(schema, { kind: 'input', placeholders: placeholdersOf('https://x.dev/{id}/{day}') }).map((p) => p.message)).toEqual([
      'Property "id" has no description; voice platforms show it to the model.',
      'The endpoint uses {day}, but there is no "day" property.',
    ]);
  });
});

describe('createFrameBatcher', () => {
  it('delivers pieces once per frame, in order, per key; drop and flush work', () => {
    const frames: Array<() => void> = [];
    const out: Array<[string, string][]> = [];
    const b = createFrameBatcher((p) => out.push([...p]), (cb) => (frames.push(cb), () => {}));
    b.push('a', 'Hel');
    b.push('b', 'x');
    b.push('a', 'lo');
    expect(frames).toHaveLength(1);
    frames.shift()!();
    b.push('a', ' world');
    b.push('b', 'gone');
    b.drop('b');
    b.flush();
    expect(out).toEqual([[['a', 'Hello'], ['b', 'x']], [['a', ' world']]]);
  });
});

describe('missingForStage', () => {
  it('lists what each stage still needs', () => {
    const spec = AgentSpec.parse({ agent_type: f('support'), use_tools: f(true), tools: [{ name: f('t'), purpose: f('p') }] });
    expect(missingForStage('COLLECTING_BASICS', spec)).toEqual(['goals', 'tone']);
    expect(missingForStage('EXPLORING_TOOLS', spec)).toEqual([]);
    expect(missingForStage('CONFIGURING_TOOLS', spec)).toEqual(['tools[0].endpoint', 'tools[0].method', 'tools[0].auth', 'tools[0].input_schema', 'tools[0].output_schema', 'tools[0].trigger', 'tools[0].error_handling']);
    expect(missingForStage('REVIEWING_WORKFLOW', spec)).toEqual(['workflow_approved']);
    expect(missingForStage('COMPLETED', spec)).toEqual([]);
  });
});

describe('layoutWorkflow', () => {
  it('places one column per tool plus the general path, with no overlapping boxes', () => {
    const spec = AgentSpec.parse({ agent_type: f('a'), tools: [{ name: f('one') }, { name: f('two') }, { name: f('three') }] });
    const layout = layoutWorkflow(spec);
    expect(layout.nodes.filter((n) => n.kind === 'tool').map((n) => n.title)).toEqual(['one', 'two', 'three']);
    for (const a of layout.nodes)
      for (const b of layout.nodes) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    for (const n of layout.nodes) {
      expect(n.x + n.w).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.h).toBeLessThanOrEqual(layout.height);
    }
  });
  it('wraps text to lines and ellipsises the overflow', () => {
    expect(wrap('one two three four', 9, 2)).toEqual(['one two', 'three…']);
    expect(wrap('', 10)).toEqual([]);
    expect(wrap('api.example.com/orders/{order_id}', 12, 4)).toEqual(['api.example.', 'com/orders/{', 'order_id}']);
  });
});

describe('workflow sequences', () => {
  const pharmacy = AgentSpec.parse({
    agent_type: f('pharmacy refill line'),
    tools: [
      { name: f('lookup_patient'), trigger: f('When the caller gives their name and date of birth') },
      { name: f('verify_identity'), trigger: f('After the patient is looked up') },
      { name: f('request_refill'), trigger: f('Once the identity is verified') },
      { name: f('store_hours'), trigger: f('When the caller asks when the pharmacy is open') },
    ],
  });

  it('reads "after X" in a trigger as a step after X, and anything else as an alternative', () => {
    expect(toolDependencies(pharmacy.tools)).toEqual([-1, 0, 1, -1]);
  });

  it('draws a sequence down one column (look up → verify → refill) beside the alternatives', () => {
    const layout = layoutWorkflow(pharmacy);
    const node = (title: string) => layout.nodes.find((n) => n.title === title)!;
    const [lookup, verify, refill, hours] = ['lookup_patient', 'verify_identity', 'request_refill', 'store_hours'].map(node);
    expect(verify!.x).toBe(lookup!.x);
    expect(refill!.x).toBe(lookup!.x);
    expect(lookup!.y).toBeLessThan(verify!.y);
    expect(verify!.y).toBeLessThan(refill!.y);
    expect(hours!.x).not.toBe(lookup!.x);
    expect(hours!.y).toBe(lookup!.y);
    const edges = layout.edges.map((e) => `${e.from}>${e.to}`);
    expect(edges).toEqual(expect.arrayContaining(['intent>tool-0', 'tool-0>tool-1', 'tool-1>tool-2', 'intent>tool-3']));
    expect(edges).not.toContain('intent>tool-1');
    // Only the last step of a sequence goes straight on to the closing.
    expect(layout.edges.filter((e) => e.id.startsWith('e-ok-')).map((e) => e.from)).toEqual(['tool-2', 'tool-3']);
    for (const a of layout.nodes)
      for (const b of layout.nodes) {
        if (a === b) continue;
        expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h, `${a.id} overlaps ${b.id}`).toBe(false);
      }
  });

  it('breaks a cycle of "after" instead of hanging', () => {
    const loop = AgentSpec.parse({ agent_type: f('a'), tools: [{ name: f('alpha_step'), trigger: f('after beta step') }, { name: f('beta_step'), trigger: f('after alpha step') }] });
    expect(layoutWorkflow(loop).nodes.filter((n) => n.kind === 'tool')).toHaveLength(2);
  });

  it('draws no text under 12 px and at most a screenful of tools', () => {
    expect(Math.min(...Object.values(FONT_SIZES))).toBeGreaterThanOrEqual(12);
    const many = AgentSpec.parse({ agent_type: f('a'), tools: Array.from({ length: 500 }, (_, i) => ({ name: f(`t${i}`) })) });
    const layout = layoutWorkflow(many);
    expect(layout.nodes.filter((n) => n.kind === 'tool')).toHaveLength(MAX_DRAWN_TOOLS);
    expect(layout.nodes.find((n) => n.id === 'answer')!.lines.join(' ')).toContain(`${500 - MAX_DRAWN_TOOLS} more tools are not drawn`);
  });
});

describe('lineDiff and textStats', () => {
  it('marks removed and added lines in order, keeping the rest', () => {
    expect(lineDiff('a\nb\nc\nd', 'a\nB\nc\nd\ne')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
      { kind: 'same', text: 'd' },
      { kind: 'added', text: 'e' },
    ]);
    expect(lineDiff('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
    expect(lineDiff('x\n'.repeat(2000), 'y\n'.repeat(2000))).toBeNull();
  });
  it('counts words and estimates tokens', () => {
    expect(textStats('  one two\nthree ')).toEqual({ words: 3, tokens: 4 });
    expect(textStats('')).toEqual({ words: 0, tokens: 0 });
  });
});

describe('openGuard', () => {
  function memoryStorage(): Storage {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k), clear: () => m.clear(), key: () => null, get length() { return m.size; } };
  }
  it('suspects a session whose open never painted, or painted too slowly, and clears a quick one', () => {
    const store = memoryStorage();
    let now = 0;
    const guard = createOpenGuard(() => store, () => now);
    guard.start('a');
    expect(guard.suspect()).toBe('a'); // a crash here leaves the record behind
    now = 100;
    expect(guard.painted('a')).toBe(100);
    expect(guard.suspect()).toBeNull();
    guard.start('b');
    now = 100 + SLOW_OPEN_MS + 1;
    guard.painted('b');
    expect(guard.suspect()).toBe('b');
    guard.start('b');
    now += 10;
    guard.painted('b');
    expect(guard.suspect()).toBeNull();
  });
});

describe('countFilled', () => {
  it('keeps its total while answers come in; only the user’s choices (no tools, another tool) change it', () => {
    const start = countFilled(AgentSpec.parse({}));
    expect(start).toEqual({ done: 0, all: 5 + TOOL_FIELDS.length });
    const basics = countFilled(AgentSpec.parse({ agent_type: f('a'), goals: f('g'), tone: f('t'), use_tools: f(true), tools: [{ name: f('x'), purpose: f('p') }] }));
    expect(basics).toEqual({ done: 5, all: start.all });
    expect(countFilled(AgentSpec.parse({ agent_type: f('a'), use_tools: f(false) }))).toEqual({ done: 1, all: 5 });
  });
});
