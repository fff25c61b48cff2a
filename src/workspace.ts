import { hostname } from 'node:os';
import { loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { systemClock, type Clock } from './clock.js';
import { findRepo, Git } from './git/git.js';
import { agentSandbox, type AgentSandbox } from './sandbox/agent-sandbox.js';
import type { SandboxPolicy } from './sandbox/policy.js';

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
  /** What every agent run starts inside (bubblewrap, or nothing), chosen once here. */
  sandbox: AgentSandbox;
}

export interface OpenOptions {
  env?: Record<string, string | undefined>;
  clock?: Clock;
  host?: string;
  /** `--sandbox`: over `sandbox` and `agents.<name>.sandbox`. */
  sandbox?: SandboxPolicy;
}

export async function openWorkspace(cwd: string, options: OpenOptions = {}): Promise<Workspace> {
  const env = options.env ?? {};
  const { root, commonDir } = await findRepo(cwd);
  const config = await loadConfig(root, env);
  return {
    root,
    commonDir,
    git: new Git(root),
    config,
    clock: options.clock ?? systemClock,
    host: options.host ?? env.CREWTREE_HOST ?? hostname(),
    env,
    // NOTE: agents inherit crewtree's process environment (the process runner adds it, not `env`),
    // so the sandbox reads that one: its PATH finds bwrap and the programs, its HOME is hidden.
    sandbox: agentSandbox({ checkout: root, commonDir, config, inherited: process.env, flag: options.sandbox }),
  };
}

export function baseRefName(config: Config): string {
  return `refs/heads/${config.base}`;
}
