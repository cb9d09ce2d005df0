import { parseArgs } from 'node:util';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createBackend, type Backend } from './backend';
import { dispatch } from './rpc';
import { resolveDataDir } from './paths';
import { EXPORT_FORMATS, isExportFormat } from './export';
import { readImportFile, writeExportFile } from './fs/user-files';
import { createNodeSecretStore } from './secrets';
import { acquireDataLock, type DataLock } from './fs/data-lock';
import { ProviderChoice, KeyProvider } from '../shared/providers';
import type { Channel, ChannelInput, ChannelOutput, EventPayload } from '../shared/ipc';
import { ParleyError, type ErrorCode } from '../shared/errors';
import type { Session } from '../shared/session';

/**
 * Headless Parley over the same backend and contract as the app. Public interface: commands,
 * flags, JSON shapes and exit codes change only compatibly.
 *   exit 0 ok · 1 failed (not found, provider, disk…) · 2 bad usage or invalid input
 */

export const USAGE = `Usage: parley [--data-dir DIR] [--json] <command>

Commands:
  new [--provider auto|offline|openai|anthropic|local]   start a session → {id, stage, reply, awaiting}
  say <id> <message>                                    one turn → {id, stage, reply, awaiting, spec}
  show <id>                                             the whole session
  list [--search TEXT]                                  sessions, newest first → [{id, title, stage, updatedAt}]
  delete <id>                                           move a session to the trash
  export <id> --format FORMAT --out FILE [--force]      write an export → {file, format, warnings, losses}
                                                        formats: elevenlabs (default), openai-realtime, vapi, markdown, parley
  import <file>                                         new session from an ElevenLabs agent or Parley file → {id, stage, name}
  keys status                                           which API keys are set, and where
  keys set openai|anthropic                             store a key read from stdin (never from argv)
  keys clear openai|anthropic                           remove a stored key

Data: --data-dir, else $PARLEY_DATA_DIR, else the app's own data folder.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

const EXIT_USAGE = 2;

/** Commands that write sessions: they must not run while another Parley has the data folder open. */
const WRITING_COMMANDS = new Set(['new', 'say', 'delete', 'import']);

function exitCodeFor(code: ErrorCode): number {
  return code === 'INVALID_INPUT' ? EXIT_USAGE : 1;
}

async function call<C extends Channel>(backend: Backend, channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input);
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

function lastAssistantText(session: Session): string {
  for (let i = session.messages.length - 1; i >= 0; i--) {
    const m = session.messages[i];
    if (m && m.role === 'assistant') return m.text;
  }
  return '';
}

/** Sends a turn through the contract and waits for its done/error event, streaming the reply if asked. */
async function sendTurnAndWait(backend: Backend, id: string, text: string, onDelta?: (t: string) => void) {
  // Events may arrive before turn:send resolves with the id: buffer them until it is known.
  const buffered: Array<{ event: string; payload: { turnId: string } }> = [];
  let route: ((event: string, payload: { turnId: string }) => void) | undefined;
  const off = backend.onEvent((event, payload) => {
    const p = payload as { turnId?: string };
    if (typeof p.turnId !== 'string') return;
    if (route) route(event, p as { turnId: string });
    else buffered.push({ event, payload: p as { turnId: string } });
  });
  try {
    const { turnId } = await call(backend, 'turn:send', { sessionId: id, text });
    return await new Promise<EventPayload<'turn:done'>>((resolve, reject) => {
      route = (event, payload) => {
        if (payload.turnId !== turnId) return;
        if (event === 'turn:delta') onDelta?.((payload as EventPayload<'turn:delta'>).text);
        else if (event === 'turn:done') resolve(payload as EventPayload<'turn:done'>);
        else if (event === 'turn:error') {
          const { error } = payload as EventPayload<'turn:error'>;
          reject(new ParleyError(error.code, error.message));
        }
      };
      for (const { event, payload } of buffered.splice(0)) route(event, payload);
    });
  } finally {
    off();
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        provider: { type: 'string' },
        search: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr)(`${USAGE}\n`);
    return values.help ? 0 : EXIT_USAGE;
  }
  const json = values.json;
  const print = (value: unknown, human: string) => io.stdout(json ? `${JSON.stringify(value)}\n` : `${human}\n`);

  let backend: Backend | undefined;
  let lock: DataLock | undefined;
  try {
    const dataDir = resolveDataDir(values['data-dir'], io.env);
    const open = async () => {
      // Commands that change sessions hold the data folder's lock while they run; reads never wait for it.
      if (WRITING_COMMANDS.has(command)) lock ??= await acquireDataLock(dataDir, 'cli');
      return (backend ??= await createBackend({
        dataDir,
        host: 'cli',
        version: readVersion(),
        secrets: await createNodeSecretStore({ dataDir, env: io.env }),
      }));
    };
    const needId = () => {
      const id = rest[0];
      if (id === undefined) throw new UsageError(`"${command}" needs a session id.`);
      return id;
    };

    switch (command) {
      case 'new': {
        const provider = ProviderChoice.safeParse(values.provider ?? 'auto');
        if (!provider.success) throw new UsageError(`--provider must be one of ${ProviderChoice.options.join(', ')}.`);
        const session = await call(await open(), 'sessions:create', { provider: provider.data });
        const reply = lastAssistantText(session);
        print({ id: session.id, stage: session.stage, reply, awaiting: session.awaiting }, `${session.id}\n${reply}`);
        return 0;
      }
      case 'say': {
        const id = needId();
        const text = rest.slice(1).join(' ');
        if (!text.trim()) throw new UsageError('"say" needs a message: parley say <id> <message>.');
        const b = await open();
        const streamed = !json;
        const done = await sendTurnAndWait(b, id, text, streamed ? (t) => io.stdout(t) : undefined);
        const session = await call(b, 'sessions:get', { id });
        if (json) {
          print({ id, stage: done.stage, reply: done.reply, awaiting: done.awaiting, spec: session.spec }, '');
        } else {
          io.stdout(`\n[${done.stage}${done.awaiting ? ` · awaiting ${done.awaiting}` : ''} · ${done.provider}]\n`);
        }
        return 0;
      }
      case 'show': {
        const session = await call(await open(), 'sessions:get', { id: needId() });
        print(session, JSON.stringify(session, null, 2));
        return 0;
      }
      case 'list': {
        const list = await call(await open(), 'sessions:list', { search: values.search, limit: 500 });
        const rows = list.items.map(({ id, title, stage, updatedAt }) => ({ id, title, stage, updatedAt }));
        for (const q of list.quarantined) io.stderr(`quarantined: ${q.file}: ${q.reason}\n`);
        print(rows, rows.map((r) => `${r.id}  ${r.updatedAt}  ${r.stage.padEnd(18)}  ${r.title}`).join('\n') || '(no sessions)');
        return 0;
      }
      case 'delete': {
        const { id } = await call(await open(), 'sessions:delete', { id: needId() });
        print({ id, deleted: true }, `deleted ${id}`);
        return 0;
      }
      case 'export': {
        const id = needId();
        if (!values.out) throw new UsageError('"export" needs --out FILE.');
        const format = values.format ?? 'elevenlabs';
        if (!isExportFormat(format)) throw new UsageError(`Unknown export format "${format}". Use one of: ${EXPORT_FORMATS.join(', ')}.`);
        const b = await open();
        await call(b, 'sessions:get', { id }); // the same id validation and errors as every other command
        const result = await b.exports.build(id, format);
        const file = await writeExportFile(values.out, result.content, { force: values.force });
        for (const w of result.warnings) io.stderr(`warning: ${w.path ? `${w.path}: ` : ''}${w.message} Fix: ${w.fix}\n`);
        for (const l of result.losses) io.stderr(`not exported: ${l.path ? `${l.path}: ` : ''}${l.message}\n`);
        print({ file, format, warnings: result.warnings, losses: result.losses }, `wrote ${file}`);
        return 0;
      }
      case 'import': {
        const file = rest[0];
        if (!file) throw new UsageError('"import" needs a file: parley import <file>.');
        const b = await open();
        const { session, losses } = await call(b, 'sessions:import', { text: await readImportFile(file) });
        for (const l of losses) io.stderr(`not imported: ${l.path ? `${l.path}: ` : ''}${l.message}\n`);
        print({ id: session.id, stage: session.stage, name: session.title }, `${session.id}  ${session.stage}  ${session.title}`);
        return 0;
      }
      case 'keys': {
        const [sub, providerArg] = rest;
        const b = await open();
        if (sub === 'status') {
          const status = await call(b, 'keys:status');
          const human = [
            `storage: ${status.backend}${status.backendMessage ? ` (${status.backendMessage})` : ''}`,
            ...status.providers.map(
              (p) => `${p.provider}: ${p.set ? `set (${p.source}${p.readOnly ? ', read-only' : ''}, …${p.last4})` : 'not set'}`,
            ),
          ].join('\n');
          print(status, human);
          return 0;
        }
        if (sub === 'set' || sub === 'clear') {
          const provider = KeyProvider.safeParse(providerArg);
          if (!provider.success) throw new UsageError(`keys ${sub} needs a provider: ${KeyProvider.options.join(' or ')}.`);
          if (rest.length > 2) throw new UsageError('Keys are read from stdin, never from the command line.');
          const status =
            sub === 'set'
              ? await call(b, 'keys:set', { provider: provider.data, key: (await io.readStdin()).trim() })
              : await call(b, 'keys:clear', { provider: provider.data });
          print(status, `${provider.data} key ${sub === 'set' ? 'stored' : 'cleared'} (${status.backend})`);
          return 0;
        }
        throw new UsageError('keys: use "keys status", "keys set <provider>" or "keys clear <provider>".');
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ParleyError) {
      io.stderr(json ? `${JSON.stringify({ error: { code: error.code, message: error.message } })}\n` : `Error: ${error.message}\n`);
      return exitCodeFor(error.code);
    }
    io.stderr(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await backend?.close();
    await lock?.release();
  }
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let data = '';
  for await (const chunk of stream) data += chunk.toString();
  return data;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) {
  runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: () => {
      if (process.stdin.isTTY) process.stderr.write('Paste the key, then press Enter and Ctrl+D:\n');
      return readAll(process.stdin);
    },
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
