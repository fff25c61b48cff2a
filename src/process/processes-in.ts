import { readFile, readdir, readlink } from 'node:fs/promises';
import { sep } from 'node:path';
import { signalGroup } from './process-group.js';
import { sleep } from './sleep.js';

/**
 * Processes crewtree started whose working directory lies in `dir` (Linux: /proc/<pid>/cwd; elsewhere none can be
 * seen). NOTE: a process of an earlier, killed crewtree that still runs in a task's worktree could
 * write into the next run's work; the supervisor normally ends them, this is the check before reuse.
 */
export async function processesIn(dir: string): Promise<{ pid: number; group: number }[]> {
  if (process.platform !== 'linux') return [];
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  const found: { pid: number; group: number }[] = [];
  for (const pid of pids) {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    if (cwd === undefined || (cwd !== dir && !cwd.startsWith(dir + sep))) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') continue;
    // Only what crewtree started (agents and gates carry its variables): never a user's shell that cd'ed there.
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    if (!/(?:^|\0)CREWTREE_(?:TASK_ID|PORT_BASE)=/.test(environ)) continue;
    found.push({ pid: Number(pid), group: Number(fields[2] ?? pid) });
  }
  return found;
}

/** Kills every process group working in `dir` and waits (up to `waitMs`) until none is left; returns how many there were. */
export async function endProcessesIn(dir: string, waitMs = 3000): Promise<number> {
  const found = (await processesIn(dir)).filter((entry) => entry.pid !== process.pid && entry.group !== process.pid);
  if (found.length === 0) return 0;
  for (const group of new Set(found.map((entry) => entry.group))) signalGroup(group, 'SIGKILL');
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && (await processesIn(dir)).some((entry) => entry.pid !== process.pid)) await sleep(50);
  return found.length;
}
