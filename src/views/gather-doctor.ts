import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { agentHealth } from '../agents/agent-health.js';
import { EventBus } from '../events/event-bus.js';
import { builtInAgents } from '../agents/registry.js';
import { systemClock, type Clock } from '../clock.js';
import { readHeartbeats } from '../claims/heartbeat.js';
import { CONFIG_PATH, parseConfig, readConfigText } from '../config/load.js';
import { findStrandedTasks } from '../sweeper/stranded.js';
import type { Config } from '../config/schema.js';
import { findRepo, Git } from '../git/git.js';
import { isIgnored } from '../git/checkout.js';
import { countCommitsAhead } from '../git/history.js';
import { resolveCommit } from '../git/objects.js';
import { probeGit } from '../git/probe.js';
import { branchExists, indexLockPath } from '../git/worktrees.js';
import { agentSandbox } from '../sandbox/agent-sandbox.js';
import { remoteDoctorCheck } from './remote-doctor-check.js';
import { LocalBaseStore } from '../state/local-base-store.js';
import { readSnapshot } from '../state/snapshot.js';
import { readWorkerStatuses } from '../studio/status-files.js';
import { isProcessAlive } from '../process/alive.js';
import { worktreeState } from '../worktree/state.js';
import { baseRefName, type Workspace } from '../workspace.js';
import { agentCheck, backlogCheck, configCheck, consistencyCheck, gitCheck, preflightCheck, type AgentProbe, type AgentRequirement, type DoctorReport, type LockOnDisk, type WorktreeOnDisk } from './doctor.js';
import { sandboxCheck } from './doctor-sandbox.js';
import { findCommand, leftoverFolders, probeAgent } from './doctor-probes.js';
import { folderExists, readSweeperObservations, taskWorktrees } from './gather-status.js';
import { staleLocksOf } from './status-model.js';
import { checkoutsOf } from '../state/checkout.js';
import { readMoveRecord } from '../state/move-journal.js';
import { isAbandoned } from '../state/recover-checkout.js';
import { checkoutCheck, type CheckoutOnDisk } from './checkout-check.js';
import { loadRoles } from '../roles/load.js';
import { preflightProblems } from '../worker/preflight.js';

/** The agent CLIs crewtree drives, each under its own program name. */
export const agentClis = ['claude', 'codex', 'aider', 'gemini', 'opencode'] as const;

export interface DoctorOptions {
  env: Record<string, string | undefined>;
  clock?: Clock;
  host?: string;
  isAlive?: (pid: number) => boolean;
  /** How long `<agent> --version` may take. */
  probeTimeoutMs?: number;
}

async function agentRequirement(config: Config, env: Record<string, string | undefined>, root: string): Promise<AgentRequirement> {
  const name = config.agent;
  const settings = config.agents[name];
  const isBuiltIn = (builtInAgents as readonly string[]).includes(name);
  if (name === 'script' && !settings?.command) return { command: 'bash', found: (await findCommand('bash', env, root)) !== null };
  const command = settings?.command ?? ((agentClis as readonly string[]).includes(name) ? name : undefined);
  if (command) return { command, found: (await findCommand(command, env, root)) !== null };
  if (!isBuiltIn && !settings) {
    return { missing: `the configured agent ${name} is neither built in nor defined under agents:`, fix: `Use one of ${builtInAgents.join(', ')}, or define it: agents: { ${name}: { command: ./tools/${name}.sh } }.` };
  }
  return { missing: `agents.${name}.command is missing: the ${name} agent has no program to run`, fix: `Set it, e.g. agents: { ${name}: { command: ./tools/agent.sh, args: ["{prompt_file}"] } }.` };
}

/** Reads the config without throwing: its problems become the config check, the defaults stand in. */
async function readConfigLeniently(root: string, env: Record<string, string | undefined>) {
  const read = await readConfigText(root);
  const parsed = read.problems.length > 0 ? { config: undefined, problems: read.problems } : parseConfig(read.text, CONFIG_PATH, env);
  const config = parsed.config ?? parseConfig('', CONFIG_PATH, {}).config;
  if (!config) throw new Error('the default config does not parse');
  return { config, problems: parsed.problems };
}

