// bench/backlog: how long a user with 1,000 or 10,000 tasks waits for `crew task list --json`
// and `crew next`, whole processes, beside `cat` of the same files, `node -e 0` (the floor of
// any Node CLI) and, when it installs here, Backlog.md's own `backlog task list --plain`.
// Task files are written in Backlog.md 1.52's format so both tools read the very same files.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { crewBin, fmt, git, median, printTable, timeProcess } from './lib.js';

const RUNS = 5;
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const BACKLOG_MD_VERSION = '1.52.0';

/** A small deterministic generator, so every run measures the same backlog. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = ['add', 'fix', 'event', 'registration', 'list', 'endpoint', 'login', 'cache', 'report', 'export', 'user', 'billing', 'search', 'index', 'retry', 'queue'];

/** One task file: 30% done, 5% in progress (with a crewtree lock), the rest to do; each depends on up to two earlier tasks. */
function taskFile(number: number, next: () => number, count: number): { name: string; text: string } {
  const title = Array.from({ length: 3 + Math.floor(next() * 4) }, () => words[Math.floor(next() * words.length)]).join(' ');
  const status = number <= count * 0.3 ? 'Done' : next() < 0.07 ? 'In Progress' : 'To Do';
  const dependencies = number === 1 ? [] : [...new Set(Array.from({ length: Math.floor(next() * 3) }, () => `TASK-${1 + Math.floor(next() * (number - 1))}`))];
  const priority = ['high', 'medium', 'low'][Math.floor(next() * 3)];
  const lines = ['---', `id: TASK-${number}`, `title: ${title}`, `status: ${status}`, 'assignee: []', "created_date: '2025-06-09 10:00'", 'labels: [backend]'];
  lines.push(dependencies.length === 0 ? 'dependencies: []' : `dependencies:\n${dependencies.map((id) => `  - ${id}`).join('\n')}`);
  lines.push(`priority: ${priority}`, `ordinal: ${number * 1000}`);
  if (status === 'In Progress') {
    lines.push('lock:', '  worker: codex-dev', '  token: 5f1c9e2a', `  branch: ai/codex-dev/TASK-${number}`, `  worktree: .worktrees/ai/codex-dev/TASK-${number}`, '  host: laptop', '  pid: 4242', '  since: 2025-12-02T11:03:23Z');
  }
  lines.push('---', '', '## Description', '', `Task ${number}: ${title}. Keep the existing behaviour; add tests.`, '', '## Acceptance Criteria', '', '- [ ] #1 it works', '- [ ] #2 it is tested', '');
  return { name: `task-${number} - ${title.replace(/ /g, '-')}.md`, text: lines.join('\n') };
}

function makeRepo(count: number): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), `crewtree-bench-${count}-`));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@example.com');
  mkdirSync(join(dir, 'backlog', 'tasks'), { recursive: true });
  writeFileSync(
    join(dir, 'backlog', 'config.yml'),
    'project_name: "bench"\ndefault_status: "To Do"\nstatuses: ["To Do", "In Progress", "Done"]\nlabels: []\ndate_format: yyyy-mm-dd\nauto_open_browser: false\nremote_operations: false\nauto_commit: false\ncheck_active_branches: false\ntask_prefix: "task"\n',
  );
  const next = random(count);
  const files: string[] = [];
  for (let number = 1; number <= count; number++) {
    const file = taskFile(number, next, count);
    writeFileSync(join(dir, 'backlog', 'tasks', file.name), file.text);
    files.push(join('backlog', 'tasks', file.name));
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `bench: ${count} tasks`);
  return { dir, files };
}

/** Backlog.md's CLI in a temporary folder (never a project dependency), or why it is not there. */
function backlogMdCli(): { bin?: string; why?: string } {
  const prefix = join(tmpdir(), `crewtree-bench-backlog.md-${BACKLOG_MD_VERSION}`);
  const bin = join(prefix, 'node_modules', '.bin', 'backlog');
  if (!existsSync(bin)) {
    const install = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `backlog.md@${BACKLOG_MD_VERSION}`], { encoding: 'utf8', timeout: 300_000 });
    if (install.status !== 0) return { why: `npm install backlog.md@${BACKLOG_MD_VERSION} failed: ${(install.stderr || install.error?.message || '').trim().split('\n').slice(-2).join(' ')}` };
  }
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (version.status !== 0) return { why: `backlog --version failed: ${(version.stderr || version.error?.message || '').trim()}` };
  return { bin };
}

interface Sample {
  wall: number;
  /** User + system CPU time of the process, when /usr/bin/time is there to measure it. */
  cpu: number | undefined;
}

