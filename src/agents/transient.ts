// Which failures are the model API's (rate limits, overload, outages), not the agent's own: those
// are waited out and spend no attempt. Pure functions over what an agent printed.

export type TransientKind = 'rate-limit' | 'usage-limit' | 'overloaded' | 'server-error' | 'unreachable';

export interface TransientFailure {
  kind: TransientKind;
  /** What the agent said, one line. */
  detail: string;
  /** When the API said it may be asked again (a usage limit's reset, a retry-after). */
  retryAt?: Date;
}

const KIND_WORDS: Record<TransientKind, string> = {
  'rate-limit': 'rate limited',
  'usage-limit': 'usage limit reached',
  overloaded: 'API overloaded',
  'server-error': 'API error',
  unreachable: 'API unreachable',
};

/** `rate limited until 14:05`, `API unreachable`: what a user reads on the console and in `crew status`. */
export function describeTransient(failure: Pick<TransientFailure, 'kind'>, until?: Date): string {
  const time = until ? ` until ${until.toISOString().slice(11, 16)}` : '';
  return `${KIND_WORDS[failure.kind]}${time}`;
}

/** The kind a status code means, for adapters whose output carries one. */
export function kindOfStatus(status: number): TransientKind | undefined {
  if (status === 429) return 'rate-limit';
  if (status === 529) return 'overloaded';
  if (status === 408 || (status >= 500 && status <= 599)) return 'server-error';
  return undefined;
}

const PATTERNS: [TransientKind, RegExp][] = [
  ['usage-limit', /usage limit|hit your limit|quota exceeded|RESOURCE_EXHAUSTED|insufficient_quota/i],
  // NOTE: a bare number is not enough (a test's "expected 500 to be 501" is the agent's own): a
  // status needs a word of HTTP around it.
  ['rate-limit', /(?:status|error|code|http)\W{0,3}(?:code\W{0,3})?429\b|\b429 too many|rate[ _-]?limit|too many requests/i],
  ['overloaded', /(?:status|error|code|http)\W{0,3}(?:code\W{0,3})?529\b|overloaded|high demand|temporar(?:y|ily) (?:error|unavailable)|try again later/i],
  ['server-error', /(?:status|error|code|http)\W{0,3}(?:code\W{0,3})?50[0-4]\b|internal server error|bad gateway|service unavailable|gateway time-?out|server_error/i],
  ['unreachable', /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|connection refused|error sending request|fetch failed|unable to connect|could not reach|stream disconnected|connection_failed|network error/i],
];

/** A reset time or retry delay in the text: `|1767225600` (epoch), `resets 2pm`, `resets at 14:05`, `retry after 30s`, `try again in 5 minutes`. */
export function retryTimeIn(text: string, now: Date): Date | undefined {
  const epoch = /\|(\d{10})\b/.exec(text);
  if (epoch) return new Date(Number(epoch[1]) * 1000);
  const after = /(?:retry[- ]after|try again in|retry in|reset(?:s)? in)[:\s]+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|seconds?|m|min|minutes?|h|hours?)?\b/i.exec(text);
  if (after) {
    const value = Number(after[1]);
    const unit = (after[2] ?? 's').toLowerCase();
    const ms = unit.startsWith('ms') || unit.startsWith('milli') ? value : unit.startsWith('h') ? value * 3_600_000 : unit.startsWith('m') ? value * 60_000 : value * 1000;
    return new Date(now.getTime() + ms);
  }
  const clock = /resets?\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?/i.exec(text);
  if (clock) {
    let hours = Number(clock[1]);
    const minutes = Number(clock[2] ?? 0);
    const half = clock[3]?.toLowerCase();
    if (half === 'pm' && hours < 12) hours += 12;
    if (half === 'am' && hours === 12) hours = 0;
    if (hours > 23 || minutes > 59) return undefined;
    const at = new Date(now);
    at.setUTCHours(hours, minutes, 0, 0);
    if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
    return at;
  }
  return undefined;
}

/** A transient failure if `text` (an API error an agent reported) says so. */
export function classifyApiError(text: string, now: Date, status?: number): TransientFailure | undefined {
  // NOTE: a status the agent reports decides alone: a 400's text may well mention "api_error".
  const kind = status !== undefined ? kindOfStatus(status) : PATTERNS.find(([, pattern]) => pattern.test(text))?.[0];
  if (!kind) return undefined;
  const retryAt = retryTimeIn(text, now);
  return { kind, detail: text, ...(retryAt ? { retryAt } : {}) };
}

export interface BackoffPolicy {
  /** The first wait; it doubles with each transient failure in a row. */
  baseMs: number;
  maxMs: number;
}

/**
 * How long to wait before the next run after `failures` transient failures in a row: the API's
 * own reset time when it gave one, else exponential backoff; `random` (0..1) spreads workers
 * that hit the wall together by up to a quarter of the wait.
 */
export function backoffDelay(failure: TransientFailure, failures: number, now: Date, random: number, policy: BackoffPolicy): number {
  const jitter = (ms: number) => Math.round(ms * (1 + 0.25 * random));
  if (failure.retryAt) return jitter(Math.max(1000, failure.retryAt.getTime() - now.getTime()));
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return jitter(exponential);
}
