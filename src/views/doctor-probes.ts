import { constants } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { delimiter, join, relative, resolve } from 'node:path';
import { ProcessError, runProcess } from '../process/run.js';
import type { AgentProbe } from './doctor.js';

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Where a command would be found: a path (relative to `cwd`) as is, a bare name on PATH. */
export async function findCommand(command: string, env: Record<string, string | undefined>, cwd: string): Promise<string | null> {
  if (command.includes('/')) {
    const path = resolve(cwd, command);
    return (await isExecutableFile(path)) ? path : null;
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(dir, command);
    if (await isExecutableFile(path)) return path;
  }
  return null;
}

/** An agent CLI on PATH and what `--version` says, within a short timeout; it is never given a prompt. */
export async function probeAgent(agent: string, command: string, env: Record<string, string | undefined>, cwd: string, timeoutMs: number): Promise<AgentProbe> {
  const path = await findCommand(command, env, cwd);
  if (!path) return { agent, command, path: null, version: null, error: null };
  try {
    const result = await runProcess(path, ['--version'], { cwd, env: { ...env, NO_COLOR: '1' }, extendEnv: false, timeoutMs, killGraceMs: 500 });
    const first = `${result.stdout}\n${result.stderr}`.split('\n').find((line) => line.trim() !== '') ?? '';
    return { agent, command, path, version: first.trim().slice(0, 60) || null, error: null };
  } catch (error) {
    const why = error instanceof ProcessError ? (error.timedOut ? `--version timed out after ${timeoutMs} ms` : `--version failed (exit ${error.exitCode ?? error.signal})`) : String(error);
    return { agent, command, path, version: null, error: why };
  }
}

/** Folders under `dir` that look like worktrees (hold a `.git`), to compare with what git lists. */
export async function worktreeFolders(dir: string, depth = 6): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  if (entries.some((entry) => entry.name === '.git')) return [dir];
  if (depth === 0) return [];
  const found: string[] = [];
  for (const entry of entries) if (entry.isDirectory()) found.push(...(await worktreeFolders(join(dir, entry.name), depth - 1)));
  return found;
}

/** Folders under the worktrees folder that git does not list as worktrees, relative to `root`. */
export async function leftoverFolders(root: string, worktreesDir: string, known: readonly string[]): Promise<string[]> {
  const real = async (path: string) => realpath(path).catch(() => path);
  const knownReal = new Set(await Promise.all(known.map(real)));
  const leftovers: string[] = [];
  for (const folder of await worktreeFolders(join(root, worktreesDir))) {
    if (!knownReal.has(await real(folder))) leftovers.push(relative(root, folder));
  }
  return leftovers.sort();
}
