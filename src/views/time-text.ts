/** `2025-12-02 11:03:23 UTC`, the task log's own time format. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function millisecondsBetween(fromIso: string, to: Date): number {
  const from = new Date(fromIso).getTime();
  return Number.isNaN(from) ? 0 : to.getTime() - from;
}
