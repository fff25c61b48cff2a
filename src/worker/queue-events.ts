import type { QueueProgress } from '../events/crew-event.js';
import type { QueueEvent } from '../merge-queue/index.js';

/** A merge-queue step as it goes on the event bus (and out as `--json`). */
export function queueProgress(event: QueueEvent, time: Date): QueueProgress {
  const base = { type: 'queue', time, step: event.kind } as const;
  switch (event.kind) {
    case 'took-over':
    case 'waiting':
    case 'stopped':
      return { ...base, tasks: [], detail: event.reason };
    case 'batch':
      return { ...base, tasks: event.ids, commit: event.commit, detail: `${event.mode} on ${event.base.slice(0, 8)}` };
    case 'deferred':
    case 'dropped':
      return { ...base, tasks: [event.id], detail: event.reason };
    case 'gating':
      return { ...base, tasks: event.ids, commit: event.commit };
    case 'gated':
      return { ...base, tasks: event.ids, ok: event.ok, detail: [event.command, `${event.durationMs} ms`, event.reused && `reused (${event.reused})`].filter(Boolean).join('; ') };
    case 'rebuild':
      return { ...base, tasks: event.ids, detail: event.reason };
    case 'settled': {
      const { result } = event;
      const detail = result.kind === 'conflict' ? result.files.join(', ') : result.kind === 'gate-failed' ? result.command : result.kind === 'fenced' ? result.message : undefined;
      return { ...base, tasks: [result.id], outcome: result.kind, ...(result.kind === 'landed' ? { commit: result.commit } : {}), ...(detail === undefined ? {} : { detail }) };
    }
  }
}
