// The sandbox the workspace picks once for every agent run it starts; see docs/real-agents.md.
import type { Config } from '../config/schema.js';
import { findBubblewrap } from './detect.js';
import type { LaunchWrapper } from './launch.js';
import { decideSandbox, sandboxRefusal, unsandboxedWarning, type BubblewrapProbe, type SandboxPolicy } from './policy.js';
import { agentPolicy, sandboxLauncher } from './sandbox-launcher.js';

export interface AgentSandbox {
  /** Wraps each agent run: bubblewrap around it, the `.env` variables the config hands over. */
  wrap: LaunchWrapper;
  policyFor(agent: string): SandboxPolicy;
  probe(): Promise<BubblewrapProbe>;
}

export interface AgentSandboxOptions {
  checkout: string;
  commonDir: string;
  config: Config;
  /** The environment agents inherit: crewtree's own. */
  inherited: Record<string, string | undefined>;
  flag?: SandboxPolicy;
}

export function agentSandbox(options: AgentSandboxOptions): AgentSandbox {
  const probe = () => findBubblewrap(options.inherited.PATH);
  return {
    wrap: sandboxLauncher({ checkout: options.checkout, commonDir: options.commonDir, config: options.config, env: options.inherited, flag: options.flag, probe }),
    policyFor: (agent) => agentPolicy({ config: options.config, flag: options.flag }, agent),
    probe,
  };
}

/**
 * Before any claim: refuses when an agent this run may start requires a sandbox that cannot
 * start, and returns the one warning to print when `auto` will run agents without one.
 */
export async function checkSandboxBeforeClaim(sandbox: AgentSandbox, agents: readonly string[]): Promise<string | undefined> {
  const policies = [...new Set(agents.map((agent) => sandbox.policyFor(agent)))].filter((policy) => policy !== 'off');
  if (policies.length === 0) return undefined;
  const probe = await sandbox.probe();
  for (const policy of policies) {
    const decision = decideSandbox(policy, probe);
    if (decision.kind === 'refuse') throw sandboxRefusal(decision.why);
  }
  return probe.found ? undefined : unsandboxedWarning(probe.why);
}
