/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** "+1 (415) 555-0123" → "+14155550123": what people type, without the spacing. */
export function compactPhoneNumber(value: string): string {
  return value.trim().replace(/[\s().-]/g, '');
}
