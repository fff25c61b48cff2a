// bench/remote: claims per second and land latency against a loopback remote (git daemon) with
// 1, 3 and 6 clients (each its own clone, i.e. machine, driving the in-process API), beside the
// floor of a bare `git push --force-with-lease` of one commit to the same remote in the same run,
// and beside as many bare-git clients racing (fetch, commit-tree, push with a lease, again on a
// rejection) for the same number of commits.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { claimTask } from '../src/claims/claim.js';
import { land } from '../src/state/land.js';
import { readBase } from '../src/state/transaction.js';
import { isCrewError } from '../src/errors.js';
import { openWorkspace } from '../src/workflows/open-workspace.js';
import type { Workspace } from '../src/workspace.js';
import { crewBin, fmt, git, median, percentile, printTable, timeProcess } from './lib.js';

const TASKS = 200;
const LEVELS = [
  { clients: 1, claims: 20, lands: 6 },
  { clients: 3, claims: 10, lands: 4 },
  { clients: 6, claims: 6, lands: 3 },
];

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const root = mkdtempSync(join(tmpdir(), 'crewtree-bench-remote-'));
const srv = join(root, 'srv');
mkdirSync(srv);
git(root, 'init', '-q', '--bare', '-b', 'main', join(srv, 'p.git'));
const port = await freePort();
const url = `git://127.0.0.1:${port}/p.git`;
const daemon = spawn('git', ['daemon', '--export-all', '--enable=receive-pack', '--reuseaddr', `--base-path=${srv}`, '--listen=127.0.0.1', `--port=${port}`, srv], { stdio: 'ignore' });
for (let tries = 0; ; tries++) {
  try {
    execFileSync('git', ['ls-remote', url], { stdio: 'ignore' });
    break;
  } catch {
    if (tries > 100) throw new Error('git daemon did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function configure(dir: string): void {
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'user.name', 'bench');
}

const seed = join(root, 'seed');
git(root, 'init', '-q', '-b', 'main', seed);
configure(seed);
for (let i = 0; i < 200; i++) write(seed, `src/m${i % 10}/f${i}.js`, `export const v${i} = ${i};\n`);
timeProcess(process.execPath, [crewBin, 'init'], seed);
execFileSync('sed', ['-i', 's/^remote: null/remote: origin/', join(seed, '.crewtree/config.yaml')]);
for (let i = 1; i <= TASKS; i++) write(seed, `backlog/tasks/C${i}-task-${i}.md`, `---\nid: C${i}\ntitle: Task ${i}\nstatus: todo\npriority: medium\ntype: feat\nrole: developer\n---\n# Task ${i}\n`);
git(seed, 'add', '-A');
git(seed, 'commit', '-q', '-m', 'files, crewtree (remote: origin) and tasks');
git(seed, 'remote', 'add', 'origin', url);
git(seed, 'push', '-q', 'origin', 'main');

const clones: Workspace[] = [];
for (let n = 1; n <= 6; n++) {
  const dir = join(root, `m${n}`);
  git(root, 'clone', '-q', url, dir);
  configure(dir);
  clones.push(await openWorkspace(dir, { env: { CREWTREE_HOST: `m${n}` } }));
}

/** The floor: one commit on the remote's base pushed with a lease, as plain git does it. */
function bareGitPush(dir: string, n: number): number {
  const start = performance.now();
  git(dir, 'fetch', '-q', 'origin', 'main');
  const base = git(dir, 'rev-parse', 'FETCH_HEAD');
  const commit = git(dir, 'commit-tree', '-p', base, '-m', `floor ${n}`, `${base}^{tree}`);
  git(dir, 'push', '-q', `--force-with-lease=refs/heads/main:${base}`, 'origin', `${commit}:refs/heads/main`);
  return performance.now() - start;
}
const floorDir = join(root, 'floor');
git(root, 'clone', '-q', url, floorDir);
configure(floorDir);
const floor = median(Array.from({ length: 10 }, (_, n) => bareGitPush(floorDir, n)));

/** Bare git racing: `clients` clones each pushing `each` commits with a lease, fetching again after a rejection. */
async function bareRace(clients: number, each: number): Promise<number> {
  const dirs = Array.from({ length: clients }, (_, c) => {
    const dir = join(root, `bare-${clients}-${c}`);
    git(root, 'clone', '-q', url, dir);
    configure(dir);
    return dir;
  });
  const run = (dir: string, args: string[]) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.on('close', (code) => resolve({ code: code ?? 1, out: out.trim() }));
    });
  const began = performance.now();
  await Promise.all(
    dirs.map(async (dir, c) => {
      for (let won = 0; won < each; ) {
        await run(dir, ['fetch', '-q', 'origin', 'main']);
        const base = (await run(dir, ['rev-parse', 'FETCH_HEAD'])).out;
        const commit = (await run(dir, ['commit-tree', '-p', base, '-m', `bare ${c} ${won}`, `${base}^{tree}`])).out;
        if ((await run(dir, ['push', '-q', `--force-with-lease=refs/heads/main:${base}`, 'origin', `${commit}:refs/heads/main`])).code === 0) won++;
      }
    }),
  );
  return (clients * each) / ((performance.now() - began) / 1000);
}

