// Git by intent for the files and index of one checkout (the Git given is the checkout's):
// moving it to a commit, cleaning it, and reading or writing its index path by path.
import type { Git } from './git.js';
import { parseIndexStage0, parseStatus, type StatusEntry } from './parse.js';

/** Paths are data, never globs or pathspec magic. */
const LITERAL_PATHSPECS = '--literal-pathspecs';

/** Detaches HEAD at `commit` and overwrites any local change to tracked files. */
export async function forceCheckoutDetached(checkout: Git, commit: string): Promise<void> {
  await checkout.run(['checkout', '--detach', '--force', '--quiet', commit]);
}

/** Removes every untracked and ignored file except the paths in `keep` (patterns relative to the top). */
export async function removeUntracked(checkout: Git, keep: readonly string[]): Promise<void> {
  await checkout.run(['clean', '-ffdxq', ...keep.flatMap((path) => ['-e', `/${path}`])]);
}

/**
 * Moves the index and files from commit `from` to `to` (`git read-tree -m -u`), the way git's
 * `updateInstead` does; refuses, touching nothing, when that would overwrite local changes.
 */
export async function moveCheckoutTree(checkout: Git, from: string, to: string): Promise<{ ok: boolean; stderr: string }> {
  const result = await checkout.run(['read-tree', '-m', '-u', from, to], { okExitCodes: [0, 128] });
  return { ok: result.exitCode === 0, stderr: result.stderr };
}

/** Updates the index's stat data, so a file touched but not changed no longer looks modified. */
export async function refreshIndex(checkout: Git): Promise<void> {
  await checkout.run(['update-index', '-q', '--refresh'], { okExitCodes: [0, 1] });
}

/** The ref HEAD is on (refs/heads/...), or undefined when it is detached or the folder is no checkout. */
export async function headRef(checkout: Git): Promise<string | undefined> {
  const head = await checkout.run(['symbolic-ref', '-q', 'HEAD'], { okExitCodes: [0, 1, 128] });
  return head.exitCode === 0 ? head.stdout.trim() : undefined;
}

/** `path -> oid` of the index's (unconflicted) entries for these paths. */
export async function indexEntries(checkout: Git, paths: readonly string[]): Promise<Map<string, string>> {
  const out = (await checkout.run([LITERAL_PATHSPECS, 'ls-files', '-s', '-z', '--', ...paths])).stdout;
  return new Map(parseIndexStage0(out).map((entry) => [entry.path, entry.oid]));
}

/** The blob oids these files on disk would have (nothing is written), in order. */
export async function hashFiles(checkout: Git, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  return (await checkout.run(['hash-object', '--stdin-paths'], { input: paths.join('\n') + '\n' })).stdout.trim().split('\n');
}

/** Sets index entries: `path -> { mode, oid }`, or null to remove the path from the index. */
export async function setIndexEntries(checkout: Git, entries: ReadonlyMap<string, { mode: string; oid: string } | null>): Promise<void> {
  const lines = [...entries].map(([path, entry]) => (entry ? `${entry.mode} ${entry.oid}\t${path}` : `0 ${'0'.repeat(40)}\t${path}`));
  await checkout.run(['update-index', '--index-info'], { input: lines.join('\n') + '\n' });
}

/** Writes these paths' files from the index, over whatever is on disk. */
export async function checkoutIndexPaths(checkout: Git, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await checkout.run(['checkout-index', '-f', '-u', '-z', '--stdin'], { input: paths.join('\0') + '\0' });
}

/**
 * Changed, staged and untracked files under `dir` (one `git status` limited to it), or
 * undefined when git could not say (the folder is no checkout).
 */
export async function statusUnder(checkout: Git, dir: string): Promise<StatusEntry[] | undefined> {
  const result = await checkout.run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', dir], { okExitCodes: [0, 128] });
  return result.exitCode === 0 ? parseStatus(result.stdout) : undefined;
}

/** Whether `path` (relative to the checkout's top) is ignored by the .gitignore rules, tracked or not. */
export async function isIgnored(checkout: Git, path: string): Promise<boolean> {
  const result = await checkout.run(['check-ignore', '-q', '--no-index', '--', path], { okExitCodes: [0, 1, 128] });
  return result.exitCode === 0;
}
