import { formatUsage } from '../agents/run-log.js';
import { parseTaskEvent, type TaskEvent } from '../task-log/events.js';
import { stripControlSequences } from '../terminal/safe-text.js';
import type { AttemptRecord, TaskRuns } from '../worker/runs.js';
import { formatUtc } from './time-text.js';

/** One file of a task's run folder: an agent run log, a gate log, a landing gate log. */
export interface RunFile {
  name: string;
  /** Where it is, as shown to the user. */
  path: string;
  text: string;
}

export interface RunsView {
  dir: string;
  attempts: AttemptRecord[];
  totals: TaskRuns['totals'];
  files: RunFile[];
}

export interface LogView {
  /** The task asked for, as the backlog spells its id; null for the whole log. */
  task: string | null;
  lines: string[];
  runs: RunsView | null;
}

export function logLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** The lines whose task field is exactly `id`. */
export function linesOfTask(lines: readonly string[], id: string): string[] {
  return lines.filter((line) => parseTaskEvent(line)?.task === id);
}

/**
 * Lines of `next` that `previous` did not have. The log is append-only, but a union merge may
 * interleave lines from two branches, so this counts lines rather than cutting at an offset.
 */
export function newLogLines(previous: string, next: string): string[] {
  const seen = new Map<string, number>();
  for (const line of logLines(previous)) seen.set(line, (seen.get(line) ?? 0) + 1);
  return logLines(next).filter((line) => {
    const count = seen.get(line) ?? 0;
    if (count === 0) return true;
    seen.set(line, count - 1);
    return false;
  });
}

function runFileRank(name: string): [number, number, string] {
  const attempt = /^(\d+)\.(gate\.)?log$/.exec(name);
  if (attempt) return [0, Number(attempt[1]) * 2 + (attempt[2] ? 1 : 0), name];
  const landing = /^landing-(\d+)\.log$/.exec(name);
  if (landing) return [1, Number(landing[1]), name];
  return [2, 0, name];
}

/** Attempts in order (each run log, then its gate log), then landing gate logs, then the rest. */
export function orderRunFiles(names: readonly string[]): string[] {
  return [...names].sort((a, b) => {
    const [groupA, numberA, nameA] = runFileRank(a);
    const [groupB, numberB, nameB] = runFileRank(b);
    return groupA - groupB || numberA - numberB || nameA.localeCompare(nameB);
  });
}

export function eventToJson(event: TaskEvent) {
  return { time: event.time.toISOString(), worker: event.worker, task: event.task, event: event.event, detail: event.detail };
}

function attemptLine(record: AttemptRecord): string[] {
  const parts = [`attempt ${record.attempt}`, record.worker, record.agent, record.ok ? 'ok' : `failed${record.reason ? `: ${record.reason}` : ''}`];
  if (record.gate) parts.push(`gate ${record.gate}`);
  parts.push(formatUtc(record.at));
  const lines = [parts.join(' · ')];
  if (record.usage) lines.push(`  tokens: ${formatUsage(record.usage)}`);
  if (record.finalMessage) lines.push(`  final message: ${record.finalMessage.trim().replace(/\n/g, '\n    ')}`);
  return lines;
}

export function renderRuns(runs: RunsView): string {
  if (runs.attempts.length === 0 && runs.files.length === 0) return `No runs recorded in ${runs.dir}.`;
  const blocks: string[] = [];
  if (runs.attempts.length > 0) {
    const reported = runs.attempts.some((attempt) => attempt.usage);
    const totals = formatUsage({ inputTokens: runs.totals.inputTokens, outputTokens: runs.totals.outputTokens, costUsd: runs.totals.costUsd });
    blocks.push([...runs.attempts.flatMap(attemptLine), ...(reported ? [`total: ${totals}`] : [])].join('\n'));
  }
  for (const file of runs.files) blocks.push(`===== ${file.path} =====\n${file.text.trimEnd()}`);
  return stripControlSequences(blocks.join('\n\n'));
}

/**
 * Task log lines as a terminal may show them. NOTE: a line's title or note comes from task files
 * and agents' output: its escape sequences must not reach the terminal.
 */
export function printableLines(lines: readonly string[]): string {
  return stripControlSequences(lines.join('\n'));
}

/** `crew log [ID]`: the task log lines, then (with an id) what its attempts recorded. */
export function renderLog(view: LogView): string {
  const head = view.lines.length > 0 ? view.lines : [view.task ? `No task log lines for ${view.task}.` : 'The task log is empty.'];
  return view.runs ? [printableLines(head), '', renderRuns(view.runs)].join('\n') : printableLines(head);
}
