import { version as PACKAGE_VERSION } from '../../package.json';

/**
 * What the `parley` command line is: its commands, options and usage. Imported by the start-up
 * path (cli.ts), so it stays free of anything heavy.
 */

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
}

export type OptionSpec = { type: 'string' } | { type: 'boolean'; short?: string };

export interface CommandSpec {
  /** How it is called, after `parley` (first column of the usage). */
  synopsis: string;
  /** What it does and what it prints (second column). */
  summary: string;
  /** Further usage lines, under the summary. */
  more?: string[];
  /** Changes sessions: holds the data folder's lock for its whole run. */
  writes: boolean;
  /** Options only this command reads (every option is accepted everywhere, as it always was). */
  options?: Record<string, OptionSpec>;
}

/**
 * Every command. Adding one: an entry here (usage, lock, options) and its runner in
 * commands.ts (`RUNNERS` is typed by these names, so a command without a runner does not compile).
 */
export const COMMANDS = {
  new: {
    synopsis: 'new [--provider auto|offline|openai|anthropic|local]',
    summary: 'start a session → {id, stage, reply, awaiting}',
    more: ['new --template NAME [--provider …]  from a template: its whole design; asks only what to personalise'],
    writes: true,
    options: { provider: { type: 'string' }, template: { type: 'string' } },
  },
  say: { synopsis: 'say <id> <message>', summary: 'one turn → {id, stage, reply, awaiting, spec}', writes: true },
  show: { synopsis: 'show <id>', summary: 'the whole session', writes: false },
  list: {
    synopsis: 'list [--search TEXT] [--limit N] [--offset N]',
    summary: 'sessions, newest first → {items: [{id, title, stage, updatedAt}], total, offset}',
    more: ['all of them unless --limit; how many more there are is said on stderr'],
    writes: false,
    options: { search: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } },
  },
  delete: { synopsis: 'delete <id>', summary: 'move a session to the trash', writes: true },
  export: {
    synopsis: 'export <id> --format FORMAT --out FILE [--force]',
    summary: 'write an export → {file, format, warnings, losses}',
    more: [
      'formats: elevenlabs (default), elevenlabs-agent, openai-realtime, vapi, markdown, parley',
      'elevenlabs is an agents-as-code project: --out is a folder (a project folder is updated, keeping its ids) or a .zip',
    ],
    writes: false,
    options: { format: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } },
  },
  import: {
    synopsis: 'import <file|folder|zip>',
    summary: 'new session from an ElevenLabs project or agent file, or a Parley file → {id, stage, name}',
    writes: true,
  },
  'elevenlabs-link': {
    synopsis: 'elevenlabs-link <folder>',
    summary: "after `elevenlabs tools push`: tool ids into the agents' tool_ids → {linked, files}",
    writes: false,
  },
  publish: {
    synopsis: 'publish <id> [--secrets-from-stdin]',
    summary: 'create or update the agent in your ElevenLabs workspace → {agentId, toolIds, dashboardUrl, agent, steps}',
    more: [
      'needs the ElevenLabs key (keys set elevenlabs); tool secrets not yet stored: a JSON object {"LABEL": "value"} on stdin',
      'with --secrets-from-stdin; progress on stderr; $ELEVENLABS_BASE_URL overrides the API address',
    ],
    writes: true,
    options: { 'secrets-from-stdin': { type: 'boolean' } },
  },
  keys: {
    synopsis: 'keys status',
    summary: 'which API keys are set, and where',
    more: ['keys set openai|anthropic|elevenlabs    store a key read from stdin (never from argv)', 'keys clear openai|anthropic|elevenlabs  remove a stored key'],
    writes: false,
  },
  tools: {
    synopsis: 'tools import <id> FILE|URL [--operations a,b]',
    summary: 'add tools from an OpenAPI/Swagger file, a Postman collection or a curl command → {id, tools, summary, warnings}',
    more: [
      'tools try <id> <tool> [--input JSON]  call the tool\'s real endpoint → {status, latencyMs, headers, body, schema, …}',
      '<tool> is a name or a number from 1; --input defaults to examples from its schema; --allow-host for a host',
      'not called before, --allow-private for loopback/private addresses, --save keeps it as a fixture,',
      '--accept-schema stores the proposed output schema; --secrets-from-stdin: {"LABEL": "value"} for this call only',
    ],
    writes: true,
    options: {
      operations: { type: 'string' },
      input: { type: 'string' },
      'allow-host': { type: 'boolean' },
      'allow-private': { type: 'boolean' },
      save: { type: 'boolean' },
      'accept-schema': { type: 'boolean' },
      'secrets-from-stdin': { type: 'boolean' },
    },
  },
  simulate: {
    synopsis: 'simulate <id> [--personas N]',
    summary: 'simulated calls against the design → {passed, total, comparison, scenarios, findings}',
    more: ['a verdict table; exit 1 when a scenario fails; offline without keys, else the provider the session routes to'],
    writes: true,
    options: { personas: { type: 'string' } },
  },
  versions: {
    synopsis: 'versions <id>',
    summary: "the design's versions (time, cause, summary) and where each went → {versions, releases}",
    writes: false,
  },
  diff: {
    synopsis: 'diff <id> <v1> <v2>',
    summary: 'what changed between two versions, one line per change → {from, to, changes}',
    writes: false,
  },
  templates: {
    synopsis: 'templates list',
    summary: 'built-in and saved templates → {items: [{name, title, purpose, tools, language, callDirection, builtIn}]}',
    more: [
      'templates show NAME  one template (the file format) → {template, builtIn}',
      'templates save <id> [--name N] [--title T]  a session\'s design as a template, without conversation or secrets (--force replaces)',
      'templates import FILE [--name N]  a template file from a colleague → {name, title, …} (--force replaces)',
      'templates export NAME --out FILE  a template as a file to share → {file} (--force overwrites)',
    ],
    writes: false,
    options: { name: { type: 'string' }, title: { type: 'string' } },
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies Record<string, OptionSpec>;

function usageText(): string {
  const rows: Array<[string, string]> = [];
  for (const spec of Object.values(COMMANDS) as CommandSpec[]) {
    rows.push([spec.synopsis, spec.summary]);
    for (const line of spec.more ?? []) {
      const [left, right] = line.includes('  ') ? [line.slice(0, line.indexOf('  ')), line.slice(line.indexOf('  ')).trim()] : ['', line];
      rows.push([left, right]);
    }
  }
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return `Usage: parley [--data-dir DIR] [--json] <command>
       parley --version | --help

Commands:
${rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`.trimEnd()).join('\n')}

