import { formatProblem } from '../errors.js';
import { singleLine } from '../terminal/safe-text.js';
import type { ReadBacklog } from '../workflows/read-backlog.js';
import type { Io } from './output.js';

/**
 * What a read left out, on stderr: files with problems (quarantined, every problem listed) and
 * task files edited in the checkout but not committed on the base branch, which crewtree reads.
 */
export function printBacklogNotices(io: Io, backlog: Pick<ReadBacklog, 'problems' | 'quarantined' | 'uncommitted'>, base: string): void {
  if (backlog.problems.length > 0) {
    const files = backlog.quarantined.size;
    io.err(`warning: ${files} file${files === 1 ? ' has' : 's have'} problems; skipped (not workable, tasks that depend on them wait):`);
    for (const problem of backlog.problems) io.err(`  ${formatProblem(problem)}`);
    io.err('  Fix them and commit; `crew doctor` lists them too.');
  }
  if (backlog.uncommitted.length > 0) {
    const shown = backlog.uncommitted.slice(0, 10).map((path) => `  ${singleLine(path)}`);
    const more = backlog.uncommitted.length > 10 ? [`  ... and ${backlog.uncommitted.length - 10} more`] : [];
    io.err(`note: crewtree reads the task files committed on ${base}; these changes do not count until they are committed:`);
    for (const line of [...shown, ...more]) io.err(line);
    io.err(`  Commit them: git add <files> && git commit (on ${base}).`);
  }
}
