/** What one `git push --porcelain` said, reduced to what a compare-and-swap needs to know. */
export type PushVerdict =
  | { kind: 'pushed' }
  /** The remote's ref was not what we expected (or another push held its lock): re-read and retry. */
  | { kind: 'lost'; detail: string }
  /** The remote refused for a reason retrying will not change (a protected branch, a hook). */
  | { kind: 'refused'; detail: string }
  /** No answer from the remote (down, connection cut): the push may be retried. */
  | { kind: 'unreachable'; detail: string };

// NOTE: reasons receive-pack gives when a concurrent push won the race for a ref's lock or
// when an atomic push failed because of another ref in it; both mean "someone moved first".
const RACE_REASONS = /lock|failed to update ref|atomic|stale info|fetch first|non-fast-forward|atomic push failed/i;

/**
 * Reads `git push --porcelain` output. Lines are `<flag>\t<from>:<to>\t<summary>`; `!` is a
 * rejected ref. An exit code without any ref line means the remote never answered.
 */
export function parsePushResult(exitCode: number, stdout: string, stderr: string): PushVerdict {
  const lines = stdout.split('\n').filter((line) => /^[ +\-*=!]\t/.test(line));
  const rejected = lines.filter((line) => line.startsWith('!'));
  if (exitCode === 0 && rejected.length === 0) return { kind: 'pushed' };
  if (rejected.length === 0) return { kind: 'unreachable', detail: lastLine(stderr) || `git push exited with ${exitCode}` };
  const reasons = rejected.map((line) => line.split('\t')[2] ?? '');
  const detail = reasons.join('; ');
  const local = reasons.every((reason) => reason.startsWith('[rejected]'));
  if (local || reasons.every((reason) => RACE_REASONS.test(reason))) return { kind: 'lost', detail };
  return { kind: 'refused', detail: `${detail}${stderr.trim() ? ` (${lastLine(stderr)})` : ''}` };
}

/** The line of git's stderr that says what went wrong (a `fatal:` line and its continuation). */
export function gitFailure(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('To ') && line !== 'Done');
  const fatal = lines.findIndex((line) => line.startsWith('fatal:'));
  if (fatal === -1) return lines.at(-1) ?? '';
  const line = lines[fatal] ?? '';
  return line.endsWith(':') && lines[fatal + 1] ? `${line} ${lines[fatal + 1]}` : line;
}

const lastLine = gitFailure;

/** Milliseconds to wait before the n-th retry (1-based) after the remote did not answer. */
export function backoffMs(retry: number, baseMs: number, random: () => number = Math.random): number {
  return Math.round(baseMs * 2 ** (retry - 1) * (0.75 + random() * 0.5));
}
