// Reading a branch's commit from the files git keeps it in, without a git process. NOTE: a
// claim reads the base twice (before and inside the local lock); a `git rev-parse` each was a
// process spawn on every state change. Anything unusual (a symbolic ref, reftable, a peeled
// tag) falls back to git itself.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Git } from './git.js';
import { resolveCommit } from './objects.js';

const OID = /^[0-9a-f]{40}$/;

/** The oid a `packed-refs` file records for `ref`, if any. */
export function packedRefOid(packed: string, ref: string): string | undefined {
  for (const line of packed.split('\n')) {
    if (line.length === 41 + ref.length && line.endsWith(` ${ref}`) && OID.test(line.slice(0, 40))) return line.slice(0, 40);
  }
  return undefined;
}

/** The commit `ref` (a full name such as refs/heads/main) points at, or undefined when it does not exist. */
export async function readBranchCommit(git: Git, commonDir: string, ref: string): Promise<string | undefined> {
  if (!ref.startsWith('refs/heads/') || (await stat(join(commonDir, 'reftable')).catch(() => undefined))) return resolveCommit(git, ref);
  const loose = await readFile(join(commonDir, ref), 'utf8').catch(() => undefined);
  if (loose !== undefined) {
    const oid = loose.trim();
    return OID.test(oid) ? oid : resolveCommit(git, ref);
  }
  const packed = await readFile(join(commonDir, 'packed-refs'), 'utf8').catch(() => '');
  return packedRefOid(packed, ref);
}
