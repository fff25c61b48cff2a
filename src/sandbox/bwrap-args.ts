// The bubblewrap command line for one agent run, built from a typed layout: pure, so every rule
// of what an agent may touch is tested without a process.
import { relative, isAbsolute } from 'node:path';
import type { SandboxNetwork } from './policy.js';

/** Where things are on the host for one run; every path absolute. */
export interface SandboxLayout {
  /** The task's worktree: read-write, the working directory. */
  worktree: string;
  /** The user's checkout: read-only. */
  checkout: string;
  /** `<checkout>/<worktrees>`: invisible except the run's own worktree. */
  worktreesFolder: string;
  /** The shared git directory: read-only, except what `git commit` in the worktree writes. */
  commonDir: string;
  /** `<commonDir>/worktrees/<name>`: the worktree's index, HEAD reflog, COMMIT_EDITMSG. */
  adminDir: string;
  /** `<adminDir>/config.worktree` when it exists. */
  worktreeConfig?: string;
  /** The branch's loose ref folder (writable for the ref's lock file and rename) and what else is in it (kept read-only). */
  branch?: { refDir: string; siblings: string[]; reflog?: string };
  /** The run's own folder: TMPDIR and the private home live in it; removed after the run. */
  scratch: string;
  /** Other folders the agent may write: a TMPDIR that `agents.<name>.env` set. */
  writable: string[];
  /** Private HOME, inside `scratch`. */
  home: string;
  /** The agent's TMPDIR, inside `scratch` beside the home: codex will not put its helpers in a home under TMPDIR. */
  tmp: string;
  /** Folders hidden behind an empty tmpfs: `/tmp` and the user's real home. */
  hidden: string[];
  /** Folders under a hidden one that stay visible read-only: where the agent's programs live. */
  exposed: string[];
  /** Login and settings files of the agent's CLI, bound read-only into the private home. */
  homeFiles: { source: string; target: string }[];
  /** Secret files (`.env`) shown to the agent as `emptyFile`. */
  secretFiles: string[];
  /** An empty regular file (a device such as /dev/null cannot be opened on a bind without device access). */
  emptyFile: string;
  network: SandboxNetwork;
}

/** Whether `path` is `folder` or inside it. */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const byDepth = (a: string, b: string) => a.split('/').length - b.split('/').length || a.localeCompare(b);

/**
 * The arguments before `--`: bubblewrap applies them in order, so a later mount covers an earlier
 * one. Everything read-only first, then the writable holes, then read-only plugs in those holes.
 */
export function bwrapArgs(layout: SandboxLayout): string[] {
  const args: string[] = [];
  const push = (...items: string[]) => args.push(...items);
  // NOTE: a new user namespace even as root: root keeps every capability in a sandbox without one
  // and could remount / read-write; inside one the host's mounts are locked read-only, and codex
  // can still make its own namespaces inside.
  push('--die-with-parent', '--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts');
  if (layout.network === 'none') push('--unshare-net');
  push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
  for (const folder of [...layout.hidden].sort(byDepth)) push('--tmpfs', folder);
  const visible = [...new Set([...layout.exposed, layout.checkout])];
  if (!isInside(layout.commonDir, layout.checkout)) visible.push(layout.commonDir);
  for (const folder of visible.sort(byDepth)) push('--ro-bind', folder, folder);
  if (isInside(layout.worktreesFolder, layout.checkout) && isInside(layout.worktree, layout.worktreesFolder)) push('--tmpfs', layout.worktreesFolder);

  push('--bind', layout.scratch, layout.scratch);
  for (const folder of layout.writable) push('--bind', folder, folder);
  push('--bind', layout.worktree, layout.worktree);
  // git commit in a linked worktree writes objects, the worktree's admin folder and its branch ref.
  push('--bind', `${layout.commonDir}/objects`, `${layout.commonDir}/objects`);
  push('--bind', layout.adminDir, layout.adminDir);
  if (layout.branch) {
    push('--bind', layout.branch.refDir, layout.branch.refDir);
    for (const sibling of layout.branch.siblings) push('--ro-bind', sibling, sibling);
    if (layout.branch.reflog) push('--bind', layout.branch.reflog, layout.branch.reflog);
  }
  // NOTE: crewtree runs git in this worktree after the agent, unconfined: the `.git` file and the
  // admin folder's pointers stay as they are, so the agent cannot send that git to a config (and
  // hooks) of its own, nor move HEAD to another branch.
  push('--ro-bind', `${layout.worktree}/.git`, `${layout.worktree}/.git`);
  for (const name of ['HEAD', 'commondir', 'gitdir']) push('--ro-bind-try', `${layout.adminDir}/${name}`, `${layout.adminDir}/${name}`);
  // With extensions.worktreeConfig, git reads the admin folder's config.worktree: kept as it is, or empty.
  push('--ro-bind', layout.worktreeConfig ?? layout.emptyFile, `${layout.adminDir}/config.worktree`);
  for (const file of layout.secretFiles) push('--ro-bind', layout.emptyFile, file);
  for (const file of layout.homeFiles) push('--ro-bind', file.source, file.target);
  push('--chdir', layout.worktree);
  return args;
}

/** Folders under the hidden ones that must stay visible for `programs` to run: the first folder below the hidden one. */
export function exposedFolders(programs: readonly string[], hidden: readonly string[], alreadyVisible: readonly string[]): string[] {
  const exposed = new Set<string>();
  for (const program of programs) {
    if (!isAbsolute(program) || alreadyVisible.some((folder) => isInside(program, folder))) continue;
    for (const folder of hidden) {
      if (!isInside(program, folder) || program === folder) continue;
      const first = relative(folder, program).split('/')[0];
      if (first) exposed.add(`${folder}/${first}`);
    }
  }
  return [...exposed].sort();
}

/** The run log's line about the sandbox. */
export function describeLayout(layout: SandboxLayout, bwrap: { path: string; version: string }): string {
  const network = layout.network === 'none' ? 'network closed' : 'network open';
  return `bubblewrap ${bwrap.version} (${bwrap.path}): writes only to the worktree, its git objects and admin folder, a private /tmp and home; ${network}`;
}

