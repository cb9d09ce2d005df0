/**
 * The fixed words of the voice agent's system prompt in the six languages Parley writes prompts
 * in. The structure follows ElevenLabs' prompting guide: Personality, Environment, Tone, Goal,
 * Guardrails, Tools, plus how to say numbers, dates and e-mail addresses aloud. What the user
 * wrote (goals, tone, triggers) is put in as written.
 */

import { EN } from './prompt-text-en';
import { ES } from './prompt-text-es';
import { DE } from './prompt-text-de';
import { FR } from './prompt-text-fr';
import { PT } from './prompt-text-pt';
import { IT } from './prompt-text-it';

export const PROMPT_LANGS = ['en', 'es', 'de', 'fr', 'pt', 'it'] as const;
export type PromptLang = (typeof PROMPT_LANGS)[number];

export interface PromptText {
  headings: {
    personality: string;
    environment: string;
    tone: string;
    goal: string;
    guardrails: string;
    tools: string;
    transfers: string;
    voicemail: string;
    speaking: string;
  };
  /** "You are the pharmacy phone assistant of Greenleaf Pharmacy." */
  youAre: (agent: string, business: string | null) => string;
  disclosure: string;
  personalityTone: (tone: string) => string;
  inbound: (business: string | null) => string;
  outbound: (business: string | null) => string;
  phoneOnly: string;
  now: string;
  timezone: (tz: string) => string;
  /** Other languages the agent switches to ("Spanish / French"). */
  switchTo: (langs: string) => string;
  endWhen: (condition: string) => string;
  leaveMessage: (message: string) => string;
  hangUpOnVoicemail: string;
  toneLines: string[];
  greetStep: string;
  needStep: string;
  /** Outbound calls: the agent speaks first and says why it calls. */
  greetOutbound: string;
  needOutbound: string;
  confirmStep: string;
  closeStep: string;
  noTools: string;
  toolsIntro: string;
  useWhen: string;
  askFirst: string;
  nothingToAsk: string;
  youLearn: string;
  onFailure: string;
  defaultFailure: string;
  transfersIntro: string;
  transferWhen: string;
  noTransfer: string;
  guard: {
    facts: string;
    data: string;
    secrets: string;
    instructions: string;
    scope: string;
    medical: (referral: string) => string;
    legal: string;
    financial: string;
    cards: string;
    referralTransfer: string;
    referralStaff: string;
  };
  speaking: string[];
}

export const PROMPT_TEXT: Record<PromptLang, PromptText> = { en: EN, es: ES, de: DE, fr: FR, pt: PT, it: IT };

/** The prompt language for a BCP-47 tag: its primary subtag when Parley writes that language, else English. */
export function promptLang(tag: string | undefined): PromptLang {
  const primary = (tag ?? 'en').split('-')[0]?.toLowerCase() ?? 'en';
  return (PROMPT_LANGS as readonly string[]).includes(primary) ? (primary as PromptLang) : 'en';
}
