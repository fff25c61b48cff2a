import type { Lander, LandingOutcome, LandingRequest } from '../landing/lander.js';
import type { Workspace } from '../workspace.js';
import { enqueue } from './enqueue.js';
import type { QueueEventSink } from './events.js';
import type { QueueResult } from './records.js';
import { awaitEntry } from './run-queue.js';

export interface QueueLanderOptions {
  pollMs?: number;
  onEvent?: QueueEventSink;
  /** Drive only this request's entry (`crew merge ID` on a task in review). */
  only?: boolean;
}

export function outcomeOf(result: QueueResult): LandingOutcome {
  switch (result.kind) {
    case 'landed':
      return { kind: 'landed', commit: result.commit, regated: result.regated };
    case 'conflict':
      return { kind: 'conflict', files: result.files };
    case 'gate-failed':
      return { kind: 'gate-failed', command: result.command, tail: result.tail };
    case 'fenced':
      return { kind: 'fenced', message: result.message };
  }
}

/** Lands through the merge queue: enqueue, then drive the queue or wait for the result. */
export class MergeQueueLander implements Lander {
  constructor(
    private readonly ws: Workspace,
    private readonly options: QueueLanderOptions = {},
  ) {}

  async land(request: LandingRequest): Promise<LandingOutcome> {
    const entry = await enqueue(this.ws, { task: request.task, lock: request.lock, tip: request.tip, gateCommands: request.gateCommands });
    const result = await awaitEntry(this.ws, entry, {
      runner: request.lock.worker,
      env: request.env,
      only: this.options.only ? entry.id : undefined,
      onEvent: this.options.onEvent,
      pollMs: this.options.pollMs,
      signal: request.signal,
    });
    return result ? outcomeOf(result) : { kind: 'stopped' };
  }
}
