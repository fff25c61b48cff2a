const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90`, `"90s"`, `"5m"`, `"1h"`, `"250ms"` to milliseconds (plain numbers are seconds). */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return value >= 0 ? value * 1000 : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!match?.[1]) return undefined;
  return Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000);
}
