import type { AgentSpec, ToolField } from '../../shared/spec';
import { parseMethod, parseToolName } from './answers';
import { toolPath, type TopField } from './fields';
import { pushTop, type ExtractContext, type Finding, type Unit } from './findings';
import { fold } from './lexicon';
import { asSentence, e164, phonesIn, quotesIn, restore, type Protected } from './prose';
import { LANGUAGE_REGIONS, LANGUAGE_WORDS } from './vocabulary';

/**
 * Facts stated outright: labelled lines ("tone: formal"), the language, the greeting, transfer
 * numbers, knowledge-base pages, call direction, time zone and when to hang up.
 */

const LABELS: Array<[RegExp, TopField | ToolField]> = [
  [/^(?:agent[ _]?type|type of agent|kind of agent|role)$/, 'agent_type'],
  [/^(?:business(?: name)?|company(?: name)?|brand|organi[sz]ation|business_name)$/, 'business_name'],
  [/^goals?$/, 'goals'],
  [/^(?:tone|voice style|style|tone of voice|personality)$/, 'tone'],
  [/^language$/, 'language'],
  [/^(?:first[ _]?message|greeting|opening line)$/, 'first_message'],
  [/^(?:tool[ _]?name)$/, 'name'],
  [/^purpose$/, 'purpose'],
  [/^(?:endpoint|url|api url|endpoint url)$/, 'endpoint'],
  [/^(?:http[ _]?)?method$/, 'method'],
  [/^(?:auth|authentication|authorization)$/, 'auth'],
  [/^(?:input[ _]?schema|inputs?|parameters|params|input parameters)$/, 'input_schema'],
  [/^(?:output[ _]?schema|outputs?|response|returns)$/, 'output_schema'],
  [/^(?:triggers?|trigger conditions?|when to call)$/, 'trigger'],
  [/^(?:error[ _]?handling|errors?|on error|on failure|failure handling)$/, 'error_handling'],
];

const TOP_KEYS = new Set<string>(['agent_type', 'goals', 'tone', 'language', 'first_message', 'business_name']);

