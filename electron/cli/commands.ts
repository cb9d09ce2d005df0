import { randomUUID } from 'node:crypto';
import { createBackend, type Backend } from '../backend';
import { dispatch } from '../rpc';
import { resolveDataDir } from '../paths';
import { EXPORT_FORMATS, isExportFormat, linkToolIds } from '../export';
import { readImportFile, writeExportFile } from '../fs/user-files';
import { readExistingProject, readImportSource, readProjectDir, writeProject } from '../fs/project';
import { createNodeSecretStore, type SecretStore } from '../secrets';
import { acquireDataLock, type DataLock } from '../fs/data-lock';
import { saveFailed } from '../store/save-errors';
import { ProviderChoice, KeyProvider } from '../../shared/providers';
import type { Channel, ChannelInput, ChannelOutput, EventPayload } from '../../shared/ipc';
import { ParleyError } from '../../shared/errors';
import { sendTurn, turnPortOf } from '../../shared/client';
import type { Session, SessionSummary } from '../../shared/session';
import { compareRuns, MAX_PERSONAS } from '../../shared/simulation';
import { VERSION_CAUSE_LABELS, VersionId } from '../../shared/versions';
import { COMMANDS, UsageError, VERSION, type CommandContext, type CommandName, type Outcome } from './spec';

/**
 * The CLI's commands, loaded by cli.ts once it knows which one runs: everything heavy (the
 * backend, zod, stores, exporters) is imported from here, never from the start-up path.
 */

type Runner = (ctx: CommandContext) => Promise<Outcome>;

/** The contract caps a page of sessions:list at this many. */
const LIST_PAGE = 500;

async function call<C extends Channel>(backend: Backend, channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input);
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

/** The OS keychain is probed (a D-Bus round trip on Linux) only when a command reads or writes a key. */
function lazySecrets(open: () => Promise<SecretStore>): SecretStore {
  let store: Promise<SecretStore> | undefined;
  const get = () => (store ??= open());
  return {
    get: async (provider) => (await get()).get(provider),
    set: async (provider, key) => (await get()).set(provider, key),
    delete: async (provider) => (await get()).delete(provider),
    status: async () => (await get()).status(),
    getToolSecret: async (label) => (await get()).getToolSecret(label),
    setToolSecret: async (label, value) => (await get()).setToolSecret(label, value),
  };
}

/**
 * The backend over the data folder (each command opens it once). A writing command takes the data
 * folder's lock first; the final save (flush) must succeed before the command reports success,
 * and the lock is released on every way out, in that order.
 */
/** A store that answers tool secrets from `given` first (values read from stdin for one command), never writing them. */
function withToolSecrets(store: SecretStore, given: Record<string, string> | undefined): SecretStore {
  if (!given) return store;
  return { ...store, getToolSecret: async (label) => (Object.hasOwn(given, label) ? given[label]! : store.getToolSecret(label)) };
}

async function openBackend(ctx: CommandContext, toolSecrets?: Record<string, string>): Promise<Backend> {
  const dataDir = resolveDataDir(ctx.options['data-dir'] as string | undefined, ctx.io.env);
  const writes = COMMANDS[ctx.command].writes;
  let lock: DataLock | undefined;
  if (writes) {
    const held = await acquireDataLock(dataDir, 'cli').catch((error: unknown) => {
      throw error instanceof ParleyError ? error : saveFailed(error, 'the data folder lock', dataDir, 'Nothing was changed.');
    });
    ctx.always(() => held.release());
    lock = held;
  }
  // Commands that only read write nothing in the data folder (no lock, no temp sweep, no folder
  // created); keys set/clear change only the key store.
  const readOnly = !writes && !(ctx.command === 'keys' && ctx.args[0] !== 'status');
  const backend = await createBackend({
    dataDir,
    host: 'cli',
    version: VERSION,
    secrets: withToolSecrets(lazySecrets(() => createNodeSecretStore({ dataDir, env: ctx.io.env })), toolSecrets),
    verifyOnOpen: writes,
    readOnly,
    dataLock: lock,
    elevenLabsBaseUrl: ctx.io.env.ELEVENLABS_BASE_URL || undefined,
  });
  ctx.beforeSuccess(() => backend.close());
  return backend;
}

