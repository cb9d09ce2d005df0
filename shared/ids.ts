import { z } from 'zod';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Session ids are UUIDs; they are validated before they ever touch a file path. */
export const SessionId = z
  .string()
  .regex(UUID_RE, { message: 'a session id must be a UUID (e.g. 3f2b8c1e-9a4d-4c1b-8e2f-0a1b2c3d4e5f)' });
export type SessionId = z.infer<typeof SessionId>;

export function isSessionId(value: unknown): value is SessionId {
  return typeof value === 'string' && UUID_RE.test(value);
}

export const TurnId = z.string().min(1).max(100);
export type TurnId = z.infer<typeof TurnId>;
