// `crew doctor`'s sandbox line: which sandbox agents run in, decided the way a run decides it.
import type { Config } from '../config/schema.js';
import { decideSandbox, INSTALL_HINT, type BubblewrapProbe } from '../sandbox/policy.js';
import type { DoctorCheck } from './doctor.js';

/** Pure: the policy of the config (and of each agent that overrides it) against what the probe found. */
export function sandboxCheck(config: Config, probe: BubblewrapProbe): DoctorCheck {
  const network = config.sandbox_network === 'none' ? 'network closed' : 'network open';
  const decision = decideSandbox(config.sandbox, probe);
  const summary =
    decision.kind === 'bubblewrap'
      ? `bubblewrap ${decision.version} (${decision.path}), sandbox: ${config.sandbox}: every agent runs inside it, ${network}`
      : decision.kind === 'refuse'
        ? `none, and sandbox: required: agents will not start (${decision.why})`
        : config.sandbox === 'off'
          ? 'off (sandbox: off): agents run unconfined'
          : `none (${decision.why}), sandbox: auto: agents run unconfined, with a warning`;
  const notes = Object.entries(config.agents).flatMap(([name, settings]) => {
    const parts = [settings.sandbox ? `sandbox: ${settings.sandbox}` : '', settings.sandbox_network ? `sandbox_network: ${settings.sandbox_network}` : '', settings.dotenv.length > 0 ? `dotenv: ${settings.dotenv.join(', ')}` : ''].filter(Boolean);
    return parts.length > 0 ? [`agents.${name}: ${parts.join(', ')}`] : [];
  });
  const requiredSomewhere = config.sandbox === 'required' || Object.values(config.agents).some((settings) => settings.sandbox === 'required');
  const problems = !probe.found && requiredSomewhere ? [{ message: `the sandbox is required but cannot start: ${probe.why}`, fix: INSTALL_HINT }] : [];
  if (!probe.found && config.sandbox === 'auto') notes.push(`to confine agents: ${INSTALL_HINT.split(', or set')[0]}`);
  return { name: 'sandbox', summary, notes, problems };
}
