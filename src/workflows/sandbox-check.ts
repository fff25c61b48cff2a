import { CrewError } from '../errors.js';
import { loadRoles, type Role } from '../roles/load.js';
import { checkSandboxBeforeClaim } from '../sandbox/agent-sandbox.js';
import { SANDBOX_POLICIES, type SandboxPolicy } from '../sandbox/policy.js';
import { assertReadyToClaim } from '../worker/preflight.js';
import type { Workspace } from '../workspace.js';

/** `--sandbox auto|required|off`, checked. */
export function parseSandboxFlag(value: string | undefined): SandboxPolicy | undefined {
  if (value === undefined) return undefined;
  if ((SANDBOX_POLICIES as readonly string[]).includes(value)) return value as SandboxPolicy;
  throw new CrewError('usage', `--sandbox ${value} is not a sandbox policy.`, { hint: 'Use --sandbox auto, --sandbox required or --sandbox off.' });
}

/** The agents a run may start: the `--agent` one, or the config's and the roles' agents. */
function agentsToStart(ws: Workspace, agent: string | undefined, roles: readonly Role[]): string[] {
  return agent ? [agent] : [ws.config.agent, ...roles.flatMap((role) => (role.agent ? [role.agent] : []))];
}

/**
 * Before a task is created for them: the agents it may start must have the sandbox their policy
 * requires. Returns the one warning to print when `auto` finds none.
 */
export async function sandboxBeforeClaim(ws: Workspace, agent: string | undefined): Promise<string | undefined> {
  // NOTE: broken role files are reported where roles are read for the task; here they add no agent.
  const roles = agent ? [] : [...(await loadRoles(ws.root).catch(() => new Map<string, Role>())).values()];
  return checkSandboxBeforeClaim(ws.sandbox, agentsToStart(ws, agent, roles));
}

/**
 * Before `crew work` or `crew run` claims anything, with the roles read once: the settings a run
 * needs (preflight.ts) and the sandbox of every agent it may start. Returns the one warning to
 * print when `auto` finds no sandbox.
 */
export async function checkBeforeClaim(ws: Workspace, agent: string | undefined): Promise<string | undefined> {
  const roles = [...(await loadRoles(ws.root)).values()];
  assertReadyToClaim({ config: ws.config, agent, roles });
  return checkSandboxBeforeClaim(ws.sandbox, agentsToStart(ws, agent, roles));
}
