import type { Git } from '../git/git.js';
import { sameCodeOutside } from '../landing/merge.js';

export interface Verdict {
  ok: boolean;
  command: string;
  tail: string;
  log?: string;
}

/**
 * Gate verdicts of one queue run, by code: a commit whose files outside the backlog folder equal
 * an already gated commit's (under the same gate commands) shares its verdict (design section 4,
 * rule 5). Bisection often rebuilds a tree it has already seen red.
 */
export class VerdictMemory {
  private readonly seen: { commit: string; gate: string; verdict: Verdict }[] = [];

  constructor(
    private readonly git: Git,
    private readonly backlogDir: string,
  ) {}

  remember(commit: string, gate: readonly string[], verdict: Verdict): void {
    this.seen.push({ commit, gate: JSON.stringify(gate), verdict });
  }

  async recall(commit: string, gate: readonly string[]): Promise<Verdict | undefined> {
    const key = JSON.stringify(gate);
    for (const seen of this.seen) {
      if (seen.gate === key && (await sameCodeOutside(this.git, seen.commit, commit, this.backlogDir))) return seen.verdict;
    }
    return undefined;
  }
}
