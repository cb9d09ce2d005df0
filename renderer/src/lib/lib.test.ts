import { describe, expect, it } from 'vitest';
import { AgentSpec } from '../../../shared/spec';
import { checkToolSchema, placeholdersOf } from './schemaCheck';
import { createFrameBatcher } from './frameBatcher';
import { missingForStage } from './specProgress';
import { layoutWorkflow, wrap } from './workflowModel';

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
