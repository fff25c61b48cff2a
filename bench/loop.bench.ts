// bench/loop: the time crewtree adds to one task (claim, worktree, commit, land, clean up) with an
// agent and a gate that do nothing, on a 2,000-file repository, beside the same git operations
// run bare; then `crew run` makespan for 12 tasks of 2 s at -j 1, 3 and 6, beside a bare
// `xargs -P` running the same agent + commit + merge (a 10-line shell loop, 6 git processes a task)
// on the same repository in the same run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { crewBin, fmt, git, median, printTable, timeProcess } from './lib.js';

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function repoWithFiles(files: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-bench-loop-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'user.name', 'bench');
  for (let i = 0; i < files; i++) write(dir, `src/m${i % 40}/f${i}.js`, `export const v${i} = ${i};\n`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'files');
  timeProcess(process.execPath, [crewBin, 'init'], dir);
  write(dir, '.crewtree/config.yaml', 'agent: script\ngate: []\nsetup: { copy: [], link: [] }\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'crewtree');
  return dir;
}

function task(id: string, script: string): string {
  return `---\nid: ${id}\ntitle: Task ${id}\nstatus: todo\npriority: medium\ntype: feat\nrole: developer\n---\n# Task ${id}\n\n\`\`\`crew-script\n${script}\n\`\`\`\n`;
}

function addTasks(dir: string, ids: string[], script: (id: string) => string): void {
  for (const id of ids) write(dir, `backlog/tasks/${id}-task.md`, task(id, script(id)));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `tasks ${ids[0]}..`);
}

const runs = 5;
const dir = repoWithFiles(2000);
const crewTimes: number[] = [];
const bareTimes: number[] = [];
for (let i = 1; i <= runs; i++) {
  addTasks(dir, [`L${i}`], (id) => `echo ${id} > src/${id}.txt`);
  crewTimes.push(timeProcess(process.execPath, [crewBin, 'work', '--task', `L${i}`, '--worker', 'bench'], dir));
  const start = performance.now();
  const wt = join(dir, '.worktrees', `bare-${i}`);
  git(dir, 'worktree', 'add', '-q', '-b', `bare/${i}`, wt, 'main');
  writeFileSync(join(wt, `bare-${i}.txt`), `${i}\n`);
  git(wt, 'add', '-A');
  git(wt, 'commit', '-q', '-m', `bare ${i}`);
  git(dir, 'merge', '-q', '--no-ff', '--no-edit', `bare/${i}`);
  git(dir, 'worktree', 'remove', wt);
  git(dir, 'branch', '-q', '-D', `bare/${i}`);
  bareTimes.push(performance.now() - start);
}
/** Git processes one command line starts (each logs one `built-in` line under GIT_TRACE). */
function gitProcesses(file: string, args: string[], cwd: string): number {
  const trace = join(dir, '..', `${basename(dir)}-trace.txt`);
  rmSync(trace, { force: true });
  timeProcess(file, args, cwd, { GIT_TRACE: trace });
  const count = readFileSync(trace, 'utf8').split('\n').filter((line) => line.includes('trace: built-in: git ')).length;
  rmSync(trace, { force: true });
  return count;
}
addTasks(dir, ['LT'], (id) => `echo ${id} > src/${id}.txt`);
const crewGits = gitProcesses(process.execPath, [crewBin, 'work', '--task', 'LT', '--worker', 'bench'], dir);
const bareGits = gitProcesses('bash', ['-c', 'git worktree add -q -b bare/t .worktrees/bare-t main && cd .worktrees/bare-t && echo t > t.txt && git add -A && git commit -qm t && cd ../.. && git merge -q --no-ff --no-edit bare/t && git worktree remove .worktrees/bare-t && git branch -qD bare/t'], dir);
printTable('git processes for one task (GIT_TRACE)', ['what', 'git processes', 'ratio'], [
  ['crew work', crewGits, (crewGits / bareGits).toFixed(1)],
  ['bare shell: worktree add, add, commit, merge, worktree remove, branch -D', bareGits, '1.0'],
]);
const node = median(Array.from({ length: 5 }, () => timeProcess(process.execPath, ['-e', '0'], dir)));
printTable('one task, no-op agent and gate, 2,000-file repository (median of 5)', ['what', 'time', 'ratio to bare git'], [
  ['crew work (whole process)', fmt(median(crewTimes)), (median(crewTimes) / median(bareTimes)).toFixed(2)],
  ['crew work minus node start-up', fmt(median(crewTimes) - node), ((median(crewTimes) - node) / median(bareTimes)).toFixed(2)],
  ['bare git: worktree add, commit, merge, worktree remove, branch -D', fmt(median(bareTimes)), '1.00'],
]);
rmSync(dir, { recursive: true, force: true });

/** The same 12 tasks as a shell loop: worktree, agent, commit, merge under a lock, clean up. */
const bareLoop = `task() {
  id=$1; wt=.worktrees/bare/$id
  git worktree add -q -b bare/$id "$wt" main
  (cd "$wt" && sleep 2 && echo $id > src/$id.txt && git add -A && git commit -qm "feat: $id")
  flock .git/bare.lock git merge -q --no-ff --no-edit bare/$id
  git worktree remove "$wt" && git branch -qD bare/$id
}
export -f task
seq 1 12 | xargs -P "$1" -I{} bash -c 'task X{}'`;

const rows: string[][] = [];
const repeats = Number(process.env.BENCH_LOOP_REPEATS ?? 2);
for (const jobs of [1, 3, 6]) {
  const ideal = Math.ceil(12 / jobs) * 2000;
  const crew: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < repeats; round++) {
    const studio = repoWithFiles(200);
    addTasks(studio, Array.from({ length: 12 }, (_, i) => `S${i + 1}`), (id) => `sleep 2\necho ${id} > src/${id}.txt`);
    crew.push(timeProcess(process.execPath, [crewBin, 'run', '-j', String(jobs), '--agent', 'script', '--until-empty'], studio));
    rmSync(studio, { recursive: true, force: true });
    const plain = repoWithFiles(200);
    bare.push(timeProcess('bash', ['-c', bareLoop, 'bare', String(jobs)], plain));
    rmSync(plain, { recursive: true, force: true });
  }
  const [c, b] = [median(crew), median(bare)];
  rows.push([String(jobs), fmt(c), fmt(b), fmt(ideal), (c / ideal).toFixed(2), (b / ideal).toFixed(2), (c / b).toFixed(2)]);
}
printTable(`crew run makespan, 12 tasks of 2 s (median of ${repeats})`, ['-j', 'crew run', 'bare xargs -P', 'ideal (rounds x 2 s)', 'crew/ideal', 'bare/ideal', 'crew/bare'], rows);
