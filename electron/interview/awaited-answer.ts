import { findRelativePath, parseAgentType, parseAuth, parseMethod, parseToolName, usableText } from './answers';
import { languageCode } from './call-facts';
import { infinitive, lexiconTags } from './english';
import { parsePath, type FieldPath, type TopField, type TransferField } from './fields';
import type { ExtractContext, Finding, Unit } from './findings';
import { paramsFromProse, schemaOf } from './params';
import { asSentence, e164, restore, splitRepairs, wordCount, type Protected } from './prose';

type Problem = { path: string; message: string } | null;
type Add = (value: unknown, confidence: number) => void;

/** Text of the units nothing else used, restored. */
function leftover(p: Protected, units: Unit[]): string {
  return restore(p, units.filter((u) => !u.consumed).map((u) => u.text).join(' ')).trim();
}

/**
 * The awaited field from a direct answer when the prose readers found nothing for it: "GET",
 * "friendly and calm", "https://…", "none". Returns a problem when the answer cannot be read.
 */
export function readAwaited(text: string, p: Protected, units: Unit[], ctx: ExtractContext, findings: Finding[]): Problem {
  const path = ctx.awaiting ? parsePath(ctx.awaiting) : null;
  if (!path || !ctx.awaiting) return null;
  if (findings.some((f) => f.path === ctx.awaiting)) return null;
  // A long message that said other things is not, as a whole, the answer to this one question.
  if (findings.length > 0 && wordCount(text) > 15) {
    if (path.kind === 'tool' && path.key === 'purpose') {
      const lead = purposeFromLead(p, units);
      if (lead) findings.push({ path: ctx.awaiting, value: lead, confidence: 0.8 });
    }
    return null;
  }
  const key = ctx.awaiting;
  const add: Add = (value, confidence) => findings.push({ path: key, value, confidence });
  const unused = leftover(p, units);
  // Everything was read as something else ("first message: …" while the tone is asked).
  if (!unused && findings.length) return null;
  const rest = unused || text.trim();
  // A repair in a short answer: only the last part counts ("PATCH - no wait, POST").
  const parts = splitRepairs(rest);
  const answer = parts.at(-1) ?? rest;
  if (path.kind === 'top') return readTopAnswer(path.key, key, answer, add);
  if (path.kind === 'knowledge') return readKnowledgeAnswer(answer, p, add);
  if (path.kind === 'item') {
    // Read by the validator: "order_id: the order number" / "a call succeeds when …", or the text itself.
    const value = usableText(answer);
    if (value) add(value, 0.9);
    return null;
  }
  if (path.kind === 'transfer') return readTransferAnswer(path.key, answer, p, add);
  return readToolAnswer(path, key, answer, ctx, add);
}

/** A direct answer for a top-level field. */
function readTopAnswer(field: TopField, key: string, answer: string, add: Add): Problem {
  switch (field) {
    case 'agent_type': {
      const value = parseAgentType(answer);
      if (value && wordCount(value) <= 8) add(value, 0.9);
      else if (value) return { path: key, message: 'In a few words, what kind of agent is it (for example "a pharmacy phone assistant")?' };
      return null;
    }
    case 'goals': {
      const value = usableText(answer);
      if (value) add(value.replace(/[.!]+$/, ''), 0.9);
      return null;
    }
    case 'tone': {
      const value = usableText(answer);
      if (value && wordCount(value) <= 12) add(value.replace(/[.!]+$/, ''), 0.9);
      return null;
    }
    case 'language': {
      const code = languageCode(answer);
      if (code) add(code, 0.95);
      return null;
    }
    case 'first_message': {
      const value = usableText(answer);
      if (value) add(value.replace(/^"|"$/g, ''), 0.9);
      return null;
    }
    case 'business_name': {
      const value = usableText(answer)?.replace(/^(?:it'?s|we'?re|we are|the business is|it is)(?: called)?\s+/i, '').replace(/[.!]+$/, '');
      if (value && wordCount(value) <= 8) add(value, 0.9);
      return null;
    }
    case 'call_direction': {
      if (/\b(outbound|outgoing|places?|makes?|calls? (?:our|the) )/i.test(answer)) add('outbound', 0.9);
      else if (/\b(inbound|incoming|answers?|takes?)\b/i.test(answer)) add('inbound', 0.9);
      return null;
    }
    case 'voicemail': {
      // Read as prose by the validator: "hang up", "leave a message: …", or the message itself.
      const value = usableText(answer);
      if (value) add(value, 0.9);
      return null;
    }
    default:
      return null;
  }
}

