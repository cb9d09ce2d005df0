import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runParley } from './cli';
import { elevenLabsCliBinary } from './elevenlabs-openapi';
import type { ElevenLabsMock, RecordedRequest } from './elevenlabs-mock';
import { parseWithElevenLabsSdk } from '../support/export/elevenlabs-schema';
import { findSecretKind } from '../../electron/export/secrets';
import { LINK_SCRIPT_NAME } from '../../electron/export/elevenlabs-link';

/** A dummy key: the mock accepts any; nothing real ever leaves the machine. */
export const DUMMY_API_KEY = 'dummy-elevenlabs-key-for-the-local-mock';

const children = new Set<ChildProcess>();

/** Ends every process these helpers started and that is still running (call in afterAll/afterEach). */
export function killDeployProcesses(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

export interface CommandRun {
  command: string;
  code: number;
  out: string;
}

/** Runs a command to its end (killed after `timeoutMs`), stdout and stderr together. */
export function runCommand(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CommandRun> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      children.delete(child);
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ command: [path.basename(file), ...args].join(' '), code, out: `${stdout}${stderr}` });
    });
    children.add(child);
  });
}

let home: string | undefined;

/** The environment the official CLI runs in: a dummy key and a throw-away HOME (no keyring, no config). */
export async function cliEnv(): Promise<NodeJS.ProcessEnv> {
  home ??= await mkdtemp(path.join(tmpdir(), 'parley-el-home-'));
  return { PATH: process.env.PATH, HOME: home, ELEVENLABS_API_KEY: DUMMY_API_KEY };
}

export async function removeCliHome(): Promise<void> {
  if (home) await rm(home, { recursive: true, force: true });
  home = undefined;
}

/** `elevenlabs <args> --base-url <mock>` in the project folder. */
export async function elevenlabs(project: string, mock: ElevenLabsMock, args: string[]): Promise<CommandRun> {
  return runCommand(elevenLabsCliBinary(), [...args, '--base-url', mock.url], { cwd: project, env: await cliEnv() });
}

/**
 * The deploy the project README gives: `elevenlabs tools push`, the link step (the project's
 * own script, or `parley elevenlabs-link`), `elevenlabs agents push`. Returns each command's run
 * and the requests the mock received meanwhile.
 */
export async function deployProject(project: string, mock: ElevenLabsMock, link: 'script' | 'parley' = 'script'): Promise<{ runs: CommandRun[]; requests: RecordedRequest[] }> {
  const from = mock.requests.length;
  const runs: CommandRun[] = [];
  runs.push(await elevenlabs(project, mock, ['tools', 'push']));
  if (link === 'script') runs.push(await runCommand(process.execPath, [LINK_SCRIPT_NAME], { cwd: project }));
  else {
    // elevenlabs-link reads and writes only the project; the data folder is never opened.
    const run = await runParley(tmpdir(), ['elevenlabs-link', project, '--json']);
    runs.push({ command: 'parley elevenlabs-link', code: run.code, out: `${run.out}${run.err}` });
  }
  runs.push(await elevenlabs(project, mock, ['agents', 'push']));
  return { runs, requests: mock.requests.slice(from) };
}

