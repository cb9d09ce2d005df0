/**
 * The short answers an interview turns on (yes, no, approve, "no more", go back, skip, don't
 * know, suggest, undo), in the six languages Parley reads: English, Spanish, German, French,
 * Portuguese and Italian. The interviewer may ask in English; it must still read "Sí", "Ja,
 * er soll Termine buchen" or "aprobado". Phrases are matched on folded text (lower case, no
 * accents), so "si" and "sí", "nao" and "não" are the same.
 */

export const LANGS = ['en', 'es', 'de', 'fr', 'pt', 'it'] as const;
export type Lang = (typeof LANGS)[number];

/** Lower case, accents removed, quotes and dashes made plain, spaces collapsed; ¿¡ dropped. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[’‘`´]/g, "'")
    .replace(/[“”«»„]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/[¿¡]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export type Cue =
  | 'yes'
  | 'no'
  | 'approve'
  | 'no_more'
  | 'go_back'
  | 'skip'
  | 'dont_know'
  | 'suggest'
  | 'accept_suggestion'
  | 'undo'
  | 'condition';

/** Folded phrases per cue and language. Order inside a list does not matter: the longest match wins. */
const PHRASES: Record<Cue, Record<Lang, string[]>> = {
  yes: {
    en: ['yes', 'yeah', 'yea', 'yep', 'yup', 'sure', 'ok', 'okay', 'of course', 'definitely', 'absolutely', 'certainly', 'correct', 'right', 'indeed', 'affirmative', 'please do', 'i do', 'we do', 'it does', 'it will', 'it should', 'yes please', 'exactly', 'that\'s right', 'thats right', 'sounds good', 'go ahead', 'why not', 'true'],
    es: ['si', 'claro', 'vale', 'de acuerdo', 'correcto', 'por supuesto', 'exacto', 'cierto', 'afirmativo', 'asi es', 'dale', 'efectivamente', 'claro que si'],
    de: ['ja', 'jawohl', 'genau', 'klar', 'richtig', 'stimmt', 'gerne', 'natuerlich', 'naturlich', 'sicher', 'jep', 'jo', 'selbstverstandlich', 'selbstverstaendlich', 'auf jeden fall', 'korrekt', 'passt'],
    fr: ['oui', 'ouais', 'd\'accord', 'bien sur', 'exactement', 'c\'est ca', 'volontiers', 'absolument', 'tout a fait', 'certainement', 'evidemment', 'ok d\'accord'],
    pt: ['sim', 'claro', 'certo', 'isso', 'exato', 'com certeza', 'pode ser', 'beleza', 'positivo', 'isso mesmo', 'obviamente', 'perfeito'],
    it: ['si', 'certo', 'esatto', 'va bene', 'd\'accordo', 'giusto', 'certamente', 'perfetto', 'sicuro', 'volentieri', 'proprio cosi', 'senz\'altro', 'ovviamente'],
  },
  no: {
    en: ['no', 'nope', 'nah', 'not really', 'not needed', 'no need', 'none', 'negative', 'never', 'i don\'t', 'we don\'t', 'it doesn\'t', 'it does not', 'we do not', 'i do not', 'no thanks', 'no thank you', 'not at all', 'false'],
    es: ['no', 'para nada', 'ninguno', 'ninguna', 'nada', 'no hace falta', 'no gracias', 'tampoco', 'negativo'],
    de: ['nein', 'nee', 'noe', 'nicht', 'keine', 'kein', 'gar nicht', 'nein danke', 'auf keinen fall', 'nicht notig', 'nicht noetig'],
    fr: ['non', 'pas du tout', 'aucun', 'aucune', 'non merci', 'pas besoin', 'jamais', 'nan'],
    pt: ['nao', 'nenhum', 'nenhuma', 'de jeito nenhum', 'nao obrigado', 'nao obrigada', 'negativo', 'nada'],
    it: ['no', 'nessuno', 'nessuna', 'per niente', 'niente', 'no grazie', 'affatto', 'non serve', 'non occorre'],
  },
  approve: {
    en: ['approve', 'approved', 'i approve', 'approval', 'looks good', 'look good', 'looks great', 'looks fine', 'looks right', 'lgtm', 'sounds good', 'sounds great', 'perfect', 'ship it', 'go ahead', 'confirm', 'confirmed', 'all good', 'that\'s right', 'that\'s correct', 'that\'s good', 'that\'s great', 'that\'s perfect', 'good to go', 'let\'s do it', 'yes', 'yep', 'yeah', 'ok', 'okay', 'great', 'correct'],
    es: ['aprobado', 'apruebo', 'apruebalo', 'aprobar', 'lo apruebo', 'se ve bien', 'esta bien', 'perfecto', 'adelante', 'todo bien', 'de acuerdo', 'si', 'vale', 'confirmado', 'correcto'],
    de: ['genehmigt', 'freigegeben', 'ich genehmige', 'passt', 'sieht gut aus', 'einverstanden', 'los geht\'s', 'los gehts', 'perfekt', 'alles gut', 'ja', 'bestatigt', 'bestaetigt', 'in ordnung', 'gut so', 'richtig'],
    fr: ['approuve', 'j\'approuve', 'valide', 'je valide', 'ca me va', 'c\'est bon', 'parfait', 'tres bien', 'oui', 'd\'accord', 'confirme', 'allez-y', 'c\'est parfait'],
    pt: ['aprovado', 'aprovo', 'aprova', 'esta otimo', 'esta bom', 'pode seguir', 'tudo certo', 'perfeito', 'sim', 'confirmado', 'pode avancar', 'esta certo'],
    it: ['approvato', 'approvo', 'approva', 'va bene', 'perfetto', 'ok procedi', 'procedi', 'tutto bene', 'si', 'confermato', 'd\'accordo', 'va benissimo', 'ottimo'],
  },
  no_more: {
    en: ['no more tools', 'no more', 'no other tools', 'no other tool', 'no further tools', 'no additional tools', 'that\'s all', 'thats all', 'that\'s it', 'thats it', 'that\'s everything', 'nothing else', 'nothing more', 'no others', 'no other', 'i\'m done', 'we\'re done', 'done with tools', 'that\'s the only tool', 'thats the only tool', 'that\'s the only one', 'only that one', 'only this one', 'only one', 'just that one', 'just the one', 'done', 'all done', 'none', 'no'],
    es: ['no mas', 'ninguna mas', 'ninguno mas', 'nada mas', 'eso es todo', 'ya esta', 'solo esa', 'solo ese', 'es todo', 'ninguna otra', 'ninguna', 'no', 'ya no hay mas', 'listo'],
    de: ['keine weiteren', 'keine mehr', 'keine weitere', 'das war\'s', 'das wars', 'das ist alles', 'nichts mehr', 'nichts weiter', 'fertig', 'sonst nichts', 'nur das eine', 'nein', 'keine'],
    fr: ['plus rien', 'pas d\'autre', 'pas d\'autres', 'c\'est tout', 'aucun autre', 'aucune autre', 'rien d\'autre', 'rien de plus', 'c\'est fini', 'termine', 'non', 'aucun'],
    pt: ['mais nenhuma', 'mais nenhum', 'so isso', 'e tudo', 'nada mais', 'nao ha mais', 'nenhuma outra', 'nenhum outro', 'acabou', 'terminei', 'nao', 'nenhuma'],
    it: ['nessun altro', 'nessun\'altra', 'nessuna altra', 'nient\'altro', 'niente altro', 'e tutto', 'basta cosi', 'basta', 'finito', 'ho finito', 'no', 'nessuno'],
  },
  go_back: {
    en: ['go back', 'going back', 'jump back', 'take me back', 'bring me back', 'move back', 'get back', 'step back', 'head back', 'let\'s go back', 'back to', 'revisit', 'return to', 'reopen', 'redo', 'can we go back', 'could we go back'],
    es: ['volver', 'volvamos', 'vuelve', 'vuelva', 'regresar', 'regresemos', 'regresa', 'volver atras', 'atras'],
    de: ['zuruck', 'zurueck', 'geh zuruck', 'gehen wir zuruck', 'zuruckgehen', 'nochmal zu'],
    fr: ['revenir', 'revenons', 'reviens', 'retour', 'retourner', 'retournons', 'retourne'],
    pt: ['voltar', 'volta', 'voltemos', 'vamos voltar', 'regressar', 'retornar'],
    it: ['tornare', 'torna indietro', 'torniamo', 'indietro', 'tornare indietro', 'ritorna', 'ritorniamo'],
  },
  skip: {
    en: ['skip', 'skip it', 'skip that', 'skip for now', 'skip this', 'later', 'come back to it later', 'come back to that later', 'ask me later', 'do it later', 'pass', 'not now', 'leave it for now', 'leave that for now', 'leave it blank for now', 'next question', 'move on', 'let\'s move on'],
    es: ['saltar', 'saltalo', 'salta', 'omitir', 'omitelo', 'despues', 'mas tarde', 'luego', 'por ahora no', 'siguiente'],
    de: ['uberspringen', 'ueberspringen', 'spater', 'spaeter', 'lass weg', 'weiter', 'nicht jetzt', 'nachste frage', 'naechste frage', 'erstmal nicht'],
    fr: ['passer', 'passe', 'passons', 'sauter', 'plus tard', 'pas maintenant', 'question suivante', 'on verra plus tard'],
    pt: ['pular', 'pula', 'saltar', 'depois', 'mais tarde', 'agora nao', 'proxima pergunta', 'deixa para depois', 'deixa pra depois'],
    it: ['saltare', 'salta', 'dopo', 'piu tardi', 'non ora', 'prossima domanda', 'lascia stare per ora', 'passiamo oltre'],
  },
  dont_know: {
    en: ['i don\'t know', 'i dont know', 'don\'t know', 'dont know', 'dunno', 'idk', 'no idea', 'not sure', 'i\'m not sure', 'im not sure', 'no clue', 'i have no idea', 'haven\'t decided', 'not decided', 'undecided', 'i\'ll ask', 'i will ask', 'i need to ask', 'i\'ll check', 'i will check', 'i need to check', 'let me check', 'let me ask', 'let me think', 'i\'ll find out', 'i need to find out', 'ask our developer', 'ask my developer', 'check with', 'no preference', 'not yet', 'hard to say', 'can\'t say', 'beats me', 'good question'],
    es: ['no se', 'ni idea', 'no estoy seguro', 'no estoy segura', 'no lo se', 'tengo que preguntar', 'no tengo idea', 'todavia no lo se'],
    de: ['weiss nicht', 'weiss ich nicht', 'ich weiss es nicht', 'keine ahnung', 'bin nicht sicher', 'bin mir nicht sicher', 'weiss ich noch nicht', 'muss ich nachfragen'],
    fr: ['je ne sais pas', 'sais pas', 'aucune idee', 'pas sur', 'pas sure', 'je sais pas', 'je ne suis pas sur', 'je dois demander'],
    pt: ['nao sei', 'nao tenho certeza', 'sem ideia', 'nao faco ideia', 'preciso perguntar', 'ainda nao sei'],
    it: ['non lo so', 'non so', 'nessuna idea', 'non sono sicuro', 'non sono sicura', 'boh', 'devo chiedere', 'non saprei'],
  },
  suggest: {
    en: ['what do you suggest', 'what would you suggest', 'what do you recommend', 'what would you recommend', 'suggest something', 'suggest one', 'make a suggestion', 'any suggestions', 'any ideas', 'you decide', 'you choose', 'you pick', 'your call', 'up to you', 'whatever you think', 'whatever you suggest', 'whatever you recommend', 'what\'s usual', 'what is usual', 'what is typical', 'what\'s typical', 'what is common', 'what do people usually', 'propose something', 'recommend something', 'give me a suggestion', 'can you suggest', 'could you suggest', 'what would you use', 'what should it be', 'fill it in for me', 'make one up', 'pick something sensible', 'use a default', 'a sensible default', 'surprise me'],
    es: ['que sugieres', 'que me sugieres', 'que recomiendas', 'sugiere algo', 'sugiereme', 'tu decides', 'propon algo', 'que propones', 'recomiendame'],
    de: ['was schlagst du vor', 'was schlaegst du vor', 'was empfiehlst du', 'schlag was vor', 'schlag etwas vor', 'du entscheidest', 'mach einen vorschlag', 'was wurdest du nehmen', 'was wuerdest du nehmen', 'was schlagen sie vor'],
    fr: ['que proposes-tu', 'que proposes tu', 'que suggeres-tu', 'que suggeres tu', 'que recommandez-vous', 'que me conseilles-tu', 'propose quelque chose', 'a toi de choisir', 'tu choisis', 'que proposez-vous', 'une suggestion'],
    pt: ['o que sugere', 'o que voce sugere', 'o que sugeres', 'o que recomenda', 'sugira algo', 'sugere algo', 'voce decide', 'tu decides', 'recomenda algo'],
    it: ['cosa suggerisci', 'che cosa suggerisci', 'cosa proponi', 'consigliami', 'decidi tu', 'proponi qualcosa', 'cosa consigli', 'suggerisci qualcosa'],
  },
  accept_suggestion: {
    en: ['use your suggestion', 'use the suggestion', 'use that suggestion', 'use your proposal', 'use that', 'use it', 'use yours', 'go with that', 'go with it', 'go with yours', 'go with your suggestion', 'take that', 'take it', 'take your suggestion', 'accept', 'accept it', 'accept that', 'accept the suggestion', 'sounds good', 'that works', 'fine by me', 'works for me', 'keep that', 'keep it', 'do that', 'let\'s use that', 'lets use that', 'your suggestion is fine', 'that\'s fine', 'thats fine', 'fine'],
    es: ['usa tu sugerencia', 'usa esa', 'usa eso', 'usalo', 'acepto', 'me vale', 'esta bien asi', 'quedate con esa'],
    de: ['nimm deinen vorschlag', 'nimm das', 'nimm den', 'nimm die', 'passt so', 'einverstanden', 'ubernimm das', 'uebernimm das', 'dein vorschlag passt'],
    fr: ['prends ta suggestion', 'utilise ta suggestion', 'prends ca', 'utilise ca', 'ca me va', 'j\'accepte', 'va pour ca'],
    pt: ['usa a tua sugestao', 'use sua sugestao', 'usa essa', 'usa isso', 'aceito', 'pode usar', 'fica com essa'],
    it: ['usa il tuo suggerimento', 'usa quello', 'usalo', 'accetto', 'va bene cosi', 'prendi quello'],
  },
  undo: {
    en: ['undo', 'undo that', 'undo it', 'undo the last change', 'revert', 'revert that', 'revert it', 'put it back', 'change it back', 'set it back', 'go back to what it was', 'restore it', 'cancel that change', 'take that back'],
    es: ['deshacer', 'deshaz', 'deshazlo', 'revierte', 'vuelve a como estaba', 'deshacer eso'],
    de: ['ruckgangig', 'rueckgaengig', 'mach das ruckgangig', 'mach das rueckgaengig', 'zurucksetzen', 'wie vorher'],
    fr: ['annuler', 'annule', 'annule ca', 'defais', 'remets comme avant', 'annule la modification'],
    pt: ['desfazer', 'desfaz', 'desfaca', 'volta como estava', 'reverter', 'reverte'],
    it: ['annulla', 'annullare', 'annulla la modifica', 'rimetti com\'era', 'ripristina'],
  },
  condition: {
    en: ['as long as', 'so long as', 'provided that', 'provided', 'on condition', 'only if', 'if', 'once', 'but', 'assuming', 'except', 'however', 'though', 'although', 'after you', 'after we'],
    es: ['siempre que', 'con tal de que', 'siempre y cuando', 'pero', 'si', 'solo si', 'excepto', 'aunque'],
    de: ['solange', 'sofern', 'aber', 'wenn', 'nur wenn', 'vorausgesetzt', 'ausser', 'allerdings'],
    fr: ['a condition que', 'pourvu que', 'mais', 'si', 'seulement si', 'sauf', 'tant que'],
    pt: ['desde que', 'contanto que', 'mas', 'se', 'so se', 'exceto', 'porem'],
    it: ['purche', 'a patto che', 'ma', 'se', 'solo se', 'tranne', 'pero', 'sempre che'],
  },
};

