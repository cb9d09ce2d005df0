import { primaryLanguage, toLanguageTag } from './language';
import type { CallDirection } from './spec';

/**
 * The default first message: what the agent says when the call connects, in its language, and
 * different for calls it answers ("thanks for calling") and calls it places (who is calling and
 * whether now is a good time). Used when the user has not written one.
 */
interface Templates {
  inbound: { named: (business: string) => string; unnamed: string };
  outbound: { named: (business: string) => string; unnamed: string };
}

const TEMPLATES: Readonly<Record<string, Templates>> = {
  es: {
    inbound: { named: (b) => `¡Hola, gracias por llamar a ${b}! ¿En qué puedo ayudarle?`, unnamed: '¡Hola, gracias por llamar! ¿En qué puedo ayudarle?' },
    outbound: { named: (b) => `Hola, le llama el asistente virtual de ${b}. ¿Tiene un momento para hablar?`, unnamed: 'Hola, le llama un asistente virtual. ¿Tiene un momento para hablar?' },
  },
  fr: {
    inbound: { named: (b) => `Bonjour, merci d'avoir appelé ${b} ! Comment puis-je vous aider ?`, unnamed: 'Bonjour, merci de votre appel ! Comment puis-je vous aider ?' },
    outbound: { named: (b) => `Bonjour, ici l'assistant virtuel de ${b}. Avez-vous un instant ?`, unnamed: 'Bonjour, ici un assistant virtuel. Avez-vous un instant ?' },
  },
  de: {
    inbound: { named: (b) => `Hallo, danke für Ihren Anruf bei ${b}! Wie kann ich Ihnen helfen?`, unnamed: 'Hallo, danke für Ihren Anruf! Wie kann ich Ihnen helfen?' },
    outbound: { named: (b) => `Hallo, hier ist der virtuelle Assistent von ${b}. Haben Sie kurz Zeit?`, unnamed: 'Hallo, hier ist ein virtueller Assistent. Haben Sie kurz Zeit?' },
  },
  it: {
    inbound: { named: (b) => `Buongiorno, grazie per aver chiamato ${b}! Come posso aiutarla?`, unnamed: 'Buongiorno, grazie per la chiamata! Come posso aiutarla?' },
    outbound: { named: (b) => `Buongiorno, sono l'assistente virtuale di ${b}. Ha un momento?`, unnamed: 'Buongiorno, sono un assistente virtuale. Ha un momento?' },
  },
  pt: {
    inbound: { named: (b) => `Olá, obrigado por ligar para ${b}! Como posso ajudar?`, unnamed: 'Olá, obrigado pela sua ligação! Como posso ajudar?' },
    outbound: { named: (b) => `Olá, aqui é o assistente virtual de ${b}. Tem um minutinho?`, unnamed: 'Olá, aqui é um assistente virtual. Tem um minutinho?' },
  },
  nl: {
    inbound: { named: (b) => `Hallo, bedankt voor het bellen naar ${b}! Waarmee kan ik u helpen?`, unnamed: 'Hallo, bedankt voor uw telefoontje! Waarmee kan ik u helpen?' },
    outbound: { named: (b) => `Hallo, u spreekt met de virtuele assistent van ${b}. Heeft u even tijd?`, unnamed: 'Hallo, u spreekt met een virtuele assistent. Heeft u even tijd?' },
  },
};

export interface GreetingInput {
  language?: string;
  direction?: CallDirection;
  businessName?: string;
  /** "customer support agent": English greetings without a business name say what the agent is. */
  agentType?: string;
}

/** Languages with a native default greeting; others get the English one (and lint says so). */
export function hasNativeGreeting(language: string | undefined): boolean {
  const tag = toLanguageTag(language);
  const primary = tag ? primaryLanguage(tag) : 'en';
  return primary === 'en' || primary in TEMPLATES;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function withAgent(type: string): string {
  return /\b(agent|assistant|bot)$/i.test(type) ? type : `${type} agent`;
}

function english(input: GreetingInput): string {
  const business = input.businessName?.trim();
  const type = lowerFirst(withAgent(input.agentType?.trim() || 'voice agent'));
  if (input.direction === 'outbound') {
    return business
      ? `Hi, this is the virtual assistant of ${business}. Do you have a minute to talk?`
      : `Hi, this is a virtual ${type} calling. Do you have a minute to talk?`;
  }
  return business
    ? `Hi, thanks for calling ${business}! How can I help you today?`
    : `Hi, thanks for calling! I'm your virtual ${type}. How can I help you today?`;
}

export function defaultGreeting(input: GreetingInput): string {
  const tag = toLanguageTag(input.language);
  const templates = tag ? TEMPLATES[primaryLanguage(tag)] : undefined;
  if (!templates) return english(input);
  const set = input.direction === 'outbound' ? templates.outbound : templates.inbound;
  const business = input.businessName?.trim();
  return business ? set.named(business) : set.unnamed;
}