function lastAssistantText(session: Session): string {
  for (let i = session.messages.length - 1; i >= 0; i--) {
    const m = session.messages[i];
    if (m && m.role === 'assistant') return m.text;
  }
  return '';
}

/** Sends a turn through the contract and waits for its done/error event, streaming the reply if asked. */
function sendTurnAndWait(backend: Backend, id: string, text: string, onDelta?: (t: string) => void) {
  const port = turnPortOf((input) => call(backend, 'turn:send', input), (listener) => backend.onEvent(listener));
  return sendTurn(port, { sessionId: id, text }, { onDelta });
}

/** With --secrets-from-stdin, a JSON object {"LABEL": "value"} read from stdin; else undefined. */
async function secretsFromStdin(ctx: CommandContext): Promise<Record<string, string> | undefined> {
  if (ctx.options['secrets-from-stdin'] !== true) return undefined;
  const text = (await ctx.io.readStdin()).trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text || '{}');
  } catch {
    throw new UsageError('--secrets-from-stdin needs a JSON object on stdin: {"LABEL": "value"}.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new UsageError('--secrets-from-stdin needs a JSON object of strings on stdin: {"LABEL": "value"}.');
  }
  return parsed as Record<string, string>;
}

function needId(ctx: CommandContext): string {
  const id = ctx.args[0];
  if (id === undefined) throw new UsageError(`"${ctx.command}" needs a session id.`);
  return id;
}

