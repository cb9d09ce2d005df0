import { cp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createBackend, type Backend } from '../../../electron/backend';
import { createNodeSecretStore } from '../../../electron/secrets';
import { dispatch } from '../../../electron/rpc';
import { generateAgentPrompt } from '../../../electron/interview/prompt-generator';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc';
import type { Session } from '../../../shared/session';
import type { AgentSpec, HttpMethod, ToolSpec } from '../../../shared/spec';
import { fixtureId, makeSession } from '../../support/session-fixtures';
import type { BenchContext } from '../context';
import { sample, sampleAlternating } from '../measure';
import type { BenchResult } from '../types';

/**
 * The versions benches: one finished 6-tool design (with the fixtures' 60-message conversation), then 499 more versions taken the way the app takes them (hand edits through the IPC
 * contract, 6 s apart so each is its own batch; every tenth a version saved by name): tool
 * methods, endpoints, purposes and required parameters, tone, goals, triggers and first-message
 * words (each edit of a finished design also regenerates its system prompt, as in the app).
 */

const VERSIONS_FULL = 500;
const f = <T>(value: T) => ({ value, confidence: 0.9, source: 'm1', locked: false });
const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH'];
const NAMES = ['check_availability', 'book_table', 'cancel_booking', 'lookup_order', 'send_receipt', 'update_contact'];

function tool(k: number): ToolSpec {
  const name = NAMES[k]!;
  return {
    name: f(name),
    purpose: f(`${name.replace(/_/g, ' ')} for callers of the restaurant group, by phone`),
    endpoint: f(`https://api.example.com/v1/${name}`),
    method: f(METHODS[k % 4]!),
    auth: f({ type: 'bearer' as const, header: 'Authorization', secret_name: 'API_TOKEN' }),
    input_schema: f({
      type: 'object',
      properties: {
        date: { type: 'string', description: 'ISO date, e.g. 2027-03-01' },
        party_size: { type: 'integer', description: 'How many guests' },
        notes: { type: 'string', description: 'Anything the caller adds' },
      },
      required: ['date'],
    }),
    output_schema: f({ type: 'object', properties: { ok: { type: 'boolean' }, reference: { type: 'string' } } }),
    trigger: f(`When the caller wants to ${name.replace(/_/g, ' ')}`),
    error_handling: f('Apologise, offer to retry once, then take a message for the team.'),
  };
}

function finishedSession(): Session {
  const base = makeSession(7); // the fixtures' 60-message conversation
  const spec: AgentSpec = {
    ...base.spec,
    language: f('en'),
    tools: NAMES.map((_, k) => tool(k)),
    tools_done: f(true),
    workflow_approved: f(true),
    candidates: {},
  };
  const { systemPrompt, firstMessage } = generateAgentPrompt(spec);
  return { ...base, id: fixtureId(0xbe11), stage: 'COMPLETED', awaiting: null, spec: { ...spec, system_prompt: f(systemPrompt), first_message: f(firstMessage) } };
}

async function call<C extends Channel>(backend: Backend, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.message}`);
  return envelope.value as ChannelOutput<C>;
}

async function open(dataDir: string, clock: () => Date = () => new Date()): Promise<Backend> {
  return createBackend({ dataDir, host: 'cli', version: 'bench', clock, verifyOnOpen: false, secrets: await createNodeSecretStore({ dataDir, env: {} }) });
}

/** Version i's change (i ≥ 2). */
async function change(backend: Backend, id: string, i: number): Promise<void> {
  const k = i % 6;
  const edit = (path: string, value: unknown) => call(backend, 'spec:edit', { sessionId: id, path, value });
  switch (i % 10) {
    case 0:
      await call(backend, 'versions:snapshot', { sessionId: id, name: `checkpoint ${i}` });
      return;
    case 1:
      return void (await edit(`tools[${k}].method`, METHODS[i % 4]));
    case 2:
      return void (await edit(`tools[${k}].endpoint`, `https://api.example.com/v${i}/${NAMES[k]}`));
    case 3:
      return void (await edit(`tools[${k}].purpose`, `${NAMES[k]!.replace(/_/g, ' ')} for callers of the restaurant group (revision ${i})`));
    case 4: {
      const schema = (await backend.sessions.get(id)).spec.tools[k]!.input_schema!.value as { required: string[] };
      const required = schema.required.includes('party_size') ? ['date'] : ['date', 'party_size'];
      return void (await edit(`tools[${k}].input_schema`, { ...schema, required }));
    }
    case 5:
      return void (await edit('tone', i % 20 === 5 ? 'warm, concise' : 'friendly and brief'));
    case 6:
      return void (await edit('goals', `Take bookings and answer questions without waiting on hold (round ${i}).`));
    case 7:
      return void (await edit(`tools[${k}].trigger`, `When the caller asks to ${NAMES[k]!.replace(/_/g, ' ')} (${i})`));
    case 8: {
      // The generated system prompt is longer than a hand edit may be; the first message is edited word by word.
      const greeting = (await backend.sessions.get(id)).spec.first_message!.value;
      const word = ['Hello', 'Hi', 'Good day'][i % 3]!;
      return void (await edit('first_message', /^(Hello|Hi|Good day)\b/.test(greeting) ? greeting.replace(/^(Hello|Hi|Good day)\b/, word) : `${word}! ${greeting}`));
    }
    default:
      return void (await edit(`tools[${k}].error_handling`, `Apologise, retry once, then take a message (${i}).`));
  }
}

interface Prepared {
  dataDir: string;
  /** The same session file with no versions folder. */
  bareDir: string;
  id: string;
  versions: number;
  sessionBytes: number;
  versionBytes: number;
  buildMs: number;
}

