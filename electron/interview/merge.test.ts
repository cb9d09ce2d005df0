import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import { emptySpec, USER_EDIT, type AgentSpec } from '../../shared/spec';
import { editField, mergeExtraction, reopenStage, setLocked } from './merge';
import { completeTool, f, ORDER_INPUT } from '../../tests/support/spec-fixtures';

const opts = { threshold: 0.6, source: 'msg-7', stage: 'COLLECTING_BASICS' as const };
const toolOpts = { ...opts, stage: 'CONFIGURING_TOOLS' as const };

function withTool(tool = {}): AgentSpec {
  return { ...emptySpec(), use_tools: f(true), tools: [{ name: f('get_order_status'), ...tool }] };
}

describe('mergeExtraction', () => {
  it('stores several fields from one message', () => {
    const r = mergeExtraction(
      emptySpec(),
      {
        agent_type: { value: 'customer support agent', confidence: 0.95 },
        goals: { value: 'Track orders', confidence: 0.9 },
        tone: { value: 'Friendly', confidence: 0.8 },
      },
      opts,
    );
    expect(r.stored).toEqual(['agent_type', 'goals', 'tone']);
    expect(r.spec.goals).toEqual({ value: 'Track orders', confidence: 0.9, source: 'msg-7', locked: false });
    expect(r.spec.tone?.value).toBe('Friendly');
  });

  it('keeps a value below the threshold as a candidate instead of storing it', () => {
    const r = mergeExtraction(emptySpec(), { goals: { value: 'maybe returns', confidence: 0.5 } }, opts);
    expect(r.spec.goals).toBeUndefined();
    expect(r.unconfirmed).toEqual(['goals']);
    expect(r.spec.candidates.goals).toEqual({ value: 'maybe returns', confidence: 0.5, source: 'msg-7' });
    const confirmed = mergeExtraction(r.spec, { goals: { value: 'returns', confidence: 0.9 } }, opts);
    expect(confirmed.spec.goals?.value).toBe('returns');
    expect(confirmed.spec.candidates.goals).toBeUndefined();
  });

  it('honours the threshold setting', () => {
    expect(mergeExtraction(emptySpec(), { tone: { value: 'calm', confidence: 0.7 } }, { ...opts, threshold: 0.8 }).spec.tone).toBeUndefined();
    expect(mergeExtraction(emptySpec(), { tone: { value: 'calm', confidence: 0.7 } }, { ...opts, threshold: 0.6 }).spec.tone?.value).toBe('calm');
  });

  it('never overwrites a locked field', () => {
    const spec: AgentSpec = { ...emptySpec(), tone: f('formal', { locked: true, source: USER_EDIT }) };
    const r = mergeExtraction(spec, { tone: { value: 'casual', confidence: 1 } }, opts);
    expect(r.spec.tone).toEqual(spec.tone);
    expect(r.ignored).toEqual([{ path: 'tone', reason: 'locked' }]);
    expect(r.spec.candidates.tone).toBeUndefined();
  });

  it('ignores unknown paths, generated fields and gate answers outside their stage', () => {
    const r = mergeExtraction(
      emptySpec(),
      {
        nonsense: { value: 1, confidence: 1 },
        system_prompt: { value: 'x', confidence: 1 },
        workflow_approved: { value: true, confidence: 1 },
        'tools[3].name': { value: 'skip_ahead', confidence: 1 },
      },
      toolOpts,
    );
    expect(r.stored).toEqual([]);
    expect(r.ignored.map((i) => i.path).sort()).toEqual(['nonsense', 'system_prompt', 'tools[3].name', 'workflow_approved']);
  });

  it('refuses a relative endpoint with a precise question', () => {
    const r = mergeExtraction(withTool(), { 'tools[0].endpoint': { value: '/orders/{order_id}', confidence: 1 } }, toolOpts);
    expect(r.spec.tools[0]?.endpoint).toBeUndefined();
    expect(r.rejected[0]?.path).toBe('tools[0].endpoint');
    expect(r.rejected[0]?.message).toMatch(/relative URL.*absolute http\(s\) URL.*https:\/\/api\.example\.com\/orders\/\{order_id\}/);
  });

  it('refuses a non-http scheme and an unsupported method', () => {
    const ftp = mergeExtraction(withTool(), { 'tools[0].endpoint': { value: 'ftp://files.example.com/x', confidence: 1 } }, toolOpts);
    expect(ftp.rejected[0]?.message).toContain('http or https');
    const head = mergeExtraction(withTool(), { 'tools[0].method': { value: 'HEAD', confidence: 1 } }, toolOpts);
    expect(head.rejected[0]?.message).toBe('"HEAD" is not a supported HTTP method. Which HTTP method does get_order_status use: GET, POST, PUT, PATCH or DELETE?');
    const get = mergeExtraction(withTool(), { 'tools[0].method': { value: 'get', confidence: 1 } }, toolOpts);
    expect(get.spec.tools[0]?.method?.value).toBe('GET');
  });

  it('refuses an invalid JSON Schema with the place and the reason', () => {
    const bad = { type: 'object', properties: { order_id: { type: 'strng' } } };
    const r = mergeExtraction(withTool(), { 'tools[0].input_schema': { value: bad, confidence: 1 } }, toolOpts);
    expect(r.rejected[0]?.message).toMatch(/not valid: at properties\.order_id\.type/);
    const notJson = mergeExtraction(withTool(), { 'tools[0].output_schema': { value: '{"type": "object",}', confidence: 1 } }, toolOpts);
    expect(notJson.rejected[0]?.message).toMatch(/isn't valid JSON/);
    const required = mergeExtraction(
      withTool(),
      { 'tools[0].input_schema': { value: { type: 'object', properties: {}, required: ['order_id'] }, confidence: 1 } },
      toolOpts,
    );
    expect(required.rejected[0]?.message).toContain('requires "order_id", which is not in its "properties"');
  });

  it('matches endpoint placeholders to input-schema properties, in either order', () => {
    const endpoint = { 'tools[0].endpoint': { value: 'https://api.example.com/orders/{order_id}', confidence: 1 } };
    const wrong = { 'tools[0].input_schema': { value: { type: 'object', properties: { id: { type: 'string' } } }, confidence: 1 } };
    const both = mergeExtraction(withTool(), { ...wrong, ...endpoint }, toolOpts);
    expect(both.stored).toEqual(['tools[0].endpoint']);
    expect(both.rejected[0]?.message).toContain('uses {order_id}, but its input schema has no "order_id" property');
    const schemaFirst = mergeExtraction(withTool({ input_schema: f({ type: 'object', properties: { id: { type: 'string' } } }) }), endpoint, toolOpts);
    expect(schemaFirst.rejected[0]?.path).toBe('tools[0].endpoint');
    const ok = mergeExtraction(withTool(), { ...endpoint, 'tools[0].input_schema': { value: ORDER_INPUT, confidence: 1 } }, toolOpts);
    expect(ok.rejected).toEqual([]);
  });

  it('requires unique snake_case tool names of at most 64 characters', () => {
    const spec: AgentSpec = { ...emptySpec(), tools: [completeTool('get_order_status')] };
    const dup = mergeExtraction(spec, { 'tools[1].name': { value: 'get_order_status', confidence: 1 } }, toolOpts);
    expect(dup.rejected[0]?.message).toContain('must be unique');
    const camel = mergeExtraction(spec, { 'tools[1].name': { value: 'Create Return', confidence: 1 } }, toolOpts);
    expect(camel.rejected[0]?.message).toContain('for example "create_return"');
    const long = mergeExtraction(spec, { 'tools[1].name': { value: 'a'.repeat(65), confidence: 1 } }, toolOpts);
    expect(long.rejected[0]?.message).toContain('at most 64');
    const fine = mergeExtraction(spec, { 'tools[1].name': { value: 'create_return', confidence: 1 } }, toolOpts);
    expect(fine.spec.tools).toHaveLength(2);
  });

  it('reads auth given as text', () => {
    const r = mergeExtraction(withTool(), { 'tools[0].auth': { value: 'API key in the X-Shop-Key header', confidence: 1 } }, toolOpts);
    expect(r.spec.tools[0]?.auth?.value).toEqual({ type: 'api_key', header: 'X-Shop-Key', secret_name: 'GET_ORDER_STATUS_API_KEY' });
  });
});

describe('hand edits', () => {
  it('editField validates, stores with source user-edit and locks', () => {
    const spec = editField({ ...emptySpec(), candidates: { tone: { value: 'x', confidence: 0.4, source: 'm' } } }, 'tone', 'Calm');
    expect(spec.tone).toEqual({ value: 'Calm', confidence: 1, source: USER_EDIT, locked: true });
    expect(spec.candidates.tone).toBeUndefined();
    expect(() => editField(withTool(), 'tools[0].method', 'FETCH')).toThrow(ParleyError);
    expect(() => editField(emptySpec(), 'nope', 'x')).toThrow(/not a spec field/);
    expect(() => editField(emptySpec(), 'tools[2].name', 'x_y')).toThrow(/no tool 3/);
  });

  it('setLocked locks and unlocks a stored field', () => {
    const spec: AgentSpec = { ...emptySpec(), goals: f('track orders') };
    const locked = setLocked(spec, 'goals', true);
    expect(locked.goals?.locked).toBe(true);
    expect(setLocked(locked, 'goals', false).goals?.locked).toBe(false);
    expect(() => setLocked(spec, 'tone', true)).toThrow(/no value yet/);
  });

  it('reopenStage clears the answers that closed the stage, unless locked', () => {
    const spec: AgentSpec = { ...emptySpec(), tools_done: f(true), workflow_approved: f(true) };
    expect(reopenStage(spec, 'CONFIGURING_TOOLS')).not.toHaveProperty('tools_done');
    expect(reopenStage(spec, 'CONFIGURING_TOOLS')).not.toHaveProperty('workflow_approved');
    expect(reopenStage(spec, 'COLLECTING_BASICS').tools_done?.value).toBe(true);
    expect(reopenStage(spec, 'REVIEWING_WORKFLOW').tools_done?.value).toBe(true);
    expect(reopenStage(spec, 'FINALIZING').workflow_approved?.value).toBe(true);
    const locked = { ...spec, workflow_approved: f(true, { locked: true }) };
    expect(reopenStage(locked, 'REVIEWING_WORKFLOW').workflow_approved?.value).toBe(true);
  });
});