/** A non-negative whole number given as --name N, or undefined when absent. */
function count(ctx: CommandContext, name: string): number | undefined {
  const raw = ctx.options[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) throw new UsageError(`--${name} needs a whole number (0 or more), not "${String(raw)}".`);
  return Number(raw);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

const RUNNERS: Record<CommandName, Runner> = {
  async new(ctx) {
    const provider = ProviderChoice.safeParse(ctx.options.provider ?? 'auto');
    if (!provider.success) throw new UsageError(`--provider must be one of ${ProviderChoice.options.join(', ')}.`);
    const session = await call(await openBackend(ctx), 'sessions:create', { provider: provider.data });
    const reply = lastAssistantText(session);
    return { value: { id: session.id, stage: session.stage, reply, awaiting: session.awaiting }, human: `${session.id}\n${reply}` };
  },

  async say(ctx) {
    const id = needId(ctx);
    const text = ctx.args.slice(1).join(' ');
    if (!text.trim()) throw new UsageError('"say" needs a message: parley say <id> <message>.');
    const b = await openBackend(ctx);
    // Without --json the reply streams as it comes; the status line waits for the final save.
    const done = await sendTurnAndWait(b, id, text, ctx.json ? undefined : (t) => ctx.io.stdout(t));
    const session = await call(b, 'sessions:get', { id });
    return {
      value: { id, stage: done.stage, reply: done.reply, awaiting: done.awaiting, spec: session.spec },
      human: `\n[${done.stage}${done.awaiting ? ` · awaiting ${done.awaiting}` : ''} · ${done.provider}]`,
    };
  },

  async show(ctx) {
    const session = await call(await openBackend(ctx), 'sessions:get', { id: needId(ctx) });
    return { value: session, human: JSON.stringify(session, null, 2) };
  },

  /** Every matching session unless --limit says otherwise: pages through the contract's 500-a-call cap. */
  async list(ctx) {
    const limit = count(ctx, 'limit');
    const offset = count(ctx, 'offset') ?? 0;
    const search = ctx.options.search as string | undefined;
    const b = await openBackend(ctx);
    const page = (at: number, n: number) => call(b, 'sessions:list', { search, offset: at, limit: Math.min(LIST_PAGE, Math.max(1, n)) });
    const first = await page(offset, limit ?? LIST_PAGE);
    const { total } = first;
    const end = Math.min(total, limit === undefined ? total : offset + limit);
    const items: SessionSummary[] = limit === 0 ? [] : first.items.slice(0, end - offset);
    while (offset + items.length < end) {
      const next = await page(offset + items.length, end - offset - items.length);
      if (next.items.length === 0) break;
      items.push(...next.items);
    }
    const notes = first.quarantined.map((q) => `quarantined: ${q.file}: ${q.reason}`);
    const more = Math.max(0, total - offset - items.length);
    if (more > 0) notes.push(`${plural(more, 'more session')} not shown (--offset ${offset + items.length} for the next ones; ${total.toLocaleString('en-US')} in all).`);
    const rows = items.map(({ id, title, stage, updatedAt }) => ({ id, title, stage, updatedAt }));
    const human =
      rows.map((r) => `${r.id}  ${r.updatedAt}  ${r.stage.padEnd(18)}  ${r.title}`).join('\n') ||
      (total === 0 ? '(no sessions)' : `(none from offset ${offset}; ${plural(total, 'session')} in all)`);
    return { value: { items: rows, total, offset }, human, notes };
  },

  async delete(ctx) {
    const { id } = await call(await openBackend(ctx), 'sessions:delete', { id: needId(ctx) });
    return { value: { id, deleted: true }, human: `deleted ${id}` };
  },

  async export(ctx) {
    const id = needId(ctx);
    const out = ctx.options.out as string | undefined;
    if (!out) throw new UsageError('"export" needs --out FILE.');
    const format = (ctx.options.format as string | undefined) ?? 'elevenlabs';
    if (!isExportFormat(format)) throw new UsageError(`Unknown export format "${format}". Use one of: ${EXPORT_FORMATS.join(', ')}.`);
    const b = await openBackend(ctx);
    await call(b, 'sessions:get', { id }); // the same id validation and errors as every other command
    // A project goes to a folder (updated in place, keeping the ids a deploy wrote there) or a .zip.
    const existing = format === 'elevenlabs' ? await readExistingProject(out) : undefined;
    // This command only reads: the export carries the newest version when the design has not changed since.
    const version = (await b.versions.beforeRelease(id, 'export')) ?? undefined;
    const result = await b.exports.build(id, format, existing, version);
    const force = ctx.options.force === true;
    const file = result.files ? await writeProject(out, result.files, { force }) : await writeExportFile(out, result.content, { force });
    const notes = [
      ...result.warnings.map((w) => `warning: ${w.path ? `${w.path}: ` : ''}${w.message} Fix: ${w.fix}`),
      ...result.losses.map((l) => `not exported: ${l.path ? `${l.path}: ` : ''}${l.message}`),
      ...(version ? [] : ['note: the design has changed since its newest version, so this export carries no version id (the app takes a version at each export)']),
    ];
    return { value: { file, format, warnings: result.warnings, losses: result.losses }, human: `wrote ${file}`, notes };
  },

  async import(ctx) {
    const file = ctx.args[0];
    if (!file) throw new UsageError('"import" needs a file: parley import <file|folder|zip>.');
    const b = await openBackend(ctx);
    const source = await readImportSource(file);
    const input = source.kind === 'text' ? { text: source.text } : { files: Object.fromEntries(source.files), ...(source.agent ? { agent: source.agent } : {}) };
    const { session, losses } = await call(b, 'sessions:import', input);
    return {
      value: { id: session.id, stage: session.stage, name: session.title },
      human: `${session.id}  ${session.stage}  ${session.title}`,
      notes: losses.map((l) => `not imported: ${l.path ? `${l.path}: ` : ''}${l.message}`),
    };
  },

  /** Reads and writes only the project folder: no data folder, no backend. */
  async 'elevenlabs-link'(ctx) {
    const dir = ctx.args[0];
    if (!dir) throw new UsageError('"elevenlabs-link" needs the project folder: parley elevenlabs-link <folder>.');
    const result = linkToolIds(await readProjectDir(dir));
    if (result.missing.length) {
      const list = result.missing.map((m) => `${m.agent}: tool "${m.tool}" has no id yet`).join('; ');
      throw new ParleyError('CONFLICT', `${list}. Run "elevenlabs tools push" in ${dir} first; nothing was changed.`);
    }
    const written = await writeProject(dir, result.files);
    const human = result.linked.length
      ? `${result.linked.map((l) => `${l.agent}: ${l.tool} → ${l.id}`).join('\n')}\nLinked in ${written}. Next: elevenlabs agents push`
      : 'Nothing to link: tool_ids already hold ids.';
    return { value: { linked: result.linked, files: result.files.map((f) => f.path) }, human };
  },

  async publish(ctx) {
    const id = needId(ctx);
    const secrets = await secretsFromStdin(ctx);
    const b = await openBackend(ctx);
    const off = b.onEvent((event, payload) => {
      if (event !== 'publish:progress' || ctx.json) return;
      const p = payload as EventPayload<'publish:progress'>;
      if (p.sessionId === id) ctx.io.stderr(`${p.status === 'failed' ? '✗' : p.status === 'done' ? '✓' : '…'} ${p.step}: ${p.detail}\n`);
    });
    try {
      const result = await call(b, 'publish:run', { sessionId: id, ...(secrets ? { secrets } : {}) });
      return { value: result, human: `${result.agent === 'created' ? 'Created' : 'Updated'} agent ${result.agentId}\n${result.dashboardUrl}` };
    } finally {
      off();
    }
  },

  async keys(ctx) {
    const [sub, providerArg] = ctx.args;
    if (sub === 'status') {
      const status = await call(await openBackend(ctx), 'keys:status');
      const human = [
        `storage: ${status.backend}${status.backendMessage ? ` (${status.backendMessage})` : ''}`,
        ...status.providers.map((p) => `${p.provider}: ${p.set ? `set (${p.source}${p.readOnly ? ', read-only' : ''}, …${p.last4})` : 'not set'}`),
      ].join('\n');
      return { value: status, human };
    }
    if (sub === 'set' || sub === 'clear') {
      const provider = KeyProvider.safeParse(providerArg);
      if (!provider.success) throw new UsageError(`keys ${sub} needs a provider: ${KeyProvider.options.join(' or ')}.`);
      if (ctx.args.length > 2) throw new UsageError('Keys are read from stdin, never from the command line.');
      const b = await openBackend(ctx);
      const status =
        sub === 'set'
          ? await call(b, 'keys:set', { provider: provider.data, key: (await ctx.io.readStdin()).trim() })
          : await call(b, 'keys:clear', { provider: provider.data });
      return { value: status, human: `${provider.data} key ${sub === 'set' ? 'stored' : 'cleared'} (${status.backend})` };
    }
    throw new UsageError('keys: use "keys status", "keys set <provider>" or "keys clear <provider>".');
  },

  async tools(ctx) {
    const [sub, id, target] = ctx.args;
    if (sub === 'import') return importTools(ctx, id, target);
    if (sub === 'try') return tryTool(ctx, id, target);
    throw new UsageError('tools: use "tools import <id> FILE [--operations a,b]" or "tools try <id> <tool> [--input JSON]".');
  },
  async simulate(ctx) {
    const id = needId(ctx);
    const personas = count(ctx, 'personas');
    if (personas !== undefined && (personas < 1 || personas > MAX_PERSONAS)) throw new UsageError(`--personas needs a number from 1 to ${MAX_PERSONAS}.`);
    const b = await openBackend(ctx);
    const estimate = await call(b, 'simulate:estimate', { sessionId: id, ...(personas ? { count: personas } : {}) });
    if (!ctx.json && estimate.mode === 'llm') {
      ctx.io.stderr(`Simulating ${plural(estimate.personas, 'call')} on ${estimate.provider} (${estimate.model}), up to ${plural(estimate.calls, 'model call')}${estimate.costUsd === null ? ', cost unknown' : `, at most $${estimate.costUsd.toFixed(4)}`}\n`);
    }
    const off = b.onEvent((event, payload) => {
      if (event !== 'simulate:event' || ctx.json) return;
      const e = payload as EventPayload<'simulate:event'>;
      if (e.type === 'scenario' && e.sessionId === id) ctx.io.stderr(`${e.passed ? '✓' : '✗'} ${e.scenario}\n`);
    });
    try {
      const run = await call(b, 'simulate:run', { sessionId: id, ...(personas ? { count: personas } : {}) });
      const runs = (await call(b, 'sessions:get', { id })).simulations ?? [];
      const previous = runs.length > 1 ? runs[runs.length - 2] : undefined;
      const comparison = compareRuns(previous, run);
      const rows = run.scenarios.map((s) => [s.persona.name, s.passed ? 'pass' : 'FAIL', s.summary] as const);
      const width = Math.max(8, ...rows.map(([name]) => name.length)) + 2;
      const human = [
        `${'Scenario'.padEnd(width)}Result  Why`,
        ...rows.map(([name, result, why]) => `${name.padEnd(width)}${result.padEnd(8)}${why}`.trimEnd()),
        '',
        comparison,
        ...run.findings.map((f) => `Design: ${f}`),
        ...(run.mode === 'llm' ? [`Cost: ${run.costUsd === undefined ? 'unknown' : `$${run.costUsd.toFixed(4)}`} (${plural(run.inputTokens, 'input token')}, ${plural(run.outputTokens, 'output token')})`] : []),
      ].join('\n');
      const value = {
        id,
        runId: run.id,
        mode: run.mode,
        designHash: run.designHash,
        passed: run.passed,
        total: run.total,
        comparison,
        findings: run.findings,
        ...(run.costUsd !== undefined ? { costUsd: run.costUsd } : {}),
        scenarios: run.scenarios.map((s) => ({ id: s.persona.id, name: s.persona.name, passed: s.passed, summary: s.summary, criteria: s.criteria })),
      };
      return { value, human, exit: run.passed === run.total ? 0 : 1 };
    } finally {
      off();
    }
  },

  async versions(ctx) {
    const id = needId(ctx);
    const list = await call(await openBackend(ctx), 'versions:list', { sessionId: id });
    const where = (v: string) => list.releases.filter((r) => r.version === v).map((r) => `${r.kind === 'publish' ? 'published' : `exported (${r.target})`} → ${r.where}`);
    const human =
      list.versions
        .map((v) => [`${v.id.padEnd(5)} ${v.at}  ${VERSION_CAUSE_LABELS[v.cause].padEnd(16)}  ${v.name ? `"${v.name}": ` : ''}${v.summary}`, ...where(v.id).map((w) => `      ${w}`)].join('\n'))
        .join('\n') || '(no versions yet: one is taken at each stage change, hand-edit batch, export, publish and import)';
    return { value: list, human, notes: list.notice ? [list.notice] : [] };
  },

  async diff(ctx) {
    const id = needId(ctx);
    const [from, to] = ctx.args.slice(1);
    if (!from || !to) throw new UsageError('"diff" needs two versions: parley diff <id> <v1> <v2> (e.g. v1 v5; "versions <id>" lists them).');
    const parsed = [from, to].map((v) => VersionId.safeParse(/^\d+$/.test(v) ? `v${v}` : v));
    if (!parsed[0]!.success || !parsed[1]!.success) throw new UsageError(`Versions look like "v1", "v12", not "${!parsed[0]!.success ? from : to}".`);
    const diff = await call(await openBackend(ctx), 'versions:diff', { sessionId: id, from: parsed[0]!.data, to: parsed[1]!.data });
    const human = diff.changes.map((c) => c.line).join('\n') || `No change between ${diff.from} and ${diff.to}.`;
    return { value: diff, human };
  },
};

async function importTools(ctx: CommandContext, id: string | undefined, file: string | undefined): Promise<Outcome> {
  if (!id || !file) throw new UsageError('"tools import" needs a session id and a file: parley tools import <id> FILE [--operations a,b].');
  const raw = ctx.options.operations;
  const operations = typeof raw === 'string' ? raw.split(',').map((o) => o.trim()).filter(Boolean) : undefined;
  if (raw !== undefined && !operations?.length) throw new UsageError('--operations needs operation ids or tool names, separated by commas.');
  // An http(s) address is fetched by the backend (public addresses only); anything else is a file.
  const source = /^https?:\/\//i.test(file) ? { url: file } : { text: await readImportFile(file) };
  const result = await call(await openBackend(ctx), 'tools:import', { sessionId: id, source, ...(operations ? { operations } : {}) });
  return {
    value: { id, tools: result.tools, summary: result.summary, warnings: result.warnings, stage: result.session.stage, awaiting: result.session.awaiting },
    human: result.summary,
    notes: result.warnings.map((w) => `warning: ${w}`),
  };
}

async function tryTool(ctx: CommandContext, id: string | undefined, which: string | undefined): Promise<Outcome> {
  if (!id || !which) throw new UsageError('"tools try" needs a session id and a tool: parley tools try <id> <tool> [--input JSON].');
  // Secrets given on stdin are used for this call only: neither stored nor printed.
  const b = await openBackend(ctx, await secretsFromStdin(ctx));
  const session = await call(b, 'sessions:get', { id });
  const names = session.spec.tools.map((t, i) => t.name?.value ?? `tool ${i + 1}`);
  const index = /^\d{1,3}$/.test(which) ? Number(which) - 1 : names.indexOf(which);
  if (index < 0 || index >= names.length) throw new ParleyError('NOT_FOUND', `No tool "${which}" in this design; it has: ${names.join(', ') || 'no tools'}.`);
  let input: Record<string, unknown>;
  if (typeof ctx.options.input === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ctx.options.input);
    } catch {
      throw new UsageError('--input needs a JSON object, e.g. --input \'{"order_id": "A-1001"}\'.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--input needs a JSON object of the tool\'s inputs.');
    input = parsed as Record<string, unknown>;
  } else input = (await call(b, 'tools:example-input', { sessionId: id, tool: index })).input;
  const tryId = `cli-${randomUUID()}`;
  const result = await call(b, 'tools:try', {
    sessionId: id,
    tool: index,
    tryId,
    input,
    confirmHost: ctx.options['allow-host'] === true,
    allowPrivate: ctx.options['allow-private'] === true,
  });
  if (result.kind === 'confirm-host') throw new ParleyError('CONFLICT', `${result.message} Run again with --allow-host to confirm.`);
  if (result.kind === 'error') throw new ParleyError(result.reason === 'cancelled' ? 'CANCELLED' : result.reason === 'invalid' || result.reason === 'private-address' || result.reason === 'redirect' ? 'INVALID_INPUT' : 'PROVIDER_UNAVAILABLE', result.message);
  const notes: string[] = [];
  if (result.notice) notes.push(result.notice);
  if (result.problem) notes.push(result.problem);
  notes.push(...result.schema.changes.map((c) => `schema: ${c}`));
  if (ctx.options.save === true) {
    await call(b, 'tools:save-example', { sessionId: id, tool: index, tryId });
    notes.push(`saved as a fixture on ${names[index]}`);
  }
  if (ctx.options['accept-schema'] === true && result.schema.proposed) {
    await call(b, 'spec:edit', { sessionId: id, path: `tools[${index}].output_schema`, value: result.schema.proposed });
    notes.push(`output schema of ${names[index]} updated`);
  }
  const head = `${result.request.method} ${result.request.url}\n${result.status} ${result.statusText} · ${result.latencyMs} ms · ${result.size} bytes`;
  return { value: { ...result, input }, human: `${head}\n\n${result.body}`, notes };
}

export function run(ctx: CommandContext): Promise<Outcome> {
  return RUNNERS[ctx.command](ctx);
}
