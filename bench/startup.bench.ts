// bench/startup: what starting the CLI costs every command, beside `node -e ''` in the same run:
// `crew --version` (the entry alone), `crew next --help` and `crew task list` outside a repository
// (one command's modules loaded, no work done), then `crew task list` in a small repository and
// `crew claim <id>` there (real commands: config, backlog, git). Runs
// are interleaved so load on the machine hits all alike; CPU is the user+sys time of the whole
// process tree (the crew process and the git processes it waits for), read with bash's `times`,
// the figure that load from other processes disturbs least. Issue 11 item 4: `crew --version`
// within 2x `node -e ''`. `CREW_COMPARE=/path/to/other/bin/crew.js` adds the same commands run
// by another build (main before a change, say), interleaved with this one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crewBin, fmt, git, median, printTable, projectRoot, timeProcess } from './lib.js';

const RUNS = Number(process.env.STARTUP_RUNS ?? 21);
const TASKS = 20;

interface Step {
  name: string;
  args: (run: number) => string[];
  cwd: string;
  /** The exit code it ends with (a command run outside a repository fails). */
  code?: number;
}

/** Wall and CPU milliseconds of one process tree, through bash so its children's times are counted. */
function measure(args: string[], cwd: string, expectedCode = 0): { wall: number; cpu: number } {
  const start = performance.now();
  const result = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1; code=$?; times; exit $code', 'bash', process.execPath, ...args], { cwd, encoding: 'utf8' });
  const wall = performance.now() - start;
  if (result.status !== expectedCode) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  // `times` prints the shell's own user/sys, then its children's: `0m0.094s 0m0.028s`.
  const children = result.stdout.trim().split('\n').at(-1) ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, [, m, s]) => sum + Number(m) * 60 + Number(s), 0);
  return { wall, cpu: seconds * 1000 };
}

function smallRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-bench-startup-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'user.name', 'bench');
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  timeProcess(process.execPath, [crewBin, 'init'], dir);
  mkdirSync(join(dir, 'backlog', 'tasks'), { recursive: true });
  // Tasks enough for one claim per run, plus a small backlog left over.
  for (let i = 1; i <= RUNS + TASKS; i++) {
    writeFileSync(join(dir, 'backlog', 'tasks', `S${i}-task-${i}.md`), `---\nid: S${i}\ntitle: Task ${i}\nstatus: todo\npriority: medium\ntype: feat\n---\n# Task ${i}\n`);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'crewtree and tasks');
  return dir;
}

const builds: [string, string][] = [['crew', crewBin]];
if (process.env.CREW_COMPARE) builds.push(['other', process.env.CREW_COMPARE]);
// NOTE: one repository per build: builds may keep caches under .git/crewtree/ that the other's would discard.
const repos = builds.map(() => smallRepo());
// Where a command loads its modules, finds no repository and stops.
const outside = mkdtempSync(join(tmpdir(), 'crewtree-bench-outside-'));
const steps: Step[] = [{ name: "node -e ''", args: () => ['-e', ''], cwd: projectRoot }];
for (const [index, [label, bin]] of builds.entries()) {
  const repo = repos[index] ?? '';
  steps.push(
    { name: `${label} --version`, args: () => [bin, '--version'], cwd: projectRoot },
    { name: `${label} next --help`, args: () => [bin, 'next', '--help'], cwd: projectRoot },
    { name: `${label} task list, no repo`, args: () => [bin, 'task', 'list'], cwd: outside, code: 2 },
    { name: `${label} task list`, args: () => [bin, 'task', 'list'], cwd: repo },
    { name: `${label} claim <id>`, args: (run) => [bin, 'claim', `S${run + 1}`, '--worker', 'bench'], cwd: repo },
  );
}
try {
  const wall = new Map<string, number[]>(steps.map((step) => [step.name, []]));
  const cpu = new Map<string, number[]>(steps.map((step) => [step.name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const step of steps) {
      const figures = measure(step.args(run), step.cwd, step.code);
      wall.get(step.name)?.push(figures.wall);
      cpu.get(step.name)?.push(figures.cpu);
    }
  }
  const floorWall = median(wall.get("node -e ''") ?? []);
  const floorCpu = median(cpu.get("node -e ''") ?? []);
  printTable(
    `start-up, median of ${RUNS} interleaved runs each (CPU = user+sys of the process tree; claim includes its git processes)`,
    ['command', 'wall', 'x node -e', 'CPU', 'x node -e'],
    steps.map((step) => {
      const w = median(wall.get(step.name) ?? []);
      const c = median(cpu.get(step.name) ?? []);
      return [step.name, fmt(w), (w / floorWall).toFixed(2), fmt(c), (c / floorCpu).toFixed(2)];
    }),
  );
} finally {
  for (const dir of [...repos, outside]) rmSync(dir, { recursive: true, force: true });
}
