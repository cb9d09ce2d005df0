/**
 * Word lists the extractor matches against: tone adjectives (in the six languages), language
 * names, actions that make a tool, business nouns. Folded (lower case, no accents).
 */

/** Adjectives that describe how an agent sounds. */
export const TONE_WORDS = new Set([
  // English
  'friendly', 'warm', 'empathetic', 'empathic', 'caring', 'kind', 'gentle', 'patient', 'calm', 'reassuring', 'relaxed', 'casual',
  'informal', 'formal', 'professional', 'polite', 'courteous', 'respectful', 'concise', 'brief', 'short', 'clear', 'direct',
  'efficient', 'upbeat', 'cheerful', 'enthusiastic', 'energetic', 'lively', 'positive', 'bubbly', 'playful', 'fun', 'witty',
  'humorous', 'confident', 'authoritative', 'knowledgeable', 'helpful', 'approachable', 'welcoming', 'inviting', 'easygoing',
  'easy-going', 'laid-back', 'laidback', 'chill', 'serious', 'neutral', 'precise', 'thorough', 'detailed', 'simple', 'plain',
  'soothing', 'compassionate', 'understanding', 'supportive', 'encouraging', 'sincere', 'genuine', 'honest', 'transparent',
  'trustworthy', 'discreet', 'tactful', 'diplomatic', 'firm', 'assertive', 'persuasive', 'conversational', 'natural', 'human',
  'personable', 'charming', 'elegant', 'sophisticated', 'luxurious', 'refined', 'attentive', 'gracious', 'hospitable', 'cordial',
  'crisp', 'succinct', 'to-the-point', 'no-nonsense', 'matter-of-fact', 'slow', 'unhurried', 'steady', 'composed', 'empathetically',
  'sympathetic', 'respectful', 'non-judgmental', 'nonjudgmental', 'upbeat', 'sunny', 'happy', 'excited', 'peppy', 'quirky', 'witty',
  'dry', 'cool', 'smooth', 'soft', 'quiet', 'loud', 'bright', 'snappy', 'quick', 'fast', 'jovial', 'folksy', 'down-to-earth',
  // Spanish
  'amable', 'calido', 'calida', 'cercano', 'cercana', 'profesional', 'formal', 'informal', 'paciente', 'tranquilo', 'tranquila',
  'claro', 'clara', 'conciso', 'concisa', 'alegre', 'simpatico', 'simpatica', 'empatico', 'empatica', 'educado', 'educada',
  'cordial', 'respetuoso', 'respetuosa', 'relajado', 'relajada', 'directo', 'directa', 'breve', 'agradable', 'servicial', 'atento', 'atenta',
  // German
  'freundlich', 'herzlich', 'warmherzig', 'professionell', 'hoflich', 'hoeflich', 'geduldig', 'ruhig', 'klar', 'knapp', 'locker',
  'entspannt', 'sachlich', 'kompetent', 'einfuhlsam', 'einfuehlsam', 'zuvorkommend', 'fröhlich', 'frohlich', 'direkt', 'formell', 'seriös', 'serios', 'verbindlich', 'hilfsbereit',
  // French
  'chaleureux', 'chaleureuse', 'aimable', 'professionnel', 'professionnelle', 'poli', 'polie', 'patient', 'patiente', 'calme', 'clair',
  'claire', 'concis', 'concise', 'souriant', 'souriante', 'detendu', 'detendue', 'bienveillant', 'bienveillante', 'courtois', 'courtoise',
  'sympathique', 'empathique', 'rassurant', 'rassurante', 'dynamique', 'serieux', 'serieuse',
  // Portuguese
  'simpatico', 'simpatica', 'acolhedor', 'acolhedora', 'educado', 'educada', 'profissional', 'calmo', 'calma', 'objetivo', 'objetiva',
  'atencioso', 'atenciosa', 'descontraido', 'descontraida', 'cordial', 'gentil', 'paciente', 'claro', 'clara', 'alegre', 'empatico', 'empatica',
  // Italian
  'cordiale', 'gentile', 'caloroso', 'calorosa', 'professionale', 'educato', 'educata', 'paziente', 'calmo', 'calma', 'chiaro', 'chiara',
  'conciso', 'concisa', 'solare', 'allegro', 'allegra', 'rilassato', 'rilassata', 'empatico', 'empatica', 'disponibile', 'accogliente', 'sereno', 'serena',
]);

