// Whether bubblewrap is here and works: found on PATH (or at a configured path) and able to make
// the namespaces crewtree asks for. A bwrap that is installed but refused user namespaces (a
// hardened kernel, a container without them) counts as missing, with the reason it gave.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { ProcessError, runProcess } from '../process/run.js';
import type { BubblewrapProbe } from './policy.js';

const PROBE_TIMEOUT_MS = 10_000;

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** `bwrap` on PATH, or `program` itself when it holds a slash. */
export async function locateProgram(program: string, pathVariable: string | undefined): Promise<string | undefined> {
  if (program.includes('/')) return isAbsolute(program) && (await executable(program)) ? program : undefined;
  for (const dir of (pathVariable ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, program);
    if (await executable(candidate)) return candidate;
  }
  return undefined;
}

/** The namespaces every sandboxed run uses, tried once with `true` inside. */
export const PROBE_ARGS = ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-user', '--unshare-pid', '--die-with-parent', '--', 'true'];

async function probe(program: string, pathVariable: string | undefined, platform: NodeJS.Platform): Promise<BubblewrapProbe> {
  if (platform !== 'linux') return { found: false, why: `bubblewrap is Linux only (this is ${platform})` };
  const path = await locateProgram(program, pathVariable);
  if (!path) return { found: false, why: program.includes('/') ? `${program} is not an executable file` : 'bwrap (bubblewrap) is not on PATH' };
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

/** Looks for a working bubblewrap once per process and program/PATH pair. */
export function findBubblewrap(options: { program?: string; pathVariable: string | undefined; platform?: NodeJS.Platform }): Promise<BubblewrapProbe> {
  const program = options.program ?? 'bwrap';
  const key = `${program}\0${options.pathVariable ?? ''}`;
  let found = probes.get(key);
  if (!found) {
    found = probe(program, options.pathVariable, options.platform ?? process.platform);
    probes.set(key, found);
  }
  return found;
}
