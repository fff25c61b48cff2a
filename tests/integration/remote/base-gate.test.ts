// Main's gate first with a remote: the base gated before the first claim is the remote's, not the
// clone's own (older) main.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCrew } from '../../helpers/temp-repo.js';
import { projectConfig, projectFiles, remoteState } from './project.js';
import { machineEnv, remoteWorld, type RemoteWorld } from './remote-fixture.js';

let world: RemoteWorld;

beforeAll(async () => {
  world = await remoteWorld({ machines: ['alpha', 'beta'], config: projectConfig, files: projectFiles(['R1']) });
});
afterAll(async () => {
  await world.cleanup();
});

it("gates the remote's base: a red commit pushed from elsewhere stops this clone before any claim", () => {
  const [alpha, beta] = world.machines;
  if (!alpha || !beta) throw new Error('two machines expected');
  beta.repo.write('test/sum.test.js', "import test from 'node:test';\nimport assert from 'node:assert/strict';\n\ntest('red', () => assert.equal(1, 2));\n");
  const red = beta.repo.commitAll('test: a red suite');
  beta.repo.git('push', '-q', 'origin', 'main');

  const refused = runCrew(alpha.repo.dir, ['work', '--agent', 'script'], machineEnv(alpha));
  expect(refused.code, refused.stdout + refused.stderr).toBe(5);
  expect(refused.stderr).toContain(`The gate fails on main itself (${red.slice(0, 8)}): \`node --test test/\` is red`);
  expect(world.remoteGit('rev-parse', 'main')).toBe(red);
  expect(remoteState(world, ['R1'])).toMatchObject({ status: { R1: 'todo' }, locks: [] });

  beta.repo.write('test/sum.test.js', "import test from 'node:test';\nimport assert from 'node:assert/strict';\n\ntest('green', () => assert.equal(1, 1));\n");
  const fixed = beta.repo.commitAll('test: green again');
  beta.repo.git('push', '-q', 'origin', 'main');
  const worked = runCrew(alpha.repo.dir, ['work', '--agent', 'script'], machineEnv(alpha));
  expect(worked.code, worked.stdout + worked.stderr).toBe(0);
  expect(worked.stdout).toContain(`gate: main first (${fixed.slice(0, 8)})`);
  expect(remoteState(world, ['R1'])).toMatchObject({ status: { R1: 'done' }, locks: [] });
}, 90_000);
