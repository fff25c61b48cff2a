import { parseBacklog, type Backlog } from '../../../src/backlog/backlog.js';

/** The state a planner sees, from task files given as text (no git): `{ backlog }` of a snapshot. */
export function snapshotOf(files: Record<string, string>): { backlog: Backlog } {
  return { backlog: parseBacklog(Object.entries(files).map(([path, text]) => ({ path, text }))) };
}

/** A crewtree task file. */
export function taskText(id: string, fields: Record<string, string> = {}): string {
  const lines = Object.entries({ title: `Task ${id}`, status: 'todo', ...fields }).map(([key, value]) => `${key}: ${value}`);
  return `---\nid: ${id}\n${lines.join('\n')}\n---\n\nDo ${id}.\n`;
}
