import type { z } from 'zod';

/**
 * Size limits, in one place. Each is far beyond what a real agent spec or conversation reaches,
 * and low enough that anything within them can be validated, saved (JSON.stringify never runs
 * out of stack or string length), sent to a provider and shown.
 */

/**
 * The largest session or agent file Parley reads: its own session files, a session file it
 * exported, and any file it is asked to import. A long chat makes a session of a few hundred KB;
 * a bigger file is damaged or not ours, and is refused before it is read into memory.
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const MAX_FILE_MB = MAX_FILE_BYTES / 1024 / 1024;

/**
 * The largest WebSocket frame the preview accepts, in bytes: a sessions:import request carrying a
 * file of MAX_FILE_BYTES. Escaped as a JSON string, a JSON file takes at most 2 bytes a byte: only
 * quotes, backslashes and line breaks are escaped (2 bytes each), a JSON text holds no other control
 * characters, and UTF-8 passes through unescaped.
 */
export const MAX_PREVIEW_FRAME_BYTES = 2 * MAX_FILE_BYTES + 64 * 1024;

/** Objects and arrays inside one spec value (a JSON Schema is about two per level of properties). */
export const MAX_JSON_DEPTH = 32;
/** One string in a spec value (a prompt, a description, a key of a schema). */
export const MAX_FIELD_CHARS = 100_000;
/** One spec value as JSON (a whole input or output schema). */
export const MAX_VALUE_JSON_CHARS = 1_000_000;
/** Tools of one agent. */
export const MAX_TOOLS = 200;
/** Unconfirmed candidates: at most one per field, and there are 11 + 9 per tool. */
export const MAX_CANDIDATES = 2_000;
/** A whole spec as JSON. */
export const MAX_SPEC_JSON_CHARS = 4 * 1024 * 1024;
/** One chat message (a turn's text is at most 20,000; a reply is capped from maxTokens, see replyCharCap). */
export const MAX_MESSAGE_CHARS = 1_000_000;
/**
 * All messages of a session together, counting MESSAGE_OVERHEAD_CHARS for each message's other
 * fields. With the spec's bound, a session file stays under MAX_FILE_BYTES (the store reads no
 * bigger file) for any ordinary text, up to 3 UTF-8 bytes a character: (12 M + 4 M) × 3 = 48 MB,
 * plus one usage line (about 300 bytes) per turn, of which there are at most 12 M ÷ 512.
 */
export const MAX_MESSAGES_TOTAL_CHARS = 12 * 1024 * 1024;
export const MESSAGE_OVERHEAD_CHARS = 256;

/** The largest maxTokens the settings allow. */
export const MAX_REPLY_TOKENS = 32_000;
/**
 * A provider reply is cut off at this many characters of model text. A token is about 4
 * characters; 16 per token plus 16k is a margin no real reply within maxTokens reaches, while
 * an endless or runaway stream stops within a few hundred KB.
 */
export function replyCharCap(maxTokens: number): number {
  return maxTokens * 16 + 16_384;
}
/** Stream events of one reply (a chunk carries at least one token, plus start, stop and ping events). */
export function replyEventCap(maxTokens: number): number {
  return maxTokens * 4 + 1_024;
}
/** History (earlier messages of the turn's request) sent to a provider, in UTF-8 bytes. */
export const MAX_HISTORY_BYTES = 256 * 1024;

/** Megabytes, for messages ("128 MB"). */
export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

export interface JsonBounds {
  maxDepth: number;
  maxStringChars: number;
  maxJsonChars: number;
}

export const VALUE_BOUNDS: JsonBounds = { maxDepth: MAX_JSON_DEPTH, maxStringChars: MAX_FIELD_CHARS, maxJsonChars: MAX_VALUE_JSON_CHARS };

export interface BoundsProblem {
  path: Array<string | number>;
  message: string;
}

const thousands = (n: number) => n.toLocaleString('en-US');

/**
 * The first way `value` breaks the bounds, or null. Iterative (a value nested 100,000 deep is
 * measured without recursion) and it stops at the first problem, so a hostile value costs no
 * more than the bounds it is measured against. The size is what JSON.stringify would write,
 * give or take escapes. Values JSON cannot hold (BigInt, functions, symbols) are problems too.
 */
