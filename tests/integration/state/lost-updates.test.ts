import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTask } from '../../../src/backlog/parse-task.js';
import type { TaskLock } from '../../../src/backlog/task.js';
import { projectRoot, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { mainHistory, parseLogLine, seedTasks } from './state-helpers.js';

const CHURNERS = 5;
const OPS = 40;
const TASKS = 20;

interface Summary {
  worker: string;
  pid: number;
  claims: { id: string; token: string; pid: number }[];
  releases: { id: string; token: string }[];
  lostBeforeRelease: { id: string; token: string }[];
  wrongTokenRefused: number;
  lockHeld: number;
  nothingEligible: number;
  sweeps: number;
  swept: { id: string; token: string }[];
  unexpected: string[];
}

function churn(dir: string, env: Record<string, string>): Promise<Summary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, 'tests', 'fixtures', 'holders', 'churn.mjs')], { cwd: dir, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as Summary) : reject(new Error(`churn exited ${code}: ${stderr}`))));
  });
}

/** Many `<commit>:<path>` at once through one `git cat-file --batch`; undefined where missing. */
function readSpecs(dir: string, specs: string[]): Map<string, string | undefined> {
  const out = execFileSync('git', ['cat-file', '--batch'], { cwd: dir, input: specs.join('\n') + '\n', maxBuffer: 1 << 28 });
  const result = new Map<string, string | undefined>();
  let at = 0;
  for (const spec of specs) {
    const end = out.indexOf(0x0a, at);
    const header = out.subarray(at, end).toString('utf8');
    if (header.endsWith(' missing')) {
      result.set(spec, undefined);
      at = end + 1;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    result.set(spec, out.subarray(end + 1, end + 1 + size).toString('utf8'));
    at = end + 1 + size + 1;
  }
  return result;
}

interface Transition {
  commit: string;
  subject: string;
  id: string;
  before: TaskLock | undefined;
  after: TaskLock | undefined;
}

describe(`lost updates: ${CHURNERS} processes interleave ${CHURNERS * OPS} claims, releases and sweeps`, () => {
  let repo: TempRepo;
  let summaries: Summary[];
  let start: string;
  let deadPid: number;

  beforeAll(async () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, TASKS);
    start = repo.git('rev-parse', 'main');
    deadPid = spawnSync('true').pid ?? 0;
    const ids = Array.from({ length: TASKS }, (_, n) => `T${n + 1}`).join(',');
    summaries = await Promise.all(
      Array.from({ length: CHURNERS }, (_, n) =>
        churn(repo.dir, { CHURN_WORKER: `c${n + 1}`, CHURN_OPS: String(OPS), CHURN_SEED: String(1000 + n), CHURN_IDS: ids, CHURN_DEAD_PID: String(deadPid) }),
      ),
    );
  }, 600_000);
  afterAll(() => repo.cleanup());

  it('did real work of every kind, and nothing unexpected happened in the processes', () => {
    expect(summaries.flatMap((s) => s.unexpected)).toEqual([]);
    const total = (pick: (s: Summary) => number) => summaries.reduce((sum, s) => sum + pick(s), 0);
    expect(total((s) => s.claims.length)).toBeGreaterThan(40);
    expect(total((s) => s.releases.length)).toBeGreaterThan(20);
    expect(total((s) => s.swept.length)).toBeGreaterThan(3);
    expect(total((s) => s.wrongTokenRefused)).toBeGreaterThan(10);
    expect(total((s) => s.lockHeld)).toBeGreaterThan(0);
    console.log(
      `lost updates: ${total((s) => s.claims.length)} claims, ${total((s) => s.releases.length)} releases, ${total((s) => s.swept.length)} swept in ${total((s) => s.sweeps)} sweeps, ` +
        `${total((s) => s.wrongTokenRefused)} wrong-token releases refused, ${total((s) => s.lockHeld)} lock-held, ${total((s) => s.nothingEligible)} nothing-eligible`,
    );
  });

  it("main's history alone shows a valid lock history for every task, and matches what each process was told", () => {
    // One `git log` for what each commit changed, one `cat-file --batch` for the file versions.
    const log = execFileSync('git', ['log', '--first-parent', '--reverse', '--no-renames', '--name-only', '--format=@%H %s', `${start}..main`], { cwd: repo.dir, encoding: 'utf8' });
    const changed = log
      .split('\n@')
      .map((entry) => entry.replace(/^@/, '').split('\n').filter(Boolean))
      .filter((lines) => lines.length > 0)
      .map(([head = '', ...files]) => ({ commit: head.slice(0, 40), subject: head.slice(41), files }));
    expect(changed.map((c) => c.commit)).toEqual(mainHistory(repo, start).map((c) => c.commit));
    const specs = changed.flatMap(({ commit, files }) =>
      [...files.filter((f) => f.startsWith('backlog/tasks/')), 'backlog/task.log'].flatMap((f) => [`${commit}~1:${f}`, `${commit}:${f}`]),
    );
    const texts = readSpecs(repo.dir, specs);
    const addedLines = (commit: string) => {
      const before = texts.get(`${commit}~1:backlog/task.log`) ?? '';
      const after = texts.get(`${commit}:backlog/task.log`) ?? '';
      expect(after.startsWith(before), `${commit} appends to task.log`).toBe(true);
      return after.slice(before.length).split('\n').filter(Boolean);
    };
    const lockIn = (spec: string) => {
      const text = texts.get(spec);
      return text === undefined ? undefined : parseTask(spec.split(':')[1] ?? '', text, 0).task?.lock;
    };

    const transitions: Transition[] = [];
    for (const { commit, subject, files } of changed) {
      expect(files.every((f) => f.startsWith('backlog/')), `${subject} touches only the backlog`).toBe(true);
      const moves = files
        .filter((f) => f.startsWith('backlog/tasks/'))
        .map((f) => ({ commit, subject, id: /tasks\/(T\d+)-/.exec(f)?.[1] ?? f, before: lockIn(`${commit}~1:${f}`), after: lockIn(`${commit}:${f}`) }));
      const events = addedLines(commit).map(parseLogLine);
      expect(events.length, subject).toBe(moves.length);
      for (const move of moves) {
        const event = events.find((e) => e.task === move.id);
        expect(event, `${subject}: a log line for ${move.id}`).toBeDefined();
        if (!move.before && move.after) {
          expect(event).toMatchObject({ event: 'started', worker: move.after.worker });
          expect(subject).toBe(`chore(backlog): ${move.id} claimed by ${move.after.worker} [skip ci]`);
        } else if (move.before && !move.after) {
          expect(event?.worker).toBe(move.before.worker);
          if (event?.event === 'released') {
            // No release by a non-holder: only the worker that held the lock gave it back.
            expect(subject).toBe(`chore(backlog): ${move.id} released by ${move.before.worker} [skip ci]`);
          } else {
            expect(event?.event, subject).toBe('swept');
            expect(event?.detail).toBe(`its process ${move.before.pid} on ${hostname()} is gone`);
            expect([deadPid, ...summaries.map((s) => s.pid)]).toContain(move.before.pid);
          }
        } else {
          throw new Error(`${subject} changed ${move.id} without taking or giving back its lock (${move.before?.token} -> ${move.after?.token})`);
        }
        transitions.push(move);
      }
    }

    // Per task, the locks alternate: taken, given back, taken... never taken while held.
    const holder = new Map<string, string | undefined>();
    for (const move of transitions) {
      if (move.after) {
        expect(holder.get(move.id), `${move.id} claimed while held (${move.subject})`).toBeUndefined();
        holder.set(move.id, move.after.token);
      } else {
        expect(holder.get(move.id), `${move.id} given back by a lock that was not the current one (${move.subject})`).toBe(move.before?.token);
        holder.set(move.id, undefined);
      }
    }

    // Every success a process was told about is in main exactly once, and nothing else is.
    const key = (kind: string, id: string, token: string | undefined) => `${kind} ${id} ${token}`;
    const inGit = transitions.map((m) => (m.after ? key('claim', m.id, m.after.token) : key(m.subject.includes(' released by ') ? 'release' : 'sweep', m.id, m.before?.token))).sort();
    const told = summaries
      .flatMap((s) => [...s.claims.map((c) => key('claim', c.id, c.token)), ...s.releases.map((r) => key('release', r.id, r.token)), ...s.swept.map((w) => key('sweep', w.id, w.token))])
      .sort();
    expect(inGit).toEqual(told);
    // A release that failed because its lock was swept first: the sweep is in main.
    for (const lost of summaries.flatMap((s) => s.lostBeforeRelease)) expect(told).toContain(key('sweep', lost.id, lost.token));
  }, 180_000);
});
