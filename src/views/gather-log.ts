import { open, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { ID_PATTERN } from '../backlog/task.js';
import { CrewError } from '../errors.js';
import { readWholeLog } from '../state/snapshot.js';
import { readCachedSnapshot } from '../workflows/read-backlog.js';
import { readBase } from '../state/transaction.js';
import { readTaskRuns, runDir } from '../worker/runs.js';
import type { Workspace } from '../workspace.js';
import { journaledLogText } from '../task-log/journal.js';
import { linesOfTask, logLines, newLogLines, orderRunFiles, type LogView, type RunFile, type RunsView } from './log.js';

function shownPath(ws: Workspace, path: string): string {
  const inside = relative(ws.root, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

/** A file's text, or its last `tailBytes` bytes after a line saying what was left out. */
async function readText(path: string, tailBytes: number | undefined): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const start = tailBytes !== undefined && size > tailBytes ? size - tailBytes : 0;
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const text = buffer.toString('utf8');
    return start === 0 ? text : `[... first ${start} bytes left out ...]\n${text.slice(text.indexOf('\n') + 1)}`;
  } finally {
    await handle.close();
  }
}

/** What a task's attempts left in `.git/crewtree/runs/<ID>/`: usage.json and every `*.log`. */
export async function readRunsView(ws: Workspace, id: string, options: { tailBytes?: number } = {}): Promise<RunsView> {
  const dir = runDir(ws, id);
  const empty: RunsView = { dir: shownPath(ws, dir), attempts: [], totals: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, files: [] };
  // NOTE: the id becomes a path; only ids the backlog itself allows ever reach the disk.
  if (!ID_PATTERN.test(id)) return empty;
  const names = await readdir(dir).catch(() => [] as string[]);
  const logs = orderRunFiles(names.filter((name) => name.endsWith('.log')));
  const files: RunFile[] = [];
  for (const name of logs) {
    const path = join(dir, name);
    if (!(await stat(path).then((s) => s.isFile(), () => false))) continue;
    files.push({ name, path: shownPath(ws, path), text: await readText(path, options.tailBytes).catch(() => '') });
  }
  const runs = await readTaskRuns(ws, id).catch(() => ({ attempts: [], totals: empty.totals }));
  return { ...empty, attempts: runs.attempts, totals: runs.totals, files };
}

/** `crew log [ID]`: the task log on the base, filtered to one task, with its runs. */
export async function gatherLog(ws: Workspace, id: string | undefined): Promise<LogView & { commit: string; text: string }> {
  const commit = await readBase(ws);
  const onBase = await readWholeLog(ws.git, commit, ws.config.backlog);
  // NOTE: lines still in this machine's journal (they ride on the next state commit) show too.
  const text = onBase + newLogLines(onBase, await journaledLogText(ws.commonDir)).map((line) => `${line}\n`).join('');
  const all = logLines(text);
  if (id === undefined) return { task: null, lines: all, runs: null, commit, text };
  // NOTE: lines under the id as typed name the task; only otherwise is the backlog read (another case, or a task without lines yet).
  const exact = linesOfTask(all, id).length > 0;
  const tasks = exact ? [] : (await readCachedSnapshot(ws, commit)).backlog.tasks;
  const task = exact ? { id } : (tasks.find((t) => t.id === id) ?? tasks.find((t) => t.id.toLowerCase() === id.toLowerCase()));
  const canonical = task?.id ?? id;
  const lines = linesOfTask(all, canonical);
  const runs = await readRunsView(ws, canonical);
  if (!task && lines.length === 0 && runs.files.length === 0 && runs.attempts.length === 0) {
    throw new CrewError('task-not-found', `There is no task ${id} in the backlog or the task log.`, { hint: 'See the ids with `crew task list`.' });
  }
  return { task: canonical, lines, runs, commit, text };
}
