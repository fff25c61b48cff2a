// The seam between the agent runner and the sandbox: the runner hands over the command line it
// would start, and gets back the one to start (inside bubblewrap, or as it was).

/** One agent run as the runner would start it. */
export interface AgentLaunch {
  agent: string;
  command: string;
  args: string[];
  /** Over crewtree's own environment; `undefined` removes a variable. */
  env: Record<string, string | undefined>;
  /** The task's worktree, the working directory. */
  worktree: string;
  /** The run's own temporary folder (TMPDIR), removed after the run. */
  scratch: string;
}

export interface WrappedLaunch {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  /** One line for the run log: which sandbox, or why none; empty to say nothing. */
  note: string;
  /** Hides values the run log and live output must never show (the `.env` variables handed over). */
  redact: (line: string) => string;
  /** Set when the run must not start: the sandbox is required and cannot start. */
  refused?: string;
  /** Names of the `.env` variables handed to the agent, for the run log. */
  dotenvNames: string[];
}

export type LaunchWrapper = (launch: AgentLaunch) => Promise<WrappedLaunch>;

/** No sandbox, no `.env` variables: the command as it was. */
export const unwrapped: LaunchWrapper = async (launch) => ({
  command: launch.command,
  args: launch.args,
  env: launch.env,
  note: '',
  redact: (line) => line,
  dotenvNames: [],
});
