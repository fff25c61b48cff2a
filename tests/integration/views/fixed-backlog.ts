// A repository with a fixed backlog for the view tests: locks from this host (holder gone) and
// from another machine, a real task worktree with an uncommitted file, worker status files,
// task log lines and run logs. Times, tokens and pids are fixed so output can be compared.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '../../../src/process/alive.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

export const HOST = 'test-host';

/**
 * A pid no process has, so the lock it names is stale on this host. Always seven digits (Linux
 * pids stay below 4194304), so normalised output keeps its column widths.
 */
export function deadPid(): number {
  for (let pid = 4_194_303; ; pid--) if (!isProcessAlive(pid)) return pid;
}

interface TaskSpec {
  id: string;
  title: string;
  status: string;
  priority?: string;
  depends?: string[];
  lock?: { worker: string; host: string; pid: number; since: string; token: string };
}

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export function taskFile(spec: TaskSpec): string {
  const lines = ['---', `id: ${spec.id}`, `title: ${spec.title}`, `status: ${spec.status}`, `priority: ${spec.priority ?? 'medium'}`, 'type: feat', 'role: developer'];
  if (spec.depends) lines.push(`depends_on: [${spec.depends.join(', ')}]`);
  if (spec.lock) {
    const branch = `ai/${spec.lock.worker}/${spec.id}-${slug(spec.title)}`;
    lines.push(
      'lock:',
      `  worker: ${spec.lock.worker}`,
      `  token: ${spec.lock.token}`,
      `  branch: ${branch}`,
      `  worktree: .worktrees/${branch}`,
      `  host: ${spec.lock.host}`,
      `  pid: ${spec.lock.pid}`,
      `  since: ${spec.lock.since}`,
    );
  }
  lines.push('---', `# ${spec.title}`, '', '- [ ] it works', '');
  return lines.join('\n');
}

export function writeTask(repo: TempRepo, spec: TaskSpec): void {
  repo.write(`backlog/tasks/${spec.id}-${slug(spec.title)}.md`, taskFile(spec));
}

export const TASK_LOG = [
  '2025-12-02 11:00:00 UTC | user | A1 | created | Add members list',
  '2025-12-02 11:00:01 UTC | user | A10 | created | Export members as CSV',
  '2025-12-02 11:03:23 UTC | dev-1 | A1 | started | picked from backlog',
  '2025-12-02 11:04:00 UTC | dev-1 | A1 | gate-failed | npm test: 1 failing (see A10 notes)',
  '2025-12-02 11:05:00 UTC | dev-2 | A2 | started | picked from backlog',
  '2025-12-02 11:06:00 UTC | dev-3 | A10 | started | mentions A1 in its detail',
  '',
].join('\n');

export interface FixedBacklog {
  repo: TempRepo;
  deadPid: number;
  worktree: string;
}

/** The fixed backlog on main, committed; `crew` runs in it with CREWTREE_HOST=test-host. */
export function fixedBacklogRepo(): FixedBacklog {
  const repo = tempRepo();
  const dead = deadPid();
  repo.write('.crewtree/config.yaml', 'agent: script\ngate: []\n');
  repo.write('.gitignore', '.worktrees/\n');
  repo.write('.gitattributes', 'backlog/task.log merge=union\nbacklog/backlog.md merge=union\n');
  writeTask(repo, { id: 'A1', title: 'Add members list', status: 'in-progress', priority: 'high', lock: { worker: 'dev-1', host: HOST, pid: dead, since: '2025-12-02T11:03:23Z', token: 'aaaa1111' } });
  writeTask(repo, { id: 'A2', title: 'Add events endpoint', status: 'in-progress', lock: { worker: 'dev-2', host: 'laptop', pid: 4242, since: '2025-12-02T11:05:00Z', token: 'bbbb2222' } });
  writeTask(repo, { id: 'A3', title: 'Register for an event', status: 'todo', depends: ['A2'] });
  writeTask(repo, { id: 'A4', title: 'Document registrations', status: 'done', priority: 'low' });
  writeTask(repo, { id: 'A5', title: 'Fix date parsing', status: 'blocked' });
  writeTask(repo, { id: 'A10', title: 'Export members as CSV', status: 'todo' });
  repo.write('backlog/task.log', TASK_LOG);
  repo.commitAll('chore: fixed backlog');
  const worktree = '.worktrees/ai/dev-1/A1-add-members-list';
  repo.git('worktree', 'add', '-q', '-b', 'ai/dev-1/A1-add-members-list', worktree, 'main');
  repo.write(`${worktree}/members.js`, 'export const members = [];\n');
  const crewDir = join(repo.dir, '.git', 'crewtree');
  mkdirSync(join(crewDir, 'workers'), { recursive: true });
  const status = { worker: 'dev-1', pid: dead, host: HOST, task: 'A1', title: 'Add members list', phase: 'agent', attempt: 2, detail: null, phaseSince: '2025-12-02T11:04:05Z', updatedAt: '2025-12-02T11:04:05Z' };
  writeFileSync(join(crewDir, 'workers', 'dev-1.json'), JSON.stringify(status, null, 2));
  const runs = join(crewDir, 'runs', 'A1');
  mkdirSync(runs, { recursive: true });
  writeFileSync(join(runs, '1.log'), 'crewtree run: agent script, attempt 1\n----- output -----\nwrote members.js\n');
  writeFileSync(join(runs, '1.gate.log'), '$ npm test\n1 failing\n');
  writeFileSync(join(runs, '2.log'), 'crewtree run: agent script, attempt 2\n----- output -----\nfixed the test\n');
  writeFileSync(join(runs, 'prompt-1.md'), 'the prompt: never shown by crew log\n');
  const usage = {
    attempts: [
      { attempt: 1, worker: 'dev-1', agent: 'script', ok: true, usage: { inputTokens: 1200, outputTokens: 300, costUsd: 0.01 }, finalMessage: 'Wrote the list.', gate: 'failed', at: '2025-12-02T11:03:50Z' },
      { attempt: 2, worker: 'dev-1', agent: 'script', ok: true, usage: { inputTokens: 800, outputTokens: 200, costUsd: 0.005 }, finalMessage: 'Fixed the failing test.', gate: 'passed', at: '2025-12-02T11:04:30Z' },
    ],
    totals: { inputTokens: 2000, outputTokens: 500, costUsd: 0.015 },
  };
  writeFileSync(join(runs, 'usage.json'), JSON.stringify(usage, null, 2));
  return { repo, deadPid: dead, worktree };
}
