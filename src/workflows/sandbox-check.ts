import { CrewError } from '../errors.js';
import { loadRoles, type Role } from '../roles/load.js';
import { checkSandboxBeforeClaim } from '../sandbox/agent-sandbox.js';
import { SANDBOX_POLICIES, type SandboxPolicy } from '../sandbox/policy.js';
import type { Workspace } from '../workspace.js';

/** `--sandbox auto|required|off`, checked. */
export function parseSandboxFlag(value: string | undefined): SandboxPolicy | undefined {
  if (value === undefined) return undefined;
  if ((SANDBOX_POLICIES as readonly string[]).includes(value)) return value as SandboxPolicy;
  throw new CrewError('usage', `--sandbox ${value} is not a sandbox policy.`, { hint: 'Use --sandbox auto, --sandbox required or --sandbox off.' });
}

/**
 * Before `crew work` or `crew run` claims anything: the agents it may start (the `--agent` one, or
 * the config's and the roles' agents) must have the sandbox their policy requires. Returns the one
 * warning to print when `auto` finds none.
 */
export async function sandboxBeforeClaim(ws: Workspace, agent: string | undefined): Promise<string | undefined> {
  const agents = agent ? [agent] : [ws.config.agent, ...[...(await loadRoles(ws.root).catch(() => new Map<string, Role>())).values()].flatMap((role) => (role.agent ? [role.agent] : []))];
  // NOTE: broken role files are reported where roles are read for the task; here they add no agent.
  return checkSandboxBeforeClaim(ws.sandbox, agents);
}