function escape(phrase: string): string {
  return phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
}

interface CompiledCue {
  /** Any phrase anywhere, at word boundaries; group 1 is the phrase. */
  anywhere: RegExp;
  /** A phrase at the very start. */
  leading: RegExp;
  /** A phrase that is the whole message (punctuation aside). */
  whole: RegExp;
  /** phrase → the languages it belongs to */
  langs: Map<string, Lang[]>;
}

const WORD = '[a-z0-9\']';
const compiled = new Map<Cue, CompiledCue>();

function compile(cue: Cue): CompiledCue {
  const hit = compiled.get(cue);
  if (hit) return hit;
  const langs = new Map<string, Lang[]>();
  for (const lang of LANGS) {
    for (const phrase of PHRASES[cue][lang]) langs.set(phrase, [...(langs.get(phrase) ?? []), lang]);
  }
  const alternatives = [...langs.keys()].sort((a, b) => b.length - a.length).map(escape).join('|');
  const entry: CompiledCue = {
    anywhere: new RegExp(`(?<!${WORD})(${alternatives})(?!${WORD})`),
    leading: new RegExp(`^(${alternatives})(?!${WORD})`),
    whole: new RegExp(`^(?:(?:um+|uh+|hmm+|oh|ah)[, ]+|(?:well|so),\\s*)?(${alternatives})[\\s.!,;:)-]*$`),
    langs,
  };
  compiled.set(cue, entry);
  return entry;
}

