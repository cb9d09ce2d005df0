import type { AgentSpec, AuthSpec, JsonSchemaDoc } from '../../shared/spec';
import { parsePath } from './fields';
import { describeSchema } from './params';
import { languageLabel } from './vocabulary';

/**
 * Concrete proposals for "what do you suggest?", "I don't know" and "use your suggestion":
 * built from what the design already says (the agent type, the other tools, the tool's own
 * name and URL), never a placeholder like "TBD".
 */

export interface Suggestion {
  value: unknown;
  /** How the proposal reads in the reply. */
  shown: string;
}

const DOMAINS: Array<[RegExp, { tone: string; goal: string }]> = [
  [/pharma|clinic|health|medical|dental|doctor|patient|hospital|vet|care|therapy|nurse/, { tone: 'warm, patient and reassuring', goal: 'Answer callers\u2019 questions and handle their requests, and pass anything clinical to staff' }],
  [/bank|financ|insur|loan|account|billing|payment|tax|invoice/, { tone: 'professional, precise and calm', goal: 'Answer account questions and handle routine requests securely' }],
  [/law|legal|attorney/, { tone: 'professional and discreet', goal: 'Take enquiries and book consultations' }],
  [/hotel|guest|restaurant|reservation|booking|salon|spa|travel|concierge|hospitality/, { tone: 'warm, welcoming and efficient', goal: 'Take bookings and answer guests\u2019 questions' }],
  [/support|help ?desk|service|order|shop|store|retail|delivery|track/, { tone: 'friendly, clear and empathetic', goal: 'Help customers with their orders and answer common questions' }],
  [/sales|lead|survey|outbound|qualif|appointment setter/, { tone: 'upbeat, respectful and concise', goal: 'Reach people, ask the key questions and record their answers' }],
];

function domainOf(spec: AgentSpec): { tone: string; goal: string } {
  const text = `${spec.agent_type?.value ?? ''} ${spec.goals?.value ?? ''} ${spec.business_name?.value ?? ''}`.toLowerCase();
  for (const [re, d] of DOMAINS) if (re.test(text)) return d;
  return { tone: 'friendly, clear and concise', goal: 'Answer callers\u2019 questions and handle their requests' };
}

function words(name: string): string[] {
  return name.split('_').filter(Boolean);
}

function verbOf(name: string): string {
  return words(name)[0] ?? '';
}

function objectOf(name: string): string {
  return words(name).slice(1).join(' ') || 'request';
}

function methodFor(name: string): 'GET' | 'POST' | 'PATCH' | 'DELETE' {
  const verb = verbOf(name);
  if (/^(get|lookup|look|find|check|search|list|fetch|retrieve|track|verify|query|quote|estimate|calculate)$/.test(verb)) return 'GET';
  if (/^(update|change|modify|edit|reschedule|move|rename)$/.test(verb)) return 'PATCH';
  if (/^(cancel|delete|remove)$/.test(verb)) return 'DELETE';
  return 'POST';
}

function thirdPerson(verb: string): string {
  if (verb === 'lookup') return 'Looks up';
  const v = /(s|sh|ch|x|z|o)$/.test(verb) ? `${verb}es` : /[^aeiou]y$/.test(verb) ? `${verb.slice(0, -1)}ies` : `${verb}s`;
  return v.charAt(0).toUpperCase() + v.slice(1);
}

function baseUrl(spec: AgentSpec): string | null {
  for (const tool of spec.tools) {
    const endpoint = tool.endpoint?.value;
    if (!endpoint) continue;
    try {
      const url = new URL(endpoint.replace(/[{}]/g, ''));
      const firstSegment = url.pathname.split('/').filter(Boolean)[0];
      return /^v\d+$/.test(firstSegment ?? '') ? `${url.origin}/${firstSegment}` : url.origin;
    } catch {
      continue;
    }
  }
  return null;
}

function idParam(name: string): string {
  const object = words(name).slice(1);
  const noun = object.at(-1) ?? 'item';
  return `${noun}_id`;
}

function schemaShown(schema: JsonSchemaDoc): string {
  return describeSchema(schema);
}