async function consistency(ws: Workspace, commit: string | undefined, isAlive: (pid: number) => boolean) {
  const snapshot = commit ? await readSnapshot(ws.git, commit, ws.config.backlog) : undefined;
  const tasks = snapshot?.backlog.tasks ?? [];
  const statuses = await readWorkerStatuses(ws.commonDir);
  const locks: LockOnDisk[] = await Promise.all(
    tasks.flatMap((task) =>
      task.lock
        ? [
            (async () => ({
              task: task.id,
              status: task.status,
              lock: task.lock!,
              worktreeExists: await folderExists(join(ws.root, task.lock!.worktree)),
              branchExists: await branchExists(ws.git, task.lock!.branch),
              phase: statuses.find((s) => s.worker === task.lock!.worker && s.task === task.id)?.phase ?? null,
            }))(),
          ]
        : [],
    ),
  );
  const held = new Set(tasks.flatMap((task) => (task.lock ? [`refs/heads/${task.lock.branch}`] : [])));
  const listed = await taskWorktrees(ws);
  const worktrees: WorktreeOnDisk[] = await Promise.all(
    listed.map(async (worktree) => {
      const exists = await folderExists(worktree.path);
      const state = exists ? await worktreeState(worktree.path).catch(() => undefined) : undefined;
      return {
        path: worktree.path.slice(ws.root.length + 1),
        branch: worktree.branch?.replace(/^refs\/heads\//, '') ?? null,
        exists,
        held: worktree.branch !== undefined && held.has(worktree.branch),
        clean: state ? state.clean : null,
        changed: state?.changed ?? [],
        unlanded: commit && worktree.head ? await countCommitsAhead(ws.git, commit, worktree.head) : 0,
      };
    }),
  );
  const now = ws.clock.now().getTime();
  const [heartbeats, observations] = await Promise.all([readHeartbeats(ws.git), readSweeperObservations(ws.commonDir)]);
  return consistencyCheck({
    base: ws.config.base,
    host: ws.host,
    worktreesDir: ws.config.worktrees,
    worktreesIgnored: await isIgnored(ws.git, `${ws.config.worktrees}/crewtree-probe`),
    locks,
    worktrees,
    leftovers: await leftoverFolders(ws.root, ws.config.worktrees, listed.map((w) => w.path)),
    stale: staleLocksOf({ tasks, heartbeats, observations, now, host: ws.host, leaseMs: ws.config.lease, isAlive }),
  });
}

/** The base's checkouts, each with its index.lock if one exists, and a move a crash interrupted. */
async function checkoutState(ws: Workspace) {
  const record = await readMoveRecord(ws.commonDir);
  const checkouts: CheckoutOnDisk[] = await Promise.all(
    (await checkoutsOf(ws.git, baseRefName(ws.config))).map(async (checkout) => {
      const lock = await indexLockPath(ws.git, checkout.path);
      return { path: checkout.path, indexLock: (await folderExists(lock)) ? lock : undefined };
    }),
  );
  const interrupted = record && isAbandoned(record, ws.host) ? { pid: record.pid, to: record.to, checkouts: record.checkouts } : undefined;
  return checkoutCheck({ base: ws.config.base, checkouts, interrupted });
}

/** `crew doctor`: git, agent CLIs, config, backlog, and whether worktrees and locks agree. */
export async function gatherDoctor(cwd: string, options: DoctorOptions): Promise<DoctorReport> {
  const { root, commonDir } = await findRepo(cwd);
  const { env } = options;
  const { config, problems: configProblems } = await readConfigLeniently(root, env);
  const sandbox = agentSandbox({ checkout: root, commonDir, config, inherited: env });
  const repoGit = new Git(root);
  // NOTE: the doctor looks at this repository; the remote gets its own check below.
  const baseStore = new LocalBaseStore(repoGit, baseRefName(config));
  const ws: Workspace = { root, commonDir, git: repoGit, config, clock: options.clock ?? systemClock, host: options.host ?? env.CREWTREE_HOST ?? hostname(), env, sandbox, baseStore, events: new EventBus() };
  const commit = await resolveCommit(ws.git, baseRefName(config));
  const timeoutMs = options.probeTimeoutMs ?? 5000;
  const customAgents = Object.entries(config.agents).flatMap(([name, settings]) => (settings.command && !(agentClis as readonly string[]).includes(name) ? [[name, settings.command] as const] : []));
  const [git, agents, requirement, bubblewrap] = await Promise.all([
    probeGit(ws.git, commit),
    Promise.all([
      ...agentClis.map((name) => probeAgent(name, config.agents[name]?.command ?? name, env, root, timeoutMs)),
      // NOTE: a custom agent is any program of the repository's; the doctor only looks for it and never runs it.
      ...customAgents.map(async ([name, command]): Promise<AgentProbe> => ({ agent: name, command, path: await findCommand(command, env, root), version: null, error: null })),
    ]),
    agentRequirement(config, env, root),
    sandbox.probe(),
  ]);
  const snapshot = commit ? await readSnapshot(ws.git, commit, config.backlog) : undefined;
  for (const probe of agents) {
    if (!probe.path) continue;
    const health = await agentHealth({ name: probe.agent, path: probe.path, version: probe.version }, env, config.agents[probe.agent]);
    probe.login = { configured: health.configured, why: health.why };
  }
  return {
    agents,
    checks: [
      gitCheck(git),
      agentCheck({ probes: agents, configured: config.agent, requirement }),
      sandboxCheck(config, bubblewrap),
      configCheck(CONFIG_PATH, configProblems),
      preflightCheck(preflightProblems({ config, roles: [...(await loadRoles(root).catch(() => new Map())).values()] })),
      backlogCheck({
        base: config.base,
        commit,
        tasks: snapshot?.backlog.tasks.length ?? 0,
        problems: snapshot?.backlog.problems ?? [],
        stranded: snapshot ? findStrandedTasks(snapshot.backlog).map((task) => ({ id: task.id, status: task.statusName ?? task.status })) : [],
        dialect: snapshot?.backlog.dialect.kind === 'backlog.md' ? `Backlog.md backlog (${config.backlog}/config.yml): prefix ${snapshot.backlog.dialect.taskPrefix.toUpperCase()}, statuses ${snapshot.backlog.dialect.statuses.join(', ')}` : undefined,
      }),
      await consistency(ws, commit, options.isAlive ?? isProcessAlive),
      await checkoutState(ws),
      ...(config.remote ? [await remoteDoctorCheck(ws, config.remote)] : []),
    ],
  };
}
