import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CrewError } from '../errors.js';
import { lsRemote, pushDryRun, remoteUrl } from '../git/remote.js';
import { baseRefName, type Workspace } from '../workspace.js';
import { gitFailure, parsePushResult } from './push-result.js';

export interface RemoteCheck {
  name: 'configured' | 'reachable' | 'base' | 'push' | 'atomic';
  ok: boolean;
  detail: string;
}

/**
 * What crewtree needs of the remote, in order: it is configured, it answers, it has the base
 * branch, it accepts a push to it and it supports atomic pushes. Stops at the first failure
 * (the later checks depend on it). Pushes are `--dry-run`: nothing changes on the remote.
 */
export async function checkRemote(ws: Workspace, remote: string): Promise<RemoteCheck[]> {
  const checks: RemoteCheck[] = [];
  const add = (check: RemoteCheck) => (checks.push(check), check.ok);
  const git = ws.git;
  const url = await remoteUrl(git, remote);
  if (!add({ name: 'configured', ok: url !== undefined, detail: url !== undefined ? `${remote} is ${url}` : `this clone has no remote named ${remote} (git remote add ${remote} <url>)` })) return checks;
  const ref = baseRefName(ws.config);
  const listed = await lsRemote(git, remote, [ref]);
  if (!add({ name: 'reachable', ok: listed.exitCode === 0, detail: listed.exitCode === 0 ? `${remote} answers` : `git ls-remote ${remote} failed: ${lastLine(listed.stderr)}` })) return checks;
  const oid = listed.stdout.split('\t')[0]?.trim();
  if (!add({ name: 'base', ok: Boolean(oid), detail: oid ? `${ref} is ${oid?.slice(0, 8)} on ${remote}` : `${remote} has no branch ${ws.config.base} (push it first: git push ${remote} ${ws.config.base})` })) return checks;
  const plain = await pushDryRun(git, remote, `${oid}:${ref}`);
  const plainVerdict = parsePushResult(plain.exitCode, plain.stdout, plain.stderr);
  if (!add({ name: 'push', ok: plainVerdict.kind === 'pushed', detail: plainVerdict.kind === 'pushed' ? `${remote} accepts pushes to ${ws.config.base}` : `${remote} does not accept a push to ${ws.config.base}: ${'detail' in plainVerdict ? plainVerdict.detail : ''}` })) return checks;
  const atomic = await pushDryRun(git, remote, `${oid}:${ref}`, { atomic: true });
  const atomicOk = atomic.exitCode === 0;
  add({ name: 'atomic', ok: atomicOk, detail: atomicOk ? `${remote} supports atomic pushes` : `${remote} does not support atomic pushes (git push --atomic): ${lastLine(atomic.stderr)}` });
  return checks;
}

function lastLine(text: string): string {
  return gitFailure(text) || 'no output';
}

/** A failed check as the error a user sees: what is missing and what to do. */
export function remoteProblem(remote: string, checks: readonly RemoteCheck[]): CrewError | undefined {
  const failed = checks.find((check) => !check.ok);
  if (!failed) return undefined;
  const hints: Record<RemoteCheck['name'], string> = {
    configured: `Add the remote (git remote add ${remote} <url>) or change remote: in .crewtree/config.yaml.`,
    reachable: `Check the URL and your access (git ls-remote ${remote}); crewtree retries a few times, then stops with nothing changed.`,
    base: `Push the base branch to ${remote} once, or set base: to a branch that exists there.`,
    push: `crewtree moves the base branch by pushing to it. If the team protects it, point base: at a dedicated state branch that crewtree may push to (see docs/remote.md).`,
    atomic: `crewtree needs atomic pushes to land several refs at once; use a server that supports them (git daemon, git http-backend, GitHub, GitLab and Gitea do).`,
  };
  return new CrewError('remote-failed', `The remote ${remote} cannot hold crewtree's state: ${failed.detail}.`, { hint: hints[failed.name] });
}

function markerFile(ws: Workspace): string {
  return join(ws.commonDir, 'crewtree', 'remote-checked');
}

/**
 * Checks the remote the first time this clone uses it (remembered in `.git/crewtree/`), and
 * throws the first thing that is missing. A remote that fails later is checked again.
 */
export async function ensureRemoteChecked(ws: Workspace, remote: string): Promise<void> {
  const key = `${remote} ${ws.config.base}\n`;
  if ((await readFile(markerFile(ws), 'utf8').catch(() => '')) === key) return;
  const problem = remoteProblem(remote, await checkRemote(ws, remote));
  if (problem) throw problem;
  await mkdir(join(ws.commonDir, 'crewtree'), { recursive: true });
  await writeFile(markerFile(ws), key);
}

export async function forgetRemoteCheck(ws: Workspace): Promise<void> {
  await writeFile(markerFile(ws), '').catch(() => undefined);
}
