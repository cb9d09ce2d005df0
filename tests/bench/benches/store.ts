import type { Backend } from '../../../electron/backend';
import { codeword, fixtureId, makeSession } from '../../support/session-fixtures';
import { createSessionStore } from '../../../electron/store/sessions';
import type { SessionStore } from '../../../electron/store/types';
import type { Session } from '../../../shared/session';
import { FIRST_PAGE, listThroughIpc, startBackend } from '../backend';
import type { BenchContext } from '../context';
import { median, sample, sampleAlternating, type Sampled } from '../measure';
import { naiveList, naiveSave, naiveSearch, openLowdbAsDocumented } from '../naive';
import type { BenchResult } from '../types';

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** Session i after one more turn: the fixture plus a user message and a reply, stamped now. */
function afterTurn(i: number, turn: number): Session {
  const s = makeSession(i);
  const at = new Date().toISOString();
  const extra = makeSession(i + 1).messages;
  s.messages.push(
    { id: `bench-u${turn}`, role: 'user', text: extra[1]?.text ?? 'ok', createdAt: at, status: 'complete' },
    { id: `bench-a${turn}`, role: 'assistant', text: extra[2]?.text ?? 'ok', createdAt: at, status: 'complete' },
  );
  s.updatedAt = at;
  return s;
}

/** Sessions the save benches rewrite in turn (the same ones for Parley and the naive file). */
const rotation = (count: number) => Math.min(count, 25);

/** Parley's save of one turn with `few` and with `many` sessions stored, in alternating rounds. */
async function parleySaves(ctx: BenchContext): Promise<{ few: Sampled; many: Sampled }> {
  const { few, many } = ctx.sizes;
  const stores: Record<string, SessionStore> = {};
  for (const count of [few, many]) {
    stores[count] = await createSessionStore({ dataDir: await ctx.parleyData(count) });
    await stores[count].flush(); // the background check of every indexed file is not part of a save
  }
  const turns = { [few]: 0, [many]: 0 };
  const saveOne = (count: number) => async () => {
    const t = turns[count]!++;
    await stores[count]!.save(afterTurn(t % rotation(count), t));
  };
  try {
    const r = await sampleAlternating({ few: saveOne(few), many: saveOne(many) }, { iterations: Math.max(ctx.sizes.iterations, 20) * 2, warmup: ctx.sizes.warmup + 3, rounds: 4 });
    return { few: r.few!, many: r.many! };
  } finally {
    for (const store of Object.values(stores)) await store.flush();
  }
}

async function naiveSaveTimes(ctx: BenchContext, count: number): Promise<Sampled> {
  const file = await ctx.naiveData(count);
  let turn = 0;
  const slow = count > 1000;
  return sample(`naive save @${count}`, async () => {
    const t = turn++;
    await naiveSave(file, afterTurn(t % rotation(count), t));
  }, { iterations: slow ? 5 : Math.max(ctx.sizes.iterations, 15), warmup: slow ? 1 : ctx.sizes.warmup + 3 });
}

/** lowdb read once and kept in memory; each save writes the whole file (its README's way). */
async function lowdbSaveTimes(ctx: BenchContext, count: number): Promise<Sampled> {
  const db = await openLowdbAsDocumented(await ctx.naiveData(count));
  let turn = 0;
  const slow = count > 1000;
  return sample(`lowdb save @${count}`, async () => {
    const t = turn++;
    await db.save(afterTurn(t % rotation(count), t));
  }, { iterations: slow ? 5 : Math.max(ctx.sizes.iterations, 15), warmup: slow ? 1 : ctx.sizes.warmup + 3 });
}

const memo = new WeakMap<BenchContext, Map<string, Promise<unknown>>>();
function once<T>(ctx: BenchContext, key: string, run: () => Promise<T>): Promise<T> {
  let m = memo.get(ctx);
  if (!m) memo.set(ctx, (m = new Map()));
  let p = m.get(key) as Promise<T> | undefined;
  if (!p) m.set(key, (p = run()));
  return p;
}

