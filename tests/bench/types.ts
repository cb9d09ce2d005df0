/** One line of the table and of bench-results.json. Field names are a public format: only add. */
export interface BenchResult {
  name: string;
  /** Unit of `value` and `baseline` (e.g. "ms", "KB", "MB", "tokens", "long tasks"). */
  unit: string;
  value: number;
  /** What `value` is compared with (named in `detail`); `ratio` = value ÷ baseline. */
  baseline?: number;
  ratio?: number;
  /** Human-readable budget, e.g. "≤ 50 ms" or "ratio ≤ 1.5"; "reported" when there is none. */
  budget: string;
  /** Whether the budget holds; null when the figure is only reported. */
  pass: boolean | null;
  /** How the figure was obtained and anything that explains it (medians, sizes, causes). */
  detail?: string;
}

export interface BenchReport {
  node: string;
  cpus: number;
  date: string;
  quick: boolean;
  results: BenchResult[];
}

export interface Sizes {
  /** The "10,000 sessions" of the budgets. */
  many: number;
  /** The "10 sessions" they are compared with. */
  few: number;
  /** Measured runs per figure (median of these). */
  iterations: number;
  warmup: number;
  /** Turns of prompt_growth (the budget compares turn `promptTurns` with turn promptTurns / 10). */
  promptTurns: number;
  /** Samples of first_token_to_dom (its figure is a p95). */
  firstTokenSamples: number;
  streamTokens: number;
  coldStartRuns: number;
  exports: number;
}

export const FULL: Sizes = {
  many: 10_000,
  few: 10,
  iterations: 7,
  warmup: 2,
  promptTurns: 60,
  firstTokenSamples: 40,
  streamTokens: 20_000,
  coldStartRuns: 5,
  exports: 500,
};

/** --quick: proves the harness works in seconds; its figures mean nothing. */
export const QUICK: Sizes = {
  many: 200,
  few: 10,
  iterations: 5,
  warmup: 1,
  promptTurns: 20,
  firstTokenSamples: 5,
  streamTokens: 400,
  coldStartRuns: 1,
  exports: 20,
};
