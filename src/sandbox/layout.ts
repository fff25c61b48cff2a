// Reads, for one run, where the things a sandbox needs are: the worktree's git admin folder, its
// branch ref, the `.env` files, the CLI's login files; and prepares the private home.
import { copyFile, lstat, mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { readSetupFiles, worktreeGitDir } from '../worktree/setup-record.js';
import { exposedFolders, isInside, type SandboxLayout } from './bwrap-args.js';
import { findProgram } from '../process/find-program.js';
import { secretFiles } from './dotenv.js';
import { homeEntries, homeFolders } from './home.js';
import type { SandboxNetwork } from './policy.js';

type Env = Record<string, string | undefined>;

export interface LayoutRequest {
  agent: string;
  command: string;
  checkout: string;
  commonDir: string;
  worktreesFolder: string;
  worktree: string;
  scratch: string;
  /** The environment the agent gets before the sandbox changes it (for PATH and the real HOME). */
  env: Env;
  network: SandboxNetwork;
}

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

const real = (path: string) => realpath(path).catch(() => path);

/** The loose ref of the branch the worktree has checked out, and what shares its folder. */
async function branchLayout(commonDir: string, adminDir: string): Promise<SandboxLayout['branch']> {
  const head = await readFile(join(adminDir, 'HEAD'), 'utf8').catch(() => '');
  const ref = /^ref: (refs\/heads\/\S+)$/m.exec(head)?.[1];
  if (!ref || ref.split('/').includes('..')) return undefined;
  const refFile = join(commonDir, ref);
  const refDir = dirname(refFile);
  // NOTE: a packed branch has no loose folder yet; git would create it in a folder the sandbox keeps read-only.
  await mkdir(refDir, { recursive: true });
  const siblings = (await readdir(refDir)).filter((name) => name !== basename(refFile)).map((name) => join(refDir, name));
  const reflog = join(commonDir, 'logs', ref);
  return { refDir, siblings, reflog: (await exists(reflog)) ? reflog : undefined };
}

/** Host folders that stay visible read-only because the agent's programs live there. */
async function programs(request: LayoutRequest): Promise<string[]> {
  const path = request.env.PATH ?? '';
  const found = await findProgram(request.command, request.worktree, path);
  const entries = path.split(':').filter((entry) => isAbsolute(entry));
  const resolved = 'file' in found ? [found.file, await real(found.file)] : [];
  return [...entries, ...resolved, process.execPath];
}

/**
 * NOTE: npm puts every ancestor's `node_modules/.bin` on PATH (`/tmp/node_modules/.bin` for a
 * clone in /tmp) whether or not it exists; bubblewrap refuses to bind a missing source.
 */
async function existing(folders: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const folder of folders) if (await exists(folder)) found.push(folder);
  return found;
}

export async function gatherLayout(request: LayoutRequest): Promise<SandboxLayout> {
  const worktree = await real(request.worktree);
  const checkout = await real(request.checkout);
  const commonDir = await real(request.commonDir);
  const scratch = await real(request.scratch);
  const adminDir = await real((await worktreeGitDir(worktree)) ?? join(commonDir, 'worktrees', basename(worktree)));
  const realHome = request.env.HOME && isAbsolute(request.env.HOME) ? await real(request.env.HOME) : undefined;
  const hidden = ['/tmp'];
  if (realHome && realHome !== '/' && !['/usr', '/bin', '/etc', '/opt', '/var'].some((system) => isInside(system, realHome))) hidden.push(realHome);

  const home = join(scratch, 'home');
  await mkdir(home, { recursive: true });
  for (const folder of homeFolders(request.agent, request.env)) await mkdir(join(home, folder), { recursive: true });
  const tmpDir = join(scratch, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const emptyFile = join(scratch, '.crewtree-empty');
  await writeFile(emptyFile, '');
  const homeFiles: SandboxLayout['homeFiles'] = [];
  for (const entry of homeEntries(request.agent, request.env)) {
    if (!(await exists(entry.source))) continue;
    const target = join(home, entry.target);
    await mkdir(dirname(target), { recursive: true });
    if (entry.copy) await copyFile(entry.source, target);
    else homeFiles.push({ source: entry.source, target });
  }
  const secrets = await secretFiles(checkout, worktree, await readSetupFiles(worktree));
  const present: string[] = [];
  for (const file of secrets) if (await exists(file)) present.push(file);

  // NOTE: a TMPDIR of the user's own (agents.<name>.env) stays theirs to share; /tmp itself stays private.
  const tmp = request.env.TMPDIR && isAbsolute(request.env.TMPDIR) ? await real(request.env.TMPDIR) : undefined;
  const writable = tmp && tmp !== '/tmp' && tmp !== '/' && !isInside(tmp, scratch) && (await exists(tmp)) ? [tmp] : [];
  return {
    worktree,
    writable,
    checkout,
    worktreesFolder: join(checkout, request.worktreesFolder),
    commonDir,
    adminDir,
    worktreeConfig: (await exists(join(adminDir, 'config.worktree'))) ? join(adminDir, 'config.worktree') : undefined,
    branch: await branchLayout(commonDir, adminDir),
    scratch,
    home,
    tmp: tmpDir,
    hidden,
    exposed: await existing(exposedFolders(await programs(request), hidden, [checkout, commonDir])),
    homeFiles,
    secretFiles: present,
    emptyFile,
    network: request.network,
  };
}
