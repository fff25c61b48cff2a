import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordEvents } from '../../../src/state/record-events.js';
import { gatherLog } from '../../../src/views/gather-log.js';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';
import { runCrew, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { addedLogLines, parseLogLine, seedTasks } from './state-helpers.js';

let repo: TempRepo;
afterEach(() => repo.cleanup());

describe('events that change no state', () => {
  it('make no commit, show in crew log at once, and ride on the next state commit in time order', async () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 2);
    const ws = await openWorkspace(repo.dir);
    const before = repo.git('rev-parse', 'main');
    const at = (second: number) => new Date(Date.UTC(2026, 10, 27, 12, 0, second));
    await recordEvents(ws, [{ time: at(2), worker: 'w9', task: 'T1', event: 'gate-passed', detail: 'npm test' }]);
    await recordEvents(ws, [{ time: at(1), worker: 'w9', task: 'T1', event: 'setup', detail: 'worktree ready' }]);
    expect(repo.git('rev-parse', 'main')).toBe(before);
    expect((await gatherLog(ws, 'T1')).lines.map((line) => parseLogLine(line).event)).toEqual(['gate-passed', 'setup']);

    expect(runCrew(repo.dir, ['claim', 'T2', '--worker', 'w1']).code).toBe(0);
    const claim = repo.git('rev-parse', 'main');
    expect(repo.git('rev-parse', 'main~1')).toBe(before);
    expect(addedLogLines(repo, claim).map(parseLogLine)).toEqual([
      expect.objectContaining({ time: '2026-11-27 12:00:01 UTC', task: 'T1', event: 'setup', detail: 'worktree ready' }),
      expect.objectContaining({ time: '2026-11-27 12:00:02 UTC', task: 'T1', event: 'gate-passed', detail: 'npm test' }),
      expect.objectContaining({ task: 'T2', event: 'started' }),
    ]);
    expect(readdirSync(join(repo.dir, '.git', 'crewtree', 'journal'))).toEqual([]);
    // Carried once: the next commit does not log them again.
    expect(runCrew(repo.dir, ['release', 'T2', '--force', '-m', 'done testing']).code).toBe(0);
    expect(addedLogLines(repo, repo.git('rev-parse', 'main')).map((line) => parseLogLine(line).event)).toEqual(['released']);
  }, 120_000);
});
