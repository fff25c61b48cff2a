import { createCommit, treeOf, type CommitAuthor } from '../git/objects.js';
import type { Git } from '../git/git.js';
import type { LandingStep } from '../state/land.js';
import { mergeTrees } from '../git/merge.js';
import { branchCommits } from '../git/history.js';
import { pickOnto } from './replay.js';
import { withTaskTrailer } from './trailer.js';

/** `merge.strategy`: how a task's branch becomes commits on the base. */
export type MergeStrategy = 'merge' | 'squash' | 'rebase';

export interface StackedTask {
  id: string;
  tip: string;
  /** The squash commit's message: `<type>(<ID>): <title>` and `Task: <ID>`. */
  squashMessage: string;
}

export type Stacked = { clean: true } | { clean: false; files: string[] };

/**
 * The commits a landing puts on the base, built task after task with `git merge-tree` (no
 * checkout touched); the top is the commit the gate tests, and every step is a commit the
 * landing's compare-and-swap moves the base over.
 *
 * - merge: one merge commit whose first parent is the base and whose later parents are the tips.
 * - squash: one commit per task, parent the commit below, with the task's conventional message;
 *   the branch's commits (a blocked attempt's `wip` among them) never reach the base's history.
 * - rebase: the branch's own commits replayed one by one (merge commits dropped, like
 *   `git rebase`), each with its author and message plus the `Task:` trailer. When they cannot be
 *   replayed one by one although the branch as a whole merges cleanly (it merged the base to
 *   resolve a conflict), the task lands as one squashed commit instead.
 */
export class LandingStack {
  private top: string;
  private tree = '';
  /** The merge strategy's latest merge, not yet written as a commit. */
  private pending: { tree: string; parents: string[]; id: string } | undefined;
  private readonly steps: LandingStep[] = [];
  private readonly tips: { id: string; tip: string }[] = [];

  constructor(
    private readonly git: Git,
    private readonly strategy: MergeStrategy,
    private readonly base: string,
  ) {
    this.top = base;
  }

  get size(): number {
    return this.tips.length;
  }

  /** Puts a task on top of the stack, or says which files conflict with the stack as it is (the stack is unchanged). */
  async add(task: StackedTask): Promise<Stacked> {
    if (this.pending) {
      // NOTE: the merge of the tasks so far becomes a commit only once another task merges onto
      // it: a batch of one (the usual case) writes just the commit that lands.
      this.top = await createCommit(this.git, this.pending.tree, this.pending.parents, `queue: merge ${this.pending.id}`);
      this.pending = undefined;
    }
    const merge = await mergeTrees(this.git, this.top, task.tip);
    if (!merge.clean) return merge;
    this.tips.push({ id: task.id, tip: task.tip });
    if (this.strategy === 'merge') {
      this.tree = merge.tree;
      this.pending = { tree: merge.tree, parents: [this.top, task.tip], id: task.id };
      return { clean: true };
    }
    if (this.strategy === 'rebase' && (await this.replay(task))) return { clean: true };
    this.push(await createCommit(this.git, merge.tree, [this.top], task.squashMessage), task.squashMessage, [task.id]);
    return { clean: true };
  }

  /** The tested commit and the steps that land it; a merge is one commit with `mergeMessage`. */
  async finish(mergeMessage: string): Promise<{ top: string; steps: LandingStep[] }> {
    if (this.tips.length === 0) return { top: this.base, steps: [] };
    if (this.strategy !== 'merge') return { top: this.top, steps: [...this.steps] };
    const top = await createCommit(this.git, this.tree, [this.base, ...this.tips.map((t) => t.tip)], mergeMessage);
    return { top, steps: [{ code: top, message: mergeMessage, parents: this.tips.map((t) => t.tip), closes: this.tips.map((t) => t.id) }] };
  }

  private push(commit: string, message: string, closes: string[], author?: CommitAuthor): void {
    this.steps.push({ code: commit, message, parents: [], closes, ...(author ? { author } : {}) });
    this.top = commit;
  }

  /** Replays the branch's commits onto the top; false (stack unchanged) when one of them conflicts. */
  private async replay(task: StackedTask): Promise<boolean> {
    const replayed: { commit: string; message: string; author: CommitAuthor }[] = [];
    let top = this.top;
    let topTree = await treeOf(this.git, top);
    for (const picked of await branchCommits(this.git, this.base, task.tip)) {
      const pick = await pickOnto(this.git, top, picked);
      if (!pick.clean) return false;
      if (pick.tree === topTree) continue; // NOTE: its change is on the base already; `git rebase` drops it too
      const message = withTaskTrailer(picked.message, task.id);
      top = await createCommit(this.git, pick.tree, [top], message, picked.author);
      topTree = pick.tree;
      replayed.push({ commit: top, message, author: picked.author });
    }
    if (replayed.length === 0) return false;
    replayed.forEach(({ commit, message, author }, index) => this.push(commit, message, index === replayed.length - 1 ? [task.id] : [], author));
    return true;
  }
}
