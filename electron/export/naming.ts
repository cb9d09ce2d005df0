import type { ToolSpec } from '../../shared/spec';
import type { Loss } from './types';
import { exportedTools } from './prompt';
import type { AgentSpec } from '../../shared/spec';

/** Function-calling APIs (ElevenLabs, OpenAI, Vapi) accept tool names matching ^[a-zA-Z0-9_-]{1,64}$. */
export function safeToolName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}

export interface NamedTool {
  index: number;
  name: string;
  tool: ToolSpec;
}

/** The tools to export with names every target accepts, unique, plus a loss line for each rename. */
export function namedTools(spec: AgentSpec, losses: Loss[]): NamedTool[] {
  const used = new Set<string>();
  return exportedTools(spec).map((tool, index) => {
    const original = tool.name?.value ?? '';
    const base = safeToolName(original) || `tool_${index + 1}`;
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, 60)}_${n}`;
    used.add(name.toLowerCase());
    if (name !== original) {
      losses.push({
        path: `tools[${index}].name`,
        message: original
          ? `Tool name "${original}" is exported as "${name}" (only letters, digits, _ and -, unique, at most 64 characters).`
          : `Tool ${index + 1} has no name; it is exported as "${name}".`,
      });
    }
    return { index, name, tool };
  });
}

/** A file or folder name without directories or characters any OS refuses: "La Tasca reservas" → "la-tasca-reservas". */
export function fileSlug(name: string, fallback = 'agent'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || fallback;
}
