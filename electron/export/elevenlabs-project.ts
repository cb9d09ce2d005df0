import { versionTag } from '../../shared/versions';
import type { Session } from '../../shared/session';
import type { KnowledgeSource } from '../../shared/spec';
import type { ExistingFiles, ExportOptions, Loss, ProjectFile } from './types';
import { agentName, buildElevenLabsParts, toolCredential, type ToolCredential } from './elevenlabs';
import { LINK_SCRIPT, LINK_SCRIPT_NAME, projectEntries, type ProjectEntry } from './elevenlabs-link';
import { fileSlug } from './naming';
import { toStableJson, toTextFile } from './serialize';
import type { JsonObject } from './schema';
import { agentTests } from './elevenlabs-tests';

/**
 * `export --format elevenlabs`: an ElevenLabs agents-as-code project, the layout
 * `elevenlabs agents init` creates, ready for `elevenlabs tools push` → link → `agents push`.
 * Pure: given the files already in the target (to keep ids a deploy wrote there), returns
 * every file to write. Re-exporting into a deployed project updates the same files, keeps
 * every id and never lists a tool or agent twice.
 */
export interface ElevenLabsProject {
  files: ProjectFile[];
  losses: Loss[];
  /** agent_configs/<slug>.json: the main file, shown by the export preview. */
  agentConfig: string;
}

export const KNOWLEDGE_BASE_FILE = 'knowledge_base.json';

function entriesFile(key: 'agents' | 'tools' | 'tests', entries: JsonObject[]): string {
  return toStableJson({ [key]: entries });
}

/** Our entry for `config`, keeping everything a deploy added to it (its id above all). */
function mergeEntries(existing: ProjectEntry[], ours: Array<{ config: string; type?: string }>): { entries: JsonObject[]; stale: string[]; ids: Map<string, string> } {
  const ids = new Map<string, string>();
  const wanted = new Map(ours.map((o) => [o.config, o]));
  const entries: JsonObject[] = [];
  const seen = new Set<string>();
  for (const entry of existing) {
    if (seen.has(entry.config)) continue; // a duplicate left by hand: keep the first
    seen.add(entry.config);
    const mine = wanted.get(entry.config);
    if (entry.id) ids.set(entry.config, entry.id);
    entries.push(mine ? { ...entry.raw, config: entry.config, ...(mine.type ? { type: mine.type } : {}) } : entry.raw);
  }
  for (const o of ours) if (!seen.has(o.config)) entries.push({ ...(o.type ? { type: o.type } : {}), config: o.config });
  const stale = existing.map((e) => e.config).filter((c) => !wanted.has(c));
  return { entries, stale, ids };
}

function knowledgeLine(source: KnowledgeSource): string {
  switch (source.type) {
    case 'url':
      return `- Web page: ${source.url}${source.name ? ` (“${source.name}”)` : ''}`;
    case 'file':
      return `- File: \`${source.path}\`${source.name ? ` (“${source.name}”)` : ''}`;
    case 'text':
      return `- Text: “${source.name}” (${source.text.length} characters, in ${KNOWLEDGE_BASE_FILE})`;
  }
}

function credentialCommands(c: ToolCredential): string {
  return [
    `# ${c.label}: store the value as a workspace secret; the answer holds its secret_id`,
    `elevenlabs agents secrets create --json '{"type":"new","name":"${c.label}","value":"${c.example}"}'`,
    `# then expose that secret as the environment variable the ${c.header} header reads`,
    `elevenlabs environment-variables create --json '{"type":"secret","label":"${c.label}","values":{"production":{"secret_id":"<secret_id from the line above>"}}}'`,
  ].join('\n');
}

