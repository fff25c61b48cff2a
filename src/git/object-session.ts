// Reading and writing git objects through three long-lived git processes per repository:
// `cat-file --batch` reads, `hash-object -w --stdin-paths` writes blobs, `mktree --batch` writes
// trees. A state commit edits only the trees on the paths it changes (the task file's folder, the
// backlog folder, the root), so it costs no process start and does not grow with the repository;
// before, each one read the whole tree into a private index (read-tree, update-index, write-tree).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coprocess, type AnswerReader } from '../process/coprocess.js';
import { CrewError } from '../errors.js';
import type { Git } from './git.js';

export interface GitObject {
  oid: string;
  type: string;
  content: Buffer;
}

/** One entry of a tree object: `mode` as git writes it (`100644`, `40000`), `oid` in hex. */
export interface RawTreeEntry {
  mode: string;
  name: string;
  oid: string;
}

const TREE_MODE = '40000';
const env = { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };

/** `<oid> <type> <size>\n<content>\n`, or `<name> missing\n`. */
export const readBatchObject: AnswerReader<GitObject | undefined> = (received) => {
  const newline = received.indexOf(10);
  if (newline === -1) return undefined;
  const [oid = '', type = '', size] = received.toString('utf8', 0, newline).split(' ');
  if (size === undefined) return { value: undefined, used: newline + 1 };
  const end = newline + 1 + Number(size);
  if (received.length < end + 1) return undefined;
  return { value: { oid, type, content: Buffer.from(received.subarray(newline + 1, end)) }, used: end + 1 };
};

/** `count` lines of output, one oid each. */
function readLines(count: number): AnswerReader<string[]> {
  return (received) => {
    const lines: string[] = [];
    let start = 0;
    while (lines.length < count) {
      const newline = received.indexOf(10, start);
      if (newline === -1) return undefined;
      lines.push(received.toString('utf8', start, newline));
      start = newline + 1;
    }
    return { value: lines, used: start };
  };
}

/** The entries of a tree object's content (`<mode> <name>\0<binary oid>`...). */
export function parseTreeObject(content: Buffer, oidBytes: number): RawTreeEntry[] {
  const entries: RawTreeEntry[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(32, at);
    const nul = content.indexOf(0, space);
    if (space === -1 || nul === -1) throw new Error('git: a tree object that does not parse');
    entries.push({ mode: content.toString('utf8', at, space), name: content.toString('utf8', space + 1, nul), oid: content.toString('hex', nul + 1, nul + 1 + oidBytes) });
    at = nul + 1 + oidBytes;
  }
  return entries;
}

export function typeOfMode(mode: string): string {
  if (mode === TREE_MODE || mode === '040000') return 'tree';
  return mode === '160000' ? 'commit' : 'blob';
}

export class ObjectSession {
  private readonly reader: Coprocess;
  private readonly hasher: Coprocess;
  private readonly trees: Coprocess;

  constructor(cwd: string) {
    this.reader = new Coprocess('git', ['cat-file', '--batch'], { cwd, env });
    this.hasher = new Coprocess('git', ['hash-object', '-w', '--no-filters', '--stdin-paths'], { cwd, env });
    // NOTE: --missing: mktree looks objects up without rescanning packs (OBJECT_INFO_QUICK), so a
    // long-lived one misses what a fetch brought since it started; the entries come from trees git
    // wrote and blobs just written, so the check adds nothing.
    this.trees = new Coprocess('git', ['mktree', '-z', '--missing', '--batch'], { cwd, env });
  }

  /** The object `name` (an oid, or `<commit>:<path>`), or undefined when there is none. */
  read(name: string): Promise<GitObject | undefined> {
    if (/[\n\r]/.test(name)) return Promise.resolve(undefined);
    return this.reader.request(`${name}\n`, readBatchObject);
  }

  /** Several objects in one exchange (missing ones left out), by the oid git answered with. */
  async readMany(names: readonly string[]): Promise<GitObject[]> {
    if (names.length === 0) return [];
    if (names.some((name) => /[\n\r]/.test(name))) throw new Error('git: an object name with a line break');
    return (
      await this.reader.request(names.map((name) => `${name}\n`).join(''), (received) => {
        const objects: (GitObject | undefined)[] = [];
        let used = 0;
        while (objects.length < names.length) {
          const answer = readBatchObject(received.subarray(used));
          if (!answer) return undefined;
          objects.push(answer.value);
          used += answer.used;
        }
        return { value: objects, used };
      })
    ).filter((object): object is GitObject => object !== undefined);
  }

  /** The tree object `name` names (the root tree of a commit, given the commit). */
  async tree(name: string): Promise<GitObject> {
    let object = await this.read(name);
    if (object?.type === 'commit') object = await this.read(/^tree ([0-9a-f]+)$/m.exec(object.content.toString('utf8'))?.[1] ?? '');
    if (object?.type !== 'tree') throw new CrewError('git-failed', `git: ${name} is ${object ? `a ${object.type}, not a tree` : 'not in this repository'}.`);
    return object;
  }

