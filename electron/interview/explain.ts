import type { AgentSpec } from '../../shared/spec';
import { parsePath, toolLabel } from './fields';

/** What a field means and why Parley asks, for "what do you mean?" and other questions. */
export function explainField(path: string | null, spec: AgentSpec): string {
  const parsed = path ? parsePath(path) : null;
  if (!parsed) {
    return 'I\u2019m building the spec of your voice agent: what it is for, how it sounds, which systems it calls and how. Ask me about any field, or tell me what you have in mind.';
  }
  if (parsed.kind === 'top') {
    switch (parsed.key) {
      case 'agent_type':
        return 'The agent type is a short name for the job the agent does on the phone, like "pharmacy refill line" or "restaurant booking assistant". It becomes the session title and the agent\u2019s role.';
      case 'goals':
        return 'Goals are what callers should be able to get done on the call, for example "check a prescription\u2019s status; request a refill; hear the opening hours". They become the steps the agent follows.';
      case 'tone':
        return 'Tone is how the agent sounds: a few adjectives such as "warm and patient" or "brisk and professional". It shapes every sentence it says.';
      case 'language':
        return 'The language the agent speaks on calls (for example English, Spanish or German). It sets the voice model and the first message.';
      case 'use_tools':
        return 'Tools are calls the agent makes to your systems during a call, for example looking up an order or booking a slot through your API. Without tools it can only talk.';
      case 'tools_done':
        return 'I\u2019m asking whether the agent calls any other API besides the tools we have. If not, say "no more tools" and we move to the review.';
      case 'workflow_approved':
        return 'This is the design as a whole: greeting, what callers can ask, which tool is called when, and what happens when something fails. Approve it and I generate the agent\u2019s prompt, or tell me what to change.';
      case 'first_message':
        return 'The first message is what the agent says when the call connects, for example "Thanks for calling Greenleaf Pharmacy, how can I help?"';
      case 'system_prompt':
        return 'The system prompt is the agent\u2019s full instructions; Parley writes it from the design.';
      case 'business_name':
        return 'The business name is who the agent speaks for; it is used in the greeting and the instructions.';
      case 'call_direction':
        return 'Whether the agent answers calls (inbound) or places them (outbound, for example reminders or surveys).';
      case 'timezone':
        return 'The time zone of the business, such as Europe/Madrid, so the agent knows the local date and time.';
      case 'voice_id':
        return 'The voice the deployed agent speaks with: a voice id from the ElevenLabs Voice Library. Without one, a default voice that speaks the agent\u2019s language is used.';
      case 'llm':
        return 'The model the deployed agent runs on (for example gpt-4o-mini or gemini-2.0-flash), separate from the one interviewing you here. Without one, the platform\u2019s default is used.';
      case 'temperature':
        return 'How varied the deployed agent\u2019s wording is, from 0 (steady; best when it calls tools) to 2. Without one, 0 is used.';
      case 'voicemail':
        return 'What an outbound agent does when an answering machine picks up: hang up, or leave a short message such as "Hi, this is Northwind calling about your order; please call us back."';
      case 'end_call_conditions':
        return 'When the agent should hang up, for example "when the caller says goodbye or has what they needed".';
    }
  }
  if (parsed.kind === 'transfer') {
    switch (parsed.key) {
      case 'phone_number':
        return 'The phone number the agent transfers the call to, with its country code, like +1 503 555 0199.';
      case 'condition':
        return 'When the agent should transfer the call, for example "when someone asks about side effects".';
      case 'transfer_type':
        return 'How the call is handed over: cold (put straight through), warm (the agent briefs your colleague first) or conference (everyone on the line).';
    }
  }
  if (parsed.kind === 'item') {
    return parsed.list === 'data_collection'
      ? 'An after-call value is something read from every finished call and stored with it, like the order number or whether the problem was solved; ElevenLabs calls this data collection.'
      : 'A success criterion is how a finished call is judged, for example "the caller got a confirmed booking"; ElevenLabs evaluates every call against it.';
  }
  if (parsed.kind === 'knowledge') {
    return 'A knowledge source is something the agent should know: a web page (its URL), a file on this computer (its path) or text you type, such as your FAQ, menu or price list.';
  }
  const name = toolLabel(spec, parsed.index);
  switch (parsed.key) {
    case 'name':
      return 'A tool\u2019s name is how the agent refers to it: lowercase words joined by underscores, starting with what it does, like lookup_prescription or book_table.';
    case 'purpose':
      return `One sentence on what ${name} does, so the agent knows what it is for, e.g. "Looks up a prescription\u2019s status".`;
    case 'endpoint':
      return `The endpoint is the full web address the agent calls for ${name}, like https://api.example.com/orders/{order_id}. Parts in braces are filled from the caller\u2019s answers.`;
    case 'method':
      return `The HTTP method says what kind of request ${name} makes: GET reads data, POST creates something, PUT or PATCH change something, DELETE removes it. Your developer\u2019s API documentation names it.`;
    case 'auth':
      return `How ${name}\u2019s API checks that the call is allowed: a bearer token, an API key in a header, basic auth, OAuth2, or none. I only record which kind and the secret\u2019s name, never the secret.`;
    case 'input_schema':
      return `The inputs are the details the agent must collect from the caller before calling ${name}, like "the order number and the postcode". I work out their types (text, number, date).`;
    case 'output_schema':
      return `The outputs are what ${name} sends back, like "the status and the delivery date", so the agent knows what it can tell the caller.`;
    case 'trigger':
      return `The trigger is when the agent should call ${name}, for example "when the caller asks where their order is".`;
    case 'error_handling':
      return `Error handling is what the agent does when ${name} fails or finds nothing, for example "apologise and offer to take a message".`;
  }
}
