import { hostname } from 'node:os';
import { systemClock, type Clock } from '../clock.js';
import { loadConfig } from '../config/load.js';
import { EventBus } from '../events/event-bus.js';
import { findRepo, Git } from '../git/git.js';
import { RemoteBaseStore } from '../remote/remote-base-store.js';
import { agentSandbox } from '../sandbox/agent-sandbox.js';
import type { SandboxPolicy } from '../sandbox/policy.js';
import { LocalBaseStore } from '../state/local-base-store.js';
import { baseRefName, type Workspace } from '../workspace.js';

export interface OpenOptions {
  env?: Record<string, string | undefined>;
  clock?: Clock;
  host?: string;
  /** `--sandbox`: over `sandbox` and `agents.<name>.sandbox`. */
  sandbox?: SandboxPolicy;
}

/** The composition root: finds the repository, loads the config, picks the base store and the sandbox once. */
export async function openWorkspace(cwd: string, options: OpenOptions = {}): Promise<Workspace> {
  const env = options.env ?? {};
  const { root, commonDir } = await findRepo(cwd);
  const config = await loadConfig(root, env);
  const git = new Git(root);
  const ws: Workspace = {
    root,
    commonDir,
    git,
    config,
    clock: options.clock ?? systemClock,
    host: options.host ?? env.CREWTREE_HOST ?? hostname(),
    env,
    // NOTE: agents inherit crewtree's process environment (the process runner adds it, not `env`),
    // so the sandbox reads that one: its PATH finds bwrap and the programs, its HOME is hidden.
    sandbox: agentSandbox({ checkout: root, commonDir, config, inherited: process.env, flag: options.sandbox }),
    baseStore: new LocalBaseStore(git, baseRefName(config), commonDir),
    events: new EventBus(),
  };
  // NOTE: one store per workspace, so a remote is checked once per process.
  if (config.remote) ws.baseStore = new RemoteBaseStore(ws, config.remote);
  return ws;
}