export async function saveScaling(ctx: BenchContext): Promise<BenchResult> {
  const { many, few } = ctx.sizes;
  const { few: few_, many: many_ } = await once(ctx, 'parley-saves', () => parleySaves(ctx));
  const naiveFew = await once(ctx, `naive-${few}`, () => naiveSaveTimes(ctx, few));
  const naiveMany = await once(ctx, `naive-${many}`, () => naiveSaveTimes(ctx, many));
  const ratio = many_.median / few_.median;
  return {
    name: 'save_scaling',
    unit: 'ms',
    value: many_.median,
    baseline: few_.median,
    ratio,
    budget: 'ratio ≤ 1.5',
    pass: ratio <= 1.5,
    detail: `median save of one turn (atomic write + fsync + index) with ${many} sessions ÷ with ${few}, measured in alternating rounds (p95 ${fmt(many_.p95)} vs ${fmt(few_.p95)} ms); naive one-file design: ${fmt(naiveMany.median)} ms ÷ ${fmt(naiveFew.median)} ms = ${(naiveMany.median / naiveFew.median).toFixed(0)}×`,
  };
}

export async function saveVsNaive(ctx: BenchContext): Promise<BenchResult> {
  const { many } = ctx.sizes;
  const parley = (await once(ctx, 'parley-saves', () => parleySaves(ctx))).many;
  const naive = await once(ctx, `naive-${many}`, () => naiveSaveTimes(ctx, many));
  const ratio = parley.median / naive.median;
  return {
    name: 'save_vs_naive_10k',
    unit: 'ms',
    value: parley.median,
    baseline: naive.median,
    ratio,
    budget: 'ratio ≤ 0.01',
    pass: ratio <= 0.01,
    detail: `median save of one turn with ${many} sessions: Parley ${fmt(parley.median)} ms (p95 ${fmt(parley.p95)}) vs one lowdb file read+written whole per call ${fmt(naive.median)} ms; see save_vs_lowdb_10k for lowdb kept in memory`,
  };
}

export async function saveVsLowdb(ctx: BenchContext): Promise<BenchResult> {
  const { many } = ctx.sizes;
  const parley = (await once(ctx, 'parley-saves', () => parleySaves(ctx))).many;
  const lowdb = await once(ctx, `lowdb-${many}`, () => lowdbSaveTimes(ctx, many));
  const ratio = parley.median / lowdb.median;
  return {
    name: 'save_vs_lowdb_10k',
    unit: 'ms',
    value: parley.median,
    baseline: lowdb.median,
    ratio,
    budget: 'reported',
    pass: null,
    detail: `median save of one turn with ${many} sessions: Parley ${fmt(parley.median)} ms (atomic file + fsync + index) vs lowdb as its README uses it (read once at start, data in memory, the whole file written per save; lowdb's writer does not fsync) ${fmt(lowdb.median)} ms (p95 ${fmt(lowdb.p95)})`,
  };
}

export async function list10k(ctx: BenchContext): Promise<BenchResult> {
  const { many } = ctx.sizes;
  const dir = await ctx.parleyData(many);
  const naiveFile = await ctx.naiveData(many);
  let backend: Backend | null = null;
  const parley = await sample('list cold', async () => {
    const started = performance.now();
    backend = await startBackend(dir);
    const page = await listThroughIpc(backend, { limit: FIRST_PAGE });
    const elapsed = performance.now() - started;
    if (page.total < many || page.items.length !== Math.min(FIRST_PAGE, many)) throw new Error(`list returned ${page.items.length} of ${page.total}`);
    return elapsed;
  }, {
    iterations: ctx.sizes.iterations,
    warmup: ctx.sizes.warmup,
    afterEach: async () => {
      await backend?.close(); // waits for the background file check: not part of the figure
      backend = null;
    },
  });
  const fewDir = await ctx.parleyData(ctx.sizes.few);
  const small = await sample('list cold @few', async () => {
    const started = performance.now();
    backend = await startBackend(fewDir);
    await listThroughIpc(backend, { limit: FIRST_PAGE });
    return performance.now() - started;
  }, {
    iterations: ctx.sizes.iterations,
    warmup: ctx.sizes.warmup,
    afterEach: async () => {
      await backend?.close();
      backend = null;
    },
  });
  const naive = await sample('naive list', async () => {
    const page = await naiveList(naiveFile, FIRST_PAGE);
    if (page.total !== many) throw new Error(`naive list saw ${page.total}`);
  }, { iterations: 5, warmup: 1 });
  const lowdb = await openLowdbAsDocumented(naiveFile);
  const lowdbWarm = await sample('lowdb list in memory', async () => {
    if (lowdb.list(FIRST_PAGE).total !== many) throw new Error('lowdb list miscounted');
  }, { iterations: 7, warmup: 1 });
  // Judged against listing 10 on the same machine in the same run: the design's 50 ms over the
  // 1.3–2.3 ms a cold list of 10 took in our runs on this 2-CPU VM gives the ratio budget of 25.
  const ratio = parley.median / small.median;
  return {
    name: 'list_10k',
    unit: 'ms',
    value: parley.median,
    baseline: small.median,
    ratio,
    budget: 'ratio to list at 10 ≤ 25',
    pass: ratio <= 25,
    detail: `createBackend on ${many} sessions → sessions:list {limit: ${FIRST_PAGE}} (first page + total), median ${fmt(parley.median)} ms (p95 ${fmt(parley.p95)}; absolute budget of the design ≤ 50 ms: ${parley.median <= 50 ? 'met' : 'not met'}) ÷ the same with ${ctx.sizes.few} sessions ${fmt(small.median)} ms; naive per-call: read the one file + sort ${fmt(naive.median)} ms (this is also lowdb-as-documented's cold start); lowdb kept in memory, sort per list: ${fmt(lowdbWarm.median)} ms`,
  };
}

