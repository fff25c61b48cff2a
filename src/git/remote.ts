// Git by intent against a remote. Each call returns what git answered (exit code and output)
// rather than throwing: the caller decides what a silent or refusing remote means and whether
// to try again (src/remote/remote-git.ts).
import type { Git } from './git.js';

export interface RemoteAnswer {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// NOTE: `--refmap=` and no tracking refs: several crewtree processes of one clone fetch at
// once, and git's opportunistic update of refs/remotes/* would make them fail on each other's
// ref locks. Objects are all a fetch needs to bring here.
const FETCH_FLAGS = ['--no-tags', '--no-write-fetch-head', '--refmap=', '--quiet'];

/** The URL of `remote`, or undefined when this clone has no remote of that name. */
export async function remoteUrl(git: Git, remote: string): Promise<string | undefined> {
  const result = await git.run(['remote', 'get-url', remote], { okExitCodes: [0, 2, 128] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** `git ls-remote`: the remote's refs matching `patterns` (exit 2: none matched). See parseLsRemote. */
export async function lsRemote(git: Git, remote: string, patterns: readonly string[]): Promise<RemoteAnswer> {
  return git.run(['ls-remote', remote, ...patterns], { okExitCodes: [0, 2, 128] });
}

/** Brings the objects of `refspecs` here; no local ref is written unless a refspec says so. */
export async function fetchObjects(git: Git, remote: string, refspecs: readonly string[], extra: readonly string[] = []): Promise<RemoteAnswer> {
  // NOTE: kept as a pack, never unpacked into loose objects one by one: another process of this
  // clone that finds the fetched commit must find its trees and blobs too (a pack appears whole).
  return git.run(['-c', 'fetch.unpackLimit=1', 'fetch', ...FETCH_FLAGS, ...extra, remote, ...refspecs], { okExitCodes: [0, 1, 128] });
}

/** `git push --porcelain` (see parsePushResult in src/remote/push-result.ts for its answer). */
export async function pushRefs(git: Git, remote: string, flags: readonly string[], refspecs: readonly string[]): Promise<RemoteAnswer> {
  return git.run(['push', '--porcelain', ...flags, remote, ...refspecs], { okExitCodes: [0, 1, 128] });
}

/** Whether the remote would accept this push (`--atomic`: as an atomic push); nothing changes there. */
export async function pushDryRun(git: Git, remote: string, refspec: string, options: { atomic?: boolean } = {}): Promise<RemoteAnswer> {
  return git.run(['push', '--dry-run', ...(options.atomic ? ['--atomic'] : []), '--porcelain', remote, refspec], { okExitCodes: [0, 1, 128] });
}
