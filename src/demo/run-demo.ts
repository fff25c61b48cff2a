import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CrewError } from '../errors.js';
import { commitAll, configValue, initRepository, setConfig } from '../git/repository.js';
import { scaffold } from '../init/scaffold.js';
import { runProcess } from '../process/run.js';
import { readSnapshot } from '../state/snapshot.js';
import { readBase } from '../state/transaction.js';
import { runStudio, planSlots } from '../studio/run-studio.js';
import type { Reporter } from '../worker/events.js';
import { approve } from '../workflows/review.js';
import { openWorkspace } from '../workflows/open-workspace.js';
import type { Workspace } from '../workspace.js';
import type { Task } from '../backlog/task.js';
import { demoProject } from './project.js';

const taskTemplates = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'demo', 'tasks');

export interface DemoOptions {
  dir?: string;
  workers: number;
  keepBranches: boolean;
  reporter: Reporter;
  onProgress?: (totals: { done: number; blocked: number; review: number; waiting: number }) => void;
  signal: AbortSignal;
  env: Record<string, string | undefined>;
}

export interface DemoResult {
  dir: string;
  tasks: Task[];
  approved: string[];
  testsPass: boolean;
  testOutput: string;
  seconds: number;
}

const demoConfig = (keepBranches: boolean) => `# crewtree demo settings (see crew init's config.yaml for every key)
base: main
agent: script
gate: ["node --test test/"]
attempts: 3
lease: 30s
timeout: 2m
idle: 1m
merge:
  mode: auto
  keep_branches: ${keepBranches}
`;

/** Writes the ClubHub repository, `crew init`, the demo backlog, and commits it all. */
export async function createDemoRepository(dir: string, keepBranches: boolean): Promise<void> {
  const existing = await readdir(dir).catch(() => [] as string[]);
  if (existing.length > 0) throw new CrewError('usage', `${dir} is not empty; the demo needs an empty folder.`, { hint: 'Pass --dir with a new folder, or leave it out for a temporary one.' });
  await mkdir(dir, { recursive: true });
  for (const [path, text] of Object.entries(demoProject)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const git = await initRepository(dir, 'main');
  if (!(await configValue(git, 'user.email'))) {
    await setConfig(git, 'user.name', 'crewtree demo');
    await setConfig(git, 'user.email', 'demo@crewtree.invalid');
  }
  await commitAll(git, 'feat: ClubHub, a tiny club-management service');
  await scaffold(dir);
  await writeFile(join(dir, '.crewtree', 'config.yaml'), demoConfig(keepBranches));
  for (const file of await readdir(taskTemplates)) {
    await writeFile(join(dir, 'backlog', 'tasks', file), await readFile(join(taskTemplates, file), 'utf8'));
  }
  await commitAll(git, 'chore: set up crewtree with the demo backlog');
}

async function reviewQueue(ws: Workspace): Promise<Task[]> {
  const snapshot = await readSnapshot(ws.git, await readBase(ws), ws.config.backlog);
  return snapshot.backlog.tasks.filter((task) => task.status === 'review');
}

/** The whole studio on ClubHub with the script agent: offline, no AI service. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const dir = resolve(options.dir ?? (await mkdtemp(join(tmpdir(), 'crewtree-demo-'))));
  await createDemoRepository(dir, options.keepBranches);
  const ws = await openWorkspace(dir, { env: options.env });
  // NOTE: the studio's scheduler rebuilds the backlog after each landing; tasks filed by the
  // architect and tasks approved from review are picked up in further rounds.
  const approved: string[] = [];
  for (let round = 0; round < 3 && !options.signal.aborted; round++) {
    await runStudio(ws, { slots: planSlots({ jobs: options.workers, agent: 'script' }), untilEmpty: true, signal: options.signal, reporter: options.reporter, onProgress: options.onProgress, pollMs: 300 });
    const waiting = await reviewQueue(ws);
    if (waiting.length === 0) break;
    for (const task of waiting) {
      const outcome = await approve(ws, task.id, { actor: 'demo' });
      if (outcome.kind === 'landed') approved.push(task.id);
    }
  }
  const tests = await runProcess('node', ['--test', 'test/'], { cwd: dir, okExitCodes: [0, 1] });
  const snapshot = await readSnapshot(ws.git, await readBase(ws), ws.config.backlog);
  return { dir, tasks: snapshot.backlog.tasks, approved, testsPass: tests.exitCode === 0, testOutput: tests.stdout, seconds: (Date.now() - started) / 1000 };
}
