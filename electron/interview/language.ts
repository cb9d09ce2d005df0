import type { Lang } from './lexicon';
import { LANGS } from './lexicon';

/**
 * Which language the user writes in, so a Spanish-speaking user is asked whether the agent
 * should speak Spanish. Detection uses eld (Efficient Language Detector, n-gram based, its
 * "extrasmall" data set: ~1 MB, ~0.1 ms a message). eld ships as ES modules only, so it is
 * loaded with import() when the offline interviewer starts, not when Parley starts.
 */

export interface LanguageDetector {
  /** The language of a message, or null when the text is too short or unclear to say. */
  detect(text: string): Lang | null;
}

interface EldResult {
  language: string;
  isReliable(): boolean;
}
interface Eld {
  detect(text: string): EldResult;
}

let loading: Promise<LanguageDetector> | null = null;

/** Words of the interview's own vocabulary that would mislead a detector (URLs, snake_case names, HTTP verbs). */
function prose(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ')
    .replace(/\b\w+_\w+\b/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(GET|POST|PUT|PATCH|DELETE|API|URL|JSON|OAuth2?|Bearer)\b/g, ' ')
    .replace(/[+\d()-]{6,}/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function createDetector(eld: Eld): LanguageDetector {
  return {
    detect(text: string): Lang | null {
      const clean = prose(text);
      // Below four words the n-grams say little ("GET", "Sí"): the lexicon reads those instead.
      if (clean.split(' ').filter((w) => /\p{L}{2,}/u.test(w)).length < 4) return null;
      const result = eld.detect(clean);
      const code = result.language as Lang;
      if (!(LANGS as readonly string[]).includes(code)) return null;
      return result.isReliable() ? code : null;
    },
  };
}

export function loadLanguageDetector(): Promise<LanguageDetector> {
  loading ??= import('eld/extrasmall').then((mod) => createDetector((mod as unknown as { eld: Eld }).eld));
  return loading;
}
