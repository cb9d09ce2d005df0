import type { Message, Session, TurnUsage } from '../../../shared/session';

export function usd(value: number): string {
  return value === 0 ? 'free' : `$${value < 0.01 ? value.toFixed(4) : value.toFixed(2)}`;
}

export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Under an assistant message: who answered, tokens, cost and latency ("offline · free · 12 ms"). */
export function usageLine(u: TurnUsage | undefined, m: Pick<Message, 'provider' | 'model'>): string | null {
  const provider = u?.provider ?? m.provider;
  if (!provider) return null;
  if (provider === 'offline') return ['offline', 'free', ...(u ? [duration(u.latencyMs)] : [])].join(' · ');
  const model = u?.model ?? m.model;
  const parts = [`${provider}${model ? ` · ${model}` : ''}`];
  if (u) {
    parts.push(`${u.inputTokens + u.outputTokens} tokens`);
    if (u.costUsd !== undefined) parts.push(usd(u.costUsd));
    parts.push(duration(u.latencyMs));
  }
  return parts.join(' · ');
}

/** The session so far, for the status bar: "$0.0123 · 4,210 tokens", "offline · free", or unpriced turns named. */
export function sessionCost(session: Pick<Session, 'usage'>): string {
  const network = session.usage.filter((u) => u.provider !== 'offline');
  if (network.length === 0) return 'offline · free';
  const priced = network.filter((u) => u.costUsd !== undefined);
  const cost = priced.reduce((sum, u) => sum + (u.costUsd ?? 0), 0);
  const tokens = network.reduce((sum, u) => sum + u.inputTokens + u.outputTokens, 0);
  const unpriced = network.length - priced.length;
  const money = priced.length ? `$${cost < 0.01 ? cost.toFixed(4) : cost.toFixed(2)}` : 'cost unknown';
  return `${money} · ${tokens.toLocaleString('en-US')} tokens${priced.length && unpriced ? ` · ${unpriced} ${unpriced === 1 ? 'turn' : 'turns'} unpriced` : ''}`;
}
