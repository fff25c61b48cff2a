import { singleLine } from '../terminal/safe-text.js';
import { paint } from '../terminal/paint.js';
import type { TaskLock, TaskStatus } from '../backlog/task.js';
import { formatProblem, type Problem } from '../errors.js';
import type { GitProbe } from '../git/probe.js';
import type { StaleView } from './status-model.js';

/** Something wrong, and what to do about it. */
export interface DoctorProblem {
  message: string;
  fix: string;
}

export interface DoctorCheck {
  name: string;
  summary: string;
  /** Facts worth showing that are not problems (versions found, paths). */
  notes: string[];
  problems: DoctorProblem[];
}

export interface AgentProbe {
  agent: string;
  command: string;
  /** Where it was found, or null when it is not on PATH. */
  path: string | null;
  version: string | null;
  error: string | null;
  /** Whether it looks logged in or configured (src/agents/agent-health.ts); absent when not on PATH. */
  login?: { configured: boolean; why: string };
}

export interface DoctorReport {
  checks: DoctorCheck[];
  agents: AgentProbe[];
}

export const MINIMUM_GIT: readonly [number, number] = [2, 38];

/** `git version 2.39.5`, `git version 2.37.1 (Apple Git-137.1)`, `git version 2.45.1.windows.1`. */
export function parseGitVersion(text: string): [number, number, number] | undefined {
  const match = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

export function gitCheck(probe: GitProbe): DoctorCheck {
  const version = parseGitVersion(probe.versionText);
  const shown = version ? version.join('.') : probe.versionText.trim() || 'unknown';
  const problems: DoctorProblem[] = [];
  const upgrade = `Install git ${MINIMUM_GIT.join('.')} or newer (your package manager, its backports, or https://git-scm.com/downloads).`;
  if (!version) problems.push({ message: `could not read git's version from "${probe.versionText.trim()}"`, fix: 'Check that `git --version` works in this shell.' });
  else if (version[0] < MINIMUM_GIT[0] || (version[0] === MINIMUM_GIT[0] && version[1] < MINIMUM_GIT[1])) {
    problems.push({ message: `git ${shown} is older than ${MINIMUM_GIT.join('.')}: it has no \`merge-tree --write-tree\`, which landing needs`, fix: upgrade });
  }
  if (probe.mergeTree === false) problems.push({ message: '`git merge-tree --write-tree` failed', fix: upgrade });
  if (!probe.updateRefTransaction) problems.push({ message: '`git update-ref --stdin` transactions failed', fix: upgrade });
  if (!probe.worktreeList) problems.push({ message: '`git worktree list --porcelain -z` failed', fix: upgrade });
  const features = ['merge-tree --write-tree', 'update-ref --stdin transactions', 'worktrees'];
  return { name: 'git', summary: `git ${shown} (needs ${MINIMUM_GIT.join('.')}+: ${features.join(', ')})`, notes: [], problems };
}

/** What the configured agent needs: a program (found or not), a setting that is missing, or nothing. */
export type AgentRequirement = { command: string; found: boolean } | { missing: string; fix: string } | null;

export interface AgentCheckInput {
  probes: AgentProbe[];
  /** config.agent */
  configured: string;
  requirement: AgentRequirement;
}

export function agentCheck(input: AgentCheckInput): DoctorCheck {
  const notes = input.probes.flatMap((probe) => {
    if (!probe.path) return [`${probe.agent.padEnd(9)} not found`];
    const found = `${probe.agent.padEnd(9)} ${(probe.version ?? probe.error ?? '?').padEnd(12)} ${probe.path}`;
    if (!probe.login) return [found];
    return [found, `${' '.repeat(10)}${probe.login.configured ? 'looks logged in' : 'not logged in'}: ${probe.login.why}`];
  });
  const problems: DoctorProblem[] = [];
  const requirement = input.requirement;
  if (requirement && 'missing' in requirement) problems.push({ message: requirement.missing, fix: requirement.fix });
  else if (requirement && !requirement.found) {
    problems.push({
      message: `the configured agent ${input.configured} needs \`${requirement.command}\`, which is not on PATH`,
      fix: `Install it, or pick an agent you have: \`agent:\` in .crewtree/config.yaml (or --agent), e.g. ${input.probes.find((p) => p.path)?.agent ?? 'script'}.`,
    });
  }
  const chosen = input.probes.find((probe) => probe.agent === input.configured);
  if (chosen?.login && !chosen.login.configured) {
    problems.push({
      message: `the configured agent ${input.configured} is not logged in: ${chosen.login.why}`,
      fix: `Log in (run \`${chosen.command}\` once), set its API key in agents.${input.configured}.env, or pick another agent: \`agent:\` in .crewtree/config.yaml.`,
    });
  }
  const found = input.probes.filter((probe) => probe.path).map((probe) => probe.agent);
  return { name: 'agents', summary: `${input.configured} configured; on PATH: ${found.join(', ') || 'none of the known CLIs'}`, notes, problems };
}

/** What would fail after a claim (unknown agent, branch pattern, link paths), found before one. */
export function preflightCheck(problems: readonly string[]): DoctorCheck {
  return {
    name: 'run settings',
    summary: problems.length === 0 ? 'agents, branch pattern and setup links can run a task' : `${problems.length} setting${problems.length === 1 ? '' : 's'} would fail after a claim`,
    notes: [],
    problems: problems.map((message) => ({ message, fix: 'crew run and crew work refuse to claim until this is fixed in .crewtree/config.yaml.' })),
  };
}

export function configCheck(path: string, problems: readonly Problem[]): DoctorCheck {
  return {
    name: 'config',
    summary: problems.length === 0 ? `${path} is valid` : `${path} has ${problems.length} problem${problems.length === 1 ? '' : 's'} (the checks below use the defaults)`,
    notes: [],
    problems: problems.map((problem) => ({ message: formatProblem(problem), fix: 'Fix that line; every key is described in the file `crew init` writes.' })),
  };
}

export function backlogCheck(input: {
  base: string;
  commit: string | undefined;
  tasks: number;
  problems: readonly Problem[];
  /** Tasks in progress that no lock holds (issue 12), with the status as their file writes it. */
  stranded?: readonly { id: string; status: string }[];
  /** A note on the dialect read (Backlog.md's). */
  dialect?: string;
}): DoctorCheck {
  if (!input.commit) {
    return {
      name: 'backlog',
      summary: `${input.base} has no commits`,
      notes: [],
      problems: [{ message: `the base branch ${input.base} has no commits, so there is no backlog to read`, fix: `Commit the files \`crew init\` wrote on ${input.base}, or set base: in .crewtree/config.yaml.` }],
    };
  }
  const where = `${input.tasks} task${input.tasks === 1 ? '' : 's'} on ${input.base} at ${input.commit.slice(0, 8)}`;
  const stranded = (input.stranded ?? []).map((task) => ({
    message: `${task.id} is ${singleLine(task.status)} without a lock: no worker holds it and none may claim it (another tool rewrote its file without the lock)`,
    fix: 'Run `crew sweep`: it goes back to todo, with a log line.',
  }));
  const count = input.problems.length + stranded.length;
  return {
    name: 'backlog',
    summary: count === 0 ? `${where}, valid` : `${where}, ${count} problem${count === 1 ? '' : 's'}`,
    notes: input.dialect ? [input.dialect] : [],
    problems: [...input.problems.map((problem) => ({ message: formatProblem(problem), fix: `Fix the task file and commit it on ${input.base}.` })), ...stranded],
  };
}

export interface LockOnDisk {
  task: string;
  status: TaskStatus;
  lock: TaskLock;
  worktreeExists: boolean;
  branchExists: boolean;
  /** The phase the lock's worker reports for this task, if it runs. */
  phase: string | null;
}

export interface WorktreeOnDisk {
  path: string;
  branch: string | null;
  exists: boolean;
  held: boolean;
  clean: boolean | null;
  changed: string[];
  /** Commits on its branch that the base does not have. */
  unlanded: number;
}

export interface ConsistencyInput {
  base: string;
  host: string;
  worktreesDir: string;
  worktreesIgnored: boolean;
  locks: LockOnDisk[];
  worktrees: WorktreeOnDisk[];
  /** Folders under the worktrees folder that git does not list as worktrees. */
  leftovers: string[];
  stale: StaleView[];
}

function lockProblems(input: ConsistencyInput, entry: LockOnDisk, stale: Set<string>): DoctorProblem[] {
  const { lock } = entry;
  if (lock.host !== input.host) return []; // its worktree is on that machine
  if (entry.status === 'review') {
    if (entry.branchExists) return [];
    return [{ message: `${entry.task} waits for review but its branch ${lock.branch} is gone`, fix: `Send it back: crew reject ${entry.task} -m "branch lost".` }];
  }
  if (entry.worktreeExists || entry.phase === 'claiming' || entry.phase === 'setup') return [];
  const recreate = entry.branchExists ? `; or bring the worktree back: git worktree add ${lock.worktree} ${lock.branch}` : '';
  const fix = stale.has(entry.task)
    ? `Run \`crew sweep\` to release it${entry.branchExists ? `; its branch ${lock.branch} keeps the work` : ''}.`
    : `If ${lock.worker} is gone, \`crew release ${entry.task}\` frees it${recreate}.`;
  return [{ message: `${entry.task} is locked by ${lock.worker} but its worktree ${lock.worktree} is missing`, fix }];
}

function worktreeProblems(input: ConsistencyInput, worktree: WorktreeOnDisk): DoctorProblem[] {
  if (!worktree.exists) {
    return [{ message: `git lists the worktree ${worktree.path}, but its folder is gone`, fix: 'Run `git worktree prune`.' }];
  }
  if (worktree.held) return [];
  const work: string[] = [];
  if (worktree.unlanded > 0) work.push(`${worktree.unlanded} commit${worktree.unlanded === 1 ? '' : 's'} not on ${input.base}`);
  if (worktree.clean === false) work.push(`${worktree.changed.length} uncommitted change${worktree.changed.length === 1 ? '' : 's'}`);
  if (work.length === 0) return [];
  const branch = worktree.branch ?? 'HEAD';
  return [
    {
      message: `${worktree.path} holds work that no task's lock holds: ${work.join(' and ')}`,
      fix: `Look at it (git -C ${worktree.path} status; git log ${input.base}..${branch}), then land it by hand or drop it: git worktree remove --force ${worktree.path}${worktree.branch ? ` && git branch -D ${worktree.branch}` : ''}.`,
    },
  ];
}

/** Locks, worktrees and the worktrees folder agree with each other; what to do where they do not. */
export function consistencyCheck(input: ConsistencyInput): DoctorCheck {
  const stale = new Set(input.stale.map((entry) => entry.task));
  const problems: DoctorProblem[] = [
    ...input.stale.map((entry) => ({
      message: `${entry.task} is locked by ${entry.worker}, but ${entry.reason}`,
      fix: `Run \`crew sweep\` to release it (its branch and worktree are kept).`,
    })),
    ...input.locks.flatMap((entry) => lockProblems(input, entry, stale)),
    ...input.worktrees.flatMap((worktree) => worktreeProblems(input, worktree)),
    ...input.leftovers.map((path) => ({
      message: `${path} is a folder under ${input.worktreesDir}/ that git does not know as a worktree`,
      fix: `Check nothing in it is needed, then delete it (rm -rf ${path}).`,
    })),
  ];
  if (!input.worktreesIgnored) {
    problems.push({ message: `${input.worktreesDir}/ is not ignored by git: task worktrees would show up in \`git status\``, fix: `Add ${input.worktreesDir}/ to .gitignore (crew init does).` });
  }
  const summary = `${input.locks.length} lock${input.locks.length === 1 ? '' : 's'}, ${input.worktrees.length} task worktree${input.worktrees.length === 1 ? '' : 's'}`;
  return { name: 'worktrees and locks', summary, notes: [], problems };
}

export function problemCount(report: DoctorReport): number {
  return report.checks.reduce((sum, check) => sum + check.problems.length, 0);
}

/** `crew doctor`: one line per check, then its notes and each problem with what to do. */
export function renderDoctor(report: DoctorReport, options: { color: boolean }): string {
  const { color } = options;
  const lines: string[] = [];
  for (const check of report.checks) {
    const mark = check.problems.length === 0 ? paint(color, 'green', 'ok  ') : paint(color, 'red', 'FAIL');
    lines.push(`${mark} ${check.name}: ${check.summary}`);
    for (const note of check.notes) lines.push(`       ${note}`);
    for (const problem of check.problems) {
      lines.push(`     ${paint(color, 'red', '✗')} ${problem.message}`);
      lines.push(`       ${paint(color, 'dim', 'fix:')} ${problem.fix}`);
    }
  }
  const count = problemCount(report);
  lines.push('', count === 0 ? 'No problems found.' : `${count} problem${count === 1 ? '' : 's'} found.`);
  return lines.join('\n');
}
