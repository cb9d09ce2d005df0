import { createHash } from 'node:crypto';
import type { Session } from '../../shared/session';
import type { AgentSpec } from '../../shared/spec';

/** What a version holds: the design, not the conversation. */
export interface Design {
  title: string;
  stage: Session['stage'];
  awaiting: string | null;
  spec: AgentSpec;
}

export function designOf(session: Session): Design {
  return { title: session.title, stage: session.stage, awaiting: session.awaiting, spec: session.spec };
}

/** JSON with object keys sorted, so equal values always have equal text (and hash). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** 64 bits of SHA-256: ample for the few thousand blobs of one session's history. */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A design as chunks by key: "meta" (title, stage, awaiting), "spec.<field>" per spec field, "tool.<i>" per tool. */
export type Chunks = Map<string, string>;

export function chunksOf(design: Design): Chunks {
  const out: Chunks = new Map();
  out.set('meta', canonicalJson({ title: design.title, stage: design.stage, awaiting: design.awaiting }));
  const { tools, ...rest } = design.spec;
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) out.set(`spec.${key}`, canonicalJson(value));
  tools.forEach((tool, i) => out.set(`tool.${i}`, canonicalJson(tool)));
  return out;
}

export function designFrom(chunks: ReadonlyMap<string, string>): Design {
  const meta = JSON.parse(chunks.get('meta') ?? 'null') as Pick<Design, 'title' | 'stage' | 'awaiting'> | null;
  if (!meta) throw new Error('the version has no title and stage');
  const spec: Record<string, unknown> = {};
  const tools: Array<[number, unknown]> = [];
  for (const [key, text] of chunks) {
    if (key.startsWith('spec.')) spec[key.slice(5)] = JSON.parse(text);
    else if (key.startsWith('tool.')) tools.push([Number(key.slice(5)), JSON.parse(text)]);
  }
  spec.tools = tools.sort((a, b) => a[0] - b[0]).map(([, t]) => t);
  return { title: meta.title, stage: meta.stage, awaiting: meta.awaiting, spec: spec as AgentSpec };
}

export function sameDesign(a: Design, b: Design): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
