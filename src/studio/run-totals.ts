import type { TaskRuns } from '../worker/runs.js';

export interface RunTotals {
  /** undefined: no run of this crew run reported tokens. */
  tokens?: { input: number; output: number };
  /** undefined: no run reported a cost (codex, the script agent, most custom commands). */
  costUsd?: number;
}

/** The tokens and cost of the runs a crew run made (attempts recorded at or after `since`). */
export function addRunTotals(runs: readonly TaskRuns[], since: string): RunTotals {
  const totals: RunTotals = {};
  for (const attempt of runs.flatMap((task) => task.attempts).filter((record) => record.at >= since)) {
    const usage = attempt.usage;
    if (!usage) continue;
    totals.tokens = { input: (totals.tokens?.input ?? 0) + usage.inputTokens, output: (totals.tokens?.output ?? 0) + usage.outputTokens };
    if (usage.costUsd !== undefined) totals.costUsd = (totals.costUsd ?? 0) + usage.costUsd;
  }
  return totals;
}

/** `tokens: 12,400 in, 310 out; cost: $0.0421`, or "not reported" where no agent said (never a made-up $0.0000). */
export function formatRunTotals(totals: RunTotals): string {
  const tokens = totals.tokens ? `${totals.tokens.input.toLocaleString('en-US')} in, ${totals.tokens.output.toLocaleString('en-US')} out` : 'not reported';
  const cost = totals.costUsd !== undefined ? `$${totals.costUsd.toFixed(4)}` : 'not reported';
  return `tokens: ${tokens}; cost: ${cost}`;
}