/** "tone: formal", "Method: POST" lines. */
export function readLabelled(units: Unit[], p: Protected, ctx: ExtractContext, tool: number | null, out: Finding[]): void {
  for (const unit of units) {
    const m = /^([A-Za-z][A-Za-z _'-]{1,30}?)\s*[:=]\s*(.+)$/.exec(unit.text);
    if (!m?.[1] || !m[2]) continue;
    const label = fold(m[1]).replace(/^(?:the|agent'?s)\s+/, '');
    const entry = LABELS.find(([re]) => re.test(label));
    if (!entry) continue;
    const key = entry[1];
    const raw = restore(p, m[2]).trim().replace(/^"|"$/g, '');
    if (TOP_KEYS.has(key)) {
      const value = key === 'language' ? (languageCode(raw) ?? raw) : key === 'first_message' ? raw : raw;
      out.push({ path: key, value, confidence: 0.95 });
      unit.consumed = true;
      continue;
    }
    if (tool === null) continue;
    const field = key as ToolField;
    const value = field === 'method' ? (parseMethod(raw) && 'method' in (parseMethod(raw) ?? {}) ? (parseMethod(raw) as { method: string }).method : raw) : field === 'name' ? (parseToolName(raw) ?? raw) : raw;
    out.push({ path: toolPath(tool, field), value, confidence: 0.95 });
    unit.consumed = true;
  }
}

/** A language named in the text → BCP-47 ("Spanish", "auf Deutsch", "Brazilian Portuguese"). */
export function languageCode(text: string): string | null {
  const t = fold(text);
  for (const [re, code] of LANGUAGE_REGIONS) if (re.test(t)) return code;
  const tag = /^\s*([a-z]{2,3})(?:[-_]([a-z]{2}))?\s*$/i.exec(text.trim());
  if (tag?.[1] && Object.values(LANGUAGE_WORDS).includes(tag[1].toLowerCase())) return tag[2] ? `${tag[1].toLowerCase()}-${tag[2].toUpperCase()}` : tag[1].toLowerCase();
  for (const word of t.split(/[^a-z]+/)) {
    const code = LANGUAGE_WORDS[word];
    if (code) return code;
  }
  return null;
}

const LANGUAGE_CUE = /\b(speaks?|speaking|spoken|talks?|respond|responds|answers?|reply|replies|language|languages|in|bilingual|hablar?|habla|en|idioma|sprechen|spricht|auf|sprache|parler|parle|langue|falar|fala|em|lingua|parlare|parla|in)\s*$/;

export function readLanguage(units: Unit[], out: Finding[]): void {
  for (const unit of units) {
    const t = fold(unit.text);
    for (const m of t.matchAll(/[a-z]+/g)) {
      const code = LANGUAGE_WORDS[m[0]];
      if (!code) continue;
      const before = t.slice(Math.max(0, (m.index ?? 0) - 40), m.index);
      const after = t.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 20);
      if (LANGUAGE_CUE.test(before) || /^\s*(?:-?speaking|only|speakers?)\b/.test(after) || /\blanguage\b/.test(after)) {
        let value = code;
        for (const [re, region] of LANGUAGE_REGIONS) if (re.test(t) && region.startsWith(code)) value = region;
        out.push({ path: 'language', value, confidence: 0.9 });
        return;
      }
    }
  }
}

const GREETING_CUE = /\b(greet|greets|greeting|first message|first thing|opening line|open with|opens with|start with|starts with|say|says|answer with|answers with|pick up with|introduce|introduces|begin with|begins with|saludo|saludar|begru\w*|accueil|saudac\w*|salut\w*|dire|dizer|decir|sagen)\b/i;

export function readFirstMessage(units: Unit[], p: Protected, out: Finding[]): void {
  for (const unit of units) {
    const quotes = quotesIn(p, unit.text);
    if (!quotes[0] || !GREETING_CUE.test(unit.text.replace(/⟦Q\d+⟧/g, ''))) continue;
    out.push({ path: 'first_message', value: quotes[0], confidence: 0.9 });
    unit.consumed = true;
    return;
  }
}

const TRANSFER_CUE = /\b(transfer\w*|transfiere|transfiera|transferir|transfira|transfere|transf[eé]rer|transf[eè]re|trasferisci|trasferire|forward\w*|put (?:them|the caller|callers|it) through|connect (?:them|the caller|callers|people)|hand (?:them |it |the call )?(?:off|over)|escalate\w*|pass (?:them|the call|the caller) (?:on|over|to)|route (?:them|the call)|weiterleiten|weiterverbinden|verbinden|transferir|transfiera|transfira|passe[rz]? (?:l'appel|le client)|trasferire|trasferisci|passare la chiamata)\b/i;

/** Transfers: a number and when to use it ("transfer to the pharmacist at +1 503 555 0199 if …"). */
export function readTransfers(units: Unit[], p: Protected, ctx: ExtractContext, out: Finding[]): void {
  let index = transferCount(ctx.spec);
  for (const unit of units) {
    if (!TRANSFER_CUE.test(unit.text)) continue;
    const phones = phonesIn(p, unit.text);
    const restored = restore(p, unit.text);
    const plain = restored.replace(/\s*(?:at|on|to|unter|al|au|no|al numero|au numero)?\s*\+?[\d\s().-]{8,}\d/g, ' ');
    const condition = /\b((?:if|when|whenever|for|in case|should|si|cuando|wenn|falls|quand|se|quando)\b[^.;]*)/i.exec(plain.replace(new RegExp(`,?\\s*(?:please\\s+|then\\s+|just\\s+)?${TRANSFER_CUE.source}.*$`, 'i'), ''))
      ?? /\b((?:if|when|whenever|in case|si|cuando|wenn|falls|quand|se|quando)\b[^.;]*)/i.exec(plain);
    const number = phones[0] ? e164(phones[0]) : null;
    // Without a number, "if it fails, transfer to the fraud team" is a tool's error handling, not a transfer target.
    if (!number) continue;
    const base = `transfers[${index}]`;
    if (number) out.push({ path: `${base}.phone_number`, value: number, confidence: 0.95 });
    if (condition?.[1]) out.push({ path: `${base}.condition`, value: asSentence(condition[1]), confidence: 0.85 });
    unit.consumed = true;
    index++;
  }
}

const KNOWLEDGE_CUE = /\b(faqs?|knowledge base|help (?:center|centre|page|site)|menu|price list|prices page|pricing page|policies|policy page|docs|documentation|website|web page|opening hours|carta|men[uú]|preguntas frecuentes|speisekarte|preisliste|tarifs?|card[aá]pio|listino)\b/i;

/** Pages the agent should know ("our FAQ is at https://…"): knowledge-base sources, not tool endpoints. */
export function readKnowledge(units: Unit[], p: Protected, ctx: ExtractContext, out: Finding[]): void {
  let index = ctx.spec.knowledge_base?.length ?? 0;
  for (const unit of units) {
    if (unit.consumed) continue;
    const cue = KNOWLEDGE_CUE.exec(unit.text);
    if (!cue || /\b(?:GET|POST|PUT|PATCH|DELETE)\b|\bapi\b|endpoint/i.test(unit.text)) continue;
    const taken = new Set((ctx.spec.knowledge_base ?? []).map((k) => (k.value.type === 'url' ? k.value.url : '')));
    let found = false;
    for (const m of unit.text.matchAll(/⟦U(\d+)⟧/g)) {
      const url = p.urls[Number(m[1])] ?? '';
      if (!url || /[{}]|\/api\b|\/\/api\./i.test(url) || taken.has(url)) continue;
      // Named after the nearest cue before it: "the FAQ at …, the menu at …".
      const before = [...unit.text.slice(0, m.index).matchAll(new RegExp(KNOWLEDGE_CUE.source, 'gi'))].at(-1)?.[1] ?? cue[1] ?? '';
      const name = before ? before.charAt(0).toUpperCase() + before.slice(1) : undefined;
      out.push({ path: `knowledge_base[${index++}]`, value: name ? { type: 'url', url, name } : { type: 'url', url }, confidence: 0.9 });
      found = true;
    }
    if (found) unit.consumed = true;
  }
}

function transferCount(spec: AgentSpec): number {
  return spec.transfers?.length ?? 0;
}

const OUTBOUND = /\b(outbound|we (?:call|ring|phone) (?:our |the )?(?:customers|patients|people|members|clients|guests|owners|users)|(?:it|the agent) (?:calls|rings|phones) (?:our |the )?(?:customers|patients|people|members|clients|guests|owners|users)|places? (?:phone )?calls|makes? (?:phone )?calls|(?:reminder|survey|follow-up|follow up|outreach) calls)\b/i;
const INBOUND = /\b(inbound|answers? (?:the |our )?(?:phone|phones|calls|line)|(?:customers|callers|patients|guests|people|members|clients) (?:call|ring|phone) (?:us|in))\b/i;
const US_ZONES: Record<string, string> = { eastern: 'America/New_York', central: 'America/Chicago', mountain: 'America/Denver', pacific: 'America/Los_Angeles' };

/** Call direction, time zone and when to hang up, when the message says them. */
export function readCallFacts(units: Unit[], p: Protected, ctx: ExtractContext, out: Finding[]): void {
  const all = units.map((u) => u.text).join(' ');
  if (OUTBOUND.test(all)) pushTop(out, ctx, 'call_direction', 'outbound', 0.8);
  else if (INBOUND.test(all)) pushTop(out, ctx, 'call_direction', 'inbound', 0.8);
  const iana = /\b((?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/[A-Z][A-Za-z_]+(?:\/[A-Z][A-Za-z_]+)?)\b/.exec(all)?.[1];
  const named = /\b(eastern|central|mountain|pacific)(?: standard| daylight)? time\b/i.exec(all)?.[1]?.toLowerCase();
  const zone = iana ?? (named ? US_ZONES[named] : undefined);
  if (zone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      pushTop(out, ctx, 'timezone', zone, iana ? 0.95 : 0.8);
    } catch {
      // not a zone this runtime knows: leave it to the user
    }
  }
  const mail = readVoicemail(units, p);
  if (mail) pushTop(out, ctx, 'voicemail', mail, 0.85);
  const end = /\b(?:hang up|end the call|finish the call|close the call)\s+((?:when|if|once|after|as soon as)\b[^.;⟦]+)/i.exec(all)?.[1];
  if (end) pushTop(out, ctx, 'end_call_conditions', asSentence(restore(p, end)), 0.85);
}

const VOICEMAIL = /\b(voice ?mail|answering machine|mailbox|buz[oó]n de voz|mailbox|anrufbeantworter|r[eé]pondeur|messagerie|caixa postal|segreteria)\b/i;
const LEAVE_MESSAGE = /\bleave (?:a |this |the following |our )?message\b(?:\s*(?:saying|that says|like))?\s*[:,-]?\s*(.*)$/i;
const HANG_UP = /\b(hang up|hangs up|end the call|don'?t leave|do not leave|no message|without (?:leaving )?a message)\b/i;

/** "If it reaches voicemail, leave a message: '…'" or "… hang up": what an outbound agent does at the beep. */
function readVoicemail(units: Unit[], p: Protected): { action: 'hang_up' | 'leave_message'; message?: string } | null {
  const unit = units.find((u) => VOICEMAIL.test(u.text));
  if (!unit) return null;
  const leave = LEAVE_MESSAGE.exec(unit.text);
  if (leave) {
    const message = restore(p, leave[1] ?? '').trim().replace(/^"(.*)"$/s, '$1').trim();
    return message.length >= 8 ? { action: 'leave_message', message } : null;
  }
  return HANG_UP.test(unit.text) ? { action: 'hang_up' } : null;
}
