// Helpers for the shared-state tests: seeding tasks straight into git, running the built CLI
// as real concurrent processes, and reading the base branch's history back.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { parseTask } from '../../../src/backlog/parse-task.js';
import type { TaskLock } from '../../../src/backlog/task.js';
import { crewBin, projectRoot, type CrewRun, type TempRepo } from '../../helpers/temp-repo.js';

export function taskText(id: string, title: string, extra: Record<string, string> = {}): string {
  const keys = Object.entries({ id, title, status: 'todo', priority: 'medium', type: 'feat', role: 'developer', ...extra });
  return `---\n${keys.map(([key, value]) => `${key}: ${value}`).join('\n')}\n---\n# ${title}\n\nSeeded by the test.\n`;
}

export function taskPath(id: string): string {
  return `backlog/tasks/${id}-task-${id.toLowerCase()}.md`;
}

/** Writes `count` todo tasks T1..Tn and commits them on main; returns their ids. */
export function seedTasks(repo: TempRepo, count: number): string[] {
  const ids = Array.from({ length: count }, (_, index) => `T${index + 1}`);
  for (const id of ids) repo.write(taskPath(id), taskText(id, `Task ${id.toLowerCase()}`));
  repo.commitAll(`test: seed ${count} tasks`);
  return ids;
}

/** Runs the built CLI as a separate process without blocking the test's event loop. */
export function spawnCrew(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CrewRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [crewBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
  });
}

export interface StateCommit {
  commit: string;
  subject: string;
}

/** First-parent history of main from `since` (exclusive) to its tip, oldest first. */
export function mainHistory(repo: TempRepo, since?: string): StateCommit[] {
  const range = since ? `${since}..main` : 'main';
  const out = repo.git('log', '--first-parent', '--reverse', '--format=%H %s', range);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ commit: line.slice(0, 40), subject: line.slice(41) }));
}

/** The task.log lines a commit added on top of its first parent. */
export function addedLogLines(repo: TempRepo, commit: string): string[] {
  const show = (spec: string) => execFileSync('git', ['show', spec], { cwd: repo.dir, encoding: 'utf8' });
  const before = show(`${commit}~1:backlog/task.log`);
  const after = show(`${commit}:backlog/task.log`);
  if (!after.startsWith(before)) throw new Error(`${commit} rewrote task.log instead of appending to it`);
  return after.slice(before.length).split('\n').filter(Boolean);
}

export function fileAt(repo: TempRepo, commit: string, path: string): string | undefined {
  try {
    return repo.git('show', `${commit}:${path}`);
  } catch {
    return undefined;
  }
}

/** `YYYY-MM-DD HH:MM:SS UTC | worker | ID | event | detail`, split into its fields. */
export function parseLogLine(line: string): { time: string; worker: string; task: string; event: string; detail: string } {
  const match = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC) \| ([^|]+) \| ([^|]+) \| ([a-z-]+) \| ?(.*)$/.exec(line);
  if (!match) throw new Error(`not a task.log line: ${JSON.stringify(line)}`);
  return { time: match[1] ?? '', worker: match[2] ?? '', task: match[3] ?? '', event: match[4] ?? '', detail: match[5] ?? '' };
}

export interface HolderLine {
  step: string;
  [key: string]: unknown;
}

/** A running tests/fixtures/holders/holder.mjs: a worker holding one task, beating its heartbeat. */
export interface Holder {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  /** The next JSON line it prints with this step. */
  next(step: string): Promise<HolderLine>;
  send(line: string): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startHolder(dir: string, env: Record<string, string>): Holder {
  const child = spawn(process.execPath, [join(projectRoot, 'tests', 'fixtures', 'holders', 'holder.mjs')], { cwd: dir, env: { ...process.env, ...env } });
  const lines: HolderLine[] = [];
  const waiting: { step: string; resolve: (line: HolderLine) => void; reject: (error: Error) => void }[] = [];
  let buffer = '';
  let stderr = '';
  let ended: string | undefined;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let at = buffer.indexOf('\n'); at !== -1; at = buffer.indexOf('\n')) {
      const line = JSON.parse(buffer.slice(0, at)) as HolderLine;
      buffer = buffer.slice(at + 1);
      const index = waiting.findIndex((w) => w.step === line.step);
      if (index === -1) lines.push(line);
      else waiting.splice(index, 1)[0]?.resolve(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      ended = `holder exited (${code ?? signal}): ${stderr}`;
      for (const waiter of waiting.splice(0)) waiter.reject(new Error(`${ended} before "${waiter.step}"`));
      resolve({ code, signal });
    }),
  );
  return {
    child,
    pid: child.pid ?? -1,
    next(step) {
      const index = lines.findIndex((line) => line.step === step);
      if (index !== -1) return Promise.resolve(lines.splice(index, 1)[0] as HolderLine);
      if (ended) return Promise.reject(new Error(`${ended} before "${step}"`));
      return new Promise<HolderLine>((resolve, reject) => waiting.push({ step, resolve, reject }));
    },
    send: (line) => child.stdin.write(line + '\n'),
    exited,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `git status --porcelain` lines, untrimmed (the leading space of " M file" matters). */
export function porcelain(repo: TempRepo): string[] {
  return execFileSync('git', ['status', '--porcelain'], { cwd: repo.dir, encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** The lock in a task file as of a commit, read with crewtree's own parser. */
export function lockAt(repo: TempRepo, commit: string, path: string): TaskLock | undefined {
  const text = execFileSync('git', ['show', `${commit}:${path}`], { cwd: repo.dir, encoding: 'utf8' });
  return parseTask(path, text, 0).task?.lock;
}
