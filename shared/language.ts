/**
 * Languages in the spec are BCP-47 tags ("en", "es", "pt-BR"). People say names ("Spanish",
 * "Brazilian Portuguese"), and sessions from before the tag rule hold those names, so this maps
 * both to a canonical tag. Pure and shared: the store's migration and the exporters use it.
 */
const NAMES: Readonly<Record<string, string>> = {
  english: 'en', arabic: 'ar', bulgarian: 'bg', chinese: 'zh', mandarin: 'zh', croatian: 'hr',
  czech: 'cs', danish: 'da', dutch: 'nl', finnish: 'fi', filipino: 'fil', tagalog: 'fil',
  french: 'fr', german: 'de', greek: 'el', hindi: 'hi', hungarian: 'hu', indonesian: 'id',
  italian: 'it', japanese: 'ja', korean: 'ko', malay: 'ms', norwegian: 'no', polish: 'pl',
  portuguese: 'pt', 'brazilian portuguese': 'pt-BR', 'portuguese (brazil)': 'pt-BR', romanian: 'ro',
  russian: 'ru', slovak: 'sk', spanish: 'es', swedish: 'sv', tamil: 'ta', turkish: 'tr',
  ukrainian: 'uk', vietnamese: 'vi', catalan: 'ca', hebrew: 'he', thai: 'th', welsh: 'cy',
  // Names in the language itself, as people type them.
  español: 'es', espanol: 'es', français: 'fr', francais: 'fr', deutsch: 'de', italiano: 'it',
  português: 'pt', portugues: 'pt', nederlands: 'nl', polski: 'pl', svenska: 'sv', türkçe: 'tr',
};

/** "es", "ES", "pt_br", "en-us" → "es", "es", "pt-BR", "en-US"; null when it is not a well-formed tag. */
function canonicalTag(text: string): string | null {
  const tag = text.trim().replace(/_/g, '-');
  if (!/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(tag)) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical ?? null;
  } catch {
    return null;
  }
}

/** The BCP-47 tag for a name or tag the user gave, or null when it is neither. */
export function toLanguageTag(text: string | undefined): string | null {
  const raw = text?.trim();
  if (!raw) return null;
  const lower = raw.toLowerCase();
  const named = NAMES[lower] ?? NAMES[lower.replace(/\s*\(.*\)$/, '')];
  if (named) return named;
  const tag = canonicalTag(raw);
  // A two- or three-letter word that is not a language ("the") must not pass as a tag.
  if (tag && displayName(tag) !== tag) return tag;
  return null;
}

function displayName(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** "es" → "Spanish", "pt-BR" → "Brazilian Portuguese"; anything unrecognised is returned as given. */
export function languageName(value: string): string {
  const tag = toLanguageTag(value);
  return tag ? displayName(tag) : value;
}

/** The primary subtag: "pt-BR" → "pt". */
export function primaryLanguage(tag: string): string {
  return (tag.split('-')[0] ?? tag).toLowerCase();
}