  /**
   * The tree of the folder `dir` at `commit`, walked from the commit's root tree: undefined when
   * there is no such folder; an object that is not here (yet) fails loudly, never reads as absent.
   */
  async folder(commit: string, dir: string): Promise<GitObject | undefined> {
    let folder = await this.tree(commit);
    for (const name of dir.split('/').filter(Boolean)) {
      const entry = parseTreeObject(folder.content, folder.oid.length / 2).find((candidate) => candidate.name === name);
      if (!entry || typeOfMode(entry.mode) !== 'tree') return undefined;
      folder = await this.tree(entry.oid);
    }
    return folder;
  }

  /** The entries of the tree `name` names. */
  async treeEntries(name: string): Promise<RawTreeEntry[]> {
    const object = await this.tree(name);
    return parseTreeObject(object.content, object.oid.length / 2);
  }

  /** Writes blobs; their oids in order. */
  async writeBlobs(texts: readonly string[]): Promise<string[]> {
    if (texts.length === 0) return [];
    const dir = await mkdtemp(join(tmpdir(), 'crewtree-blobs-'));
    try {
      const paths = texts.map((_, index) => join(dir, `blob-${index}`));
      await Promise.all(texts.map((text, index) => writeFile(paths[index] ?? '', text)));
      return await this.hasher.request(paths.map((path) => `${path}\n`).join(''), readLines(paths.length));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Writes one tree of these entries (git sorts them); its oid. */
  async writeTree(entries: readonly RawTreeEntry[]): Promise<string> {
    const input = entries.map((entry) => `${entry.mode} ${typeOfMode(entry.mode)} ${entry.oid}\t${entry.name}\0`).join('') + '\0';
    const [oid = ''] = await this.trees.request(input, readLines(1));
    return oid;
  }

  close(): void {
    for (const process of [this.reader, this.hasher, this.trees]) process.close();
  }
}

const sessions = new Map<string, ObjectSession>();
/** Sessions kept at once: a directory used last longest ago has its processes ended. */
const MAX_SESSIONS = 4;

/** The object session of the repository `git` works in (one per directory and process). */
export function objectSession(git: Git): ObjectSession {
  let session = sessions.get(git.cwd);
  if (session) sessions.delete(git.cwd);
  else session = new ObjectSession(git.cwd);
  sessions.set(git.cwd, session);
  for (const [cwd, old] of sessions) {
    if (sessions.size <= MAX_SESSIONS) break;
    old.close();
    sessions.delete(cwd);
  }
  return session;
}

/** A file's new content (text), its removal (null), or a whole folder set to a tree (`{ tree }`, null tree: removed). */
export type TreeEdit = string | null | { tree: string | null };

/**
 * The tree `root` (a tree or commit oid; undefined: empty) with `edits` applied by path. Only the
 * trees on edited paths are read and written; a folder left empty disappears, as in git's index.
 */
export async function editTree(session: ObjectSession, root: string | undefined, edits: ReadonlyMap<string, TreeEdit>): Promise<string> {
  const texts = [...edits].filter((edit): edit is [string, string] => typeof edit[1] === 'string');
  const oids = await session.writeBlobs(texts.map(([, text]) => text));
  const blobs = new Map(texts.map(([path], index) => [path, oids[index] ?? '']));
  const edit = async (tree: string | undefined, prefix: string, paths: string[]): Promise<string | undefined> => {
    const entries = new Map((tree ? await session.treeEntries(tree) : []).map((entry) => [entry.name, entry]));
    const nested = new Map<string, string[]>();
    for (const path of paths) {
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash !== -1) {
        const name = rest.slice(0, slash);
        nested.set(name, [...(nested.get(name) ?? []), path]);
        continue;
      }
      const change = edits.get(path);
      if (change === null) entries.delete(rest);
      else if (typeof change === 'string') entries.set(rest, { mode: '100644', name: rest, oid: blobs.get(path) ?? '' });
      else if (change?.tree) entries.set(rest, { mode: TREE_MODE, name: rest, oid: change.tree });
      else entries.delete(rest);
    }
    for (const [name, inner] of nested) {
      const current = entries.get(name);
      const subtree = await edit(current && typeOfMode(current.mode) === 'tree' ? current.oid : undefined, `${prefix}${name}/`, inner);
      if (subtree) entries.set(name, { mode: TREE_MODE, name, oid: subtree });
      else entries.delete(name);
    }
    if (entries.size === 0 && prefix !== '') return undefined;
    return session.writeTree([...entries.values()]);
  };
  // NOTE: folder replacements first, then the file edits inside them see the replaced folder.
  const folders = [...edits.keys()].filter((path) => isFolderEdit(edits.get(path)));
  const files = [...edits.keys()].filter((path) => !isFolderEdit(edits.get(path)));
  let top = root;
  if (folders.length > 0) top = await edit(top, '', folders);
  if (files.length > 0 || top === undefined) top = await edit(top, '', files);
  // NOTE: with no edit at all, `root` may name a commit: its tree is the answer.
  if (top === root && top !== undefined) return (await session.tree(top)).oid;
  return top ?? '';
}

function isFolderEdit(edit: TreeEdit | undefined): edit is { tree: string | null } {
  return typeof edit === 'object' && edit !== null;
}
