// Git by intent for refs: listing them under a prefix, reading one, and moving or deleting
// them, alone or several at once as one all-or-nothing transaction.
import type { Git } from './git.js';

/** As a compare-and-swap expectation: the ref must not exist yet. */
export const ZERO_OID = '0'.repeat(40);

/** `name -> oid` for every ref under `prefix` (names without the prefix), in one git call. */
export async function listRefs(git: Git, prefix: string): Promise<Map<string, string>> {
  const out = (await git.run(['for-each-ref', '--format=%(objectname) %(refname)', prefix])).stdout;
  const refs = new Map<string, string>();
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) refs.set(line.slice(space + 1 + prefix.length), line.slice(0, space));
  }
  return refs;
}

/** The full names of the refs under `prefix`. */
export async function listRefNames(git: Git, prefix: string): Promise<string[]> {
  return (await git.run(['for-each-ref', '--format=%(refname)', prefix])).stdout.split('\n').filter(Boolean);
}

/** Branches matching `pattern` (a glob under refs/heads/), most recently committed first. */
export async function branchesByRecency(git: Git, pattern: string): Promise<{ branch: string; tip: string }[]> {
  const listed = await git.text(['for-each-ref', '--sort=-committerdate', '--format=%(objectname) %(refname:lstrip=2)', `refs/heads/${pattern}`]);
  return listed
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [tip = '', branch = ''] = line.split(' ');
      return { branch, tip };
    });
}

/** The oid `ref` points at, or undefined when it does not exist. */
export async function readRef(git: Git, ref: string): Promise<string | undefined> {
  const result = await git.run(['rev-parse', '--verify', '--quiet', ref], { okExitCodes: [0, 1, 128] });
  return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

/** Points `ref` at `oid`, whatever it pointed at before. */
export async function setRef(git: Git, ref: string, oid: string): Promise<void> {
  await git.run(['update-ref', ref, oid]);
}

/** `git update-ref ref next expected`: moves the ref only if it still points at `expected`. */
export async function swapRef(git: Git, ref: string, next: string, expected: string, message: string): Promise<boolean> {
  const result = await git.run(['update-ref', '-m', `crewtree: ${message}`, ref, next, expected], { okExitCodes: [0, 1, 128] });
  return result.exitCode === 0;
}

/**
 * Deletes `ref` (only if it points at `expected`, when given). A failure throws, unless
 * `bestEffort`: then it is only reported by the result.
 */
export async function deleteRef(git: Git, ref: string, options: { expected?: string; bestEffort?: boolean } = {}): Promise<boolean> {
  const args = ['update-ref', '-d', ref, ...(options.expected ? [options.expected] : [])];
  const result = await git.run(args, options.bestEffort ? { okExitCodes: [0, 1] } : {});
  return result.exitCode === 0;
}

export type RefUpdate = { ref: string; to: string; from?: string } | { ref: string; delete: true; from: string };

/**
 * Several ref changes as one all-or-nothing transaction (`git update-ref --stdin`); each
 * `from` is the compare-and-swap expectation (ZERO_OID: the ref must not exist yet).
 * Returns false when any expectation failed or another process held a ref's lock.
 */
export async function updateRefs(git: Git, updates: readonly RefUpdate[], message: string): Promise<boolean> {
  const lines = updates.map((u) => ('delete' in u ? `delete ${u.ref} ${u.from}` : `update ${u.ref} ${u.to}${u.from ? ` ${u.from}` : ''}`));
  const result = await git.run(['update-ref', '-m', `crewtree: ${message}`, '--stdin'], { input: lines.join('\n') + '\n', okExitCodes: [0, 1, 128] });
  return result.exitCode === 0;
}
