import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { addedLogLines, mainHistory, parseLogLine, seedTasks, spawnCrew } from './state-helpers.js';

// NOTE: every round is 100 claims fought over by 16 processes; 1 round (100 contested claims)
// keeps the whole suite within 20 minutes on CI's two cores. CREWTREE_RACE_ROUNDS=10 hammers harder.
const ROUNDS = Number(process.env.CREWTREE_RACE_ROUNDS ?? 1);
const CLAIMERS = 16;
const TASKS = 100;

interface LoopResult {
  worker: string;
  claimed: string[];
  codes: number[];
  stderr: string[];
}

/** One claimer: `crew claim --next` again and again until it exits 3 (nothing left). */
async function claimUntilEmpty(dir: string, worker: string): Promise<LoopResult> {
  const result: LoopResult = { worker, claimed: [], codes: [], stderr: [] };
  for (;;) {
    const run = await spawnCrew(dir, ['claim', '--next', '--worker', worker]);
    result.codes.push(run.code);
    if (run.stderr) result.stderr.push(run.stderr);
    if (run.code === 0) {
      const match = /^(\S+) claimed by (\S+) \(token ([0-9a-f]{8}), branch (\S+)\)$/.exec(run.stdout.trim());
      if (!match) throw new Error(`unexpected claim output: ${run.stdout}`);
      expect(match[2]).toBe(worker);
      result.claimed.push(match[1] ?? '');
    }
    if (run.code !== 0 && run.code !== 4) return result;
  }
}

describe(`race: ${CLAIMERS} processes claiming ${TASKS} tasks with crew claim --next, ${ROUNDS} rounds`, () => {
  let repo: TempRepo;
  let ids: string[];
  let seededTree: string;
  const timings: number[] = [];

  beforeAll(() => {
    repo = tempRepo({ init: true });
    ids = seedTasks(repo, TASKS);
    seededTree = repo.git('rev-parse', 'main^{tree}');
  });
  afterAll(() => {
    console.log(`race rounds took ${timings.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}`);
    repo.cleanup();
  });

  it('claims every task exactly once per round, each by one process, and git log agrees', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      if (round > 1) {
        // Back to the seeded state with one ordinary commit, so the next round starts afresh.
        repo.git('read-tree', '--reset', '-u', seededTree);
        repo.git('commit', '-q', '-m', `test: reset for round ${round}`);
      }
      const start = repo.git('rev-parse', 'main');
      const began = performance.now();
      const loops = await Promise.all(Array.from({ length: CLAIMERS }, (_, n) => claimUntilEmpty(repo.dir, `w${n + 1}`)));
      timings.push(performance.now() - began);

      for (const loop of loops) {
        for (const code of loop.codes) expect([0, 3, 4], `${loop.worker} exit codes ${loop.codes.join(',')}: ${loop.stderr.join('\n')}`).toContain(code);
        expect(loop.codes.at(-1)).toBe(3);
      }
      // From the processes' own outputs: every task once, no task twice.
      const claimedBy = new Map<string, string>();
      for (const loop of loops) {
        for (const id of loop.claimed) {
          expect(claimedBy.get(id), `${id} claimed by ${claimedBy.get(id)} and ${loop.worker} in round ${round}`).toBeUndefined();
          claimedBy.set(id, loop.worker);
        }
      }
      expect([...claimedBy.keys()].sort()).toEqual([...ids].sort());

      // From git alone: one claim commit per task, made by the process that said it won.
      const history = mainHistory(repo, start);
      expect(history).toHaveLength(TASKS);
      const fromGit = new Map<string, string>();
      for (const { commit, subject } of history) {
        const match = /^chore\(backlog\): (\S+) claimed by (\S+) \[skip ci\]$/.exec(subject);
        expect(match, subject).not.toBeNull();
        const [id = '', worker = ''] = match?.slice(1) ?? [];
        expect(fromGit.has(id), `${id} claimed twice on main`).toBe(false);
        fromGit.set(id, worker);
        const lines = addedLogLines(repo, commit).map(parseLogLine);
        expect(lines).toEqual([expect.objectContaining({ worker, task: id, event: 'started', detail: 'picked from backlog' })]);
      }
      expect(fromGit).toEqual(claimedBy);
      expect(repo.git('status', '--porcelain')).toBe('');
    }
  }, ROUNDS * 600_000);
});

describe('race: 32 processes claiming one task by id', () => {
  const RACES = 2;
  const RACERS = 32;
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 1);
  });
  afterAll(() => repo.cleanup());

  it(`has exactly one winner each time (${RACES} races); the other ${RACERS - 1} exit 4 naming the winner`, async () => {
    for (let race = 1; race <= RACES; race++) {
      const start = repo.git('rev-parse', 'main');
      const runs = await Promise.all(Array.from({ length: RACERS }, (_, n) => spawnCrew(repo.dir, ['claim', 'T1', '--worker', `r${race}-${n + 1}`])));
      const winners = runs.flatMap((run, n) => (run.code === 0 ? [`r${race}-${n + 1}`] : []));
      expect(winners).toHaveLength(1);
      const winner = winners[0] ?? '';
      for (const run of runs.filter((r) => r.code !== 0)) {
        expect(run.code, run.stderr).toBe(4);
        expect(run.stderr).toMatch(new RegExp(`^crew: T1 is locked by ${winner} since \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z \\(pid \\d+ on \\S+\\)\\.`));
      }
      expect(mainHistory(repo, start).map((c) => c.subject)).toEqual([`chore(backlog): T1 claimed by ${winner} [skip ci]`]);
      const release = await spawnCrew(repo.dir, ['release', 'T1', '--force', '-m', 'next race']);
      expect(release.code, release.stderr).toBe(0);
    }
  }, 300_000);
});
