// Signals and liveness of a whole process group: an agent and everything it started.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sleep } from './sleep.js';

export function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

/** `state` and `pgrp` from /proc/<pid>/stat; the command name may hold spaces and parentheses. */
function procState(pid: string): { state: string; group: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', group: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/**
 * Whether any process of the group still runs. NOTE: a killed grandchild is reparented to init and
 * stays a zombie until init reaps it (seconds, in some containers); kill(-group, 0) counts zombies,
 * so on Linux the group is read from /proc instead.
 */
export function groupIsAlive(group: number): boolean {
  if (!signalGroup(group, 0)) return false;
  if (process.platform !== 'linux') return true;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true;
  }
  return pids.some((pid) => {
    const stat = procState(pid);
    return stat !== undefined && stat.group === group && stat.state !== 'Z' && stat.state !== 'X';
  });
}

/** SIGTERM to the group, SIGKILL to whatever is left after the grace period. */
export async function endGroup(group: number, graceMs: number): Promise<void> {
  if (!groupIsAlive(group)) return;
  signalGroup(group, 'SIGTERM');
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline) {
    await sleep(25);
    if (!groupIsAlive(group)) return;
  }
  signalGroup(group, 'SIGKILL');
}
