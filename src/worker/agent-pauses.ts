import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import { sleep } from '../process/sleep.js';

/**
 * When an agent's API said "not now" (a rate limit, an outage), every worker of that agent waits
 * until the same time, so they do not all hit the wall one after another. With a `file` (under
 * `.git/crewtree/`), the pause reaches the workers of every crewtree process of the repository.
 */
export class AgentPauses {
  private readonly until = new Map<string, number>();

  constructor(private readonly file?: string) {}

  /** Pauses `agent` until `at`; a later pause already in force is kept. */
  pause(agent: string, at: Date): void {
    const until = Math.max(this.until.get(agent) ?? 0, this.shared()[agent] ?? 0, at.getTime());
    this.until.set(agent, until);
    // NOTE: two processes pausing at once may each keep their own time; both are in force for a
    // while, and the file only makes waits line up, it guards no state.
    if (this.file) void writeFileAtomic(this.file, `${JSON.stringify({ ...this.shared(), [agent]: until })}\n`).catch(() => undefined);
  }

  /** When `agent` may run again, if it is paused at `now`. */
  pausedUntil(agent: string, now: Date): Date | undefined {
    const at = Math.max(this.until.get(agent) ?? 0, this.shared()[agent] ?? 0);
    return at > now.getTime() ? new Date(at) : undefined;
  }

  /** Waits out the pause of `agent` (if any); `onWait` is told once when a wait begins. */
  async wait(agent: string, now: () => Date, signal: AbortSignal, onWait: (until: Date) => void): Promise<void> {
    let told: number | undefined;
    for (let until = this.pausedUntil(agent, now()); until && !signal.aborted; until = this.pausedUntil(agent, now())) {
      if (told !== until.getTime()) onWait(until);
      told = until.getTime();
      await sleep(until.getTime() - now().getTime(), signal);
    }
  }

  /** The pauses other processes wrote: agent name to epoch milliseconds; none when unreadable. */
  private shared(): Record<string, number> {
    if (!this.file) return {};
    try {
      const value: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      if (typeof value !== 'object' || value === null) return {};
      return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
    } catch {
      return {};
    }
  }
}

/** Where the pauses of a repository's agents are shared between crewtree processes. */
export function agentPausesFile(commonDir: string): string {
  return join(commonDir, 'crewtree', 'agent-pauses.json');
}