Data: --data-dir, else $PARLEY_DATA_DIR, else the app's own data folder.
With --json, results are printed as JSON on stdout and a failure as one {"error":{"code","message"}} line on stderr.`;
}

export const USAGE = usageText();
export const VERSION: string = PACKAGE_VERSION;


/** A command line that cannot run: exit 2, with the usage in plain text. */
export class UsageError extends Error {}

/** What a command prints when it succeeds: `value` with --json, else `human` (always `human` when `text`). */
export interface Outcome {
  value: unknown;
  human: string;
  text?: boolean;
  /** Lines for stderr (warnings, what was left out), printed with the result, never with a failure. */
  notes?: string[];
  /** Exit code of a result that is printed but is not a success (simulate: a scenario failed); 0 unless set. */
  exit?: number;
}

export type Step = () => Promise<void>;

/** What commands.ts gets for one run. */
export interface CommandContext {
  readonly command: CommandName;
  /** Positionals after the command name. */
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly json: boolean;
  readonly io: CliIo;
  /**
   * Work that must succeed before success is reported: the backend's final save (flush). Run
   * after the command, also after it failed (then its own failure is not reported: the first is).
   */
  beforeSuccess(step: Step): void;
  /** Runs on every way out (success, failure, crash, Ctrl+C); failures are ignored: the lock. */
  always(step: Step): void;
}

