export const taskEventNames = [
  'created',
  'started',
  'setup',
  'agent-started',
  'agent-finished',
  'agent-failed',
  'gate-failed',
  'gate-passed',
  'committed',
  'queued',
  'conflict',
  'review',
  'approved',
  'rejected',
  'merged',
  'done',
  'blocked',
  'released',
  'swept',
  'edited',
] as const;
export type TaskEventName = (typeof taskEventNames)[number];

/** One line of `backlog/task.log`. */
export interface TaskEvent {
  time: Date;
  worker: string;
  task: string;
  event: TaskEventName;
  detail: string;
}

function clean(field: string): string {
  return field.replace(/[\r\n]+/g, ' ').replace(/\|/g, '/').trim();
}

/** `2025-12-02 11:03:23 UTC | codex-dev | A32 | started | picked from backlog` */
export function formatTaskEvent(event: TaskEvent): string {
  const time = event.time.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return [time, clean(event.worker) || '-', clean(event.task), event.event, clean(event.detail)].join(' | ');
}

const LINE = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC \| (.+?) \| (.+?) \| ([a-z][a-z-]*)(?: \|(?: (.*))?)?$/;

/** One log line, or undefined for anything else (a blank line, a conflict marker, a comment). */
export function parseTaskEvent(line: string): TaskEvent | undefined {
  // NOTE: an editor may have trimmed the space after an empty detail; that line still counts.
  const match = LINE.exec(line.replace(/\r$/, ''));
  if (!match) return undefined;
  const [, day, time, worker = '', task = '', event, detail = ''] = match;
  const date = new Date(`${day}T${time}Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  return { time: date, worker, task, event: event as TaskEventName, detail };
}

export function parseTaskLog(text: string): TaskEvent[] {
  return text.split('\n').flatMap((line) => {
    const event = parseTaskEvent(line);
    return event ? [event] : [];
  });
}

export function appendTaskEvents(log: string, events: readonly TaskEvent[]): string {
  if (events.length === 0) return log;
  const prefix = log === '' || log.endsWith('\n') ? log : log + '\n';
  return prefix + events.map((event) => formatTaskEvent(event) + '\n').join('');
}
