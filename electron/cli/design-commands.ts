import { randomUUID } from 'node:crypto';
import { readImportFile } from '../fs/user-files';
import type { EventPayload } from '../../shared/ipc';
import { ParleyError } from '../../shared/errors';
import { compareRuns, MAX_PERSONAS } from '../../shared/simulation';
import { VERSION_CAUSE_LABELS, VersionId } from '../../shared/versions';
import { UsageError, type CommandContext, type CommandName, type Outcome } from './spec';
import { call, count, needId, openBackend, plural, secretsFromStdin, type Runner } from './backend-access';

/** The commands on a design beyond the interview: tool workbench, simulated calls, versions. */
export const DESIGN_RUNNERS: Record<Extract<CommandName, 'tools' | 'simulate' | 'versions' | 'diff'>, Runner> = {
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
