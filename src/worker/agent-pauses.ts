import { sleep } from '../process/sleep.js';

/**
 * When an agent's API said "not now" (a rate limit, an outage), every worker of that agent in this
 * crewtree process waits until the same time, so they do not all hit the wall one after another.
 */
export class AgentPauses {
  private readonly until = new Map<string, number>();

  /** Pauses `agent` until `at`; a later pause already in force is kept. */
  pause(agent: string, at: Date): void {
    this.until.set(agent, Math.max(this.until.get(agent) ?? 0, at.getTime()));
  }

  /** When `agent` may run again, if it is paused at `now`. */
  pausedUntil(agent: string, now: Date): Date | undefined {
    const at = this.until.get(agent);
    return at !== undefined && at > now.getTime() ? new Date(at) : undefined;
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
}