/** Language names in the six languages (and their own names) → BCP-47 primary tags. */
export const LANGUAGE_WORDS: Record<string, string> = {
  english: 'en', ingles: 'en', englisch: 'en', anglais: 'en', inglese: 'en',
  spanish: 'es', espanol: 'es', castellano: 'es', spanisch: 'es', espagnol: 'es', espanhol: 'es', spagnolo: 'es',
  german: 'de', aleman: 'de', deutsch: 'de', allemand: 'de', alemao: 'de', tedesco: 'de',
  french: 'fr', frances: 'fr', franzosisch: 'fr', franzoesisch: 'fr', francais: 'fr', francese: 'fr',
  portuguese: 'pt', portugues: 'pt', portugiesisch: 'pt', portugais: 'pt', portoghese: 'pt',
  italian: 'it', italiano: 'it', italienisch: 'it', italien: 'it',
  dutch: 'nl', nederlands: 'nl', polish: 'pl', polski: 'pl', japanese: 'ja', chinese: 'zh', mandarin: 'zh', cantonese: 'zh',
  korean: 'ko', hindi: 'hi', arabic: 'ar', turkish: 'tr', swedish: 'sv', danish: 'da', norwegian: 'no', finnish: 'fi',
  greek: 'el', czech: 'cs', romanian: 'ro', hungarian: 'hu', russian: 'ru', ukrainian: 'uk', vietnamese: 'vi', indonesian: 'id',
  malay: 'ms', filipino: 'fil', tagalog: 'fil', tamil: 'ta', bulgarian: 'bg', croatian: 'hr', slovak: 'sk',
};

/** Regional forms people name: "Brazilian Portuguese" → pt-BR. */
export const LANGUAGE_REGIONS: Array<[RegExp, string]> = [
  [/\b(brazilian|brasileiro|brasilianisch)\b/, 'pt-BR'],
  [/\b(european portuguese|portugal)\b/, 'pt-PT'],
  [/\b(mexican|mexicano)\b/, 'es-MX'],
  [/\b(castilian|spain|espana)\b/, 'es-ES'],
  [/\b(american english|us english)\b/, 'en-US'],
  [/\b(british english|uk english)\b/, 'en-GB'],
  [/\b(swiss german|schweizerdeutsch)\b/, 'de-CH'],
  [/\b(austrian german)\b/, 'de-AT'],
  [/\b(canadian french|quebecois|quebec)\b/, 'fr-CA'],
];

export const LANGUAGE_LABELS: Record<string, string> = {
  en: 'English', es: 'Spanish', de: 'German', fr: 'French', pt: 'Portuguese', it: 'Italian', nl: 'Dutch', pl: 'Polish',
  ja: 'Japanese', zh: 'Chinese', ko: 'Korean', hi: 'Hindi', ar: 'Arabic', tr: 'Turkish', sv: 'Swedish', da: 'Danish',
  no: 'Norwegian', fi: 'Finnish', el: 'Greek', cs: 'Czech', ro: 'Romanian', hu: 'Hungarian', ru: 'Russian', uk: 'Ukrainian',
  vi: 'Vietnamese', id: 'Indonesian', ms: 'Malay', fil: 'Filipino', ta: 'Tamil', bg: 'Bulgarian', hr: 'Croatian', sk: 'Slovak',
};

export function languageLabel(code: string): string {
  const primary = code.split('-')[0]?.toLowerCase() ?? code;
  return LANGUAGE_LABELS[primary] ?? code;
}

/**
 * Verbs that make an action a tool (the agent does it in another system). "tell", "answer",
 * "help" are goals, not tools. Phrasal verbs are joined: "look up" → lookup.
 */
export const TOOL_VERBS = new Set([
  'lookup', 'look', 'check', 'find', 'get', 'fetch', 'retrieve', 'search', 'query', 'pull', 'book', 'schedule', 'reschedule',
  'cancel', 'create', 'open', 'submit', 'request', 'refill', 'renew', 'order', 'place', 'update', 'change', 'modify', 'edit',
  'send', 'track', 'reserve', 'verify', 'validate', 'log', 'record', 'register', 'report', 'add', 'remove', 'delete', 'list',
  'calculate', 'quote', 'estimate', 'confirm', 'issue', 'process', 'charge', 'refund', 'pay', 'file', 'raise', 'escalate',
  'assign', 'dispatch', 'notify', 'text', 'email', 'message', 'save', 'store', 'sign', 'enroll', 'enrol', 'subscribe', 'unsubscribe',
  'look_up', 'pull_up', 'move', 'hold', 'release', 'return', 'exchange', 'transfer_funds', 'apply', 'collect', 'capture', 'take',
  'lock', 'unlock', 'freeze', 'block', 'activate', 'reset', 'locate', 'report', 'dispute', 'redeem', 'extend', 'upgrade',
  // Tool names people write in their own language: crear_reserva, stornieren_termin, annuler_commande.
  'crear', 'cancelar', 'reservar', 'consultar', 'buscar', 'modificar', 'actualizar', 'anular', 'pedir', 'enviar', 'verificar', 'obtener', 'registrar', 'confirmar',
  'buchen', 'stornieren', 'pruefen', 'abfragen', 'erstellen', 'aendern', 'suchen', 'bestellen', 'anlegen',
  'creer', 'annuler', 'reserver', 'consulter', 'chercher', 'verifier', 'modifier', 'commander', 'envoyer',
  'criar', 'alterar', 'agendar', 'marcar', 'cancela', 'creare', 'annullare', 'prenotare', 'cercare', 'verificare', 'modificare', 'inviare', 'ordinare',
]);