function readme(input: {
  name: string;
  agentConfig: string;
  toolFiles: string[];
  credentials: ToolCredential[];
  knowledge: KnowledgeSource[];
  phone: { transfers: number; outbound: boolean };
  todo: Loss[];
  tests: number;
  version?: string;
}): string {
  const lines: string[] = [
    `# ${input.name}: ElevenLabs agent`,
    '',
    ...(input.version ? [`Parley design version: ${input.version} (the agent is tagged \`${versionTag(input.version)}\`; Parley's Versions panel shows what changed since).`, ''] : []),
    'Exported by Parley. This folder is an ElevenLabs agents-as-code project, the layout `elevenlabs agents init` creates:',
    '',
    `- \`agents.json\`, \`${input.agentConfig}\`: the agent (prompt, first message, language, voice, LLM, system tools such as end call${input.phone.transfers ? ' and transfers' : ''}).`,
    input.toolFiles.length
      ? `- \`tools.json\`, ${input.toolFiles.map((f) => `\`${f}\``).join(', ')}: its webhook tools. The agent lists them in \`prompt.tool_ids\`, by name until they have ids.`
      : '- `tools.json`: no webhook tools.',
    input.tests
      ? `- \`tests.json\`, \`test_configs/\`: ${input.tests} agent test${input.tests === 1 ? '' : 's'} made from Parley's simulated calls (push them with \`elevenlabs tests push\`; run them with \`elevenlabs agents test\`).`
      : '- `tests.json`, `test_configs/`: agent tests (none yet).',
    `- \`${LINK_SCRIPT_NAME}\`: the link step, which copies the tool ids \`elevenlabs tools push\` wrote into tools.json into the agent's \`tool_ids\`.`,
  ];
  if (input.knowledge.length) lines.push(`- \`${KNOWLEDGE_BASE_FILE}\`: documents for the agent's knowledge base (see below).`);
  lines.push('', 'Nothing in this folder is a secret: credentials live in your ElevenLabs workspace.', '');

  let step = 1;
  if (input.credentials.length) {
    lines.push(
      `## ${step++}. Create the secrets (once per workspace)`,
      '',
      'Each authenticated tool sends a header whose whole value comes from a workspace environment variable of type secret (`{"env_var_label": …}` in its tool config).',
      '',
      '| Environment variable | Holds | Used by |',
      '| --- | --- | --- |',
      ...input.credentials.map((c) => `| \`${c.label}\` | ${c.holds}, e.g. \`${c.example}\` | ${c.tool} (\`${c.header}\` header) |`),
      '',
      'With the ElevenLabs CLI, replacing the `<…>` placeholders (or in the dashboard, or let Parley’s Publish create them from values kept in your keychain):',
      '',
      '```sh',
      [...new Map(input.credentials.map((c) => [c.label, c])).values()].map(credentialCommands).join('\n\n'),
      '```',
      '',
    );
  }
  lines.push(
    `## ${step++}. Deploy`,
    '',
    '```sh',
    'npm install -g @elevenlabs/cli  # once; or prefix each command with npx @elevenlabs/cli',
    'elevenlabs auth login           # or: export ELEVENLABS_API_KEY=<your key>',
    'elevenlabs tools push           # creates the tools and writes their ids into tools.json',
    `node ${LINK_SCRIPT_NAME}            # puts those ids into the agent's tool_ids (or: parley elevenlabs-link .)`,
    'elevenlabs agents push          # creates the agent and writes its id into agents.json',
    ...(input.tests ? ['elevenlabs tests push           # creates the agent tests and writes their ids into tests.json'] : []),
    '```',
    '',
    '`elevenlabs agents push` sends `tool_ids` as they are: skipping the link step gets the agent refused. To deploy changes, export from Parley into this same folder (the ids stay) and run the same three commands: they update the tools and the agent in place.',
    '',
  );
  if (input.knowledge.length) {
    lines.push(
      `## ${step++}. Knowledge base`,
      '',
      'Add these to the agent’s knowledge base (Knowledge Base tab of the agent in ElevenLabs; Parley’s Publish uploads and attaches them for you):',
      '',
      ...input.knowledge.map(knowledgeLine),
      '',
    );
  }
  if (input.phone.transfers || input.phone.outbound) {
    lines.push(
      `## ${step++}. Phone calls`,
      '',
      `${input.phone.outbound ? 'Outbound calls' : 'Transfers'}${input.phone.outbound && input.phone.transfers ? ' and transfers' : ''} need a phone number (Twilio or SIP trunk) assigned to this agent in ElevenLabs.${input.phone.outbound ? ' Start calls from that number, one by one or as a batch call.' : ''}`,
      '',
    );
  }
  if (input.todo.length) {
    lines.push(`## ${step++}. Still to do in ElevenLabs`, '', ...input.todo.map((l) => `- ${l.message}`), '');
  }
  return toTextFile(lines.join('\n'));
}

