import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrew } from '../../helpers/temp-repo.js';
import { machineEnv, remoteWorld, type RemoteWorld } from './remote-fixture.js';

describe('crew doctor and the first remote operation check the remote', () => {
  let world: RemoteWorld;

  beforeAll(async () => {
    world = await remoteWorld({ machines: ['alpha'] });
  });
  afterAll(async () => {
    await world.cleanup();
  });

  it('says the remote is reachable, has the base, accepts pushes and atomic pushes', () => {
    const [alpha] = world.machines;
    const doctor = runCrew(alpha!.repo.dir, ['doctor'], machineEnv(alpha!));
    const lines = doctor.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('ok   remote:'));
    expect(lines.slice(at, at + 6)).toEqual([
      'ok   remote: origin holds the shared state (main moved by atomic pushes)',
      `       origin is ${world.daemon.url('project.git')}`,
      '       origin answers',
      `       refs/heads/main is ${world.remoteGit('rev-parse', '--short=8', 'main')} on origin`,
      '       origin accepts pushes to main',
      '       origin supports atomic pushes',
    ]);
  });

  it('names what is missing: an unreachable remote, a remote without the base branch', () => {
    const [alpha] = world.machines;
    const dir = alpha!.repo.dir;
    alpha!.repo.git('remote', 'set-url', 'origin', world.daemon.url('missing.git'));
    const claim = runCrew(dir, ['claim', '--next', '--worker', 'w1'], machineEnv(alpha!));
    expect(claim.code).toBe(1);
    expect(claim.stderr).toMatch(/^crew: The remote origin cannot hold crewtree's state: git ls-remote origin failed: fatal: .*\.\nhint: Check the URL and your access/);
    alpha!.repo.git('remote', 'set-url', 'origin', world.daemon.url('project.git'));
    const other = runCrew(dir, ['claim', '--next', '--worker', 'w1'], { ...machineEnv(alpha!), CREWTREE_BASE: 'nowhere' });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^crew: The remote origin cannot hold crewtree's state: origin has no branch nowhere \(push it first: git push origin nowhere\)\.\nhint: Push the base branch to origin once/);
    const doctor = runCrew(dir, ['doctor'], { ...machineEnv(alpha!), CREWTREE_BASE: 'nowhere' });
    expect(doctor.stdout).toMatch(/FAIL remote: origin cannot hold crewtree's state\n(.*\n)*.*origin has no branch nowhere/);
  });
});
