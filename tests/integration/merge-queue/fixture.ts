// A repository for merge-queue tests: tasks claimed for real (claimTask), their branches built
// with git plumbing, and a gate script that fails when a file named BAD* exists (naming it,
// unless told to stay quiet). The gate logs every run (the commit it saw) and can be held
// mid-run through a file, so a test can move the base or kill the runner while a gate runs.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { claimTask } from '../../../src/claims/claim.js';
import { buildTree, createCommit } from '../../../src/git/objects.js';
import { enqueue, runQueue, type QueueEvent } from '../../../src/merge-queue/index.js';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';
import type { Workspace } from '../../../src/workspace.js';
import { projectRoot, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

export interface QueueRepo {
  repo: TempRepo;
  /** Folder outside the repository with the gate script and its run log. */
  side: string;
  /** The base commit when the scenario started (after the tasks were claimed). */
  start: string;
  ws: Workspace;
  /** Commits the gate was run on, in order. */
  gateRuns(): string[];
  /** While held, a gate that starts writes `holding` and waits. */
  hold(): void;
  /** From now on a failing gate does not say which file broke the build. */
  quiet(): void;
  release(): void;
  isHolding(): boolean;
  cleanup(): void;
}

export interface TaskBranch {
  id: string;
  branch: string;
  tip: string;
  token: string;
  worker: string;
  title: string;
}

const GATE = `#!/bin/sh
# crewtree test gate: fails when a file named BAD* is in the checkout.
side="$(dirname "$0")"
if [ "$1" != "--check" ]; then
  git rev-parse HEAD >> "$side/runs.log"
  if [ -e "$side/hold" ]; then
    touch "$side/holding"
    while [ -e "$side/hold" ]; do sleep 0.05; done
    rm -f "$side/holding"
  fi
fi
bad="$(ls -A | grep '^BAD' || true)"
if [ -n "$bad" ]; then
  if [ -e "$side/quiet" ]; then echo "the build is broken"; else echo "found $bad: this change breaks the build"; fi
  exit 1
fi
echo "gate passed"
`;

function taskText(id: string, title: string): string {
  return `---\nid: ${id}\ntitle: ${title}\nstatus: todo\npriority: medium\ntype: feat\nrole: developer\n---\n# ${title}\n\nSeeded by the merge queue test.\n`;
}

export function taskFile(id: string): string {
  return `backlog/tasks/${id}-task-${id.toLowerCase()}.md`;
}

/** A repository with `ids` as todo tasks and the gate configured; nothing claimed yet. */
export async function queueRepo(ids: string[], options: { batch?: number; lease?: string; env?: Record<string, string>; strategy?: 'merge' | 'squash' | 'rebase' } = {}): Promise<QueueRepo> {
  const repo = tempRepo();
  const side = mkdtempSync(join(tmpdir(), 'crewtree-queue-side-'));
  writeFileSync(join(side, 'gate.sh'), GATE, { mode: 0o755 });
  repo.write(
    '.crewtree/config.yaml',
    `gate: ["sh ${join(side, 'gate.sh')}"]\nmerge:\n  batch: ${options.batch ?? 4}\n  strategy: ${options.strategy ?? 'merge'}\nlease: ${options.lease ?? '30s'}\nsetup:\n  link: []\n`,
  );
  repo.write('shared.txt', 'line one\nline two\nline three\n');
  for (const id of ids) repo.write(taskFile(id), taskText(id, `Task ${id.toLowerCase()}`));
  repo.write('backlog/task.log', '');
  repo.commitAll('test: seed tasks and gate');
  const ws = await openWorkspace(repo.dir, { env: options.env ?? {} });
  const state: QueueRepo = {
    repo,
    side,
    start: repo.git('rev-parse', 'main'),
    ws,
    gateRuns: () => (existsSync(join(side, 'runs.log')) ? readFileSync(join(side, 'runs.log'), 'utf8').split('\n').filter(Boolean) : []),
    hold: () => writeFileSync(join(side, 'hold'), ''),
    quiet: () => writeFileSync(join(side, 'quiet'), ''),
    release: () => rmSync(join(side, 'hold'), { force: true }),
    isHolding: () => existsSync(join(side, 'holding')),
    cleanup: () => {
      rmSync(join(side, 'hold'), { force: true });
      repo.cleanup();
      rmSync(side, { recursive: true, force: true });
    },
  };
  return state;
}

/** Claims `id` (lock held by this test process, or `pid`) and commits `files` on its branch. */
export async function claimAndCommit(q: QueueRepo, id: string, files: Record<string, string>, pid = process.pid): Promise<TaskBranch> {
  const worker = `w-${id.toLowerCase()}`;
  const claim = await claimTask(q.ws, { id, worker, pid });
  const tree = await buildTree(q.ws.git, claim.commit, new Map(Object.entries(files)));
  const tip = await createCommit(q.ws.git, tree, [claim.commit], `feat(${id}): ${claim.task.title}\n\nTask: ${id}\n`);
  q.repo.git('update-ref', `refs/heads/${claim.lock.branch}`, tip);
  return { id, branch: claim.lock.branch, tip, token: claim.lock.token, worker, title: claim.task.title };
}

/** A code commit on main made in the user's checkout, as a person would. */
export function commitCodeOnMain(q: QueueRepo, path: string, text: string): string {
  q.repo.write(path, text);
  q.repo.git('add', path);
  q.repo.git('commit', '-q', '-m', `chore: ${path} changed on main`);
  return q.repo.git('rev-parse', 'main');
}

export function firstParentHistory(q: QueueRepo): { commit: string; parents: string[]; subject: string }[] {
  const out = q.repo.git('log', '--first-parent', '--reverse', '--format=%H %P%x09%s', `${q.start}..main`);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [hashes = '', subject = ''] = line.split('\t');
      const [commit = '', ...parents] = hashes.split(' ');
      return { commit, parents, subject };
    });
}