function previousToolIds(existing: ExistingFiles, agents: ProjectEntry[], agentConfig: string): Set<string> {
  if (!agents.some((e) => e.config === agentConfig)) return new Set();
  try {
    const config = JSON.parse(existing.get(agentConfig) ?? '{}') as { conversation_config?: { agent?: { prompt?: { tool_ids?: unknown } } } };
    const ids = config.conversation_config?.agent?.prompt?.tool_ids;
    return new Set(Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

const GITIGNORE = '# Credentials: never commit these.\n.env\n';
const ENV_EXAMPLE = '# ElevenLabs API key for the elevenlabs CLI\nELEVENLABS_API_KEY=your_api_key_here\n';

export function buildElevenLabsProject(session: Pick<Session, 'title' | 'spec' | 'simulations'>, options: ExportOptions = {}, existing: ExistingFiles = new Map()): ElevenLabsProject {
  const name = agentName(session);
  const agentConfig = `agent_configs/${fileSlug(name)}.json`;
  const existingTools = projectEntries(existing, 'tools.json') ?? [];
  const existingAgents = projectEntries(existing, 'agents.json') ?? [];
  const toolId = new Map(existingTools.filter((e) => e.id).map((e) => [e.config, e.id!]));

  const parts = buildElevenLabsParts(session, options, (named) => toolId.get(`tool_configs/${named.name}.json`) ?? named.name);
  const { losses } = parts;
  const todo = [...parts.todo];
  const toolFiles = parts.tools.map((t) => `tool_configs/${t.name}.json`);

  const tools = mergeEntries(existingTools, toolFiles.map((config) => ({ config, type: 'webhook' })));
  // Tools this agent used before and no longer does are reported; other agents' tools are left alone.
  const used = previousToolIds(existing, existingAgents, agentConfig);
  for (const config of tools.stale) {
    const id = tools.ids.get(config);
    const toolName = config.replace(/^tool_configs\/|\.json$/g, '');
    if (used.has(toolName) || (id && used.has(id))) {
      const stale = { path: 'tools', message: `tools.json still lists ${config}, which this design no longer uses; delete it (and the tool in ElevenLabs) unless another agent needs it.` };
      losses.push(stale);
      todo.push(stale);
    }
  }
  const agents = mergeEntries(existingAgents, [{ config: agentConfig }]);

  // Agent tests from the newest simulation run; without one, tests.json stays as it was (or empty).
  const tests = agentTests(session, (name) => toolId.get(`tool_configs/${name}.json`) ?? name);
  const testsFile = tests.length
    ? entriesFile('tests', mergeEntries(projectEntries(existing, 'tests.json') ?? [], tests.map((t) => ({ config: t.config, type: t.type }))).entries)
    : (existing.get('tests.json') ?? toStableJson({ tests: [] }));
  const credentials = parts.tools.map(toolCredential).filter((c): c is ToolCredential => c !== null);
  const knowledge = (session.spec.knowledge_base ?? []).map((f) => f.value);
  const files: ProjectFile[] = [
    { path: 'agents.json', content: entriesFile('agents', agents.entries) },
    { path: 'tools.json', content: entriesFile('tools', tools.entries) },
    { path: 'tests.json', content: testsFile },
    { path: 'agent_configs/', content: '' },
    { path: agentConfig, content: toStableJson(parts.body) },
    { path: 'tool_configs/', content: '' },
    ...parts.webhooks.map((w, i) => ({ path: toolFiles[i]!, content: toStableJson(w) })),
    { path: 'test_configs/', content: '' },
    ...tests.map((t) => ({ path: t.config, content: toStableJson(t.body) })),
    { path: LINK_SCRIPT_NAME, content: LINK_SCRIPT },
    { path: '.gitignore', content: existing.get('.gitignore') ?? GITIGNORE },
    { path: '.env.example', content: existing.get('.env.example') ?? ENV_EXAMPLE },
  ];
  if (knowledge.length) files.push({ path: KNOWLEDGE_BASE_FILE, content: toStableJson({ documents: knowledge }) });
  files.push({
    path: 'README.md',
    content: readme({
      name,
      agentConfig,
      toolFiles,
      credentials,
      knowledge,
      phone: { transfers: parts.body.conversation_config.agent?.prompt?.built_in_tools?.transfer_to_number ? 1 : 0, outbound: session.spec.call_direction?.value === 'outbound' },
      todo,
      tests: tests.length,
      version: options.version,
    }),
  });
  return { files, losses, agentConfig };
}
