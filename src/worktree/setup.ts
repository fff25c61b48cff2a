import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CrewError } from '../errors.js';
import { Git } from '../git/git.js';
import { worktreeStatus } from '../git/worktrees.js';
import { ProcessError, runProcess, tailOf } from '../process/run.js';
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
export async function setupWorktree(ws: Workspace, worktreeAbs: string, options: { slot: number }): Promise<WorktreeSetup> {
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
    for (const command of setup.run) await runSetupCommand(command, worktreeAbs, runEnv, ws.config.timeout);
    // What setup commands leave untracked (build output, generated files) is not the agent's work either.
    for (const entry of await worktreeStatus(new Git(worktreeAbs))) {
      if (entry.code === '??' && !isSetupPath(entry.path, [...ignored])) ignored.add(entry.path);
    }
  }

  const list = [...ignored].sort();
  await writeSetupFiles(worktreeAbs, list);
  return { env, ignored: list };
}

async function runSetupCommand(command: string, cwd: string, env: Record<string, string>, timeoutMs: number): Promise<void> {
  try {
    // NOTE: a shell, because setup commands are the repository owner's own config, never task text.
    await runProcess('bash', ['-c', command], { cwd, env, timeoutMs });
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    const why = error.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : error.signal ? `was killed by ${error.signal}` : `exited with ${error.exitCode}`;
    const output = tailOf([error.stdout, error.stderr].map((text) => text.trimEnd()).filter(Boolean).join('\n'), 20);
    throw new CrewError('setup-failed', `The setup command \`${command}\` ${why} in ${cwd}.`, {
      details: output ? output.split('\n') : [],
      hint: 'Fix the command under setup.run in .crewtree/config.yaml; the worktree and its branch were kept.',
      cause: error,
    });
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
