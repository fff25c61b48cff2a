// Whether bubblewrap is here and works: found on PATH and able to make
// the namespaces crewtree asks for. A bwrap that is installed but refused user namespaces (a
// hardened kernel, a container without them) counts as missing, with the reason it gave.
import { findProgram } from '../process/find-program.js';
import { ProcessError, runProcess } from '../process/run.js';
import type { BubblewrapProbe } from './policy.js';

const PROBE_TIMEOUT_MS = 10_000;

/** The namespaces every sandboxed run uses, tried once with `true` inside. */
export const PROBE_ARGS = ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-user', '--unshare-pid', '--die-with-parent', '--', 'true'];

async function probe(pathVariable: string | undefined): Promise<BubblewrapProbe> {
  if (process.platform !== 'linux') return { found: false, why: `bubblewrap is Linux only (this is ${process.platform})` };
  const located = await findProgram('bwrap', '/', pathVariable);
  if ('error' in located) return { found: false, why: 'bwrap (bubblewrap) is not on PATH' };
  const path = located.file;
  const version = await runProcess(path, ['--version'], { cwd: '/', timeoutMs: PROBE_TIMEOUT_MS }).catch(() => undefined);
  const tried = await runProcess(path, PROBE_ARGS, { cwd: '/', timeoutMs: PROBE_TIMEOUT_MS }).catch((error: unknown) => ({
    exitCode: error instanceof ProcessError ? (error.exitCode ?? -1) : -1,
    stderr: error instanceof ProcessError ? error.stderr || error.message : String(error),
  }));
  if (tried.exitCode !== 0) {
    const said = tried.stderr.trim().split('\n').at(-1) ?? `exit ${tried.exitCode}`;
    return { found: false, why: `${path} cannot make a sandbox here (${said || `exit ${tried.exitCode}`})` };
  }
  return { found: true, path, version: version?.stdout.trim().replace(/^bubblewrap\s*/, '') || 'unknown version' };
}

const probes = new Map<string, Promise<BubblewrapProbe>>();

/** Looks for a working bubblewrap once per process and PATH. */
export function findBubblewrap(pathVariable: string | undefined): Promise<BubblewrapProbe> {
  const key = pathVariable ?? '';
  let found = probes.get(key);
  if (!found) {
    found = probe(pathVariable);
    probes.set(key, found);
  }
  return found;
}
