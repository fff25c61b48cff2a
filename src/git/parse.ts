// Pure parsers for git's machine-readable output.

export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  path: string;
}

export function parseLsTree(output: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    if (!mode || !type || !oid) continue;
    entries.push({ mode, type, oid, path: record.slice(tab + 1) });
  }
  return entries;
}

/** One changed path of `git diff-tree -r -z` (raw): its new blob, or null when it was removed. */
export interface TreeChange {
  path: string;
  /** The new blob id; null when the path was removed (or is no longer a file). */
  oid: string | null;
}

export function parseDiffTreeRaw(output: string): TreeChange[] {
  const changes: TreeChange[] = [];
  const fields = output.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, newMode = '', , newOid = '', status = ''] = (fields[i] ?? '').split(' ');
    const path = fields[i + 1] ?? '';
    if (!path) continue;
    const removed = status.startsWith('D') || newMode === '000000' || newMode === '160000' || newMode === '040000';
    changes.push({ path, oid: removed ? null : newOid });
  }
  return changes;
}

export interface WorktreeInfo {
  path: string;
  head: string | undefined;
  /** Full ref name, e.g. refs/heads/main; undefined when detached. */
  branch: string | undefined;
  bare: boolean;
  locked: boolean;
  prunable: boolean;
}

/** `git worktree list --porcelain -z`. */
export function parseWorktreeList(output: string): WorktreeInfo[] {
  const worktrees: WorktreeInfo[] = [];
  let current: WorktreeInfo | undefined;
  for (const field of output.split('\0')) {
    if (field === '') {
      if (current) worktrees.push(current);
      current = undefined;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      current = { path: value, head: undefined, branch: undefined, bare: false, locked: false, prunable: false };
    } else if (current) {
      if (key === 'HEAD') current.head = value;
      else if (key === 'branch') current.branch = value;
      else if (key === 'bare') current.bare = true;
      else if (key === 'locked') current.locked = true;
      else if (key === 'prunable') current.prunable = true;
    }
  }
  if (current) worktrees.push(current);
  return worktrees;
}

/** File names quoted in git's "would be overwritten" / "not uptodate" errors. */
export function parseBlockingFiles(stderr: string): string[] {
  const files = new Set<string>();
  for (const match of stderr.matchAll(/Entry '([^']+)'/g)) if (match[1]) files.add(match[1]);
  let inList = false;
  for (const line of stderr.split('\n')) {
    if (/would be (overwritten|removed)/.test(line)) inList = true;
    else if (inList && /^\s+\S/.test(line)) files.add(line.trim());
    else inList = false;
  }
  return [...files];
}

export interface StatusEntry {
  /** Two-letter porcelain code, e.g. ` M`, `A `, `??`, `UU`, `R `. */
  code: string;
  /** For a rename or copy, the new path. */
  path: string;
}

/** `git status --porcelain=v1 -z`: one entry per path. */
export function parseStatus(output: string): StatusEntry[] {
  const entries: StatusEntry[] = [];
  const fields = output.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const record = fields[i] ?? '';
    if (record.length < 4) continue;
    // NOTE: a rename or copy is followed by its source path in the next field.
    if (record[0] === 'R' || record[0] === 'C') i++;
    entries.push({ code: record.slice(0, 2), path: record.slice(3) });
  }
  return entries;
}

/** `git ls-files -s -z`: `path` and `oid` of the stage-0 (unconflicted) entries. */
export function parseIndexStage0(output: string): { path: string; oid: string }[] {
  return output
    .split('\0')
    .filter(Boolean)
    .flatMap((record) => {
      const tab = record.indexOf('\t');
      const [, oid, stage] = record.slice(0, tab).split(' ');
      return oid && stage === '0' ? [{ path: record.slice(tab + 1), oid }] : [];
    });
}

/** `git ls-remote` output: `ref -> oid`. */
export function parseLsRemote(output: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of output.split('\n')) {
    const [oid, ref] = line.split('\t');
    if (oid && ref) refs.set(ref, oid);
  }
  return refs;
}
