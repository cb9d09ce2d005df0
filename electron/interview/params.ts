import type { JsonSchemaDoc } from '../../shared/spec';
import { fold } from './lexicon';

/**
 * Parameters from the way people list them: "the rx number, the store id and the patient's date
 * of birth" → rx_number (string), store_id (string), patient_date_of_birth (string, date). Each
 * parameter carries how sure the type guess is; a list is as sure as its least certain member.
 */

export interface Param {
  name: string;
  schema: JsonSchemaDoc;
  required: boolean;
  /** 0–1: how sure the name and type are. */
  certainty: number;
}

export interface ParamList {
  params: Param[];
  certainty: number;
}

type Guess = { schema: JsonSchemaDoc; certainty: number };

/** Type guesses from a parameter's name; checked in order, the first match wins. */
const TYPE_RULES: Array<[RegExp, Guess]> = [
  [/(^|_)(date_of_birth|dob|birth_?date|birthday)$/, { schema: { type: 'string', format: 'date' }, certainty: 0.9 }],
  [/(^|_)(date_?time|timestamp|datetime|appointment_time|start_time|end_time|pickup_time|delivery_time|time_slot|slot)$/, { schema: { type: 'string', format: 'date-time' }, certainty: 0.8 }],
  [/(^|_)(date|day|check_?in|check_?out|arrival|departure)$/, { schema: { type: 'string', format: 'date' }, certainty: 0.85 }],
  [/(^|_)time$/, { schema: { type: 'string', format: 'time' }, certainty: 0.8 }],
  [/(^|_)(e_?mail|email_address)$/, { schema: { type: 'string', format: 'email' }, certainty: 0.9 }],
  [/(^|_)(phone|phone_number|mobile|telephone|cell|callback_number|contact_number)$/, { schema: { type: 'string' }, certainty: 0.9 }],
  [/(^|_)(number_of_\w+|count|quantity|qty|party_size|guests|nights|people|seats|age|year|years|units|how_many|adults|children|rooms|tickets)$/, { schema: { type: 'integer' }, certainty: 0.85 }],
  [/(^|_)(amount|price|total|cost|fee|balance|weight|temperature|rating|score|latitude|longitude|lat|lng|percent|percentage|credit|limit|due|owed|deposit|payment|salary|income)$/, { schema: { type: 'number' }, certainty: 0.8 }],
  [/^(is|has|can|should|wants?|needs?)_|(^|_)(flag|consent|opt_in|confirmed|urgent|enabled)$/, { schema: { type: 'boolean' }, certainty: 0.8 }],
  [/(^|_)(id|identifier|code|reference|ref|sku|zip|zip_code|postcode|postal_code|pin|token|key|plate|vin|iban|confirmation)$/, { schema: { type: 'string' }, certainty: 0.9 }],
  // "rx number", "order number", "account number": identifiers, read aloud digit by digit; not arithmetic.
  [/_number$|^number$/, { schema: { type: 'string' }, certainty: 0.75 }],
  [/(^|_)(name|first_name|last_name|full_name|address|street|street_address|city|state|country|region|notes?|reason|message|description|comment|comments|status|type|category|size|colou?r|symptoms?|medication|drug|service|topic|issue|problem|question|language|url|website|company|location|destination|origin|method|mode|plan|product|item|model|brand|title|summary|eta|estimated_delivery|estimated_\w+|address_line|unit|apartment|room|department|specialty|doctor|provider|store|branch)$/, { schema: { type: 'string' }, certainty: 0.85 }],
  [/(^|_)(items|products|lines|line_items|tags|ids|list|dates|slots|times)$/, { schema: { type: 'array', items: { type: 'string' } }, certainty: 0.6 }],
  // The same cues in Spanish, German, French, Portuguese and Italian ("la fecha", "die Uhrzeit", "le nombre de personnes").
  [/(^|_)(fecha|datum|data|tag)$|^(fecha|fecha_de_\w+|datum_\w+|date_de_\w+|data_de_\w+|data_di_\w+)$/, { schema: { type: 'string', format: 'date' }, certainty: 0.85 }],
  [/(^|_)(hora|uhrzeit|heure|ora|horario)$/, { schema: { type: 'string', format: 'time' }, certainty: 0.8 }],
  [/(^|_)(numero_de_personas|personas|comensales|invitados|personen|gaeste|gaste|anzahl\w*|nombre_de_personnes|personnes|couverts|pessoas|numero_de_pessoas|persone|numero_di_persone|coperti|cantidad|quantidade|quantita)$/, { schema: { type: 'integer' }, certainty: 0.85 }],
  [/(^|_)(telefono|telefonnummer|telefon|telephone|numero_de_telephone|telefone|numero_de_telefono|cellulare|movil)$/, { schema: { type: 'string' }, certainty: 0.9 }],
  [/(^|_)(nombre|vorname|nachname|nom|prenom|nome|cognome|apellido|direccion|adresse|endereco|indirizzo|notas|notizen|remarques|observacoes|note|motivo|grund|raison|codigo|kennung|identifiant|codice|reserva|buchung|reservation)$/, { schema: { type: 'string' }, certainty: 0.85 }],
  [/(^|_)(correo|correo_electronico|e_mail_adresse|courriel|posta_elettronica)$/, { schema: { type: 'string', format: 'email' }, certainty: 0.9 }],
];