/** A proposal for the field at `path`; null when there is nothing sensible to propose. */
export function suggestFor(path: string, spec: AgentSpec, userLanguage: string | null = null): Suggestion | null {
  const parsed = parsePath(path);
  if (!parsed) return null;
  const domain = domainOf(spec);
  if (parsed.kind === 'top') {
    switch (parsed.key) {
      case 'agent_type':
        return { value: 'customer support agent', shown: '"customer support agent"' };
      case 'goals': {
        const toolGoals = spec.tools.map((t) => t.purpose?.value.replace(/\.$/, '')).filter((g): g is string => !!g);
        const value = toolGoals.length ? `${toolGoals.join('; ')}; ${domain.goal.charAt(0).toLowerCase()}${domain.goal.slice(1)}` : domain.goal;
        return { value, shown: `"${value}"` };
      }
      case 'tone':
        return { value: domain.tone, shown: `"${domain.tone}"` };
      case 'language': {
        const code = userLanguage ?? 'en';
        return { value: code, shown: `${languageLabel(code)} (${code})` };
      }
      case 'use_tools': {
        const wants = /\b(look ?up|check|book|track|status|order|schedule|cancel|refill|reserve|find)\b/i.test(spec.goals?.value ?? '');
        return { value: wants, shown: wants ? 'yes: the goals mention looking things up or booking, which needs a tool' : 'no: the goals can be met by talking alone' };
      }
      case 'first_message': {
        const business = spec.business_name?.value;
        const value = business ? `Thanks for calling ${business}, how can I help you today?` : 'Hi, thanks for calling! How can I help you today?';
        return { value, shown: `"${value}"` };
      }
      default:
        return null;
    }
  }
  if (parsed.kind !== 'tool') return null;
  const tool = spec.tools[parsed.index];
  const name = tool?.name?.value ?? '';
  switch (parsed.key) {
    case 'name': {
      const goal = spec.goals?.value ?? '';
      const taken = new Set(spec.tools.map((t) => t.name?.value));
      const verbs = [...goal.matchAll(/\b(look up|check|book|cancel|track|find|reschedule|refill|reserve|create|update)\s+(?:an?\s+|the\s+|their\s+)?([a-z]+)/gi)];
      for (const m of verbs) {
        const v = (m[1] ?? '').toLowerCase().replace(' ', '');
        const noun = (m[2] ?? '').toLowerCase().replace(/s$/, '');
        const candidate = `${v}_${noun}`;
        if (!taken.has(candidate)) return { value: candidate, shown: candidate };
      }
      const fallback = parsed.index === 0 ? 'get_order_status' : `tool_${parsed.index + 1}`;
      return { value: fallback, shown: fallback };
    }
    case 'purpose': {
      if (!name) return null;
      const value = `${thirdPerson(verbOf(name))} ${objectOf(name)}.`;
      return { value, shown: `"${value}"` };
    }
    case 'endpoint': {
      if (!name) return null;
      const base = baseUrl(spec) ?? 'https://api.example.com';
      const object = words(name).slice(1).join('_') || 'items';
      const plural = object.endsWith('s') ? object : `${object}s`;
      const method = tool?.method?.value ?? methodFor(name);
      const value = method === 'POST' ? `${base}/${plural}` : `${base}/${plural}/{${idParam(name)}}`;
      return { value, shown: `${value} (replace the host with your API's)` };
    }
    case 'method': {
      if (!name) return null;
      const value = methodFor(name);
      return { value, shown: `${value} (${value === 'GET' ? 'it reads data' : value === 'POST' ? 'it creates something' : value === 'PATCH' ? 'it changes something' : 'it removes something'})` };
    }
    case 'auth': {
      const other = spec.tools.find((t, i) => i !== parsed.index && t.auth)?.auth?.value;
      const value: AuthSpec = other ? { ...other, secret_name: other.secret_name?.replace(/^[A-Z0-9]+(?:_[A-Z0-9]+)*?_(TOKEN|API_KEY|BASIC_AUTH|OAUTH_TOKEN)$/, `${name.toUpperCase()}_$1`) } : { type: 'bearer', header: 'Authorization', secret_name: `${(name || 'api').toUpperCase()}_TOKEN` };
      if (!value.secret_name) delete value.secret_name;
      return { value, shown: other ? `the same as the other tool (${value.type.replace('_', ' ')})` : 'a bearer token in the Authorization header' };
    }
    case 'input_schema': {
      const endpoint = tool?.endpoint?.value ?? '';
      const placeholders = [...endpoint.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] ?? '');
      const names = placeholders.length ? placeholders : [idParam(name || 'item')];
      const properties = Object.fromEntries(names.map((n) => [n, { type: 'string' }]));
      const value: JsonSchemaDoc = { type: 'object', properties, required: names };
      return { value, shown: schemaShown(value) };
    }
    case 'output_schema': {
      const value: JsonSchemaDoc = { type: 'object', properties: { status: { type: 'string' }, message: { type: 'string' } } };
      return { value, shown: `${schemaShown(value)}; the agent reads the message to the caller` };
    }
    case 'trigger': {
      if (!name) return null;
      const value = `When the caller wants to ${verbOf(name) === 'lookup' ? 'look up' : verbOf(name)} ${objectOf(name)}s`.replace(/ss$/, 's');
      return { value: `${value}.`, shown: `"${value}."` };
    }
    case 'error_handling': {
      const value = spec.transfers?.some((t) => t.phone_number)
        ? 'Apologise, say the system is not answering, and offer to transfer the caller to a colleague.'
        : 'Apologise, say the system is not answering right now, and offer to take a message or suggest calling back later.';
      return { value, shown: `"${value}"` };
    }
  }
  return null;
}
