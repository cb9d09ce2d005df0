import type { Backend } from '../backend';
import { EXPORT_FORMATS, isExportFormat, linkToolIds } from '../export';
import { writeExportFile } from '../fs/user-files';
import { readExistingProject, readImportSource, readProjectDir, writeProject } from '../fs/project';
import { ProviderChoice, KeyProvider } from '../../shared/providers';
import { ParleyError } from '../../shared/errors';
import { sendTurn, turnPortOf } from '../../shared/client';
import type { EventPayload } from '../../shared/ipc';
import type { Session, SessionSummary } from '../../shared/session';
import { UsageError, type CommandContext, type CommandName, type Outcome } from './spec';
import { call, count, needId, openBackend, plural, secretsFromStdin, type Runner } from './backend-access';
import { DESIGN_RUNNERS } from './design-commands';
import { templatesCommand } from './templates';

/**
 * The CLI's commands, loaded by cli.ts once it knows which one runs: everything heavy (the
 * backend, zod, stores, exporters) is imported from here, never from the start-up path.
 */

/** The contract caps a page of sessions:list at this many. */
const LIST_PAGE = 500;

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

const RUNNERS: Record<CommandName, Runner> = {
  async new(ctx) {
    const provider = ProviderChoice.safeParse(ctx.options.provider ?? 'auto');
    if (!provider.success) throw new UsageError(`--provider must be one of ${ProviderChoice.options.join(', ')}.`);
    const template = ctx.options.template;
    if (template !== undefined && (typeof template !== 'string' || !template.trim())) throw new UsageError('--template needs a template name (parley templates list).');
    const b = await openBackend(ctx);
    const session = template ? await call(b, 'templates:start', { name: template, provider: provider.data }) : await call(b, 'sessions:create', { provider: provider.data });
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

  ...DESIGN_RUNNERS,
  templates: templatesCommand,
};

export function run(ctx: CommandContext): Promise<Outcome> {
  return RUNNERS[ctx.command](ctx);
}
