import type { Git } from '../git/git.js';
import { mergeTrees } from '../git/merge.js';
import { LandingStack, type MergeStrategy } from '../landing/stack.js';
import type { LandingStep } from '../state/land.js';
import type { BatchPlan } from './bisect.js';
import type { QueueEntry } from './records.js';

export interface BuiltBatch {
  /** The entries stacked together, in order. */
  batch: QueueEntry[];
  /** The commit to gate: the merge of every tip onto the base, or the top of the squashed or rebased stack. */
  merged: string | undefined;
  /** The commits that land it, bottom to top (one merge commit, or one or more commits per task). */
  steps: LandingStep[];
  /** Entries that no longer merge onto the base itself, with the conflicting files. */
  conflicts: { entry: QueueEntry; files: string[] }[];
  /** Entries that merge onto the base but not together with the batch: they wait a round. */
  deferred: QueueEntry[];
}

export interface BatchShape {
  strategy: MergeStrategy;
  /** The merge commit's message (merge strategy). */
  mergeMessage: (batch: QueueEntry[]) => string;
  /** A task's own commit message (squash, and rebase's fallback). */
  squashMessage: (entry: QueueEntry) => string;
}

/**
 * Stacks the plan's candidates one after another onto `base` (no checkout touched) until the
 * batch is full. A candidate that conflicts with the batch but not with the base is deferred,
 * so one task's conflict never blames another that may yet fail its gate.
 */
export async function buildBatch(git: Git, base: string, plan: BatchPlan, shape: BatchShape): Promise<BuiltBatch> {
  const built: BuiltBatch = { batch: [], merged: undefined, steps: [], conflicts: [], deferred: [] };
  const stack = new LandingStack(git, shape.strategy, base);
  for (const candidate of plan.candidates) {
    if (built.batch.length >= plan.limit) break;
    const added = await stack.add({ id: candidate.id, tip: candidate.tip, squashMessage: shape.squashMessage(candidate) });
    if (added.clean) {
      built.batch.push(candidate);
      continue;
    }
    const alone = stack.size === 0 ? added : await mergeTrees(git, base, candidate.tip);
    if (alone.clean) built.deferred.push(candidate);
    else built.conflicts.push({ entry: candidate, files: alone.files });
  }
  if (built.batch.length > 0) {
    const { top, steps } = await stack.finish(shape.mergeMessage(built.batch));
    built.merged = top;
    built.steps = steps;
  }
  return built;
}
