import type { AgentSpec } from '../../shared/spec';
import type { Stage } from '../../shared/stages';
import type { TopField } from './fields';

/** What the prose readers produce and share: findings with a certainty, and the sentences they read. */

export interface Finding {
  path: string;
  value: unknown;
  confidence: number;
}

export interface ExtractContext {
  stage: Stage;
  spec: AgentSpec;
  awaiting: string | null;
  /** Corrections may overwrite stored values; answers fill what is missing plus the awaited field. */
  overwrite: boolean;
}

export interface Extraction {
  findings: Finding[];
  /** The awaited field's answer could not be read: the precise question to ask again. */
  problem: { path: string; message: string } | null;
}

export interface Unit {
  /** protected text of a sentence (or of one side of a self-repair) */
  text: string;
  consumed: boolean;
}

export interface Mention {
  unit: number;
  at: number;
  /** index in spec.tools (existing) or ≥ spec.tools.length (new) */
  tool: number;
  name: string | null;
  nameConfidence: number;
  purpose: string | null;
  explicit: boolean;
}

export function clampConfidence(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;
}

/** A top-level value, unless one is stored and this message may not overwrite it. */
export function pushTop(out: Finding[], ctx: ExtractContext, path: TopField, value: unknown, confidence: number): void {
  const stored = ctx.spec[path];
  if (stored !== undefined && !ctx.overwrite && ctx.awaiting !== path) return;
  out.push({ path, value, confidence: clampConfidence(confidence) });
}
