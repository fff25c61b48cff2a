import { builtInAgents } from '../agents/registry.js';
import { branchName } from '../claims/names.js';
import type { Config } from '../config/schema.js';
import { CrewError } from '../errors.js';
import type { Role } from '../roles/load.js';
import { isValidBranchName } from '../worktree/confine.js';

export interface PreflightInput {
  config: Config;
  /** `--agent`, when given: it overrides every role's. */
  agent?: string;
  roles: readonly Role[];
}

/** A sample task whose branch shows whether the pattern makes a branch git accepts. */
const SAMPLE = { worker: 'claude-1', id: 'A1', title: 'Add a thing' };

/**
 * What would fail after a claim and leave a dead lock, found before any claim: an unknown agent,
 * a custom agent without a command, a branch pattern git refuses, a setup link outside the
 * repository. Pure: every problem at once, each with what to write instead.
 */
export function preflightProblems(input: PreflightInput): string[] {
  const { config } = input;
  const problems: string[] = [];
  const agents = new Set([input.agent ?? config.agent, ...(input.agent ? [] : input.roles.flatMap((role) => (role.agent ? [role.agent] : [])))]);
  for (const agent of agents) {
    const builtIn = (builtInAgents as readonly string[]).includes(agent);
    const settings = config.agents[agent];
    if (!builtIn && !settings) problems.push(`agent "${agent}" is neither built in (${builtInAgents.join(', ')}) nor defined under agents: in .crewtree/config.yaml`);
    else if ((!builtIn || agent === 'command') && !settings?.command) problems.push(`agents.${agent}.command is missing: the ${agent} agent has no program to run (e.g. agents: { ${agent}: { command: ./tools/${agent}.sh } })`);
  }
  const branch = branchName(config, SAMPLE.worker, SAMPLE.id, SAMPLE.title);
  if (!isValidBranchName(branch) || !branch.includes(SAMPLE.id)) {
    problems.push(`branch: ${JSON.stringify(config.branch)} makes branches such as ${JSON.stringify(branch)}, which git refuses (e.g. branch: ai/{worker}/{id}-{slug})`);
  }
  for (const link of config.setup.link) {
    const entry = link.replace(/\/+$/, '');
    if (entry === '' || entry.startsWith('/') || entry.split('/').includes('..')) problems.push(`setup.link entry ${JSON.stringify(link)} is not a folder inside the repository (e.g. link: [node_modules])`);
  }
  return problems;
}

/** Throws every preflight problem as one config error: nothing was claimed. */
export function assertReadyToClaim(input: PreflightInput): void {
  const problems = preflightProblems(input);
  if (problems.length === 0) return;
  throw new CrewError('config-invalid', `.crewtree/config.yaml cannot run a task; nothing was claimed.`, {
    details: problems,
    hint: 'Fix these in .crewtree/config.yaml (crew doctor checks them too), then run the command again.',
  });
}
