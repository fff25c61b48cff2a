import { createCommit } from '../git/objects.js';
import type { Git } from '../git/git.js';
import { mergeTrees } from '../landing/merge.js';
import type { BatchPlan } from './bisect.js';
import type { QueueEntry } from './records.js';

export interface BuiltBatch {
  /** The entries merged together, in order. */
  batch: QueueEntry[];
  /** The merge commit: first parent the base, then every tip of the batch. */
  merged: string | undefined;
  /** Entries that no longer merge onto the base itself, with the conflicting files. */
  conflicts: { entry: QueueEntry; files: string[] }[];
  /** Entries that merge onto the base but not together with the batch: they wait a round. */
  deferred: QueueEntry[];
}

/**
 * Merges the plan's candidates one after another onto `base` (no checkout touched) until the
 * batch is full. A candidate that conflicts with the batch but not with the base is deferred,
 * so one task's conflict never blames another that may yet fail its gate.
 */
export async function buildBatch(git: Git, base: string, plan: BatchPlan, message: (batch: QueueEntry[]) => string): Promise<BuiltBatch> {
  const built: BuiltBatch = { batch: [], merged: undefined, conflicts: [], deferred: [] };
  let current = base;
  let tree = '';
  for (const candidate of plan.candidates) {
    if (built.batch.length >= plan.limit) break;
    const merge = await mergeTrees(git, current, candidate.tip);
    if (merge.clean) {
      built.batch.push(candidate);
      tree = merge.tree;
      current = await createCommit(git, tree, [current, candidate.tip], `queue: merge ${candidate.id}`);
      continue;
    }
    const alone = current === base ? merge : await mergeTrees(git, base, candidate.tip);
    if (alone.clean) built.deferred.push(candidate);
    else built.conflicts.push({ entry: candidate, files: alone.files });
  }
  if (built.batch.length > 0) {
    built.merged = await createCommit(git, tree, [base, ...built.batch.map((entry) => entry.tip)], message(built.batch));
  }
  return built;
}
