import type { Git } from '../git/git.js';
import { listTreeLevel } from '../git/objects.js';

export interface Verdict {
  ok: boolean;
  command: string;
  tail: string;
  log?: string;
}

/**
 * A key for a commit's code: its tree without the backlog folder (`dir`), read level by level
 * down the folder's path with `git ls-tree` (one call for a top-level folder). Two commits
 * whose code is equal have equal keys.
 */
export async function codeKey(git: Git, commit: string, dir: string): Promise<string> {
  const parts = dir.split('/').filter(Boolean);
  const levels: string[] = [];
  let tree = `${commit}^{tree}`;
  for (const [depth, part] of parts.entries()) {
    const entries = await listTreeLevel(git, tree);
    const inside = entries.find((entry) => entry.path === part);
    levels.push(entries.filter((entry) => entry !== inside).map((entry) => `${entry.mode} ${entry.type} ${entry.oid}\t${entry.path}`).join('\0'));
    if (inside?.type !== 'tree' || depth === parts.length - 1) break;
    tree = inside.oid;
  }
  return levels.join('\n');
}

/**
 * Gate verdicts of one queue run, by code: a commit whose files outside the backlog folder equal
 * an already gated commit's (under the same gate commands) shares its verdict (design section 4,
 * rule 5). Bisection often rebuilds a tree it has already seen red.
 */
export class VerdictMemory {
  private readonly seen = new Map<string, Verdict>();

  remember(key: string, gate: readonly string[], verdict: Verdict): void {
    this.seen.set(`${JSON.stringify(gate)}\n${key}`, verdict);
  }

  recall(key: string, gate: readonly string[]): Verdict | undefined {
    return this.seen.get(`${JSON.stringify(gate)}\n${key}`);
  }
}
