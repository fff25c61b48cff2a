// Which sandbox an agent run gets: the policy in force (flag over per-agent setting over config)
// and what the machine offers, decided without I/O.
import { CrewError } from '../errors.js';

export const SANDBOX_POLICIES = ['auto', 'required', 'off'] as const;
export type SandboxPolicy = (typeof SANDBOX_POLICIES)[number];
export type SandboxNetwork = 'open' | 'none';

/** What `findBubblewrap` found: a working bwrap, or why there is none. */
export type BubblewrapProbe = { found: true; path: string; version: string } | { found: false; why: string };

/** The settings that decide one agent's sandbox, highest first: `--sandbox`, `agents.<name>.sandbox`, `sandbox`. */
export interface SandboxSettings {
  flag?: SandboxPolicy;
  agent?: SandboxPolicy;
  config: SandboxPolicy;
}

export function policyInForce(settings: SandboxSettings): SandboxPolicy {
  return settings.flag ?? settings.agent ?? settings.config;
}

export type SandboxDecision =
  | { kind: 'bubblewrap'; path: string; version: string }
  | { kind: 'none'; policy: SandboxPolicy; why: string }
  | { kind: 'refuse'; why: string };

export function decideSandbox(policy: SandboxPolicy, probe: BubblewrapProbe): SandboxDecision {
  if (policy === 'off') return { kind: 'none', policy, why: 'sandbox: off' };
  if (probe.found) return { kind: 'bubblewrap', path: probe.path, version: probe.version };
  if (policy === 'required') return { kind: 'refuse', why: probe.why };
  return { kind: 'none', policy, why: probe.why };
}

export const INSTALL_HINT =
  'Install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`; Arch: `sudo pacman -S bubblewrap`), ' +
  'or set `sandbox: auto` (run unsandboxed with a warning) or `sandbox: off` in .crewtree/config.yaml.';

export function sandboxRefusal(why: string): CrewError {
  return new CrewError('sandbox-unavailable', `The agent sandbox is required (sandbox: required) but cannot start: ${why}. No task was claimed.`, { hint: INSTALL_HINT });
}

/** The one warning a run prints when `auto` finds no sandbox. */
export function unsandboxedWarning(why: string): string {
  return `warning: agents run without a sandbox: ${why}. They can write anywhere your user can. ${INSTALL_HINT.split(', or set')[0]}, or set \`sandbox: off\` to silence this.`;
}
