import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS, MAX_MESSAGES_TOTAL_CHARS } from '../../shared/limits';
import { Session, type Message } from '../../shared/session';
import { makeSession } from '../../tests/support/session-fixtures';
import { checkSession, copySession } from './checked-messages';

const said = (n: number, text = `message ${n}`): Message => ({ id: `m-${n}`, role: 'user', text, createdAt: '2027-01-01T00:00:00.000Z', status: 'complete' });

/** A session as the store holds it: checked, its messages frozen. */
function stored(messages = 6): Session {
  const parsed = checkSession(makeSession(1, { messages }));
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}

describe('checked messages', () => {
  it('a copy shares the frozen messages and copies everything else', () => {
    const s = stored();
    const copy = copySession(s);
    expect(copy).toEqual(s);
    expect(copy.messages[0]).toBe(s.messages[0]);
    expect(() => {
      (copy.messages[0] as { text: string }).text = 'changed';
    }).toThrow(TypeError);
    copy.spec.tools.push(copy.spec.tools[0]!);
    copy.messages.push(said(99));
    expect(s.spec.tools.length).toBe(copy.spec.tools.length - 1);
    expect(s.messages.length).toBe(copy.messages.length - 1);
    expect(Object.keys(copy)).toEqual(Object.keys(s)); // the file's key order stays
  });

  it('a session with new messages gives what the whole check gives', () => {
    const s = stored();
    const next = { ...copySession(s), messages: [...s.messages, { ...said(7), extra: 'dropped' } as Message, { ...said(8), status: undefined } as unknown as Message] };
    const fast = checkSession(next);
    const whole = Session.safeParse(next);
    expect(fast.success && whole.success).toBe(true);
    expect(fast.data).toEqual(whole.data);
    expect(fast.data!.messages.at(-1)!.status).toBe('complete');
    expect(fast.data!.messages[0]).toBe(s.messages[0]);
  });

  it('a bad new message or a bad field fails with the whole check\'s error', () => {
    const s = stored();
    const badMessage = { ...copySession(s), messages: [...s.messages, { ...said(7), role: 'robot' } as unknown as Message] };
    expect(checkSession(badMessage).error?.issues).toEqual(Session.safeParse(badMessage).error?.issues);
    expect(checkSession(badMessage).error?.issues[0]?.path).toEqual(['messages', 6, 'role']);
    const badTitle = { ...copySession(s), title: 5, messages: [...s.messages, said(7)] } as unknown as Session;
    expect(checkSession(badTitle).success).toBe(false);
  });

  it('the size of all messages together counts the checked ones too', () => {
    const big = 'x'.repeat(MAX_MESSAGE_CHARS);
    const many = Math.floor(MAX_MESSAGES_TOTAL_CHARS / (MAX_MESSAGE_CHARS + 256));
    const first = checkSession({ ...makeSession(2, { messages: 0 }), messages: Array.from({ length: many }, (_, i) => said(i, big)) });
    expect(first.success).toBe(true);
    const over = { ...first.data!, messages: [...first.data!.messages, said(many, big)] };
    const r = checkSession(over);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/characters together/);
  });
});