const prepared = new WeakMap<BenchContext, Promise<Prepared>>();

function prepare(ctx: BenchContext): Promise<Prepared> {
  let p = prepared.get(ctx);
  if (!p) {
    p = (async () => {
      const started = performance.now();
      const dataDir = await ctx.scratch('versions');
      const count = ctx.quick ? 50 : VERSIONS_FULL;
      let now = Date.parse('2027-03-01T09:00:00.000Z');
      const backend = await open(dataDir, () => new Date(now));
      const { session } = await backend.exports.importText(JSON.stringify(finishedSession()));
      const id = session.id;
      for (let i = 2; i <= count; i++) {
        now += 6000;
        await change(backend, id, i);
      }
      const listed = await call(backend, 'versions:list', { sessionId: id });
      await backend.close();
      if (listed.versions.length !== count) throw new Error(`expected ${count} versions, made ${listed.versions.length}`);
      const bareDir = await ctx.scratch('versions-bare');
      await cp(dataDir, bareDir, { recursive: true });
      await rm(join(bareDir, 'versions'), { recursive: true, force: true });
      const sessionBytes = (await stat(join(dataDir, 'sessions', `${id}.json`))).size;
      const versionFiles = await readdir(join(dataDir, 'versions'));
      let versionBytes = 0;
      for (const name of versionFiles) versionBytes += (await stat(join(dataDir, 'versions', name))).size;
      const buildMs = performance.now() - started;
      ctx.log(`  made ${count} versions through the contract in ${(buildMs / 1000).toFixed(1)} s`);
      return { dataDir, bareDir, id, versions: count, sessionBytes, versionBytes, buildMs };
    })();
    prepared.set(ctx, p);
  }
  return p;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** versions_500_size: the version file of 500 versions against the session file itself. */
export async function versionsSize(ctx: BenchContext): Promise<BenchResult> {
  const p = await prepare(ctx);
  const ratio = p.versionBytes / p.sessionBytes;
  return {
    name: 'versions_500_size',
    unit: 'KB',
    value: p.versionBytes / 1024,
    baseline: p.sessionBytes / 1024,
    ratio,
    budget: 'ratio ≤ 3',
    pass: ratio <= 3,
    detail: `${p.versions} versions of a 6-tool design (60 messages) as the app takes them: versions/<id>.versions ${kb(p.versionBytes)} ÷ sessions/<id>.json ${kb(p.sessionBytes)}, ${(p.versionBytes / p.versions).toFixed(0)} bytes a version`,
  };
}

/** versions_500_open: opening the session (a new backend, then sessions:get) with 500 versions ÷ the same without. */
export async function versionsOpen(ctx: BenchContext): Promise<BenchResult> {
  const p = await prepare(ctx);
  const opening = (dir: string, listVersions: boolean) => async () => {
    const backend = await open(dir);
    const started = performance.now();
    await call(backend, 'sessions:get', { id: p.id });
    if (listVersions) await call(backend, 'versions:list', { sessionId: p.id });
    const ms = performance.now() - started;
    await backend.close();
    return ms;
  };
  // Alternating rounds, so neither side gets the warmer caches or the quieter moment; the list
  // (which reads all 500 versions, and leaves garbage behind) is measured on its own afterwards.
  const options = ctx.quick ? { iterations: ctx.sizes.iterations, warmup: 1, rounds: 1 } : { iterations: Math.max(ctx.sizes.iterations, 15) * 2, warmup: ctx.sizes.warmup + 2, rounds: 4 };
  const r = await sampleAlternating({ with: opening(p.dataDir, false), without: opening(p.bareDir, false) }, options);
  const withVersions = r.with!;
  const without = r.without!;
  const andList = await sample('open and list versions', opening(p.dataDir, true), { iterations: options.iterations, warmup: options.warmup });
  const ratio = withVersions.median / without.median;
  return {
    name: 'versions_500_open',
    unit: 'ms',
    value: withVersions.median,
    baseline: without.median,
    ratio,
    budget: 'ratio ≤ 1.2',
    pass: ratio <= 1.2,
    detail: `a fresh backend's sessions:get of the session with ${p.versions} versions ÷ the same data folder without its versions folder, medians of ${withVersions.samples.length} in alternating rounds; versions are read only when asked for: sessions:get then versions:list (the Versions dialog) takes ${andList.median.toFixed(2)} ms (${(andList.median / without.median).toFixed(2)}× the bare open)`,
  };
}

/** versions_500_diff: the semantic diff of version 1 against version 500. */
export async function versionsDiff(ctx: BenchContext): Promise<BenchResult> {
  const p = await prepare(ctx);
  const to = `v${p.versions}`;
  const backend = await open(p.dataDir);
  ctx.onClose(() => backend.close());
  const coldStart = performance.now();
  const first = await call(backend, 'versions:diff', { sessionId: p.id, from: 'v1', to });
  const cold = performance.now() - coldStart;
  const figures = await sample('diff v1..v500', async () => void (await call(backend, 'versions:diff', { sessionId: p.id, from: 'v1', to })), { iterations: ctx.quick ? ctx.sizes.iterations : Math.max(ctx.sizes.iterations, 15), warmup: ctx.sizes.warmup });
  return {
    name: 'versions_500_diff',
    unit: 'ms',
    value: figures.median,
    budget: '< 50 ms',
    pass: figures.median < 50,
    detail: `versions:diff v1 → ${to} through the contract, median of ${figures.samples.length} (${first.changes.length} changed lines); the first one, which also reads the ${p.versions}-version file: ${cold.toFixed(1)} ms`,
  };
}
