import { primaryLanguage, toLanguageTag } from '../../shared/language';

/**
 * Spec languages are BCP-47 tags (older sessions may still hold a name); targets want the codes
 * ElevenLabs' agents support, which are primary subtags except Brazilian Portuguese ("pt-br").
 * Unknown → English plus a loss line.
 */
const SUPPORTED_CODES = new Set([
  'en', 'ar', 'bg', 'zh', 'hr', 'cs', 'da', 'nl', 'fi', 'fil', 'fr', 'de', 'el', 'hi', 'hu', 'id',
  'it', 'ja', 'ko', 'ms', 'no', 'pl', 'pt', 'pt-br', 'ro', 'ru', 'sk', 'es', 'sv', 'ta', 'tr', 'uk', 'vi',
]);

export const DEFAULT_LANGUAGE = 'en';

export function languageCode(language: string | undefined): { code: string; loss?: string } {
  const raw = language?.trim();
  if (!raw) return { code: DEFAULT_LANGUAGE };
  const tag = toLanguageTag(raw);
  if (tag) {
    const lower = tag.toLowerCase();
    if (SUPPORTED_CODES.has(lower)) return { code: lower };
    const primary = primaryLanguage(tag);
    if (SUPPORTED_CODES.has(primary)) return { code: primary };
  }
  return { code: DEFAULT_LANGUAGE, loss: `Language "${raw}" is not one the target supports; the agent is set to English ("en").` };
}
