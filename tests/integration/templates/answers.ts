import type { Session } from '../../../shared/session';
import { parsePath } from '../../../electron/interview/fields';

/**
 * What a business answers when it personalises each built-in template: its own name, its real
 * endpoints and how they authenticate, its numbers, its language and time zone. Nothing else:
 * every other field comes from the template.
 */
export interface Personalisation {
  business: string;
  /** Per tool, in the template's order. */
  endpoints: string[];
  auth: string[];
  /** Per transfer, in the template's order. */
  numbers: string[];
  /** The message left on voicemail (outbound templates). */
  voicemail?: string;
  language: string;
  /** The language tag the answer must store. */
  languageTag: string;
  timezone?: string;
}

export const PERSONALISATIONS: Record<string, Personalisation> = {
  'customer-support-orders': {
    business: 'Northwind Outfitters',
    endpoints: ['https://api.northwind-outfitters.com/v1/orders/{order_id}', 'https://api.northwind-outfitters.com/v1/returns'],
    auth: ['Bearer token in the Authorization header, secret NORTHWIND_ORDERS_TOKEN', 'Bearer token in the Authorization header, secret NORTHWIND_ORDERS_TOKEN'],
    numbers: ['+1 206 555 0142'],
    language: 'English',
    languageTag: 'en',
  },
  'dental-appointments': {
    business: 'Bright Smile Dental',
    endpoints: ['https://booking.brightsmile-dental.com/api/slots', 'https://booking.brightsmile-dental.com/api/appointments'],
    auth: ['API key in the X-API-Key header, secret BRIGHTSMILE_KEY', 'API key in the X-API-Key header, secret BRIGHTSMILE_KEY'],
    numbers: ['+1 503 555 0199'],
    language: 'English',
    languageTag: 'en',
    timezone: 'America/Los_Angeles',
  },
  'restaurant-reservations': {
    business: 'La Tasca',
    endpoints: ['https://reservas.latasca.es/v2/availability', 'https://reservas.latasca.es/v2/reservations'],
    auth: ['API key in the X-API-Key header, secret LATASCA_KEY', 'API key in the X-API-Key header, secret LATASCA_KEY'],
    numbers: ['+34 912 345 678'],
    language: 'Spanish',
    languageTag: 'es',
    timezone: 'Europe/Madrid',
  },
  'sales-lead-qualification': {
    business: 'Acme Analytics',
    endpoints: ['https://crm.acme-analytics.io/api/leads/{lead_id}'],
    auth: ['Bearer token in the Authorization header, secret ACME_CRM_TOKEN'],
    numbers: ['+1 415 555 0123'],
    voicemail: "Hi, this is Acme Analytics following up on your request. We'll e-mail you a link to book a call. Thanks!",
    language: 'English',
    languageTag: 'en',
  },
  'satisfaction-survey': {
    business: 'Northwind Energy',
    endpoints: [],
    auth: [],
    numbers: [],
    voicemail: 'Guten Tag, hier ist Northwind Energy mit einer kurzen Umfrage zu Ihrem Besuch. Sie müssen nicht zurückrufen. Danke!',
    language: 'German',
    languageTag: 'de',
  },
  'receptionist-routing': {
    business: 'Keller & Stone LLP',
    endpoints: ['https://intranet.kellerstone.com/api/staff'],
    auth: ['OAuth2'],
    numbers: ['+1 312 555 0180', '+1 312 555 0181'],
    language: 'English',
    languageTag: 'en',
    timezone: 'America/Chicago',
  },
  'subscription-retention': {
    business: 'FreshCrate',
    endpoints: ['https://billing.freshcrate.com/v1/subscriptions', 'https://billing.freshcrate.com/v1/subscriptions/{subscription_id}'],
    auth: ['Bearer token in the Authorization header, secret FRESHCRATE_BILLING_TOKEN', 'Bearer token in the Authorization header, secret FRESHCRATE_BILLING_TOKEN'],
    numbers: ['+44 20 7946 0958'],
    language: 'French',
    languageTag: 'fr',
  },
  'after-hours-outages': {
    business: 'Severn Water',
    endpoints: ['https://status.severnwater.co.uk/api/outages/{postcode}'],
    auth: ['none'],
    numbers: ['+44 117 496 0123'],
    language: 'English',
    languageTag: 'en',
    timezone: 'Europe/London',
  },
};

/**
 * The one answer to the question the interview asks now, or null when it asks something that is
 * not personalisation (the script then fails: a template must not ask it).
 */
export function personalisationAnswer(p: Personalisation, session: Session): string | null {
  const awaiting = session.awaiting;
  if (awaiting === 'workflow_approved') return 'approve';
  if (awaiting === 'business_name') return p.business;
  if (awaiting === 'language') return p.language;
  if (awaiting === 'timezone') return p.timezone ?? null;
  if (awaiting === 'voicemail') return p.voicemail ? `Leave a message: ${p.voicemail}` : null;
  const parsed = awaiting ? parsePath(awaiting) : null;
  if (parsed?.kind === 'tool' && parsed.key === 'endpoint') return p.endpoints[parsed.index] ?? null;
  if (parsed?.kind === 'tool' && parsed.key === 'auth') return p.auth[parsed.index] ?? null;
  if (parsed?.kind === 'transfer' && parsed.key === 'phone_number') return p.numbers[parsed.index] ?? null;
  return null;
}
