import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LandingOutcome } from '../../../src/landing/lander.js';
import { isCrewError } from '../../../src/errors.js';
import { RemoteBranchLander } from '../../../src/remote/lander.js';
import { land } from '../../../src/state/land.js';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';
import { crewBin } from '../../helpers/temp-repo.js';
import { sleep, spawnCrew, taskText } from '../state/state-helpers.js';
import { machineEnv, remoteWorld, type RemoteWorld } from './remote-fixture.js';

const LEASE_MS = 3000;
const path = 'backlog/tasks/S1-task-s1.md';

describe('a sweep on one machine frees the lock of a dead worker on another', () => {
  let world: RemoteWorld;

  beforeAll(async () => {
    world = await remoteWorld({ machines: ['alpha', 'beta'], config: { lease: '3s' }, files: { [path]: taskText('S1', 'Task s1') } });
  });
  afterAll(async () => {
    await world.cleanup();
  });

  it('only after the lease passed on its own clock with the heartbeat unchanged; the swept holder cannot land', async () => {
    const [alpha, beta] = world.machines;
    if (!alpha || !beta) throw new Error('two machines expected');
    const holder = spawn(process.execPath, [crewBin, 'claim', 'S1', '--worker', 'alpha-1', '--hold'], { cwd: alpha.repo.dir, env: { ...process.env, ...machineEnv(alpha) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const claimed = await new Promise<string>((resolve, reject) => {
      let out = '';
      holder.stdout.setEncoding('utf8').on('data', (chunk: string) => ((out += chunk), out.includes('\n') && resolve(out)));
      holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
    });
    const token = /token ([0-9a-f]{8})/.exec(claimed)?.[1] ?? '';
    expect(token).toMatch(/^[0-9a-f]{8}$/);
    const remoteBeat = () => world.remoteGit('for-each-ref', '--format=%(objectname)', 'refs/crewtree/heartbeats/S1');
    while (!remoteBeat()) await sleep(100);

    // Alive on alpha: beta sweeps across more than a lease and sees the pushed heartbeat change.
    const sweepOnBeta = () => spawnCrew(beta.repo.dir, ['sweep'], machineEnv(beta));
    const firstBeat = remoteBeat();
    expect((await sweepOnBeta()).stdout.trim()).toBe('No stale locks.');
    await sleep(LEASE_MS + 500);
    expect(remoteBeat()).not.toBe(firstBeat);
    expect((await sweepOnBeta()).stdout.trim()).toBe('No stale locks.');

    // A fresh beat (after that sweep ended, so beta has not seen it yet), then alpha's holder is
    // killed (no release, no cleanup): its heartbeat ref on the remote stops changing there.
    const seenBefore = remoteBeat();
    while (remoteBeat() === seenBefore) await sleep(25);
    holder.kill('SIGKILL');
    const newBeatAt = performance.now();
    await new Promise((resolve) => holder.once('exit', resolve));
    const lastBeat = remoteBeat();
    // Beta's first sighting of that beat starts its lease; until it has passed on beta's clock, nothing is swept.
    expect((await sweepOnBeta()).stdout.trim()).toBe('No stale locks.');
    let swept = '';
    let sweptAt = 0;
    while (!swept.startsWith('swept')) {
      await sleep(300);
      swept = (await sweepOnBeta()).stdout.trim();
      sweptAt = performance.now();
      if (!swept.startsWith('swept')) expect(swept).toBe('No stale locks.');
    }
    expect(sweptAt - newBeatAt).toBeGreaterThanOrEqual(LEASE_MS - 100);
    expect(remoteBeat()).toBe(lastBeat);
    expect(swept).toMatch(/^swept S1 \(alpha-1\): heartbeat unchanged for \d+ s \(lease 3 s\); branch ai\/alpha-1\/S1-task-s1 kept$/);
    const afterSweep = world.remoteGit('rev-parse', 'main');
    expect(world.remoteGit('show', `main:${path}`)).not.toMatch(/lock:/);
    expect(world.remoteGit('show', 'main:backlog/task.log')).toMatch(/\| alpha-1 \| S1 \| swept \| heartbeat unchanged/);

    // The swept worker on alpha tries to land work anyway: fenced, and the remote did not move.
    const ws = await openWorkspace(alpha.repo.dir, { env: machineEnv(alpha) });
    alpha.repo.write('src/late.txt', 'late work\n');
    alpha.repo.git('add', 'src/late.txt');
    const tree = alpha.repo.git('write-tree');
    alpha.repo.git('reset', '-q');
    const onto = alpha.repo.git('rev-parse', 'main');
    const tip = alpha.repo.git('commit-tree', '-p', onto, '-m', 'feat(S1): late', tree);
    const landing = land(ws, { merged: tip, onto, tasks: [{ id: 'S1', token, tip, branch: 'ai/alpha-1/S1-task-s1' }], message: 'Merge S1', actor: 'alpha-1' });
    await expect(landing).rejects.toSatisfy((error) => isCrewError(error, 'fenced'));
    const inner = { land: async (): Promise<LandingOutcome> => ({ kind: 'landed', commit: 'never', regated: false }) };
    const lander = new RemoteBranchLander(ws, 'origin', inner);
    const task = { id: 'S1', title: 'Task s1' } as Parameters<typeof lander.land>[0]['task'];
    const lock = { token, worker: 'alpha-1', branch: 'ai/alpha-1/S1-task-s1' } as Parameters<typeof lander.land>[0]['lock'];
    const outcome = await lander.land({ task, lock, tip, env: {}, gateCommands: [], runDir: world.root });
    expect(outcome).toEqual({ kind: 'fenced', message: expect.stringMatching(/^Refused to land S1: on origin's main it is no longer locked\./) });
    expect(world.remoteGit('for-each-ref', 'refs/heads/ai/')).toBe('');
    expect(world.remoteGit('rev-parse', 'main')).toBe(afterSweep);
  }, 120_000);
});