export async function search10k(ctx: BenchContext): Promise<BenchResult> {
  const { many } = ctx.sizes;
  const dir = await ctx.parleyData(many);
  const naiveFile = await ctx.naiveData(many);
  let backend: Backend | null = null;
  let k = 0;
  const target = () => (k * 997 + 13) % many;
  const warm: number[] = [];
  const check = (ids: string[], i: number, who: string) => {
    if (!ids.includes(fixtureId(i))) throw new Error(`${who} search for ${codeword(i)} missed session ${i}`);
  };
  const parley = await sample('search', async () => {
    const i = target();
    const started = performance.now();
    const found = await listThroughIpc(backend!, { search: codeword(i), limit: FIRST_PAGE });
    const elapsed = performance.now() - started;
    check(found.items.map((s) => s.id), i, 'Parley');
    // The same backend again: search text already in memory.
    const j = (i + 1) % many;
    const again = performance.now();
    const second = await listThroughIpc(backend!, { search: `${codeword(j)} friendly`, limit: FIRST_PAGE });
    warm.push(performance.now() - again);
    check(second.items.map((s) => s.id), j, 'Parley');
    return elapsed;
  }, {
    iterations: ctx.sizes.iterations,
    warmup: ctx.sizes.warmup,
    beforeEach: async () => {
      k++;
      backend = await startBackend(dir);
      await listThroughIpc(backend, { limit: FIRST_PAGE }); // the app lists before anyone types
    },
    afterEach: async () => {
      await backend?.close();
      backend = null;
    },
  });
  let n = 0;
  const naive = await sample('naive search', async () => {
    const i = (n++ * 997 + 13) % many;
    check((await naiveSearch(naiveFile, codeword(i))).items.map((s) => s.id), i, 'naive');
  }, { iterations: 5, warmup: 1 });
  const warmMedian = median(warm);
  const lowdb = await openLowdbAsDocumented(naiveFile);
  let m = 0;
  const lowdbWarm = await sample('lowdb search in memory', async () => {
    const i = (m++ * 991 + 7) % many;
    check(lowdb.search(codeword(i)).items.map((s) => s.id), i, 'lowdb');
  }, { iterations: 5, warmup: 1 });
  return {
    name: 'search_10k',
    unit: 'ms',
    value: parley.median,
    baseline: naive.median,
    ratio: parley.median / naive.median,
    budget: '≤ 250 ms',
    pass: parley.median <= 250,
    detail: `first full-text search after the backend started (titles, messages, spec; a word from message 31 of one of ${many} sessions), median; later searches ${fmt(warmMedian)} ms; naive per-call read + scan of the one file ${fmt(naive.median)} ms; lowdb kept in memory, scan only: ${fmt(lowdbWarm.median)} ms`,
  };
}
