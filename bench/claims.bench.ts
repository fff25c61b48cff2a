// bench/claims: how long a claim takes with 1, 4 and 16 claimers at once (whole `crew claim --next`
// processes) on a 2,000-file repository with main checked out, beside the floor of a bare
// `git commit-tree` + `git update-ref` pair run the same way in the same run; then the in-process
// API (claimTask) to separate Node start-up from crewtree's own work.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crewBin, fmt, git, median, percentile, printTable, projectRoot, timeProcess } from './lib.js';

const FILES = 2000;
const TASKS = 400;
const LEVELS = [
  { claimers: 1, each: 30 },
  { claimers: 4, each: 12 },
  { claimers: 16, each: 5 },
];

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function benchRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-bench-claims-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'user.name', 'bench');
  for (let i = 0; i < FILES; i++) write(dir, `src/m${i % 40}/f${i}.js`, `export const v${i} = ${i};\n`);
  timeProcess(process.execPath, [crewBin, 'init'], dir);
  for (let i = 1; i <= TASKS; i++) {
    write(dir, `backlog/tasks/C${i}-task-${i}.md`, `---\nid: C${i}\ntitle: Task ${i}\nstatus: todo\npriority: medium\ntype: feat\nrole: developer\n---\n# Task ${i}\n\n- [ ] done\n`);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'files, crewtree and tasks');
  return dir;
}

/** Wall time of one process, run without blocking the others running at the same time. */
function timed(file: string, args: string[], cwd: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${file} ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/** `claimers` loops at once, each running `step` `each` times; every step's wall time. */
async function concurrently(claimers: number, each: number, step: (loop: number) => Promise<number>): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: claimers }, async (_, loop) => {
      for (let i = 0; i < each; i++) times.push(await step(loop));
    }),
  );
  return times;
}

/** The bare floor: one commit object and one compare-and-swap of a ref, as two git processes. */
async function floorPair(dir: string, ref: string): Promise<number> {
  const head = git(dir, 'rev-parse', ref);
  const start = performance.now();
  const commit = await new Promise<string>((resolve, reject) => {
    const child = spawn('git', ['commit-tree', `${head}^{tree}`, '-p', head, '-m', 'floor'], { cwd: dir });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error('commit-tree failed'))));
  });
  await new Promise<void>((resolve, reject) => {
    spawn('git', ['update-ref', ref, commit, head], { cwd: dir }).on('close', (code) => (code === 0 ? resolve() : reject(new Error('update-ref failed'))));
  });
  return performance.now() - start;
}

const dir = benchRepo();
try {
  const rows: string[][] = [];
  for (const { claimers, each } of LEVELS) {
    const crew = await concurrently(claimers, each, (loop) => timed(process.execPath, [crewBin, 'claim', '--next', '--worker', `b${loop}`], dir));
    for (let loop = 0; loop < claimers; loop++) git(dir, 'update-ref', `refs/bench/floor-${loop}`, 'main');
    const floor = await concurrently(claimers, each, (loop) => floorPair(dir, `refs/bench/floor-${loop}`));
    rows.push([
      String(claimers),
      String(crew.length),
      fmt(median(crew)),
      fmt(percentile(crew, 95)),
      fmt(median(floor)),
      fmt(percentile(floor, 95)),
      (median(crew) / median(floor)).toFixed(1),
    ]);
  }
  const node = await concurrently(1, 7, () => timed(process.execPath, ['-e', '0'], dir));
  const help = await concurrently(1, 7, () => timed(process.execPath, [crewBin, 'claim', '--help'], dir));
  printTable(`crew claim --next on ${FILES} files + ${TASKS} tasks, main checked out (wall time per claim)`, [
    'claimers',
    'claims',
    'median',
    'p95',
    'floor median',
    'floor p95',
    'ratio (median)',
  ], rows);

  // In-process: the same claims through the API, so start-up is out of the picture.
  const api = (path: string) => import(pathToFileURL(join(projectRoot, 'dist', path)).href);
  const { openWorkspace } = (await api('workflows/open-workspace.js')) as typeof import('../src/workflows/open-workspace.js');
  const { claimTask } = (await api('claims/claim.js')) as typeof import('../src/claims/claim.js');
  const ws = await openWorkspace(dir, { env: {} });
  const inProcess: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    await claimTask(ws, { worker: 'api', pid: process.pid });
    inProcess.push(performance.now() - start);
  }
  const floor = await concurrently(1, 30, () => floorPair(dir, 'refs/bench/floor-0'));
  printTable('where the time goes (1 claimer)', ['what', 'median', 'p95', 'ratio to floor'], [
    ['claimTask() in process (no start-up)', fmt(median(inProcess)), fmt(percentile(inProcess, 95)), (median(inProcess) / median(floor)).toFixed(1)],
    ['bare commit-tree + update-ref', fmt(median(floor)), fmt(percentile(floor, 95)), '1.0'],
    ['node -e 0 (Node start-up)', fmt(median(node)), fmt(percentile(node, 95)), (median(node) / median(floor)).toFixed(1)],
    ['crew claim --help (start-up, claim modules)', fmt(median(help)), fmt(percentile(help, 95)), (median(help) / median(floor)).toFixed(1)],
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
