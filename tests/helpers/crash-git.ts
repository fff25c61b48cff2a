// A `git` wrapper first on PATH that kills crewtree at the n-th git call it makes, in two ways:
// right after the call finished ("after"), or during it, leaving the lock file git holds behind as
// SIGKILL leaves it ("during"). One run per call index covers every crash point of a command.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runCrew, type TempRepo } from './temp-repo.js';

export type CrashMode = 'after' | 'during';

const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

/** For a test file: the folder holding the wrapper, removed after the file's tests. */
export function crashingGitBin(): string {
  const bin = mkdtempSync(join(tmpdir(), 'crewtree-crash-bin-'));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  // NOTE: $PPID is the crewtree process: git is spawned without a shell in between.
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh
real="${realGit}"
n=$(flock "$CRASH_COUNTER.lock" sh -c 'n=$(($(cat "$1" 2>/dev/null || echo 0) + 1)); echo $n > "$1"; echo $n' sh "$CRASH_COUNTER")
echo "$1" >> "$CRASH_COUNTER.commands"
if [ "$n" != "$CRASH_AT" ]; then exec "$real" "$@"; fi
# A long-lived helper (cat-file --batch, hash-object --stdin-paths, mktree --batch) only ends when
# crewtree does: "after" it is never reached, so crewtree dies as it starts, as after the call before.
case " $* " in *" --batch "*|*" --stdin-paths "*) kill -9 $PPID; exit 137;; esac
if [ "$CRASH_MODE" = after ]; then
  "$real" "$@"; code=$?
  kill -9 $PPID
  exit $code
fi
# during: git dies holding its lock file, and takes crewtree with it
command=""
skip=""
for arg in "$@"; do
  if [ -n "$skip" ]; then skip=""; continue; fi
  case "$command:$arg" in
    :read-tree|:update-index|:checkout-index)
      if [ -n "$GIT_INDEX_FILE" ]; then : > "$GIT_INDEX_FILE.lock"; else : > "$("$real" rev-parse --path-format=absolute --git-path index.lock)"; fi
      break;;
    :update-ref) command=update-ref;;
    update-ref:-m) skip=1;;
    update-ref:-*) ;;
    update-ref:refs/*)
      lock="$("$real" rev-parse --path-format=absolute --git-common-dir)/$arg.lock"
      mkdir -p "$(dirname "$lock")" && : > "$lock"
      break;;
  esac
done
kill -9 $PPID
exit 137
`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  return bin;
}

export interface CrashedRun {
  code: number;
  /** How many git calls it made (up to the crash). */
  calls: number;
  /** Each call's git command (`read-tree`, `update-ref`...), in order. */
  commands: string[];
  stdout: string;
  stderr: string;
}

/** `crew <args>` killed at git call `at` (0: never). */
export function crashingRun(bin: string, repo: TempRepo, args: string[], at: number, mode: CrashMode): CrashedRun {
  const counter = join(repo.dir, '..', `${repo.dir.split('/').pop()}-calls`);
  const files = [counter, `${counter}.lock`, `${counter}.commands`];
  for (const file of files) rmSync(file, { force: true });
  // NOTE: without the backlog memo, every round reads the backlog the same way (the same git calls
  // as the round that counted them); with it, how much is read depends on what earlier rounds left.
  rmSync(join(repo.dir, '.git', 'crewtree', 'cache'), { recursive: true, force: true });
  const run = runCrew(repo.dir, args, { PATH: `${bin}:${process.env.PATH}`, CRASH_COUNTER: counter, CRASH_AT: String(at), CRASH_MODE: mode });
  const calls = Number(readFileSync(counter, 'utf8').trim());
  const commands = readFileSync(`${counter}.commands`, 'utf8').split('\n').filter(Boolean);
  for (const file of files) rmSync(file, { force: true });
  return { code: run.code, calls, commands, stdout: run.stdout, stderr: run.stderr };
}

/**
 * The crash points of a command whose run made `commands`: after each call, and during each call
 * that holds a lock file (the index, a ref). NOTE: dying during any other call is dying after the
 * one before it, already covered.
 */
export function crashPoints(commands: readonly string[]): { at: number; mode: CrashMode }[] {
  const holdsLock = (command: string | undefined) => ['read-tree', 'update-index', 'checkout-index', 'update-ref'].includes(command ?? '');
  const after = commands.map((_, index) => ({ at: index + 1, mode: 'after' as const }));
  const during = commands.flatMap((command, index) => (holdsLock(command) ? [{ at: index + 1, mode: 'during' as const }] : []));
  return [...after, ...during];
}

