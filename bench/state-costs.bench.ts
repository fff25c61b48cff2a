// bench/state-costs: whether a state commit's cost stays flat as history and the backlog grow
// (issue 11 item 3). Whole `crew` processes on a repository with main checked out:
//   - a claim with an empty task log and with a 50,000-line one: wall time and the bytes of
//     new blobs the claim's commit adds (goal: at most 64 KiB, at most 1.3x the empty log);
//   - a claim and `crew task add` with 100 and with 10,000 tasks (goal: within 1.3x);
//   - `crew next`, `status`, `board` and `log` at 10,000 tasks (goal: under 300 ms);
// beside the floor measured in the same run: `node -e ''` and a bare commit-tree + update-ref.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crewBin, fmt, git, median, printTable, timeProcess } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LOG_LINES = 50_000;

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function task(i: number, extra = ''): string {
  return `---\nid: C${i}\ntitle: Task ${i}\nstatus: todo\npriority: medium\ntype: feat\nrole: developer\n${extra}---\n# Task ${i}\n\n- [ ] done\n`;
}

function repoWith(tasks: number, logLines: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-bench-state-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'user.name', 'bench');
  timeProcess(process.execPath, [crewBin, 'init'], dir);
  for (let i = 1; i <= tasks; i++) write(dir, `backlog/tasks/C${i}-task-${i}.md`, task(i, i % 50 === 0 ? `paths: [src/m${i % 7}/**]\n` : ''));
  const line = (n: number) => `2025-12-02 11:03:23 UTC | codex-dev | C${1 + (n % tasks)} | gate-passed | npm test passed in 12.3 s on attempt 1 of 3, branch ai/codex-dev/C${n}\n`;
  write(dir, 'backlog/task.log', Array.from({ length: logLines }, (_, n) => line(n)).join(''));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'bench backlog');
  return dir;
}

/** Bytes of blobs reachable from `to` and not from `from`. */
function newBlobBytes(dir: string, from: string, to: string): number {
  const objects = execFileSync('git', ['rev-list', '--objects', `${from}..${to}`], { cwd: dir, encoding: 'utf8' });
  const oids = objects.split('\n').filter(Boolean).map((line) => line.slice(0, 40));
  const sizes = execFileSync('git', ['cat-file', '--batch-check=%(objecttype) %(objectsize)'], { cwd: dir, input: oids.join('\n') + '\n', encoding: 'utf8' });
  return sizes.split('\n').filter((line) => line.startsWith('blob ')).reduce((sum, line) => sum + Number(line.split(' ')[1]), 0);
}

/** Median wall time of `RUNS` claims (each of the next task), and the new blob bytes of the last. */
function claims(dir: string, first: number): { ms: number; bytes: number } {
  const times: number[] = [];
  let bytes = 0;
  // NOTE: one claim first, untimed: it may move a long legacy task.log into an archived part once.
  timeProcess(process.execPath, [crewBin, 'claim', `C${first}`, '--worker', 'w1'], dir);
  for (let i = 1; i <= RUNS; i++) {
    const before = git(dir, 'rev-parse', 'main');
    times.push(timeProcess(process.execPath, [crewBin, 'claim', `C${first + i}`, '--worker', 'w1'], dir));
    bytes = Math.max(bytes, newBlobBytes(dir, before, 'main'));
  }
  return { ms: median(times), bytes };
}

function taskAdds(dir: string): number {
  const times: number[] = [];
  for (let i = 1; i <= RUNS; i++) times.push(timeProcess(process.execPath, [crewBin, 'task', 'add', `Bench task ${i}`], dir));
  return median(times);
}

function reads(dir: string, args: string[]): number {
  timeProcess(process.execPath, [crewBin, ...args], dir); // warms the parse cache, as any earlier command does
  const times: number[] = [];
  for (let i = 1; i <= RUNS; i++) times.push(timeProcess(process.execPath, [crewBin, ...args], dir));
  return median(times);
}

function floor(dir: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const head = git(dir, 'rev-parse', 'main');
    const start = performance.now();
    const commit = git(dir, 'commit-tree', `${head}^{tree}`, '-p', head, '-m', 'floor');
    git(dir, 'update-ref', 'refs/heads/floor', commit);
    times.push(performance.now() - start);
  }
  return median(times);
}

const dirs: string[] = [];
try {
  const emptyLog = repoWith(100, 0);
  const longLog = repoWith(100, LOG_LINES);
  const big = repoWith(10_000, 0);
  dirs.push(emptyLog, longLog, big);
  const nodeFloor = median(Array.from({ length: RUNS }, () => timeProcess(process.execPath, ['-e', ''], emptyLog)));
  const gitFloor = floor(emptyLog);
  const small = claims(emptyLog, 1);
  const long = claims(longLog, 1);
  const large = claims(big, 1);
  printTable(
    `a claim: task-log length and backlog size (median of ${RUNS}; floors: node -e '' ${fmt(nodeFloor)}, bare commit-tree + update-ref ${fmt(gitFloor)})`,
    ['repository', 'claim', 'new blobs', 'x 100 tasks, empty log', 'goal'],
    [
      ['100 tasks, empty log', fmt(small.ms), `${(small.bytes / 1024).toFixed(1)} KiB`, '1.00', 'baseline'],
      [`100 tasks, ${LOG_LINES.toLocaleString('en')}-line log`, fmt(long.ms), `${(long.bytes / 1024).toFixed(1)} KiB`, (long.ms / small.ms).toFixed(2), '<= 1.3x, <= 64 KiB'],
      ['10,000 tasks, empty log', fmt(large.ms), `${(large.bytes / 1024).toFixed(1)} KiB`, (large.ms / small.ms).toFixed(2), '<= 1.3x'],
    ],
  );
  const addSmall = taskAdds(emptyLog);
  const addLarge = taskAdds(big);
  printTable(`crew task add (median of ${RUNS})`, ['tasks', 'task add', 'x 100 tasks', 'goal'], [
    ['100', fmt(addSmall), '1.00', 'baseline'],
    ['10,000', fmt(addLarge), (addLarge / addSmall).toFixed(2), '<= 1.3x'],
  ]);
  const rows = [['next'], ['next', '--json'], ['status'], ['board'], ['log'], ['log', 'C7']].map((args) => {
    const ms = reads(big, args);
    return [`crew ${args.join(' ')}`, fmt(ms), (ms / nodeFloor).toFixed(2), ms < 300 ? 'under 300 ms' : 'over 300 ms'];
  });
  printTable(`reads at 10,000 tasks (200 with paths:, ${RUNS + 6} held), median of ${RUNS}`, ['command', 'time', "x node -e ''", 'goal: < 300 ms'], rows);
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
