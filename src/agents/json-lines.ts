import type { ZodMiniType } from 'zod/mini';
import { singleLine } from '../terminal/safe-text.js';

/** The stdout lines that are JSON objects; banners, warnings and partial lines are skipped. */
export function jsonObjects(lines: readonly string[]): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const line of lines) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) objects.push(value as Record<string, unknown>);
    } catch {
      // not an event: a CLI may print plain text among its JSON lines
    }
  }
  return objects;
}

/** The events of one `type` that match their schema; events from another CLI version that do not fit are skipped. */
export function eventsOfType<T>(objects: readonly Record<string, unknown>[], type: string, schema: ZodMiniType<T>): T[] {
  return objects.flatMap((object) => {
    if (object.type !== type) return [];
    const parsed = schema.safeParse(object);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A message folded to one line and cut to `max` characters, for a run's `reason`. */
export function oneLine(text: string, max = 300): string {
  // NOTE: an agent's colored error must not reach a task note (and from there a terminal) raw.
  const folded = singleLine(text).replace(/\s+/g, ' ').trim();
  return folded.length > max ? `${folded.slice(0, max - 1)}…` : folded;
}

