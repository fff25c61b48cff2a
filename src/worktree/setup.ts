import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CrewError } from '../errors.js';
import { Git } from '../git/git.js';
import { worktreeStatus } from '../git/worktrees.js';
import { runGate } from '../gate/run-gate.js';
import type { Workspace } from '../workspace.js';
import { findCopyFiles } from './copy-files.js';
import { portEnv, portRange } from './ports.js';
import { isSetupPath, readSetupFiles, writeSetupFiles } from './setup-record.js';

export interface WorktreeSetup {
  /** Environment for everything run in the worktree: PORT, CREWTREE_PORT_BASE, CREWTREE_PORT_COUNT. */
  env: Record<string, string>;
  /** Repository-relative paths setup put there (copies, links, setup output): never the task's work. */
  ignored: string[];
}

/**
 * Gives a fresh worktree what a checkout lacks: copies of `setup.copy` files, links to
 * `setup.link` folders, then `setup.run` commands, with the worker slot's own port range.
 * Files already in the worktree (tracked ones, or an earlier setup's) are left as they are.
 */
export interface SetupOptions {
  /** The worker's slot in the studio: its port range. */
  slot: number;
  /** Stops a running setup command (its whole process group). */
  signal?: AbortSignal;
  /** Where setup commands' output goes; a temporary file when absent. */
  logFile?: string;
}

export async function setupWorktree(ws: Workspace, worktreeAbs: string, options: SetupOptions): Promise<WorktreeSetup> {
  const { setup } = ws.config;
  const env = portEnv(portRange(setup.ports, options.slot));
  const earlier = await readSetupFiles(worktreeAbs);
  const ignored = new Set<string>();
  const keepIfEarlier = (path: string) => {
    if (earlier.includes(path)) ignored.add(path);
  };

  for (const file of await findCopyFiles(ws.root, setup.copy, [ws.config.worktrees, ...setup.link])) {
    const target = join(worktreeAbs, file);
    if (await exists(target)) {
      keepIfEarlier(file);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(ws.root, file), target, constants.COPYFILE_EXCL);
    ignored.add(file);
  }

  for (const entry of setup.link.map((link) => link.replace(/\/+$/, ''))) {
    if (entry === '' || entry.startsWith('/') || entry.split('/').includes('..')) {
      throw new CrewError('config-invalid', `setup.link entry ${JSON.stringify(entry)} is not a path inside the repository.`, {
        hint: 'List folders of your checkout, e.g. link: [node_modules].',
      });
    }
    const target = join(worktreeAbs, entry);
    if (!(await exists(join(ws.root, entry)))) continue;
    if (await exists(target)) {
      keepIfEarlier(entry);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await symlink(join(ws.root, entry), target);
    ignored.add(entry);
  }

  if (setup.run.length > 0) {
    const runEnv = { ...definedValues(ws.env), ...env };
    await runSetupCommands(setup.run, worktreeAbs, runEnv, { ...options, timeoutMs: ws.config.timeout });
    // What setup commands leave untracked (build output, generated files) is not the agent's work either.
    for (const entry of await worktreeStatus(new Git(worktreeAbs))) {
      if (entry.code === '??' && !isSetupPath(entry.path, [...ignored])) ignored.add(entry.path);
    }
  }

  const list = [...ignored].sort();
  await writeSetupFiles(worktreeAbs, list);
  return { env, ignored: list };
}

async function runSetupCommands(commands: readonly string[], cwd: string, env: Record<string, string>, options: SetupOptions & { timeoutMs: number }): Promise<void> {
  // NOTE: a shell, because setup commands are the repository owner's own config, never task text;
  // run like gate commands: own process group, stopped by the abort signal, output in a log.
  const scratch = options.logFile ? undefined : await mkdtemp(join(tmpdir(), 'crewtree-setup-'));
  const logFile = options.logFile ?? join(scratch!, 'setup.log');
  try {
    const result = await runGate({ cwd, commands, env, timeoutMs: options.timeoutMs, logFile, signal: options.signal, tailLines: 20 });
    if (result.ok || !result.failed) return;
    const { command, timedOut, stopped, exitCode } = result.failed;
    const why = stopped ? 'was stopped' : timedOut ? `timed out after ${Math.round(options.timeoutMs / 1000)} s` : exitCode === null ? 'was killed by a signal' : `exited with ${exitCode}`;
    throw new CrewError('setup-failed', `The setup command \`${command}\` ${why} in ${cwd}.`, {
      details: result.tail ? result.tail.split('\n') : [],
      hint: 'Fix the command under setup.run in .crewtree/config.yaml; the worktree and its branch were kept.',
    });
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

function definedValues(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) result[key] = value;
  return result;
}
