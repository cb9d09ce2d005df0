/**
 * List prices in USD per million tokens (standard tier, no caching, no batch), the one place
 * cost is looked up. Checked 2026-11-25 against the providers' published model pages; update
 * here when prices change. A model missing from the table has no cost (undefined), never a guess.
 */
export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
}

export const PRICES: Readonly<Record<string, Price>> = {
  // OpenAI
  'gpt-6-sol': { inputPerMTok: 2, outputPerMTok: 10 },
  'gpt-6-luna': { inputPerMTok: 0.1, outputPerMTok: 0.5 },
  'gpt-5.5': { inputPerMTok: 5, outputPerMTok: 30 },
  'gpt-5.4': { inputPerMTok: 2.5, outputPerMTok: 15 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  // Anthropic
  'claude-fable-5-1': { inputPerMTok: 10, outputPerMTok: 50 },
  'claude-opus-5-5': { inputPerMTok: 4, outputPerMTok: 20 },
  'claude-opus-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-sonnet-5-5': { inputPerMTok: 2, outputPerMTok: 10 },
  'claude-sonnet-5': { inputPerMTok: 2, outputPerMTok: 10 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
};

/** The price of a model id, also for dated snapshots ("gpt-5.5-2026-04-23", "claude-haiku-4-5-20251001"). */
export function priceOf(model: string): Price | undefined {
  const exact = PRICES[model];
  if (exact) return exact;
  const undated = model.replace(/-(\d{4}-\d{2}-\d{2}|\d{8})$/, '');
  return PRICES[undated];
}

export function costUsd(model: string, usage: { inputTokens: number; outputTokens: number }): number | undefined {
  const price = priceOf(model);
  if (!price) return undefined;
  const usd = (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
  return Math.round(usd * 1e8) / 1e8;
}