const TYPE_WORDS: Record<string, JsonSchemaDoc> = {
  string: { type: 'string' }, text: { type: 'string' }, str: { type: 'string' },
  number: { type: 'number' }, float: { type: 'number' }, decimal: { type: 'number' }, double: { type: 'number' },
  integer: { type: 'integer' }, int: { type: 'integer' }, whole: { type: 'integer' },
  boolean: { type: 'boolean' }, bool: { type: 'boolean' }, flag: { type: 'boolean' },
  date: { type: 'string', format: 'date' }, datetime: { type: 'string', format: 'date-time' }, time: { type: 'string', format: 'time' },
  email: { type: 'string', format: 'email' },
};

/** Guesses a JSON Schema type from a parameter name. */
export function guessType(name: string): Guess {
  for (const [re, guess] of TYPE_RULES) if (re.test(name)) return { schema: { ...guess.schema }, certainty: guess.certainty };
  // Romance languages put the head first: "nombre_del_cliente" is a name, "fecha_de_la_reserva" a date.
  const head = /^([a-z]+)_(?:de|del|de_la|da|do|di|della|du|des)_/.exec(name)?.[1];
  if (head) for (const [re, guess] of TYPE_RULES) if (re.test(head)) return { schema: { ...guess.schema }, certainty: guess.certainty };
  return { schema: { type: 'string' }, certainty: 0.55 };
}

