import type { Config } from './config/schema.js';
import type { Clock } from './clock.js';
import type { EventBus } from './events/event-bus.js';
import type { Git } from './git/git.js';
import type { AgentSandbox } from './sandbox/agent-sandbox.js';

/** Everything a core function needs about where it runs, passed in rather than read deep down. */
export interface Workspace {
  /** Top of the user's checkout (where crewtree was started). */
  root: string;
  /** The shared git directory; runtime files live in `<commonDir>/crewtree/`. */
  commonDir: string;
  git: Git;
  config: Config;
  clock: Clock;
  host: string;
  env: Record<string, string | undefined>;
  /** What every agent run starts inside (bubblewrap, or nothing), chosen once when the workspace is opened. */
  sandbox: AgentSandbox;
  /** Where the base branch lives, chosen once when the workspace is opened (`remote:` in the config). */
  baseStore: BaseStore;
  /** Where every part emits its events (task-log lines, worker phases, queue steps); commands subscribe sinks. */
  events: EventBus;
}

/** A ref to move in the same all-or-nothing step as the base (e.g. a landed task branch). */
export interface ExtraRef {
  ref: string;
  to: string;
  /** The value the ref must still have; without it the update must be a fast-forward. */
  expected?: string;
}

/**
 * Where the base branch lives and how it is moved by compare-and-swap: this repository's ref
 * (one machine) or the remote's branch (several machines, design section 4 rule 2).
 */
export interface BaseStore {
  readonly kind: 'local' | 'remote';
  /** The base commit now, with its objects present here; undefined when the branch has no commits. */
  read(): Promise<string | undefined>;
  /** Moves the base from `expected` to `next` (and `extraRefs` with it) only if it is still `expected`. */
  swap(next: string, expected: string, message: string, extraRefs?: readonly ExtraRef[]): Promise<'swapped' | 'lost'>;
}

export function baseRefName(config: Config): string {
  return `refs/heads/${config.base}`;
}
