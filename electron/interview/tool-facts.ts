import type { JsonSchemaDoc, ToolField } from '../../shared/spec';
import { parseAuth, parseSchemaText } from './answers';
import { toolPath } from './fields';
import { clampConfidence, type ExtractContext, type Finding } from './findings';
import { paramsFromProse, schemaOf, type Param } from './params';
import { asSentence, restore, urlsIn, type Protected } from './prose';

/** A tool's details in the text about it: endpoint, method, auth, inputs, outputs, trigger, error handling. */

const LIST_END =
  /\s*(?:[;⟦]|\b(?:y|und|et|e) (?:devuelve|responde|liefert|gibt|renvoie|retourne|devolve|retorna|restituisce)\b|\b(?:si|cuando|wenn|falls|quand|quando)\b|\bwhich returns\b|\band returns?\b|\bit returns?\b|\breturns?\b|\bgives back\b|\bresponds?\b|\bcomes back\b|\bsends back\b|\bthen\b|\bso (?:that|we|it)\b|\bto (?:check|see|find|get|confirm|look)\b|\bif\b(?!\s+(?:they|the (?:guest|caller|customer|patient|user))(?:\s+\w+)?\s+(?:mentions?|has|have|gives?|knows?|wants?)\b)(?!\s+(?:known|any|available|given|provided)\b)|\bwhen\b|,\s*(?:the\s+)?same (?:key|token|auth\w*)\b|\bvia\b|\busing (?:a|an|the)\b|\bwith (?:a|an) (?:bearer|api|token|key)\b|\bauth\w*\b|\band (?:it )?(?:uses|needs a|requires a|is a|it'?s a)\b|(?:,\s*)?\band (?:both|all|it)\b|\.\s|\.$|—|–| - )/i;

/** The lists that follow each occurrence of a cue ("takes the rx number and the store id"). */
function listsAfter(text: string, cue: RegExp): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(new RegExp(cue.source, 'gi'))) {
    let rest = text.slice((m.index ?? 0) + m[0].length).replace(/^\s*(?::|-)?\s*/, '');
    const end = LIST_END.exec(rest);
    if (end) rest = rest.slice(0, end.index);
    rest = rest.replace(/[,\s]+$/, '').trim();
    if (rest) out.push(rest);
  }
  return out;
}