/** A knowledge-base source: a URL, or a file path. */
function readKnowledgeAnswer(answer: string, p: Protected, add: Add): Problem {
  const url = p.urls[0];
  if (url) add({ type: 'url', url }, 0.95);
  else if (/^(?:[a-z]:)?[\\/~][^\s]*\.[a-z0-9]{2,5}$/i.test(answer.trim())) add({ type: 'file', path: answer.trim() }, 0.9);
  return null;
}

/** A transfer's number, condition or type. */
function readTransferAnswer(field: TransferField, answer: string, p: Protected, add: Add): Problem {
  if (field === 'phone_number') {
    const number = p.phones[0] ? e164(p.phones[0]) : null;
    if (number) add(number, 0.95);
  } else if (field === 'condition') {
    const value = usableText(answer);
    if (value) add(asSentence(value), 0.9);
  } else {
    const type = /\b(cold|warm|conference)\b/i.exec(answer)?.[1]?.toLowerCase();
    if (type) add(type, 0.95);
  }
  return null;
}

/** A direct answer for one of a tool's fields. */
function readToolAnswer(path: Extract<FieldPath, { kind: 'tool' }>, key: string, answer: string, ctx: ExtractContext, add: Add): Problem {
  const tool = ctx.spec.tools[path.index];
  switch (path.key) {
    case 'name': {
      const name = parseToolName(answer);
      if (name) add(name, 0.9);
      return null;
    }
    case 'endpoint': {
      const relative = findRelativePath(answer);
      return relative ? { path: key, message: '' } : null;
    }
    case 'method': {
      const found = parseMethod(answer);
      if (found && 'method' in found) add(found.method, 0.95);
      else if (found && 'unsupported' in found) {
        return { path: key, message: `${found.unsupported} isn't supported: a tool uses GET, POST, PUT, PATCH or DELETE. Which one does ${tool?.name?.value ?? 'this tool'} use?` };
      }
      return null;
    }
    case 'auth': {
      const auth = parseAuth(answer, tool?.name?.value);
      if (auth) add(auth, 0.95);
      return null;
    }
    case 'input_schema':
    case 'output_schema': {
      const stripped = answer.replace(/^(?:it\s+)?(?:takes|needs|accepts|returns|gives back|responds with|outputs?|inputs?)\b\s*:?\s*/i, '');
      if (/[{:]|\b(?:string|integer|number|boolean)\b/.test(stripped)) {
        add(answer, 0.95);
        return null;
      }
      const prose = paramsFromProse(stripped);
      if (prose) {
        const schema = schemaOf(prose.params);
        if (path.key === 'output_schema') delete schema.required;
        add(schema, prose.certainty);
      } else {
        add(answer, 0.9); // the validator explains what is wrong
      }
      return null;
    }
    case 'trigger':
    case 'error_handling':
    case 'purpose': {
      const value = usableText(answer);
      if (value) add(path.key === 'purpose' ? asSentence(value) : value, 0.9);
      return null;
    }
  }
  return null;
}

/** "Crea una reserva nueva y devuelve el código. Úsala cuando …": the opening clause says what a tool does. */
function purposeFromLead(p: Protected, units: Unit[]): string | null {
  const first = units.find((u) => !u.consumed);
  if (!first) return null;
  const clause = first.text.split(/\s*(?:,|;|⟦|\b(?:and|y|und|et|e) (?:returns?|devuelve|liefert|renvoie|devolve|restituisce|takes|recibe|nimmt|prend|recebe|riceve)\b|\b(?:returns?|devuelve|liefert|renvoie|devolve|restituisce)\b)/i)[0] ?? '';
  const text = restore(p, clause).trim().replace(/^(?:it|this one|this|that one)\s+/i, '');
  if (wordCount(text) < 3 || wordCount(text) > 20) return null;
  // A purpose says what the tool does: it starts with a verb ("Crea una reserva", "Looks up …").
  const verb = (text.split(/\s+/)[0] ?? '').toLowerCase();
  const isVerb = (/[^s]s$/.test(verb) && infinitive(verb) !== verb) || lexiconTags(verb).some((t) => /Verb|Infinitive/.test(t)) || /^[a-záéíóú]+[ae]$/i.test(verb);
  return isVerb ? asSentence(text) : null;
}
