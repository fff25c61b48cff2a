// bench/merge-queue: 16 branches ready at once, a gate that takes T seconds (`sleep T`), a
// fraction p of branches that break the build once merged. Serial landing (one merge, one gate,
// one landing at a time) against the batching merge queue, side by side: drain time and gate
// runs, and the throughput ratio. Fixed seeds choose which branches are bad (each with
// probability p). The queue runs twice: with a gate whose failure names the broken file (as
// compilers and test runners do) and with one that only says it failed (pure bisection).
//
//   npx tsx bench/run.ts merge-queue
//   BENCH_SEEDS=1,2,3 BENCH_P=0,0.1,0.25 BENCH_GATE_SECONDS=1 BENCH_BATCH=4 npx tsx bench/run.ts merge-queue
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { claimTask } from '../src/claims/claim.js';
import { buildTree, createCommit } from '../src/git/objects.js';
import { SerialLander } from '../src/landing/serial-lander.js';
import { enqueue, runQueue } from '../src/merge-queue/index.js';
import { openWorkspace } from '../src/workflows/open-workspace.js';
import type { Workspace } from '../src/workspace.js';
import { fmt, printTable } from './lib.js';

const BRANCHES = 16;
const FRACTIONS = (process.env.BENCH_P ?? '0,0.1,0.25').split(',').map(Number);
const SEEDS = (process.env.BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
const GATE_SECONDS = Number(process.env.BENCH_GATE_SECONDS ?? 1);
const BATCH = Number(process.env.BENCH_BATCH ?? 4);

/** mulberry32: a tiny seeded generator, so every run picks the same bad branches. */
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

function badBranches(seed: number, p: number): Set<number> {
  const next = random(seed * 1000 + Math.round(p * 100));
  const bad = new Set<number>();
  for (let i = 1; i <= BRANCHES; i++) if (next() < p) bad.add(i);
  return bad;
}

interface Setup {
  dir: string;
  runsFile: string;
  ws: Workspace;
  branches: { id: string; title: string; tip: string; lock: Awaited<ReturnType<typeof claimTask>>['lock']; task: Awaited<ReturnType<typeof claimTask>>['task'] }[];
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** A repository with 16 claimed tasks, each with a branch; main then moves (so every merge needs a gate). */
async function setUp(bad: Set<number>, quiet: boolean): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-bench-queue-'));
  const runsFile = join(dir, '.git', 'gate-runs.log');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@example.com');
  // NOTE: `grep` prints the BAD file it finds, like a linter naming the file it fails on.
  const gate = `echo run >> ${runsFile}; sleep ${GATE_SECONDS}; ! ls -A | grep ${quiet ? '-q ' : ''}'^BAD'`;
  write(dir, '.crewtree/config.yaml', `gate: [${JSON.stringify(gate)}]\nmerge:\n  batch: ${BATCH}\nsetup:\n  link: []\n`);
  for (let i = 1; i <= BRANCHES; i++) {
    write(dir, `backlog/tasks/T${i}-task-${i}.md`, `---\nid: T${i}\ntitle: Task ${i}\nstatus: todo\npriority: medium\ntype: feat\n---\n# Task ${i}\n`);
  }
  write(dir, 'backlog/task.log', '');
  write(dir, 'README.md', '# bench\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'bench: seed');
  const ws = await openWorkspace(dir);
  const branches: Setup['branches'] = [];
  for (let i = 1; i <= BRANCHES; i++) {
    const claim = await claimTask(ws, { id: `T${i}`, worker: `w${i}`, pid: process.pid });
    const files = new Map<string, string>([[`src/t${i}.txt`, `work of T${i}\n`]]);
    if (bad.has(i)) files.set(`BAD-T${i}`, 'breaks the build\n');
    const tip = await createCommit(ws.git, await buildTree(ws.git, claim.commit, files), [claim.commit], `feat(T${i}): Task ${i}\n\nTask: T${i}\n`);
    git(dir, 'update-ref', `refs/heads/${claim.lock.branch}`, tip);
    branches.push({ id: `T${i}`, title: claim.task.title, tip, lock: claim.lock, task: claim.task });
  }
  write(dir, 'moved.txt', 'main moved on\n');
  git(dir, 'add', 'moved.txt');
  git(dir, 'commit', '-q', '-m', 'chore: main moved on');
  return { dir, runsFile, ws, branches };
}

function gateRuns(setup: Setup): number {
  return existsSync(setup.runsFile) ? readFileSync(setup.runsFile, 'utf8').split('\n').filter(Boolean).length : 0;
}

interface Measured {
  ms: number;
  gates: number;
  landed: number;
}

async function serial(bad: Set<number>): Promise<Measured> {
  const setup = await setUp(bad, false);
  try {
    const lander = new SerialLander(setup.ws);
    let landed = 0;
    const started = performance.now();
    for (const b of setup.branches) {
      const outcome = await lander.land({ task: b.task, lock: b.lock, tip: b.tip, env: {}, gateCommands: setup.ws.config.gate, runDir: join(setup.dir, '.git', 'runs', b.id) });
      if (outcome.kind === 'landed') landed++;
    }
    return { ms: performance.now() - started, gates: gateRuns(setup), landed };
  } finally {
    rmSync(setup.dir, { recursive: true, force: true });
  }
}

async function queue(bad: Set<number>, quiet: boolean): Promise<Measured> {
  const setup = await setUp(bad, quiet);
  try {
    const started = performance.now();
    for (const b of setup.branches) await enqueue(setup.ws, { task: b.task, lock: b.lock, tip: b.tip, gateCommands: setup.ws.config.gate });
    const summary = await runQueue(setup.ws, { runner: 'bench' });
    const landed = summary.results.filter((r) => r.kind === 'landed').length;
    return { ms: performance.now() - started, gates: gateRuns(setup), landed };
  } finally {
    rmSync(setup.dir, { recursive: true, force: true });
  }
}

console.log(`${BRANCHES} branches ready at once, gate = sleep ${GATE_SECONDS} s, queue batch ${BATCH}, seeds ${SEEDS.join(', ')}`);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const summary: (string | number)[][] = [];
for (const p of FRACTIONS) {
  const rows: (string | number)[][] = [];
  const total = { serial: 0, named: 0, quiet: 0 };
  for (const seed of SEEDS) {
    const bad = badBranches(seed, p);
    const s = await serial(bad);
    const named = await queue(bad, false);
    const quiet = await queue(bad, true);
    for (const m of [s, named, quiet]) {
      if (m.landed !== BRANCHES - bad.size) throw new Error(`seed ${seed}, p ${p}: landed ${m.landed}, expected ${BRANCHES - bad.size}`);
    }
    total.serial += s.ms;
    total.named += named.ms;
    total.quiet += quiet.ms;
    const badText = bad.size === 0 ? '-' : [...bad].map((i) => `T${i}`).join(' ');
    rows.push([seed, badText, `${fmt(s.ms)} / ${s.gates}`, `${fmt(named.ms)} / ${named.gates}`, ratio(s.ms, named.ms), `${fmt(quiet.ms)} / ${quiet.gates}`, ratio(s.ms, quiet.ms)]);
  }
  printTable(`p = ${p}: drain time / gate runs`, ['seed', 'bad branches', 'serial', 'queue (failure names file)', 'ratio', 'queue (failure names nothing)', 'ratio'], rows);
  summary.push([p, fmt(total.serial / SEEDS.length), fmt(total.named / SEEDS.length), ratio(total.serial, total.named), fmt(total.quiet / SEEDS.length), ratio(total.serial, total.quiet)]);
}
printTable('mean drain time over seeds (ratio = serial / queue throughput)', ['p', 'serial', 'queue (names file)', 'ratio', 'queue (names nothing)', 'ratio'], summary);
