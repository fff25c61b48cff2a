import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addScriptTask, nodeProject } from '../helpers/node-project.js';
import { crewBin, runCrew, type TempRepo } from '../helpers/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function setup(): { repo: TempRepo; marks: string } {
  const repo = nodeProject();
  const marks = mkdtempSync(join(tmpdir(), 'crewtree-marks-'));
  // NOTE: agents run in a sandbox with a private /tmp; a TMPDIR set in the config stays writable, so the marks get out.
  repo.write('.crewtree/config.yaml', `${repo.read('.crewtree/config.yaml')}agents:\n  script: { env: { TMPDIR: "${marks}" } }\n`);
  repo.commitAll('chore: marks folder for the scripts');
  cleanups.push(() => repo.cleanup(), () => rmSync(marks, { recursive: true, force: true }));
  return { repo, marks };
}

/** A script that records when it ran (outside the worktree) and sleeps. */
function timedScript(marks: string, id: string, seconds: number): string {
  return `echo "$(date +%s%N) start" >> ${marks}/${id}\nsleep ${seconds}\necho "${id}" > src/${id}.txt\necho "$(date +%s%N) end" >> ${marks}/${id}`;
}

function intervals(marks: string): { id: string; start: number; end: number }[] {
  return readdirSync(marks).map((id) => {
    const lines = readFileSync(join(marks, id), 'utf8').trim().split('\n');
    const time = (kind: string) => Number(lines.find((line) => line.endsWith(kind))?.split(' ')[0]) / 1e6;
    return { id, start: time('start'), end: time('end') };
  });
}

function maxOverlap(spans: { start: number; end: number }[]): number {
  const points = spans.flatMap((s) => [{ t: s.start, d: 1 }, { t: s.end, d: -1 }]).sort((a, b) => a.t - b.t || a.d - b.d);
  let current = 0;
  let max = 0;
  for (const point of points) max = Math.max(max, (current += point.d));
  return max;
}

describe('crew run', () => {
  it('runs 9 tasks of 2 s on 3 workers in about 3 rounds', () => {
    const { repo, marks } = setup();
    for (let i = 1; i <= 9; i++) addScriptTask(repo, { id: `B${i}`, title: `Task ${i}` }, timedScript(marks, `B${i}`, 2));
    repo.commitAll('chore: nine tasks');
    const run = runCrew(repo.dir, ['run', '-j', '3', '--agent', 'script', '--until-empty']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/studio finished: 9 done, 0 blocked/);
    // In a pipe: one line per state change, never two waiting lines in a row for one worker.
    const byWorker = new Map<string, string[]>();
    for (const match of run.stdout.matchAll(/^\d\d:\d\d:\d\d (\S+) (?:(\S+) )?(claiming|idle|setup|agent|gate|commit|landing|done)\b/gm)) {
      byWorker.set(match[1] ?? '', [...(byWorker.get(match[1] ?? '') ?? []), match[3] ?? '']);
    }
    expect([...byWorker.keys()].sort()).toEqual(['script-1', 'script-2', 'script-3']);
    for (const [worker, phases] of byWorker) {
      const repeats = phases.filter((phase, index) => index > 0 && ['claiming', 'idle'].includes(phase) && ['claiming', 'idle'].includes(phases[index - 1] ?? ''));
      expect(repeats, `${worker}: ${phases.join(' ')}`).toEqual([]);
      expect(phases.filter((phase) => phase === 'done').length).toBeGreaterThan(0);
    }
    const spans = intervals(marks);
    expect(spans).toHaveLength(9);
    // Three at a time, and never more: the 2 s agents ran in rounds of three. (Wall time is
    // measured by bench/loop; on a loaded CI machine it says little.)
    expect(maxOverlap(spans)).toBe(3);
    const starts = spans.map((s) => s.start).sort((a, b) => a - b);
    const firstEnd = Math.min(...spans.map((s) => s.end));
    expect(starts.filter((start) => start < firstEnd)).toHaveLength(3);
    for (let i = 1; i <= 9; i++) expect(repo.git('show', `main:src/B${i}.txt`)).toBe(`B${i}`);
    expect(repo.git('show', 'main:backlog/backlog.md')).toMatch(/9 tasks \(to do: 0, in progress: 0, review: 0, done: 9, blocked: 0\)/);
  }, 120_000);

  it('never runs two tasks with overlapping paths at once', () => {
    const { repo, marks } = setup();
    addScriptTask(repo, { id: 'C1', title: 'First shared', paths: ['src/shared/**'] }, timedScript(marks, 'C1', 1));
    addScriptTask(repo, { id: 'C2', title: 'Second shared', paths: ['src/shared/x.js'] }, timedScript(marks, 'C2', 1));
    addScriptTask(repo, { id: 'C3', title: 'Elsewhere', paths: ['docs/**'] }, timedScript(marks, 'C3', 1));
    repo.commitAll('chore: overlapping tasks');
    const run = runCrew(repo.dir, ['run', '-j', '3', '--agent', 'script', '--until-empty']);
    expect(run.code, run.stderr).toBe(0);
    const spans = intervals(marks);
    const c1 = spans.find((s) => s.id === 'C1')!;
    const c2 = spans.find((s) => s.id === 'C2')!;
    expect(c1.end <= c2.start || c2.end <= c1.start).toBe(true);
    expect(maxOverlap(spans)).toBe(2);
  }, 120_000);

  it('stops cleanly on Ctrl-C: no lock left, work kept on branches, exit within 5 s', async () => {
    const { repo, marks } = setup();
    for (const id of ['E1', 'E2']) addScriptTask(repo, { id, title: `Long ${id}` }, `echo partial > src/${id}.txt\n${timedScript(marks, id, 60)}`);
    repo.commitAll('chore: long tasks');
    const child = spawn(process.execPath, [crewBin, 'run', '-j', '2', '--agent', 'script'], { cwd: repo.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 30_000;
    while (!(existsSync(join(marks, 'E1')) && existsSync(join(marks, 'E2'))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const stoppedAt = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(Date.now() - stoppedAt, output).toBeLessThan(5000);
    expect(code).toBe(130);
    for (const id of ['E1', 'E2']) {
      const task = repo.git('show', `main:backlog/tasks/${id}-task.md`);
      expect(task).toMatch(/^status: todo$/m);
      expect(task).not.toMatch(/^lock:/m);
      const branch = repo.git('branch', '--list', `ai/*/${id}-*`, '--format=%(refname:short)');
      expect(repo.git('show', `${branch}:src/${id}.txt`)).toBe('partial');
    }
    expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(runCrew(repo.dir, ['sweep', '--dry-run']).stdout).toMatch(/No stale locks/);
  }, 60_000);
});