/** Phrasal verbs → the verb part of a tool name. */
export const PHRASAL: Record<string, string> = {
  'look up': 'lookup', 'looks up': 'lookup', 'looking up': 'lookup', 'pull up': 'lookup', 'pulls up': 'lookup', 'find out': 'find',
  'check on': 'check', 'checks on': 'check', 'sign up': 'signup', 'set up': 'setup', 'book in': 'book', 'log in': 'login',
  'fill in': 'fill', 'write down': 'record', 'note down': 'record', 'take down': 'record', 'put in': 'submit', 'send out': 'send',
  'call up': 'lookup', 'pick up': 'pickup',
};

/** Nouns that end a business's name or say what kind of business it is. */
export const BUSINESS_NOUNS = new Set([
  'pharmacy', 'drugstore', 'chemist', 'hotel', 'inn', 'resort', 'motel', 'hostel', 'clinic', 'practice', 'hospital', 'dental', 'dentistry',
  'dentist', 'surgery', 'salon', 'spa', 'barbershop', 'barber', 'restaurant', 'bistro', 'cafe', 'café', 'pizzeria', 'bakery', 'bar',
  'diner', 'kitchen', 'grill', 'plumbing', 'electric', 'electrical', 'heating', 'hvac', 'roofing', 'bank', 'credit union', 'insurance',
  'motors', 'auto', 'garage', 'dealership', 'gym', 'fitness', 'studio', 'school', 'academy', 'university', 'college', 'library', 'store',
  'shop', 'boutique', 'market', 'supermarket', 'grocery', 'foods', 'veterinary', 'vet', 'vets', 'animal hospital', 'law', 'legal',
  'attorneys', 'lawyers', 'realty', 'properties', 'real estate', 'airlines', 'airline', 'travel', 'tours', 'logistics', 'shipping',
  'couriers', 'energy', 'power', 'utilities', 'water', 'gas', 'telecom', 'mobile', 'internet', 'cable', 'inc', 'llc', 'ltd', 'co',
  'company', 'group', 'union', 'services', 'solutions', 'partners', 'associates', 'agency', 'center', 'centre', 'labs', 'health', 'care',
  'healthcare', 'medical', 'optician', 'opticians', 'optometry', 'physio', 'physiotherapy', 'chiropractic', 'rentals', 'rental',
  'movers', 'cleaning', 'cleaners', 'laundry', 'florist', 'flowers', 'books', 'bookshop', 'bookstore', 'brewery', 'winery', 'theatre',
  'theater', 'cinema', 'museum', 'zoo', 'park', 'apartments', 'residences', 'city', 'council', 'municipality', 'department', 'farmacia',
  'peluqueria', 'clinica', 'restaurante', 'panaderia', 'praxis', 'zahnarztpraxis', 'apotheke', 'friseur', 'baeckerei', 'backerei',
  'boulangerie', 'pharmacie', 'cabinet', 'farmácia', 'padaria', 'clínica', 'ristorante', 'panetteria', 'studio', 'taller', 'werkstatt',
  'trattoria', 'osteria', 'hotellerie', 'gasthaus', 'gasthof', 'pension',
]);

/** What an ordinary noun phrase head can be for an agent ("pharmacy phone assistant"). */
export const AGENT_HEADS =
  /\b(agent|assistant|receptionist|bot|chatbot|voicebot|concierge|operator|dispatcher|scheduler|representative|rep|attendant|hotline|helpline|secretary|host|hostess|coordinator|advisor|adviser|specialist|booker|answering service|front desk|call handler|asistente|agente|recepcionista|assistent|assistentin|agent|empfang|rezeption|assistant|standardiste|agente|assistente|recepcionista|receptionista|centralinista)\b/;

/** Modifiers that say nothing about what the agent does. */
export const GENERIC_MODIFIERS = new Set(['voice', 'ai', 'virtual', 'phone', 'telephone', 'automated', 'smart', 'simple', 'new', 'little', 'small', 'good', 'great', 'inbound', 'outbound', 'conversational', 'digital', 'intelligent', 'helpful', 'friendly', 'own', 'custom', 'basic', 'first']);
