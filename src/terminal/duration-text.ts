// How long something took or lasts, as people read it. Two forms on purpose, each with one home:
// `formatDuration` writes a duration the way config does (`30m`, `1m30s`, `250ms`: limits,
// timeouts, run logs); `formatElapsed` a ticking clock that stays narrow (`1m 05s`, `2h 03m`:
// status tables, the live view). NOTE: the dashboard page keeps its own copy of formatElapsed
// (src/dashboard/client/app.ts): it is served as one file with no build step.

const UNITS = [
  { ms: 3_600_000, name: 'h' },
  { ms: 60_000, name: 'm' },
  { ms: 1000, name: 's' },
] as const;

/** `30m`, `1h30m`, `90s` → `1m30s`, `1.5s`, `250ms`: as a user would write it in config. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms % 1000 !== 0) return `${Number((ms / 1000).toFixed(1))}s`;
  let rest = ms;
  let text = '';
  for (const unit of UNITS) {
    const count = Math.floor(rest / unit.ms);
    if (count > 0) text += `${count}${unit.name}`;
    rest -= count * unit.ms;
  }
  return text;
}

/**
 * `4s`, `1m 05s`, `2h 03m`, `3d 04h`: how long, in its two largest units, for columns that must
 * stay narrow; `compact` leaves out the space (`1m05s`) where every column counts.
 */
export function formatElapsed(ms: number, options: { compact?: boolean } = {}): string {
  const gap = options.compact ? '' : ' ';
  const two = (n: number) => String(n).padStart(2, '0');
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${gap}${two(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${gap}${two(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d${gap}${two(hours % 24)}h`;
}