const DETERMINERS = /^(?:the|a|an|new|their|his|her|its|our|your|my|his or her|the caller'?s|the customer'?s|the user'?s|any|some|each|every|one|optionally|optional|also|plus|and|or|then|maybe|possibly|el|la|los|las|un|una|su|sus|der|die|das|den|dem|ein|eine|einen|le|la|les|un|une|leur|o|a|os|as|um|uma|seu|sua|il|lo|gli|i|un|una|suo|sua)\s+/i;

const OPTIONAL_MARK = /\s*(?:\((?:optional|if known|if any|optional field)\)|,?\s*(?:which is |that'?s |is )?optional(?:ly)?|,?\s*if (?:they have it|they have one|known|available|any|there is one|they know it|given|provided|(?:they|the (?:guest|caller|customer|patient))(?: \w+)? (?:mentions?|has|have|gives?|knows?|wants?)(?: it| them| one| any)?)|,?\s*when (?:available|known)|\s*\((?:opcional|optional|facultatif|facoltativo)\)|,?\s*(?:si (?:lo|la) tiene|falls vorhanden|si disponible|se (?:tiver|disponibile)))\s*$/i;

const NOT_PARAMS = /^(?:it|them|that|this|those|these|things|stuff|something|anything|nothing|everything|details?|info|information|data|input|inputs|parameters?|params|fields?|following|etc|so on|more|other things|(?:the )?same (?:key|token|auth\w*|credentials?|header))$/i;

/** snake_case from words, ASCII only; null when nothing usable is left. */
export function snake(text: string): string | null {
  const out = fold(text)
    .replace(/'s\b/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, '_');
  return /^[a-z]/.test(out) ? out : null;
}

/** One list item ("the patient's date of birth (optional)") → a parameter; null when it is not a noun phrase. */
export function paramFromPhrase(raw: string): Param | null {
  let phrase = raw.trim().replace(/[.;:!?]+$/, '').replace(/^["'`]|["'`]$/g, '');
  let required = true;
  if (OPTIONAL_MARK.test(phrase)) {
    required = false;
    phrase = phrase.replace(OPTIONAL_MARK, '');
  }
  if (/^(?:optionally|optional|maybe|possibly)\s+/i.test(phrase)) required = false;
  let typed: JsonSchemaDoc | null = null;
  const typeSuffix = /\s*(?:\(|,|:|\bas\s+an?\s+|\bas\s+)\s*(string|text|number|integer|int|boolean|bool|date|datetime|time|email|decimal|float)\)?\s*$/i.exec(phrase);
  if (typeSuffix?.[1]) {
    typed = TYPE_WORDS[typeSuffix[1].toLowerCase()] ?? null;
    phrase = phrase.slice(0, typeSuffix.index);
  }
  let prev = '';
  while (prev !== phrase) {
    prev = phrase;
    phrase = phrase.replace(DETERMINERS, '');
  }
  phrase = phrase.replace(/\s+(?:too|as well|also|please)$/i, '').trim();
  if (!phrase || NOT_PARAMS.test(phrase)) return null;
  // "an API key in the X-API-Key header" is how it authenticates, not something the caller gives.
  if (/\b(api[ -]?key|bearer|token|header|credentials?|oauth\d?|password|secret)\b/i.test(phrase)) return null;
  // "whether there is an outage" → outage (boolean)
  const whether = /^whether\s+(?:or not\s+)?(?:there(?:'s| is| are)|it(?:'s| is)|they(?:'re| are)|the \w+ (?:is|are|has))?\s*(?:an?\s+|the\s+|any\s+)?([a-z][a-z ]{1,40})$/i.exec(phrase);
  if (whether?.[1]) {
    const name = snake(whether[1]);
    return name ? { name, schema: { type: 'boolean' }, required, certainty: 0.8 } : null;
  }
  const wordList = phrase.split(/\s+/);
  if (wordList.length > 6) return null;
  // A clause, not a noun phrase ("we look it up", "they want to know"): no parameter.
  if (/^(?:i|we|they|he|she|you|it)\b|\b(?:is|are|was|were|will|would|should|can|could)\b/i.test(phrase)) return null;
  let name = snake(phrase);
  if (!name || name.length > 48) return null;
  // "the reason for the visit" → reason; "the date of birth" stays (a name of its own).
  const head = /^([a-z]+(?:_[a-z]+)?)_for_(?:the_|their_|this_|a_)?[a-z_]+$/.exec(name)?.[1];
  if (head && TYPE_RULES.some(([re]) => re.test(head))) name = head;
  const guess = guessType(name);
  const schema = typed ?? guess.schema;
  return { name, schema, required, certainty: typed ? 0.95 : guess.certainty };
}

/**
 * Splits a prose list: "a, b and c", "a, b, or c", "a; b; c", "a plus b". Commas inside
 * parentheses stay inside their item.
 */
export function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || ch === ';')) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  return items
    .flatMap((item) => item.split(/\s+(?:and|plus|as well as|along with|together with|y|e|und|et|sowie)\s+|\s+&\s+/i))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A prose list of parameters; null when any item is not a parameter-like noun phrase. */
export function paramsFromProse(text: string): ParamList | null {
  const items = splitList(text.replace(/^(?:both|either)\s+/i, ''));
  if (items.length === 0) return null;
  const params: Param[] = [];
  for (const item of items) {
    // "or" inside one item: "the rx number or the order number" → two optional alternatives.
    const alternatives = item.split(/\s+or\s+/i);
    for (const alt of alternatives) {
      const p = paramFromPhrase(alt);
      if (!p) return null;
      if (alternatives.length > 1) p.required = false;
      if (!params.some((q) => q.name === p.name)) params.push(p);
    }
  }
  if (params.length === 0) return null;
  const certainty = Math.min(...params.map((p) => p.certainty));
  return { params, certainty };
}

export function schemaOf(params: Param[]): JsonSchemaDoc {
  const properties: Record<string, JsonSchemaDoc> = {};
  const required: string[] = [];
  for (const p of params) {
    properties[p.name] = p.schema;
    if (p.required) required.push(p.name);
  }
  const schema: JsonSchemaDoc = { type: 'object', properties };
  if (required.length) schema.required = required;
  return schema;
}

/** "rx_number (string), store_id (string), patient_date_of_birth (date)": how a schema reads back. */
export function describeSchema(schema: JsonSchemaDoc): string {
  const props = schema.properties;
  if (!props || typeof props !== 'object' || Array.isArray(props)) return 'no parameters';
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const entries = Object.entries(props as Record<string, JsonSchemaDoc>);
  if (entries.length === 0) return 'no parameters';
  return entries
    .map(([name, prop]) => {
      const type = typeof prop?.format === 'string' && ['date', 'date-time', 'time', 'email'].includes(prop.format) ? prop.format : typeof prop?.type === 'string' ? prop.type : 'value';
      return `${name} (${type}${required.size && !required.has(name) ? ', optional' : ''})`;
    })
    .join(', ');
}
