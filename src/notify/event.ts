export interface NotifyEvent {
  task: string;
  title: string;
  /** `failed`: the worker hit an error and released the task back to todo (its note says why). */
  status: 'done' | 'review' | 'blocked' | 'failed';
  branch: string;
  summary: string;
}

export type NotifyChannel = 'desktop' | 'webhook' | 'command';

export interface NotifyOutcome {
  channel: NotifyChannel;
  /** `skipped`: configured but not possible here (no `notify-send` on PATH). */
  result: 'sent' | 'failed' | 'skipped';
  detail: string;
}

/** One line a person reads: in the desktop popup, a chat message, a log. */
export function notifyText(event: NotifyEvent): string {
  const what = { done: 'is done', review: 'waits for review', blocked: 'is blocked', failed: 'failed and is back to todo' }[event.status];
  return `${event.task} ${what}: ${event.title.replace(/\s+/g, ' ').trim()} (${event.branch}) - ${event.summary.replace(/\s+/g, ' ').trim()}`;
}
