// A real git server on loopback for the remote tests: `git daemon` with receive-pack enabled
// serving one bare repository, and clones of it standing in for machines.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCrew, type TempRepo } from '../../helpers/temp-repo.js';

const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: gitEnv }).trim();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `git daemon` serving `<root>/srv/` on 127.0.0.1:<port>; stop and start it again on the same port. */
export class GitDaemon {
  private child: ChildProcess | undefined;

  constructor(
    readonly base: string,
    readonly port: number,
  ) {}

  url(name: string): string {
    return `git://127.0.0.1:${this.port}/${name}`;
  }

  async start(): Promise<void> {
    const child = spawn('git', ['daemon', '--export-all', '--enable=receive-pack', '--reuseaddr', `--base-path=${this.base}`, '--listen=127.0.0.1', `--port=${this.port}`, this.base], {
      env: gitEnv,
      stdio: 'ignore',
    });
    this.child = child;
    for (let tries = 0; tries < 100; tries++) {
      if (child.exitCode !== null) throw new Error(`git daemon exited with ${child.exitCode}`);
      try {
        execFileSync('git', ['ls-remote', this.url('probe.git')], { env: gitEnv, stdio: 'ignore' });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error('git daemon did not start');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = undefined;
  }
}

export interface Machine {
  name: string;
  repo: TempRepo;
}

export interface RemoteWorld {
  root: string;
  daemon: GitDaemon;
  /** The bare repository the daemon serves (the remote's own view, for assertions). */
  bare: string;
  machines: Machine[];
  /** git in the bare repository. */
  remoteGit(...args: string[]): string;
  cleanup(): Promise<void>;
}

export interface WorldOptions {
  machines: string[];
  /** Top-level keys of .crewtree/config.yaml to set besides `remote: origin` (value as YAML text). */
  config?: Record<string, string>;
  /** Files written and committed on main before the clones are made. */
  files?: Record<string, string>;
}

function asRepo(dir: string): TempRepo {
  const run = (...args: string[]) => git(dir, ...args);
  return {
    dir,
    git: run,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    commitAll(message) {
      run('add', '-A');
      run('commit', '-q', '--allow-empty', '-m', message);
      return run('rev-parse', 'HEAD');
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One bare remote with crewtree set up (`remote: origin`), served by git daemon, and a clone per machine. */
export async function remoteWorld(options: WorldOptions): Promise<RemoteWorld> {
  const root = mkdtempSync(join(tmpdir(), 'crewtree-remote-'));
  const srv = join(root, 'srv');
  mkdirSync(srv);
  const bare = join(srv, 'project.git');
  git(root, 'init', '-q', '--bare', '-b', 'main', bare);
  git(root, 'init', '-q', '--bare', '-b', 'main', join(srv, 'probe.git'));
  const daemon = new GitDaemon(srv, await freePort());
  await daemon.start();

  const seed = asRepo(join(root, 'seed'));
  git(root, 'init', '-q', '-b', 'main', seed.dir);
  configure(seed.dir);
  seed.write('README.md', '# remote test\n');
  seed.commitAll('initial commit');
  const init = runCrew(seed.dir, ['init']);
  if (init.code !== 0) throw new Error(`crew init failed: ${init.stderr}`);
  const configPath = '.crewtree/config.yaml';
  seed.write(configPath, setKeys(seed.read(configPath), { remote: 'origin', ...options.config }));
  for (const [path, text] of Object.entries(options.files ?? {})) seed.write(path, text);
  seed.commitAll('chore: set up crewtree with remote origin');
  git(seed.dir, 'remote', 'add', 'origin', daemon.url('project.git'));
  git(seed.dir, 'push', '-q', 'origin', 'main');

  const machines = options.machines.map((name) => {
    const dir = join(root, name);
    git(root, 'clone', '-q', daemon.url('project.git'), dir);
    configure(dir);
    return { name, repo: asRepo(dir) };
  });
  return {
    root,
    daemon,
    bare,
    machines,
    remoteGit: (...args) => git(bare, ...args),
    async cleanup() {
      await daemon.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The config text with each `key:` line replaced (or added), so a key never appears twice. */
function setKeys(text: string, keys: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(keys)) {
    const line = new RegExp(`^${key}:.*$`, 'm');
    out = line.test(out) ? out.replace(line, `${key}: ${value}`) : `${out.trimEnd()}\n${key}: ${value}\n`;
  }
  return out;
}

function configure(dir: string): void {
  git(dir, 'config', 'user.name', 'Test User');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
}

/** Adds tasks on the remote through a clone: written, committed and pushed from `via`. */
export function seedRemoteTasks(via: TempRepo, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) via.write(path, text);
  via.commitAll(`test: seed ${Object.keys(files).length} tasks`);
  via.git('push', '-q', 'origin', 'main');
}

/** Each clone's env: its own host name, so crewtree treats the clones as different machines. */
export function machineEnv(machine: Machine, extra: Record<string, string> = {}): Record<string, string> {
  return { CREWTREE_HOST: machine.name, ...extra };
}
