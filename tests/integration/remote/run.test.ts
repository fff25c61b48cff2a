import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCrew } from '../state/state-helpers.js';
import { projectConfig, projectFiles, remoteBasePasses, remoteState } from './project.js';
import { machineEnv, remoteWorld, type RemoteWorld } from './remote-fixture.js';

const ids = Array.from({ length: 6 }, (_, index) => `R${index + 1}`);

describe('crew run on three machines against one remote', () => {
  let world: RemoteWorld;

  beforeAll(async () => {
    world = await remoteWorld({ machines: ['alpha', 'beta', 'gamma'], config: projectConfig, files: projectFiles(ids) });
  });
  afterAll(async () => {
    await world.cleanup();
  });

  it('does every task exactly once, lands only tested commits and leaves no lock', async () => {
    const runs = await Promise.all(world.machines.map((machine) => spawnCrew(machine.repo.dir, ['run', '-j', '2', '--agent', 'script', '--until-empty'], machineEnv(machine))));
    for (const run of runs) expect(run.code, run.stderr + run.stdout).toBe(0);
    const state = remoteState(world, ids);
    expect(state.status).toEqual(Object.fromEntries(ids.map((id) => [id, 'done'])));
    expect(state.locks).toEqual([]);
    expect(state.doneLines).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    for (const id of ids) expect(world.remoteGit('show', `main:src/${id.toLowerCase()}.txt`)).toBe(id);
    const check = remoteBasePasses(world);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toMatch(/# pass 7/);
    // The three machines each landed work: the remote really was shared.
    const finished = runs.map((run) => /studio finished: (\d+) done/.exec(run.stdout)?.[1]);
    expect(finished.map(Number).reduce((a, b) => a + b, 0)).toBe(6);
    // Each clone's own main followed the remote as a fast-forward of what it last pushed.
    for (const machine of world.machines) {
      const local = machine.repo.git('rev-parse', 'main');
      expect(world.remoteGit('merge-base', '--is-ancestor', local, 'main')).toBe('');
    }
  }, 300_000);
});
