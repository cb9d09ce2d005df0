/**
 * The request line's target, read without ever throwing. The host only serves its own pages, so
 * the one form it accepts is RFC 9112 origin-form: "/path" with an optional "?query". Everything
 * else (absolute-form "http://[", authority-form, "*", "//host" that URL parsers read as a host,
 * backslashes that WHATWG URL turns into slashes, raw spaces or control bytes, broken
 * %-escapes, over-long targets) is malformed and gets a 400 before any other work.
 */
export interface RequestTarget {
  /** As sent: still %-encoded, never empty, starts with exactly one "/". */
  pathname: string;
  query: URLSearchParams;
}

/** Longer than any URL the renderer makes (its token is 43 characters). */
export const MAX_TARGET_LENGTH = 4096;

// pchar = unreserved / pct-encoded / sub-delims / ":" / "@"; query adds "/" and "?".
const PCHAR = "[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2}";
const ORIGIN_FORM = new RegExp(`^/(?!/)(?:${PCHAR}|/)*(?:\\?(?:${PCHAR}|[/?])*)?$`);

export function parseTarget(raw: string | undefined): RequestTarget | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_TARGET_LENGTH) return null;
  if (!ORIGIN_FORM.test(raw)) return null;
  const q = raw.indexOf('?');
  const pathname = q === -1 ? raw : raw.slice(0, q);
  // URLSearchParams decodes leniently and never throws, whatever the %-escapes hold.
  return { pathname, query: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)) };
}