export interface CueMatch {
  phrase: string;
  /** Languages the phrase belongs to ("si" is Spanish and Italian). */
  langs: Lang[];
  index: number;
  /** The folded text after the phrase, leading punctuation removed. */
  rest: string;
}

function toMatch(cue: Cue, m: RegExpExecArray | null, folded: string): CueMatch | null {
  if (!m?.[1]) return null;
  const phrase = m[1].replace(/\s+/g, ' ');
  const rest = folded.slice(m.index + m[0].length).replace(/^[\s,.;:!?)\-]+/, '');
  return { phrase, langs: compile(cue).langs.get(phrase) ?? [], index: m.index, rest };
}

/** The first phrase of the cue anywhere in the text. */
export function findCue(text: string, cue: Cue): CueMatch | null {
  const folded = fold(text);
  return toMatch(cue, compile(cue).anywhere.exec(folded), folded);
}

/** A phrase of the cue opening the message ("Ja, er soll…" → yes, rest "er soll…"). */
export function leadingCue(text: string, cue: Cue): CueMatch | null {
  // "so," is a filler; "so isso" is Portuguese for "only that".
  const folded = fold(text).replace(/^(?:(?:um+|uh+|hmm+|oh|ah)[, ]+|(?:well|so|actually),\s*)/, '');
  return toMatch(cue, compile(cue).leading.exec(folded), folded);
}

