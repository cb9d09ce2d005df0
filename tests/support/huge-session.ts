import { MAX_FIELD_CHARS, MAX_MESSAGE_CHARS } from '../../shared/limits';

/**
 * A session file at COMPLETED holding `unbrokenChars` characters of text with no break
 * opportunity, shaped as the largest a valid session can hold: the system prompt at the per-field
 * limit, the rest as messages at the per-message limit (a longer single value is refused by the
 * schema, so it could never reach the window). `unbrokenChars` ≤ the session's message budget.
 */
export function hugeSessionFile(id: string, title: string, updatedAt: string, unbrokenChars: number): string {
  const field = <T>(value: T) => ({ value, confidence: 1, source: 'import', locked: false });
  const promptChars = Math.min(MAX_FIELD_CHARS, unbrokenChars);
  const messages: { id: string; role: string; text: string; createdAt: string; status: string }[] = [
    { id: `${id}-m0`, role: 'assistant', text: 'Imported.', createdAt: updatedAt, status: 'complete' },
  ];
  for (let left = unbrokenChars - promptChars, k = 1; left > 0; left -= MAX_MESSAGE_CHARS, k++) {
    messages.push({ id: `${id}-m${k}`, role: k % 2 ? 'user' : 'assistant', text: 'x'.repeat(Math.min(left, MAX_MESSAGE_CHARS)), createdAt: updatedAt, status: 'complete' });
  }
  return JSON.stringify({
    schemaVersion: 1,
    id,
    title,
    createdAt: updatedAt,
    updatedAt,
    provider: 'offline',
    stage: 'COMPLETED',
    stageHistory: [{ stage: 'INITIAL', at: updatedAt }],
    awaiting: null,
    spec: { agent_type: field('pharmacy refill line'), system_prompt: field('x'.repeat(promptChars)), first_message: field('Hello!'), tools: [], candidates: {} },
    messages,
    usage: [],
  });
}
