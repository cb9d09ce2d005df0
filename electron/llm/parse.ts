import type { TurnResult } from './types';
import { validateTurn } from './schema';
import { createReplyExtractor } from './stream-reply';

/**
 * Tolerant reading of what a model wrote: bare JSON, JSON in a markdown fence, or JSON inside
 * prose. Candidates are tried in that order; the first that validates wins, otherwise the
 * errors of the most plausible candidate are reported for the repair request.
 */

/** Every balanced {...} in the text, outermost first, in order of appearance. */
function balancedObjects(text: string): string[] {
  const out: string[] = [];
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    let escape = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (escape) escape = false;
        else if (ch === '\\') escape = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{') depth += 1;
      else if (ch === '}') {
        depth -= 1;
        if (depth === 0) {
          out.push(text.slice(start, i + 1));
          start = i; // continue after this object
          break;
        }
      }
    }
  }
  return out;
}

export function jsonCandidates(text: string): unknown[] {
  const sources: string[] = [text.trim()];
  for (const m of text.matchAll(/```[a-zA-Z0-9_-]*\s*\n?([\s\S]*?)```/g)) sources.push((m[1] ?? '').trim());
  sources.push(...balancedObjects(text));
  const values: unknown[] = [];
  const seen = new Set<string>();
  for (const s of sources) {
    if (!s || seen.has(s)) continue;
    seen.add(s);
    try {
      const v = JSON.parse(s) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) values.push(v);
    } catch {
      // not JSON; try the next candidate
    }
  }
  return values;
}

export type ParsedTurn = { ok: true; result: TurnResult } | { ok: false; errors: string };

export function parseTurnText(text: string): ParsedTurn {
  if (!text.trim()) return { ok: false, errors: 'the reply was empty' };
  const candidates = jsonCandidates(text);
  if (candidates.length === 0) return { ok: false, errors: 'the reply contained no JSON object' };
  let firstErrors = '';
  for (const c of candidates) {
    const v = validateTurn(c);
    if (v.ok) return { ok: true, result: v.value };
    firstErrors ||= v.errors;
  }
  return { ok: false, errors: firstErrors };
}

/**
 * The reply the user should see when extraction failed for good: the "reply" string if one
 * can be read out of the text, else the text itself without a wrapping fence.
 */
export function salvageReply(text: string): string {
  const x = createReplyExtractor();
  x.push(text);
  if (x.reply.trim()) return x.reply;
  for (const c of jsonCandidates(text)) {
    const reply = (c as { reply?: unknown }).reply;
    if (typeof reply === 'string' && reply.trim()) return reply;
  }
  const fence = /^```[a-zA-Z0-9_-]*\s*\n?([\s\S]*?)```\s*$/.exec(text.trim());
  return (fence?.[1] ?? text).trim();
}

/** A TurnResult that keeps the user-visible text when nothing structured could be read. */
export function rawTurn(text: string): TurnResult {
  return { reply: salvageReply(text), extracted: {}, awaiting: null, intent: {} };
}

/** The follow-up message of the one repair request. */
export function repairPrompt(errors: string): string {
  return [
    'Your previous answer could not be used: it did not match the required JSON format.',
    `Problems: ${errors}.`,
    'Answer again with only the corrected JSON object (no markdown fence, no prose), keeping the same reply text.',
  ].join('\n');
}