/** The CLI's push exits 0 even when the API says no: its output says "Error processing …". */
export function commandProblems(runs: CommandRun[]): string[] {
  return runs.flatMap((r) => (r.code !== 0 || /\berror\b|\bfailed\b/i.test(r.out) ? [`${r.command} (exit ${r.code}): ${r.out.trim()}`] : []));
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function agentPrompt(body: unknown): Json | undefined {
  const config = isObject(body) && isObject(body.conversation_config) ? body.conversation_config : undefined;
  const agent = config && isObject(config.agent) ? config.agent : undefined;
  return agent && isObject(agent.prompt) ? agent.prompt : undefined;
}

export function agentBodies(requests: RecordedRequest[]): Json[] {
  return requests.filter((r) => r.route === '/v1/convai/agents/create' || (r.method === 'PATCH' && r.route === '/v1/convai/agents/{agent_id}')).map((r) => r.body as Json);
}

export function toolBodies(requests: RecordedRequest[]): Json[] {
  return requests.filter((r) => r.route?.startsWith('/v1/convai/tools') && (r.method === 'POST' || r.method === 'PATCH')).map((r) => (r.body as Json).tool_config as Json);
}

/**
 * Everything the acceptance asks of a deploy's requests: all answered 2xx on a known route,
 * every JSON body valid against the CLI's OpenAPI spec (and agent bodies against the SDK's
 * strict schema), no `prompt.tools`, every `tool_ids` entry an id a tool create returned in this
 * deploy (or `knownToolIds`, for a re-deploy), and no plaintext secret in any header.
 */
export function deployProblems(requests: RecordedRequest[], options: { knownToolIds?: string[]; secrets?: string[] } = {}): string[] {
  const problems: string[] = [];
  const createdHere = requests.filter((r) => r.method === 'POST' && r.route === '/v1/convai/tools' && r.status < 300).map((r) => (r.response as Json).id as string);
  const allowed = new Set([...createdHere, ...(options.knownToolIds ?? [])]);
  for (const r of requests) {
    const label = `${r.method} ${r.path}`;
    if (!r.route) problems.push(`${label}: not a route of the ElevenLabs API`);
    if (r.status >= 300) problems.push(`${label}: answered ${r.status} ${JSON.stringify(r.response)}`);
    if (r.schemaErrors?.length) problems.push(`${label}: body invalid against the OpenAPI spec: ${r.schemaErrors.join('; ')}`);
    if ((r.method === 'POST' || r.method === 'PATCH') && r.contentType.includes('application/json') && r.schemaErrors === null) problems.push(`${label}: no schema to check the body against`);
    for (const [name, value] of Object.entries(r.headers)) {
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      if (name === 'xi-api-key' && text !== DUMMY_API_KEY && !(options.secrets ?? []).length) problems.push(`${label}: unexpected API key header`);
      if (findSecretKind(text)) problems.push(`${label}: header ${name} carries a ${findSecretKind(text)}`);
      for (const secret of options.secrets ?? []) if (name !== 'xi-api-key' && text.includes(secret)) problems.push(`${label}: header ${name} carries a secret value`);
    }
  }
  for (const body of agentBodies(requests)) {
    const prompt = agentPrompt(body);
    if (prompt && 'tools' in prompt) problems.push(`agent "${String(body.name)}": has prompt.tools`);
    const ids = Array.isArray(prompt?.tool_ids) ? prompt.tool_ids : [];
    for (const id of ids) if (typeof id !== 'string' || !allowed.has(id)) problems.push(`agent "${String(body.name)}": tool_ids entry ${JSON.stringify(id)} was not returned by a tool create`);
    const sdk = parseWithElevenLabsSdk(body);
    if (!sdk.ok) problems.push(`agent "${String(body.name)}": refused by the SDK schema: ${JSON.stringify(sdk.errors)}`);
  }
  for (const tool of toolBodies(requests)) {
    const api = isObject(tool.api_schema) ? tool.api_schema : {};
    for (const [header, value] of Object.entries(isObject(api.request_headers) ? api.request_headers : {})) {
      const locator = isObject(value) && typeof value.env_var_label === 'string' && Object.keys(value).length === 1;
      const plain = typeof value === 'string' && !findSecretKind(value) && !(options.secrets ?? []).some((s) => value.includes(s));
      if (!locator && !plain) problems.push(`tool "${String(tool.name)}": header ${header} is not an env_var_label locator: ${JSON.stringify(value)}`);
    }
    if (findSecretKind(JSON.stringify(tool))) problems.push(`tool "${String(tool.name)}": carries a ${findSecretKind(JSON.stringify(tool))}`);
  }
  return problems;
}
