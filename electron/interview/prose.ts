import { sentences } from './english';

/**
 * Text plumbing for the extractor: URLs, e-mail addresses, phone numbers and quoted text are
 * swapped for placeholders before sentences and lists are split (a URL's dots are not sentence
 * ends, a quoted greeting's commas are not list separators), and swapped back in values.
 */

export interface Protected {
  text: string;
  urls: string[];
  quotes: string[];
  phones: string[];
  emails: string[];
}

const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+|\b(?:api|www)\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[^\s"'<>`]*)?/gi;
const EMAIL_RE = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
/** +1 503 555 0199, (503) 555-0199, +44 20 7946 0958, 0049 30 1234567 */
const PHONE_RE = /(?<![\w/{])(?:\+|00)\d[\d\s().-]{6,18}\d(?![\w}])|(?<![\w/{+])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w}])/g;
const QUOTE_RE = /"([^"\n]{2,400})"|“([^”\n]{2,400})”|«\s?([^»\n]{2,400}?)\s?»|„([^“”\n]{2,400})[“”]|(?<![\w])'([^'\n]{6,400}?)'(?![\w])/g;

export function protect(input: string): Protected {
  const urls: string[] = [];
  const quotes: string[] = [];
  const phones: string[] = [];
  const emails: string[] = [];
  let text = input.replace(URL_RE, (m) => {
    const trimmed = m.replace(/[.,;:!?)\]]+$/, '');
    urls.push(trimmed);
    return `⟦U${urls.length - 1}⟧${m.slice(trimmed.length)}`;
  });
  text = text.replace(QUOTE_RE, (_m, a?: string, b?: string, c?: string, d?: string, e?: string) => {
    quotes.push((a ?? b ?? c ?? d ?? e ?? '').trim());
    return `⟦Q${quotes.length - 1}⟧`;
  });
  text = text.replace(EMAIL_RE, (m) => {
    emails.push(m);
    return `⟦E${emails.length - 1}⟧`;
  });
  text = text.replace(PHONE_RE, (m) => {
    phones.push(m.trim());
    return `⟦P${phones.length - 1}⟧`;
  });
  return { text, urls, quotes, phones, emails };
}

/** Puts URLs, quotes, e-mails and phone numbers back into a piece of protected text. */
export function restore(p: Protected, text: string): string {
  return text.replace(/⟦([UQEP])(\d+)⟧/g, (_m, kind: string, n: string) => {
    const i = Number(n);
    const list = kind === 'U' ? p.urls : kind === 'Q' ? p.quotes : kind === 'E' ? p.emails : p.phones;
    const value = list[i] ?? '';
    return kind === 'Q' ? `"${value}"` : value;
  });
}

export function urlsIn(p: Protected, text: string): string[] {
  return [...text.matchAll(/⟦U(\d+)⟧/g)].map((m) => p.urls[Number(m[1])] ?? '').filter(Boolean);
}

export function phonesIn(p: Protected, text: string): string[] {
  return [...text.matchAll(/⟦P(\d+)⟧/g)].map((m) => p.phones[Number(m[1])] ?? '').filter(Boolean);
}

export function quotesIn(p: Protected, text: string): string[] {
  return [...text.matchAll(/⟦Q(\d+)⟧/g)].map((m) => p.quotes[Number(m[1])] ?? '').filter(Boolean);
}

/** E.164 from a written phone number: "+1 (503) 555-0199" → "+15035550199"; null when it cannot be. */
export function e164(phone: string, defaultCountry = '1'): string | null {
  const digits = phone.replace(/[^\d+]/g, '');
  let out: string;
  if (digits.startsWith('+')) out = `+${digits.slice(1).replace(/\D/g, '')}`;
  else if (digits.startsWith('00')) out = `+${digits.slice(2)}`;
  else if (digits.length === 10) out = `+${defaultCountry}${digits}`;
  else return null;
  return /^\+[1-9]\d{7,14}$/.test(out) ? out : null;
}

/**
 * Sentences of a protected text, then lines: a message written as "label: value" lines keeps
 * each line apart even without full stops.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    // Bullets and numbered list items are sentences of their own.
    const cleaned = trimmed.replace(/^(?:[-*•]|\d+[.)])\s+/, '');
    for (const s of sentences(cleaned)) out.push(s);
  }
  return out;
}

/**
 * Clauses of a sentence at a self-repair ("PATCH - no wait, it's definitely POST"): what follows
 * the repair replaces what came before, so callers read the parts in order and let later values win.
 */
export function splitRepairs(text: string): string[] {
  const parts = text.split(/\s*(?:[-–—,;.]\s*|\s)(?:no wait|no,? wait|wait,? no|sorry,? (?:i mean|no)|i mean|scratch that|correction|actually,? no|oops|make that|rather|or rather|nein,? warte|no,? espera|non,? attends|nao,? espera|no,? aspetta)\b[\s,:-]*/i);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Upper-cases the first letter and ends with a full stop. */
export function asSentence(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ').replace(/[,;:\s-]+$/, '');
  if (!t) return t;
  const cap = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(cap) ? cap : `${cap}.`;
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