/** A merge of one new file onto `base`, as the merge queue would have gated it. */
function codeCommit(ws: Workspace, base: string, name: string): string {
  const env = { ...process.env, GIT_INDEX_FILE: join(ws.commonDir, `bench-index-${name}`) };
  const run = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, env, encoding: 'utf8' }).trim();
  run('read-tree', base);
  const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: ws.root, input: `${name}\n`, encoding: 'utf8' }).trim();
  run('update-index', '--add', '--cacheinfo', `100644,${blob},src/landed/${name}.txt`);
  return run('commit-tree', '-p', base, '-m', `feat: ${name}`, run('write-tree'));
}

const rows: (string | number)[][] = [];
for (const level of LEVELS) {
  const clients = clones.slice(0, level.clients);
  const claimTimes: number[] = [];
  const began = performance.now();
  await Promise.all(
    clients.map(async (ws, c) => {
      for (let i = 0; i < level.claims; i++) {
        const start = performance.now();
        await claimTask(ws, { worker: `c${level.clients}-${c}`, pid: process.pid });
        claimTimes.push(performance.now() - start);
      }
    }),
  );
  const perSecond = (level.clients * level.claims) / ((performance.now() - began) / 1000);
  const barePerSecond = await bareRace(level.clients, level.claims);
  const landTimes: number[] = [];
  let rebuilds = 0;
  await Promise.all(
    clients.map(async (ws, c) => {
      for (let i = 0; i < level.lands; i++) {
        const claim = await claimTask(ws, { worker: `l${level.clients}-${c}`, pid: process.pid });
        const start = performance.now();
        for (;;) {
          const base = await readBase(ws);
          const merged = codeCommit(ws, base, `l${level.clients}-${c}-${i}`);
          try {
            await land(ws, { merged, onto: base, tasks: [{ id: claim.task.id, token: claim.lock.token, tip: merged, branch: claim.lock.branch }], message: `Merge ${claim.task.id}`, actor: 'bench' });
            break;
          } catch (error) {
            if (!isCrewError(error, 'base-moved')) throw error;
            rebuilds++; // NOTE: another client landed code meanwhile: rebuild on the new base, as the queue does
          }
        }
        landTimes.push(performance.now() - start);
      }
    }),
  );
  rows.push([
    level.clients,
    perSecond.toFixed(1),
    barePerSecond.toFixed(1),
    `${(perSecond / barePerSecond).toFixed(2)}x`,
    fmt(median(claimTimes)),
    fmt(percentile(claimTimes, 90)),
    `${(median(claimTimes) / floor).toFixed(1)}x`,
    fmt(median(landTimes)),
    fmt(percentile(landTimes, 90)),
    `${(median(landTimes) / floor).toFixed(1)}x`,
    rebuilds,
  ]);
}

printTable(
  `remote (git daemon on loopback, in-process API, one clone per client); floor: bare git fetch + commit-tree + push --force-with-lease = ${fmt(floor)}`,
  ['clients', 'claims/s', 'bare/s', 'vs bare', 'claim p50', 'claim p90', 'claim/floor', 'land p50', 'land p90', 'land/floor', 'rebuilds'],
  rows,
);
daemon.kill('SIGTERM');
rmSync(root, { recursive: true, force: true });