const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One whole-process run: wall time, and CPU time (steadier than wall time on a busy machine). */
function sample(file: string, args: string[], cwd: string): Sample {
  if (!gnuTime) return { wall: timeProcess(file, args, cwd), cpu: undefined };
  const start = performance.now();
  const result = spawnSync(gnuTime, ['-f', 'cpu %U %S', file, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = performance.now() - start;
  if (result.status !== 0 && result.status !== 3) throw new Error(`${file} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const times = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  return { wall, cpu: times ? (Number(times[1]) + Number(times[2])) * 1000 : undefined };
}

interface Measured {
  name: string;
  run: () => Sample;
  samples: Sample[];
}

/**
 * Runs every command once per round, RUNS rounds: load from other processes then falls on all
 * of them alike, and the ratios stay meaningful. Medians of wall and CPU time.
 */
function measureInterleaved(commands: Omit<Measured, 'samples'>[]): { name: string; wall: number; cpu: number | undefined }[] {
  const measured: Measured[] = commands.map((command) => ({ ...command, samples: [] }));
  for (let round = 0; round < RUNS; round++) for (const command of measured) command.samples.push(command.run());
  return measured.map((command) => {
    const cpus = command.samples.map((s) => s.cpu).filter((cpu): cpu is number => cpu !== undefined);
    return { name: command.name, wall: median(command.samples.map((s) => s.wall)), cpu: cpus.length > 0 ? median(cpus) : undefined };
  });
}

const backlogMd = backlogMdCli();
const [nodeFloor] = measureInterleaved([{ name: 'node -e 0', run: () => sample(process.execPath, ['-e', '0'], tmpdir()) }]);
console.log(`node -e 0 (start-up floor of any Node CLI): ${fmt(nodeFloor?.wall ?? 0)} wall, ${fmt(nodeFloor?.cpu ?? 0)} CPU; medians of ${RUNS} runs`);
console.log(`load average at start: ${loadavg().map((load) => load.toFixed(1)).join(' ')} on ${cpus().length} cores`);
if (!backlogMd.bin) console.log(`Backlog.md: not measured (${backlogMd.why})`);

for (const count of SIZES) {
  const { dir, files } = makeRepo(count);
  try {
    const listed = JSON.parse(execFileSync(process.execPath, [crewBin, 'task', 'list', '--json'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 })) as unknown[];
    const pick = spawnSync(process.execPath, [crewBin, 'next'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 }).stdout.split('\n')[0];
    const cacheDir = join(dir, '.git', 'crewtree', 'cache');
    const commands: Omit<Measured, 'samples'>[] = [
      { name: 'cat of the task files', run: () => sample('cat', files, dir) },
      {
        name: 'crew task list --json, cold (no parse cache)',
        run: () => {
          rmSync(cacheDir, { recursive: true, force: true });
          return sample(process.execPath, [crewBin, 'task', 'list', '--json'], dir);
        },
      },
      { name: 'crew task list --json', run: () => sample(process.execPath, [crewBin, 'task', 'list', '--json'], dir) },
      { name: 'crew next', run: () => sample(process.execPath, [crewBin, 'next'], dir) },
    ];
    if (backlogMd.bin) {
      const bin = backlogMd.bin;
      commands.push({ name: `backlog task list --plain (Backlog.md ${BACKLOG_MD_VERSION})`, run: () => sample(bin, ['task', 'list', '--plain'], dir) });
    }
    // NOTE: the cold run removes the cache and, like any read, writes it back for the next ones.
    const results = measureInterleaved(commands);
    const cat = results[0];
    const ratio = (value: number | undefined, base: number | undefined) => (value !== undefined && base ? `${(value / base).toFixed(1)}x` : '-');
    const rows = results.map((result) => [result.name, fmt(result.wall), ratio(result.wall, cat?.wall), result.cpu === undefined ? '-' : fmt(result.cpu), ratio(result.cpu, cat?.cpu)]);
    let note = '';
    if (backlogMd.bin) {
      // NOTE: into a file: read through a pipe, Backlog.md's output is cut off at a random point.
      const listing = join(dir, '.git', 'backlog-md-listing.txt');
      const out = openSync(listing, 'w');
      spawnSync(backlogMd.bin, ['task', 'list', '--plain'], { cwd: dir, stdio: ['ignore', out, 'ignore'] });
      closeSync(out);
      const seen = new Set(readFileSync(listing, 'utf8').match(/TASK-\d+/g) ?? []).size;
      const ours = results.find((result) => result.name === 'crew task list --json');
      const theirs = results[results.length - 1];
      note = `\nBacklog.md listed ${seen} tasks. crew task list --json / backlog task list --plain: wall ${((ours?.wall ?? 0) / (theirs?.wall ?? 1)).toFixed(2)}, CPU ${ratio(ours?.cpu, theirs?.cpu)}`;
    }
    printTable(`${count} task files (${listed.length} listed by crew; ${pick}); load average now ${loadavg()[0]?.toFixed(1)}`, ['command', 'wall', 'vs cat', 'CPU', 'vs cat'], rows);
    if (note) console.log(note.trim());
  } finally {
    // NOTE: BENCH_KEEP=1 keeps the repositories, to profile a command in them.
    if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
