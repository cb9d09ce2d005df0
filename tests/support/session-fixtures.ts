import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SESSION_SCHEMA_VERSION, type Message, type Session } from '../../shared/session';
import { STAGES } from '../../shared/stages';
import type { ToolSpec } from '../../shared/spec';
import { serialize } from '../../electron/fs/atomic';

/**
 * Realistic sessions for tests and benchmarks: deterministic in `i`, 60 messages of mixed-script
 * text, a spec with three fully described tools. Shared by the unit, reliability and bench suites.
 */

const WORDS = [
  'appointment', 'booking', 'customer', 'refund', 'calendar', 'dentist', 'schedule', 'confirm', 'cancel', 'reminder',
  'invoice', 'delivery', 'warehouse', 'tracking', 'support', 'ticket', 'escalate', 'weather', 'forecast', 'reservation',
  'restaurant', 'table', 'allergy', 'menu', 'order', 'payment', 'voice', 'friendly', 'concise', 'patient',
  'café', 'naïve', 'résumé', 'Zürich', 'São', 'Paulo', 'façade', 'piñata', 'Straße', 'déjà',
  '東京', '予約', 'こんにちは', 'مرحبا', 'Привет', 'γειά', '📅', '✅', 'ok', 'thanks',
];
const AGENT_TYPES = ['customer support', 'appointment booking', 'restaurant reservations', 'order tracking', 'dental clinic receptionist'];
const BASE_TIME = Date.UTC(2026, 0, 1);

/** A small deterministic PRNG (mulberry32), so fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A letters-only word unique to `i` (e.g. "qobavuxi"): present in one message of session i only. */
export function codeword(i: number): string {
  const consonants = 'bdfgjklmnpqrstvxz';
  const vowels = 'aeiou';
  let n = i;
  let word = '';
  for (let k = 0; k < 4; k++) {
    word += consonants[n % consonants.length];
    n = Math.floor(n / consonants.length);
    word += vowels[(i * 7 + k * 3) % vowels.length];
  }
  return `q${word}`;
}

/** A v4-shaped UUID derived from `i`, so fixture ids are stable and distinct. */
export function fixtureId(i: number): string {
  const hex = (i >>> 0).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

export function fixtureTime(i: number, offsetMs = 0): string {
  return new Date(BASE_TIME + i * 60_000 + offsetMs).toISOString();
}

function sentence(next: () => number, length: number): string {
  const parts: string[] = [];
  for (let k = 0; k < length; k++) parts.push(WORDS[Math.floor(next() * WORDS.length)] as string);
  const text = parts.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function tool(i: number, t: number, source: string): ToolSpec {
  const f = <T,>(value: T) => ({ value, confidence: 0.9, source, locked: false });
  const name = ['check_availability', 'book_slot', 'send_confirmation'][t] as string;
  return {
    name: f(name),
    purpose: f(`Tool ${t} for fixture ${i}: ${name.replace(/_/g, ' ')} — für Kunden in Zürich`),
    endpoint: f(`https://api.example.com/v1/${name}`),
    method: f(t === 0 ? 'GET' : 'POST'),
    auth: f({ type: 'bearer' as const, header: 'Authorization', secret_name: `${name.toUpperCase()}_TOKEN` }),
    input_schema: f({ type: 'object', properties: { date: { type: 'string', description: 'ISO date' } }, required: ['date'] }),
    output_schema: f({ type: 'object', properties: { ok: { type: 'boolean' } } }),
    trigger: f(`When the caller asks to ${name.replace(/_/g, ' ')}`),
    error_handling: f('Apologize, offer to retry once, then hand off to a human.'),
  };
}

export interface FixtureOptions {
  messages?: number;
}

export function makeSession(i: number, options: FixtureOptions = {}): Session {
  const next = rng(i + 1);
  const count = options.messages ?? 60;
  const stage = STAGES[i % STAGES.length] as Session['stage'];
  const messages: Message[] = [];
  for (let m = 0; m < count; m++) {
    const role = m % 2 === 0 ? 'assistant' : 'user';
    let text = sentence(next, 12 + Math.floor(next() * 24));
    if (m === Math.min(31, count - 1)) text = `${text} Our internal project name is ${codeword(i)}.`;
    messages.push({ id: `m${m}`, role, text, createdAt: fixtureTime(i, m * 1000), status: 'complete' });
  }
  const src = 'm1';
  const f = <T,>(value: T) => ({ value, confidence: 0.85, source: src, locked: false });
  return {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id: fixtureId(i),
    title: `${AGENT_TYPES[i % AGENT_TYPES.length]} #${i} — ${WORDS[i % WORDS.length]}`,
    createdAt: fixtureTime(i),
    updatedAt: fixtureTime(i, count * 1000),
    provider: 'auto',
    stage,
    stageHistory: [{ stage: 'INITIAL', at: fixtureTime(i) }, { stage, at: fixtureTime(i, 1000) }],
    awaiting: null,
    spec: {
      agent_type: f(AGENT_TYPES[i % AGENT_TYPES.length] as string),
      goals: f(`Help callers ${WORDS[(i * 3) % WORDS.length]} and ${WORDS[(i * 5) % WORDS.length]} without waiting on hold.`),
      tone: f('friendly, concise'),
      language: f(i % 3 === 0 ? 'Deutsch' : i % 3 === 1 ? 'English' : '日本語'),
      use_tools: f(true),
      tools: [tool(i, 0, src), tool(i, 1, src), tool(i, 2, src)],
      candidates: {},
    },
    messages,
    usage: [],
  };
}

/**
 * Writes `count` fixture session files straight to `<dataDir>/sessions` (no fsync, no index),
 * fast enough for 10,000; the store builds its index on open.
 */
export async function writeFixtureSessions(dataDir: string, count: number, options: FixtureOptions & { start?: number } = {}): Promise<string[]> {
  const dir = join(dataDir, 'sessions');
  await mkdir(dir, { recursive: true });
  const start = options.start ?? 0;
  const ids: string[] = [];
  const concurrency = 32;
  let next = start;
  const worker = async () => {
    while (next < start + count) {
      const i = next++;
      const s = makeSession(i, options);
      ids.push(s.id);
      await writeFile(join(dir, `${s.id}.json`), serialize(s));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}