/** The whole message is one phrase of the cue ("nope.", "Sí", "c'est tout !"). */
export function wholeCue(text: string, cue: Cue): CueMatch | null {
  const folded = fold(text).replace(/[.!?…]+$/, '').trim();
  return toMatch(cue, compile(cue).whole.exec(folded), folded);
}

/** Phrases of one cue, for tests and for the stage prompts that tell a model what to accept. */
export function phrases(cue: Cue, lang: Lang): readonly string[] {
  return PHRASES[cue][lang];
}

export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', es: 'Spanish', de: 'German', fr: 'French', pt: 'Portuguese', it: 'Italian' };

function foldChar(c: string): string {
  return c
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[’‘`´]/g, "'")
    .replace(/[“”«»„]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/[¿¡]/g, ' ');
}

/**
 * The original text after a cue's phrase, with its case and accents ("use your suggestion, and
 * lookup_order is a GET" → "and lookup_order is a GET"); '' when the phrase is not in the text.
 */
export function originalAfter(text: string, phrase: string): string {
  const nfc = text.normalize('NFC');
  let folded = '';
  const map: number[] = [];
  for (let i = 0; i < nfc.length; i++) {
    for (const ch of foldChar(nfc[i] ?? '')) {
      folded += ch;
      map.push(i);
    }
  }
  const m = new RegExp(`(?<![a-z0-9'])${escape(phrase)}(?![a-z0-9'])`).exec(folded);
  if (!m) return '';
  const last = map[m.index + m[0].length - 1];
  return last === undefined ? '' : nfc.slice(last + 1).replace(/^[\s,.;:!?)\-]+/, '');
}