const INPUT_CUE = /\b(?:takes|(?:it |they |both |both of them |which |that )(?:take|need|require|accept)|needs|requires|accepts|expects|(?:input )?parameters?(?: are)?|params(?: are)?|inputs?(?: are)?|arguments?(?: are)?|passes(?: in)?|keyed by|identified by|recibe|reciben|necesita|requiere|pide|braucht|ben[oö]tigt|nimmt|erwartet|prend|n[eé]cessite|demande|recebe|precisa|pede|riceve|richiede)\b(?:\s+(?:in|as input|as inputs|the following))?\s*:?/i;
const WEAK_INPUT_CUE = /\b(?:with|by|using|given|based on|con|mit|avec|com|usando)\s+(?=the\b|their\b|a\b|an\b|el\b|la\b|los\b|las\b|su\b|der\b|die\b|dem\b|den\b|le\b|les\b|o\b|os\b|il\b|[a-z]+_[a-z])/i;
const OUTPUT_CUE = /\b(?:returns?|gives back|responds with|comes back with|sends back|answers with|we get back|you get back|response (?:has|includes|contains|is)|tells (?:us|you|it|the agent)|devuelve|responde con|liefert|gibt (?:zur[uü]ck)|renvoie|retourne|retorna|devolve|restituisce|ritorna)\b\s*:?/i;
const TYPED_LIST = /\b[A-Za-z_][A-Za-z0-9_]*\??\s*(?::|\()\s*(?:string|str|text|integer|int|long|number|float|double|decimal|boolean|bool|array|list|object|date|datetime)\b/i;

/** Parameters in a tool segment: a typed list, a prose list after a cue, or nothing. */
function readParams(segment: string, p: Protected, cue: RegExp, weak: RegExp | null): { schema: JsonSchemaDoc; confidence: number; params: Param[] } | null {
  const typedAt = TYPED_LIST.exec(segment);
  if (typedAt && cue.test(segment.slice(0, typedAt.index + 1) + ' ') ) {
    const start = segment.slice(0, typedAt.index).search(new RegExp(`${cue.source}\\s*$`, 'i'));
    const from = start >= 0 ? start : typedAt.index;
    let body = segment.slice(from).replace(cue, '').trim();
    const stop = /\s*(?:[;⟦]|\.\s|\.$|\b(?:and )?(?:it )?returns?\b|\bwhich returns\b)/i.exec(body);
    if (stop) body = body.slice(0, stop.index);
    body = body.replace(/[,\s]+(?:and)?\s*$/i, '');
    const parsed = parseSchemaText(body);
    if (parsed.ok) return { schema: parsed.schema, confidence: 0.95, params: [] };
  }
  // The first cue followed by a real list wins ("sends a refill request" is not one; "takes the rx number" is).
  const tries: Array<[string, number]> = [...listsAfter(segment, cue).map((l): [string, number] => [l, 1]), ...(weak ? listsAfter(segment, weak).map((l): [string, number] => [l, 0.9]) : [])];
  for (const [list, factor] of tries) {
    if (/^(?:nothing|no (?:parameters|params|inputs?)|none)\b/i.test(list)) return { schema: { type: 'object', properties: {} }, confidence: 0.9, params: [] };
    const prose = paramsFromProse(restore(p, list).replace(/"/g, ''));
    if (prose) return { schema: schemaOf(prose.params), confidence: clampConfidence(prose.certainty * factor), params: prose.params };
  }
  return null;
}

const METHOD_UPPER = /\b(GET|POST|PUT|PATCH|DELETE)\b/;
const METHOD_PROSE = /\b(?:an?|as an?|via|using|with|method is|method:|it'?s an?|it is an?|does an?|do an?|send an?|make an?|it uses)\s+(get|post|put|patch|delete)\b|\b(get|post|put|patch|delete)\s+(?:request|call|method|endpoint|to\s+⟦U)/i;

export function readMethod(segment: string): { method: string; confidence: number } | null {
  // The last one named wins: "PATCH - no wait, it's definitely POST".
  const upper = [...segment.matchAll(new RegExp(METHOD_UPPER.source, 'g'))].at(-1);
  if (upper?.[1]) return { method: upper[1], confidence: 0.95 };
  const prose = METHOD_PROSE.exec(segment);
  const word = prose?.[1] ?? prose?.[2];
  return word ? { method: word.toUpperCase(), confidence: 0.85 } : null;
}

export const AUTH_CUE = /\b(auth\w*|bearer|tokens?|api[ -]?keys?|keys?|basic|oauth\s*2?|credentials?|headers?|unauthenticated|no auth|public|open api|jwt|x-[a-z0-9-]+)\b/i;

const TRIGGER_OTHER =
  /\b(?:(?:[uú]sal[ao]|ll[aá]mal[ao]|se usa|nutze (?:sie|es)|verwende (?:sie|es)|utilise[zr]?-la|utilise[zr]?-le|us[ae]-[ao]|usal[ao]|chiamal[ao])\s+((?:cuando|wenn|quand|quando|si|se)\b[^.;⟦]*)|((?:cuando|wenn|quand|quando)\s+(?:el cliente|la clienta|alguien|der kunde|die kundin|jemand|le client|quelqu'un|o cliente|algu[eé]m|il cliente|qualcuno)\b[^.;⟦]*))/i;

const TRIGGER_RE =
  /\b(?:(?:call|use|trigger|run|invoke|fire)\s+(?:it|this|that|this one|the tool)\s+(?:only\s+)?((?:when|whenever|if|once|as soon as|after|any ?time)\b[^.;⟦]*)|((?:when|whenever|any ?time)\s+(?:the |a |an )?(?:caller|customer|client|patient|guest|user|someone|somebody|people|they|he|she|callers|customers|patients|guests|person|diner|owner|member|tenant|resident)s?\b[^.;⟦]*?\b(?:asks?|wants?|needs?|requests?|mentions?|gives?|says?|wish(?:es)?|would like|inquires?|enquires?|tries|calls? (?:about|to|for)|reports?|provides?|is ready|has (?:given|provided))\b[^.;⟦]*))/i;

const FAILURE_RE =
  /\b(?:if|when|whenever|should|in case)\s+(?:it|that|this|nothing|there(?:'s| is) no|no|the [a-z]+(?: [a-z]+)?|[a-z]+_[a-z_]+)\b[^.;⟦]*?\b(?:fails?|errors?|errs|times? out|is down|goes down|doesn'?t work|does not work|can'?t find|cannot find|can'?t be found|cannot be found|finds nothing|returns nothing|returns an error|comes back empty|is unavailable|isn'?t available|not available|no (?:match|result|record)s?|not found|isn'?t found|is not found|wasn'?t found|doesn'?t exist|does not exist|unreachable|is rejected|gets rejected|is declined|declines|is full|fully booked|no (?:slots?|availability|tables?|rooms?)|returns? (?:a )?(?:4\d\d|5\d\d))\b[^.;⟦]*|\b(?:on (?:failure|error)|otherwise|if anything goes wrong|if something goes wrong)\b[^.;⟦]*|\b(?:si (?:falla|no (?:hay|encuentra|funciona|responde)|da (?:un )?error|algo (?:sale|va) mal)|wenn (?:es|sie|das|etwas) (?:fehlschl[aä]gt|nicht (?:funktioniert|klappt))|wenn nichts gefunden|si (?:[cç]a|cela|elle|il) (?:[eé]choue|ne (?:marche|fonctionne) pas)|si rien n'est trouv[eé]|se (?:falhar|der erro|n[aã]o (?:houver|encontrar|funcionar))|se (?:fallisce|non (?:trova|c'[eè]|funziona)))\b[^.;⟦]*/i;

/** Tool facts in one segment of text about a tool. */
export function readToolSegment(segment: string, p: Protected, index: number, ctx: ExtractContext, out: Finding[], awaitedKey: ToolField | null): void {
  const path = (key: ToolField) => toolPath(index, key);
  const urls = urlsIn(p, segment);
  const url = urls.at(-1);
  if (url) out.push({ path: path('endpoint'), value: url, confidence: 0.95 });
  const method = readMethod(segment.replace(/⟦U\d+⟧/g, ' URL '));
  if (method) out.push({ path: path('method'), value: method.method, confidence: method.confidence });
  // "…, same key": the auth of the tool named before it in the message or the spec.
  if (/\bsame (?:key|token|auth\w*|credentials?|api key|header)\b|\b(?:misma|mismo) (?:clave|token)\b|\bgleiche[nr]? (?:schl[uü]ssel|token)\b|\bm[eê]me (?:cl[eé]|jeton|token)\b/i.test(segment) && index > 0) {
    const previous = [...out].reverse().find((f) => /^tools\[\d+\]\.auth$/.test(f.path) && f.path !== path('auth'))?.value ?? ctx.spec.tools[index - 1]?.auth?.value;
    if (previous && typeof previous === 'object') {
      const auth = { ...(previous as Record<string, unknown>) };
      const name = ctx.spec.tools[index]?.name?.value;
      if (typeof auth.secret_name === 'string' && name) auth.secret_name = auth.secret_name.replace(/^[A-Z0-9_]+?_(TOKEN|API_KEY|BASIC_AUTH|OAUTH_TOKEN)$/, `${name.toUpperCase()}_$1`);
      out.push({ path: path('auth'), value: auth, confidence: 0.85 });
    }
  }
  for (const sentence of segment.split(/(?<=[.;])\s+|\s+(?:and|but)\s+(?=(?:it|both|all|they)\s+(?:uses?|needs?|requires?|authenticat))/i)) {
    if (!AUTH_CUE.test(sentence) && awaitedKey !== 'auth') continue;
    const clean = restore(p, sentence);
    // A parameter list can mention "key" ("the api key of the store"); auth needs an auth word near a verb or header.
    if (awaitedKey !== 'auth' && !/\b(auth\w*|bearer|token|api[ -]?key|basic auth|oauth\s?\d?|credential|header|no auth|public|unauthenticated|jwt)\b/i.test(clean)) continue;
    const auth = parseAuth(clean, ctx.spec.tools[index]?.name?.value);
    if (auth) {
      out.push({ path: path('auth'), value: auth, confidence: awaitedKey === 'auth' ? 0.95 : 0.9 });
      break;
    }
  }
  // When it is called and what to do when it fails are not its parameters.
  const failureText = FAILURE_RE.exec(segment)?.[0];
  const triggerText0 = (TRIGGER_RE.exec(segment) ?? TRIGGER_OTHER.exec(segment))?.[0];
  let paramText = segment;
  for (const t of [failureText, triggerText0]) if (t) paramText = paramText.replace(t, ' ');
  const inputs = readParams(paramText, p, INPUT_CUE, WEAK_INPUT_CUE);
  if (inputs) {
    // Every {placeholder} of the URL is an input, whether or not it was listed.
    const schema = inputs.schema;
    const props = { ...((schema.properties as Record<string, JsonSchemaDoc> | undefined) ?? {}) };
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    for (const url of urls.length ? urls : [ctx.spec.tools[index]?.endpoint?.value ?? '']) {
      for (const m of url.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
        const name = m[1] ?? '';
        if (!props[name]) {
          // "the last four digits of the card" is {card_last_four}: the prose name that shares most words gives way.
          const words = name.split('_');
          const match = Object.keys(props).find((p) => {
            const theirs = p.split('_');
            const shared = words.filter((w) => theirs.includes(w) || theirs.includes(`${w}s`)).length;
            return shared >= Math.min(2, words.length);
          });
          if (match) {
            const wasRequired = required.delete(match);
            props[name] = props[match]!;
            delete props[match];
            if (wasRequired) required.add(name);
          } else props[name] = { type: 'string' };
        }
        required.add(name);
      }
    }
    const merged: JsonSchemaDoc = { ...schema, type: 'object', properties: props };
    if (required.size) merged.required = [...required];
    // A parameter the URL names is certain whatever its spoken form; the others keep their own certainty.
    const placeholders = new Set(urls.flatMap((u) => [...u.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] ?? '')));
    const certainty = inputs.params.length
      ? Math.min(...Object.keys(props).map((name) => (placeholders.has(name) ? 0.9 : (inputs.params.find((q) => q.name === name)?.certainty ?? 0.9))))
      : inputs.confidence;
    out.push({ path: path('input_schema'), value: merged, confidence: clampConfidence(Math.min(certainty, inputs.confidence >= 0.9 ? 1 : certainty)) });
  }
  const outputs = readParams(paramText.replace(INPUT_CUE, ' '), p, OUTPUT_CUE, null);
  if (outputs) {
    const schema = outputs.params.length ? { type: 'object', properties: schemaOf(outputs.params).properties } : outputs.schema;
    out.push({ path: path('output_schema'), value: schema, confidence: outputs.confidence });
  }
  const failure = FAILURE_RE.exec(segment);
  const withoutFailure = failure ? segment.replace(failure[0], ' ') : segment;
  const trigger = TRIGGER_RE.exec(withoutFailure) ?? TRIGGER_OTHER.exec(withoutFailure);
  const triggerText = trigger?.[1] ?? trigger?.[2];
  if (triggerText) {
    const clean = restore(p, triggerText).replace(/[,\s]+(?:and|but|or|then)?[,\s]*$/i, '');
    out.push({ path: path('trigger'), value: asSentence(clean), confidence: 0.85 });
  }
  if (failure) out.push({ path: path('error_handling'), value: asSentence(restore(p, failure[0])), confidence: 0.85 });
}
