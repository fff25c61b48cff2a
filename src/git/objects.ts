import { runProcessSync } from '../process/run-sync.js';
import type { Git } from './git.js';
import { editTree, objectSession, parseTreeObject, readBatchObject, typeOfMode, type TreeEdit } from './object-session.js';
import { parseDiffTreeRaw, parseLsTree, type TreeChange, type TreeEntry } from './parse.js';

export async function resolveCommit(git: Git, ref: string): Promise<string | undefined> {
  const result = await git.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { okExitCodes: [0, 1] });
  return result.stdout.trim() || undefined;
}

/** Whether the object `oid` is here and is a commit (a fetch may be needed first). */
export async function hasCommit(git: Git, oid: string): Promise<boolean> {
  // NOTE: through the long-lived cat-file: it looks for packs a fetch added since it started when an object is missing.
  return (await objectSession(git).read(`${oid}^{commit}`))?.type === 'commit';
}

/**
 * Every file under `dir` (or these paths) in `commit`, recursively. `literal`: the paths are
 * data, never globs or pathspec magic.
 */
export async function listTree(git: Git, commit: string, dir: string | readonly string[], options: { literal?: boolean } = {}): Promise<TreeEntry[]> {
  const paths = typeof dir === 'string' ? [dir] : dir;
  const result = await git.run([...(options.literal ? ['--literal-pathspecs'] : []), 'ls-tree', '-r', '-z', '--full-tree', commit, '--', ...paths]);
  return parseLsTree(result.stdout);
}

/** The entries of one tree (or `commit^{tree}`), not recursing into subtrees. */
export async function listTreeLevel(git: Git, tree: string): Promise<TreeEntry[]> {
  return parseLsTree((await git.run(['ls-tree', '-z', tree])).stdout);
}

const emptyTrees = new WeakMap<Git, Promise<string>>();

/** The empty tree, written to the object store once per repository handle (every queue entry is a commit of it). */
export function emptyTree(git: Git): Promise<string> {
  let tree = emptyTrees.get(git);
  if (!tree) {
    tree = git.text(['hash-object', '-t', 'tree', '-w', '--stdin'], { input: '' });
    emptyTrees.set(git, tree);
    tree.catch(() => emptyTrees.delete(git));
  }
  return tree;
}

/** The entries of one folder at `commit`, not recursing: a few lines, whatever lies below them. */
export async function listFolder(git: Git, commit: string, dir: string): Promise<TreeEntry[]> {
  const folder = await objectSession(git).folder(commit, dir);
  if (!folder) return [];
  return parseTreeObject(folder.content, folder.oid.length / 2).map((entry) => ({ mode: entry.mode.padStart(6, '0'), type: typeOfMode(entry.mode), oid: entry.oid, path: `${dir}/${entry.name}` }));
}

/** Files that differ between two trees, with their new blob ids, paths relative to the trees. */
export async function diffTrees(git: Git, from: string, to: string): Promise<TreeChange[]> {
  const result = await git.run(['diff-tree', '-r', '-z', '--no-renames', from, to]);
  return parseDiffTreeRaw(result.stdout);
}

/**
 * One blob's text, synchronously: for the rare task text a cached backlog is asked for (the file
 * a claim rewrites). NOTE: synchronous so that `Backlog.texts.get` stays a plain lookup for the
 * planners; it blocks for one small `git cat-file`, a few milliseconds.
 */
export function readBlobSync(git: Git, oid: string): string {
  return runProcessSync('git', ['cat-file', 'blob', oid], { cwd: git.cwd, env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
}

/** Reads many blobs in one `git cat-file --batch` process. */
export async function readBlobs(git: Git, oids: readonly string[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  if (oids.length === 0) return texts;
  // NOTE: a few (what one state change touches) through the long-lived cat-file; a whole backlog in a process of its own.
  if (oids.length <= 64) {
    for (const object of await objectSession(git).readMany(oids)) texts.set(object.oid, object.content.toString('utf8'));
    const missing = oids.find((oid) => !texts.has(oid));
    if (missing) throw new Error(`git cat-file: object ${missing} is missing`);
    return texts;
  }
  let out = await git.bytes(['cat-file', '--batch'], { input: oids.join('\n') + '\n', maxBuffer: 1024 * 1024 * 1024 });
  while (out.length > 0) {
    const answer = readBatchObject(out);
    if (!answer?.value) throw new Error(`git cat-file: object ${out.toString('utf8', 0, Math.max(0, out.indexOf(10))).split(' ')[0]} is missing`);
    texts.set(answer.value.oid, answer.value.content.toString('utf8'));
    out = out.subarray(answer.used);
  }
  return texts;
}

export async function readFileAt(git: Git, commit: string, path: string): Promise<string | undefined> {
  const result = await git.run(['cat-file', 'blob', `${commit}:${path}`], { okExitCodes: [0, 128] });
  return result.exitCode === 0 ? result.stdout : undefined;
}

export async function writeBlob(git: Git, text: string): Promise<string> {
  const [oid = ''] = await writeBlobs(git, [text]);
  return oid;
}

/** Writes several blobs through the long-lived `hash-object` (object-session.ts); oids in order. */
export function writeBlobs(git: Git, texts: readonly string[]): Promise<string[]> {
  return objectSession(git).writeBlobs(texts);
}

/**
 * The tree of `base` with some files replaced (text) or removed (null), written as tree objects
 * (object-session.ts) so neither the user's index nor any worktree is touched. With `codeFrom`, everything
 * outside `keepDir` comes from that commit instead (a tested merge), and `keepDir` from `base`.
 */
export async function buildTree(
  git: Git,
  base: string,
  changes: ReadonlyMap<string, string | null>,
  options: { codeFrom?: string; keepDir?: string } = {},
): Promise<string> {
  const session = objectSession(git);
  const edits = new Map<string, TreeEdit>();
  let root = base;
  if (options.codeFrom && options.keepDir) {
    root = options.codeFrom;
    const kept = await session.folder(base, options.keepDir);
    edits.set(options.keepDir, { tree: kept?.oid ?? null });
  }
  for (const [path, text] of changes) edits.set(path, text);
  return editTree(session, root, edits);
}

/**
 * `git commit-tree`. NOTE: tried first as is, and only when git knows no identity again with
 * crewtree's: asking git for the identity up front cost a process on every state change.
 */
export async function createCommit(git: Git, tree: string, parents: readonly string[], message: string, author?: CommitAuthor): Promise<string> {
  const args = ['commit-tree', tree];
  for (const parent of parents) args.push('-p', parent);
  const env = author ? { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_AUTHOR_DATE: author.date } : undefined;
  const first = await git.run(args, { input: message, okExitCodes: [0, 128], env });
  if (first.exitCode === 0) return first.stdout.trim();
  return git.text([...(await git.identity()), ...args], { input: message, env });
}

/** Who wrote a commit and when (`date` in git's raw form, `1732712345 +0100`), kept when it is replayed. */
export interface CommitAuthor {
  name: string;
  email: string;
  date: string;
}

export async function treeOf(git: Git, commit: string): Promise<string> {
  return git.text(['rev-parse', `${commit}^{tree}`]);
}

/** Paths that differ between two commits (or trees). */
export async function changedPaths(git: Git, from: string, to: string): Promise<string[]> {
  const out = (await git.run(['diff-tree', '-r', '-z', '--name-only', '--no-renames', from, to])).stdout;
  return out.split('\0').filter(Boolean);
}
