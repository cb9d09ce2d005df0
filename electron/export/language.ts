/**
 * Spec languages are what the user said ("English", "Brazilian Portuguese", "de"); targets want
 * the ISO codes ElevenLabs' agents support. Unknown → English plus a loss line.
 */
const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  english: 'en', arabic: 'ar', bulgarian: 'bg', chinese: 'zh', mandarin: 'zh', croatian: 'hr',
  czech: 'cs', danish: 'da', dutch: 'nl', finnish: 'fi', filipino: 'fil', tagalog: 'fil',
  french: 'fr', german: 'de', greek: 'el', hindi: 'hi', hungarian: 'hu', indonesian: 'id',
  italian: 'it', japanese: 'ja', korean: 'ko', malay: 'ms', norwegian: 'no', polish: 'pl',
  portuguese: 'pt', 'brazilian portuguese': 'pt-br', 'portuguese (brazil)': 'pt-br', romanian: 'ro',
  russian: 'ru', slovak: 'sk', spanish: 'es', swedish: 'sv', tamil: 'ta', turkish: 'tr',
  ukrainian: 'uk', vietnamese: 'vi',
};

const SUPPORTED_CODES = new Set(Object.values(LANGUAGE_CODES));

export const DEFAULT_LANGUAGE = 'en';

export function languageCode(language: string | undefined): { code: string; loss?: string } {
  const raw = language?.trim();
  if (!raw) return { code: DEFAULT_LANGUAGE };
  const lower = raw.toLowerCase();
  if (SUPPORTED_CODES.has(lower)) return { code: lower };
  // "en-US", "pt_BR" → "en", "pt-br"
  const tag = lower.replace('_', '-');
  if (SUPPORTED_CODES.has(tag)) return { code: tag };
  const primary = tag.split('-')[0] ?? '';
  if (SUPPORTED_CODES.has(primary)) return { code: primary };
  const named = LANGUAGE_CODES[lower] ?? LANGUAGE_CODES[lower.replace(/\s*\(.*\)$/, '')];
  if (named) return { code: named };
  return { code: DEFAULT_LANGUAGE, loss: `Language "${raw}" is not one the target supports; the agent is set to English ("en").` };
}