export function jsonBoundsProblem(value: unknown, bounds: JsonBounds): BoundsProblem | null {
  const stack: Array<{ v: unknown; depth: number; path: Array<string | number> }> = [{ v: value, depth: 0, path: [] }];
  let size = 0;
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    switch (typeof v) {
      case 'string':
        if (v.length > bounds.maxStringChars) return { path, message: `is ${thousands(v.length)} characters long; Parley keeps at most ${thousands(bounds.maxStringChars)}` };
        size += v.length + 2;
        break;
      case 'number':
      case 'boolean':
        size += String(v).length;
        break;
      case 'undefined':
        size += 4;
        break;
      case 'bigint':
      case 'function':
      case 'symbol':
        return { path, message: `is a ${typeof v}, which JSON cannot hold` };
      case 'object': {
        if (v === null) {
          size += 4;
          break;
        }
        if (depth >= bounds.maxDepth) return { path, message: `nests more than ${bounds.maxDepth} levels deep; Parley keeps at most ${bounds.maxDepth}` };
        const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
        size += 2 + entries.length;
        if (size > bounds.maxJsonChars) break;
        for (const [key, item] of entries) {
          if (typeof key === 'string') {
            if (key.length > bounds.maxStringChars) return { path, message: `has a key of ${thousands(key.length)} characters; Parley keeps at most ${thousands(bounds.maxStringChars)}` };
            size += key.length + 3;
          }
          stack.push({ v: item, depth: depth + 1, path: [...path, key] });
        }
        break;
      }
    }
    if (size > bounds.maxJsonChars) return { path: [], message: `is over ${thousands(bounds.maxJsonChars)} characters as JSON; Parley keeps at most that` };
  }
  return null;
}

/** Any file Parley reads whole (an import) is measured with these before anything walks it recursively. */
export const FILE_BOUNDS: JsonBounds = { maxDepth: 2 * MAX_JSON_DEPTH, maxStringChars: MAX_MESSAGE_CHARS, maxJsonChars: 2 * MAX_FILE_BYTES };

/** Marks the issues these refinements raise, so a caller can tell "beyond a limit" from "malformed". */
const LIMIT = { limit: true } as const;

export function isLimitIssue(issue: { code: string; params?: unknown }): boolean {
  return issue.code === 'too_big' || (issue.code === 'custom' && (issue.params as { limit?: unknown } | undefined)?.limit === true);
}

/** Where a deep problem is, readable: the first steps of the path, then "…". */
function shortPath(path: Array<string | number>): Array<string | number> {
  return path.length > 8 ? [...path.slice(0, 8), '…'] : path;
}

/** A zod refinement: `schema.superRefine(withinBounds(VALUE_BOUNDS))`. */
export function withinBounds(bounds: JsonBounds) {
  return (value: unknown, ctx: z.RefinementCtx): void => {
    const problem = jsonBoundsProblem(value, bounds);
    // continue: false, so the spec's own total (which would find the same problem) does not report it again.
    if (problem) ctx.addIssue({ code: 'custom', path: shortPath(problem.path), message: problem.message, params: LIMIT, continue: false });
  };
}

/** The whole spec: its tools and candidates counted, its size as JSON bounded. Each value has VALUE_BOUNDS already. */
export function specWithinLimits(spec: { tools: unknown[]; candidates: Record<string, unknown> }, ctx: z.RefinementCtx): void {
  if (spec.tools.length > MAX_TOOLS) {
    ctx.addIssue({ code: 'custom', path: ['tools'], message: `has ${thousands(spec.tools.length)} tools; Parley keeps at most ${MAX_TOOLS}`, params: LIMIT });
    return;
  }
  const candidates = Object.keys(spec.candidates).length;
  if (candidates > MAX_CANDIDATES) {
    ctx.addIssue({ code: 'custom', path: ['candidates'], message: `has ${thousands(candidates)} candidates; Parley keeps at most ${thousands(MAX_CANDIDATES)}`, params: LIMIT });
    return;
  }
  // Field values are bounded on their own; this bounds the sum (and every source and key).
  const problem = jsonBoundsProblem(spec, { maxDepth: MAX_JSON_DEPTH + 8, maxStringChars: MAX_FIELD_CHARS, maxJsonChars: MAX_SPEC_JSON_CHARS });
  if (problem) ctx.addIssue({ code: 'custom', path: shortPath(problem.path), message: problem.message, params: LIMIT });
}

/** Whether all messages of a session together are within the limit. */
export function messagesFitTogether(messages: ReadonlyArray<{ text: string }>): boolean {
  return messagesTotalChars(messages) <= MAX_MESSAGES_TOTAL_CHARS;
}

function messagesTotalChars(messages: ReadonlyArray<{ text: string }>): number {
  let total = 0;
  for (const m of messages) total += m.text.length + MESSAGE_OVERHEAD_CHARS;
  return total;
}

/** All messages of a session together. */
export function messagesWithinLimits(messages: Array<{ text: string }>, ctx: z.RefinementCtx): void {
  const total = messagesTotalChars(messages);
  if (total > MAX_MESSAGES_TOTAL_CHARS) {
    ctx.addIssue({ code: 'custom', message: `hold ${thousands(total)} characters together (counting ${MESSAGE_OVERHEAD_CHARS} a message); Parley keeps at most ${thousands(MAX_MESSAGES_TOTAL_CHARS)} per session`, params: LIMIT });
  }
}
