import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const crewBin = join(projectRoot, 'bin', 'crew.js');

export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  write(path: string, text: string): void;
  read(path: string): string;
  commitAll(message: string): string;
  cleanup(): void;
}

// The first repository of each kind in a test process is built with git (and `crew init`); the
// next ones are copies of it, which spare ten process starts each (the broken-file corpus alone
// builds over a hundred). A copy is a whole repository: its own .git, nothing shared.
const templates = new Map<string, string>();
process.on('exit', () => templates.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A real git repository in a temporary folder, with its own branch, user and config. */
export function tempRepo(options: { init?: boolean } = {}): TempRepo {
  const kind = options.init ? 'init' : 'plain';
  let template = templates.get(kind);
  if (template === undefined) {
    template = mkdtempSync(join(tmpdir(), `crewtree-template-${kind}-`));
    buildRepo(template, options.init === true);
    templates.set(kind, template);
  }
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-test-'));
  cpSync(template, dir, { recursive: true });
  const repo = repoAt(dir);
  // NOTE: a copied file has a new inode and ctime, so the copied index sees every file as
  // possibly changed until refreshed: crewtree's first checkout move would then refresh it
  // itself, one git call more than in the next command, and the crash-point tests count calls.
  repo.git('update-index', '-q', '--refresh');
  return repo;
}

function buildRepo(dir: string, init: boolean): void {
  const repo = repoAt(dir);
  repo.git('init', '-q', '-b', 'main');
  repo.git('config', 'user.name', 'Test User');
  repo.git('config', 'user.email', 'test@example.com');
  repo.git('config', 'commit.gpgsign', 'false');
  repo.write('README.md', '# test repo\n');
  repo.commitAll('initial commit');
  if (init) {
    runCrew(dir, ['init']);
    repo.commitAll('chore: set up crewtree');
  }
}

function repoAt(dir: string): TempRepo {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' } }).trim();
  return {
    dir,
    git,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    commitAll(message) {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    // NOTE: retried: a background worker that just finished may still be removing its worktree under .git.
    cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 }),
  };
}

export interface CrewRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, synchronously. */
/** Like runCrew, but keeps stderr of a run that succeeds too (warnings, notes). */
export function runCrewAll(cwd: string, args: string[], env: Record<string, string> = {}): CrewRun {
  const run = spawnSync(process.execPath, [crewBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

export function runCrew(cwd: string, args: string[], env: Record<string, string> = {}): CrewRun {
  try {
    const stdout = execFileSync(process.execPath, [crewBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
