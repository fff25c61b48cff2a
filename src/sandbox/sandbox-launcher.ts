// The launcher the workspace picks once: for each agent run, the policy in force, the `.env`
// variables the config hands over, and bubblewrap around the command when it is there.
import type { Config } from '../config/schema.js';
import { bwrapArgs, describeLayout } from './bwrap-args.js';
import { dotenvValues, redactor } from './dotenv.js';
import { homeEnv } from './home.js';
import type { LaunchWrapper, WrappedLaunch } from './launch.js';
import { gatherLayout } from './layout.js';
import { decideSandbox, policyInForce, type BubblewrapProbe, type SandboxPolicy } from './policy.js';

export interface SandboxContext {
  checkout: string;
  commonDir: string;
  config: Config;
  /** crewtree's own environment: what an agent inherits. */
  env: Record<string, string | undefined>;
  /** `--sandbox` on the command line, over every setting. */
  flag?: SandboxPolicy;
  /** Where bubblewrap is, asked once (the first run that needs it). */
  probe: () => Promise<BubblewrapProbe>;
}

/** The policy that applies to `agent`: the flag, then `agents.<agent>.sandbox`, then `sandbox`. */
export function agentPolicy(context: Pick<SandboxContext, 'config' | 'flag'>, agent: string): SandboxPolicy {
  return policyInForce({ flag: context.flag, agent: context.config.agents[agent]?.sandbox, config: context.config.sandbox });
}

export function sandboxLauncher(context: SandboxContext): LaunchWrapper {
  return async (launch): Promise<WrappedLaunch> => {
    const settings = context.config.agents[launch.agent];
    const dotenv = await dotenvValues(context.checkout, settings?.dotenv ?? []);
    const base = {
      env: { ...launch.env, ...dotenv },
      redact: redactor(Object.values(dotenv)),
      dotenvNames: Object.keys(dotenv),
    };
    const policy = agentPolicy(context, launch.agent);
    const decision = decideSandbox(policy, policy === 'off' ? { found: false, why: 'off' } : await context.probe());
    if (decision.kind === 'refuse') {
      return { ...base, command: launch.command, args: launch.args, note: `refused: ${decision.why}`, refused: `the sandbox is required and cannot start: ${decision.why}` };
    }
    if (decision.kind === 'none') {
      return { ...base, command: launch.command, args: launch.args, note: policy === 'off' ? 'off' : `none (${decision.why})` };
    }
    const agentEnv = { ...context.env, ...base.env };
    const layout = await gatherLayout({
      agent: launch.agent,
      command: launch.command,
      checkout: context.checkout,
      commonDir: context.commonDir,
      worktreesFolder: context.config.worktrees,
      worktree: launch.worktree,
      scratch: launch.scratch,
      env: agentEnv,
      network: settings?.sandbox_network ?? context.config.sandbox_network,
    });
    return {
      ...base,
      command: decision.path,
      args: [...bwrapArgs(layout), '--', launch.command, ...launch.args],
      env: { ...base.env, ...homeEnv(launch.agent, agentEnv, layout.home), ...(base.env.TMPDIR === launch.scratch ? { TMPDIR: layout.tmp } : {}) },
      note: describeLayout(layout, decision),
    };
  };
}