/** `event` lines of main's task.log for a task. */
export function logEvents(q: QueueRepo, id: string): string[] {
  return q.repo
    .git('show', 'main:backlog/task.log')
    .split('\n')
    .filter((line) => line.split(' | ')[2] === id)
    .map((line) => line.split(' | ')[3] ?? '');
}

export function statusOnMain(q: QueueRepo, id: string): string {
  const text = q.repo.git('show', `main:${taskFile(id)}`);
  return /^status: (.*)$/m.exec(text)?.[1] ?? '';
}

/**
 * The invariants of the merge queue, checked over main's first-parent history since the start:
 * every commit passes the gate re-run from a clean checkout; no task merged twice; every
 * branch's work is on main or still on its branch.
 */
export function checkInvariants(q: QueueRepo, branches: TaskBranch[]): string[] {
  const problems: string[] = [];
  const history = firstParentHistory(q);
  const checkout = join(q.side, 'check');
  q.repo.git('worktree', 'add', '--detach', '--quiet', checkout, q.start);
  try {
    const seen = new Set<string>();
    for (const { commit, subject } of history) {
      const code = q.repo.git('ls-tree', commit).split('\n').filter((line) => !line.endsWith('\tbacklog')).join('\n');
      if (seen.has(code)) continue; // same code as an earlier commit (a state commit): same verdict
      seen.add(code);
      execFileSync('git', ['checkout', '--detach', '--force', '--quiet', commit], { cwd: checkout });
      execFileSync('git', ['clean', '-ffdxq'], { cwd: checkout });
      try {
        execFileSync('sh', [join(q.side, 'gate.sh'), '--check'], { cwd: checkout, stdio: 'pipe' });
      } catch {
        problems.push(`${commit.slice(0, 8)} (${subject}) fails the gate`);
      }
    }
  } finally {
    q.repo.git('worktree', 'remove', '--force', checkout);
  }
  const merged = new Map<string, number>();
  for (const line of q.repo.git('show', 'main:backlog/task.log').split('\n')) {
    const [, , task, event] = line.split(' | ');
    if (event === 'merged' && task) merged.set(task, (merged.get(task) ?? 0) + 1);
  }
  for (const [task, count] of merged) if (count > 1) problems.push(`${task} merged ${count} times`);
  for (const branch of branches) {
    const landings = history.filter((c) => c.parents.slice(1).includes(branch.tip)).length;
    if (landings > 1) problems.push(`${branch.id}'s tip landed ${landings} times`);
    const onMain = spawnOk('git', ['merge-base', '--is-ancestor', branch.tip, 'main'], q.repo.dir);
    if (onMain) continue;
    if (branchTip(q.repo.dir, branch.branch) !== branch.tip) problems.push(`${branch.id}'s work (${branch.tip.slice(0, 8)}) is neither on main nor on ${branch.branch}`);
  }
  return problems;
}

function branchTip(dir: string, branch: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: dir, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function spawnOk(file: string, args: string[], cwd: string): boolean {
  try {
    execFileSync(file, args, { cwd, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function queueRefs(q: QueueRepo): string[] {
  return q.repo.git('for-each-ref', '--format=%(refname)', 'refs/crewtree/queue/').split('\n').filter(Boolean);
}

const runnerScript = join(projectRoot, 'tests', 'integration', 'merge-queue', 'queue-runner.ts');
const tsxLoader = pathToFileURL(join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** `runQueue` in a separate process (node + tsx), as `crew merge` would run it. */
export function spawnRunner(q: QueueRepo, env: Record<string, string> = {}): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', tsxLoader, runnerScript, q.repo.dir], {
    cwd: q.repo.dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Queues each branch for landing, as a worker that finished its task does. */
export async function enqueueAll(repo: QueueRepo, made: TaskBranch[]): Promise<void> {
  for (const b of made) {
    await enqueue(repo.ws, { task: { id: b.id, title: b.title }, lock: { token: b.token, branch: b.branch, worker: b.worker }, tip: b.tip, gateCommands: repo.ws.config.gate });
  }
}

/** Drains the queue once in this process: every event, and each task's result kind. */
export async function drain(repo: QueueRepo): Promise<{ events: QueueEvent[]; kinds: Record<string, string> }> {
  const events: QueueEvent[] = [];
  const summary = await runQueue(repo.ws, { runner: 'test', onEvent: (event) => events.push(event) });
  return { events, kinds: Object.fromEntries(summary.results.map((r) => [r.id, r.kind])) };
}
