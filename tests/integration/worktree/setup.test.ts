import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrewError } from '../../../src/errors.js';
import { createTaskWorktree, setupWorktree, worktreeState } from '../../../src/worktree/index.js';
import { worktreeFixture, type WorktreeFixture } from './fixture.js';

const SETUP_RUN = `setup:
  run:
    - 'echo "$PORT $CREWTREE_PORT_BASE $CREWTREE_PORT_COUNT" > .setup-ports'
    - mkdir -p build && echo built > build/out.txt
`;

async function worktreeOf(fixture: WorktreeFixture): Promise<string> {
  return createTaskWorktree(fixture.ws, { branch: 'ai/w1/A1-x', path: '.worktrees/ai/w1/A1-x', from: fixture.repo.git('rev-parse', 'HEAD') });
}

describe('setupWorktree', () => {
  let fixture: WorktreeFixture;
  afterEach(() => fixture.repo.cleanup());

  it('copies .env and .env.local, links node_modules, runs setup commands with the slot ports', async () => {
    fixture = await worktreeFixture(SETUP_RUN);
    const { repo, root } = fixture;
    repo.write('.env', 'SECRET=1\n');
    repo.write('.env.local', 'LOCAL=1\n');
    repo.write('node_modules/left-pad/index.js', 'module.exports = 1;\n');
    const worktree = await worktreeOf(fixture);

    const setup = await setupWorktree(fixture.ws, worktree, { slot: 2 });

    expect(setup.env).toEqual({ PORT: '4120', CREWTREE_PORT_BASE: '4120', CREWTREE_PORT_COUNT: '10' });
    expect(readFileSync(join(worktree, '.env'), 'utf8')).toBe('SECRET=1\n');
    expect(readFileSync(join(worktree, '.env.local'), 'utf8')).toBe('LOCAL=1\n');
    expect(lstatSync(join(worktree, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(worktree, 'node_modules'))).toBe(join(root, 'node_modules'));
    expect(readFileSync(join(worktree, 'node_modules/left-pad/index.js'), 'utf8')).toBe('module.exports = 1;\n');
    expect(readFileSync(join(worktree, '.setup-ports'), 'utf8')).toBe('4120 4120 10\n');
    expect(readFileSync(join(worktree, 'build/out.txt'), 'utf8')).toBe('built\n');
    expect(setup.ignored).toEqual(['.env', '.env.local', '.setup-ports', 'build/out.txt', 'node_modules']);
    expect(await worktreeState(worktree)).toEqual({ clean: true, changed: [] });
  });

  it('gives each slot its own port range', async () => {
    fixture = await worktreeFixture('setup: { ports: { base: 5000, size: 20 } }\n');
    const worktree = await worktreeOf(fixture);
    expect((await setupWorktree(fixture.ws, worktree, { slot: 0 })).env).toEqual({ PORT: '5000', CREWTREE_PORT_BASE: '5000', CREWTREE_PORT_COUNT: '20' });
    expect((await setupWorktree(fixture.ws, worktree, { slot: 3 })).env).toEqual({ PORT: '5060', CREWTREE_PORT_BASE: '5060', CREWTREE_PORT_COUNT: '20' });
  });

  it('never copies from .git/ or the worktrees folder, and keeps tracked files as checked out', async () => {
    fixture = await worktreeFixture('setup:\n  copy: ["**/.env*", "**/HEAD"]\n  link: []\n');
    const { repo } = fixture;
    repo.write('.env.example', 'EXAMPLE=committed\n');
    repo.commitAll('chore: env example');
    repo.write('.env.example', 'EXAMPLE=edited in the checkout\n');
    repo.write('config/.env.test', 'TEST=1\n');
    repo.write('.worktrees/ai/w9/old/.env.stale', 'STALE=1\n');
    const worktree = await worktreeOf(fixture);

    const setup = await setupWorktree(fixture.ws, worktree, { slot: 0 });

    expect(setup.ignored).toEqual(['config/.env.test']);
    expect(readFileSync(join(worktree, '.env.example'), 'utf8')).toBe('EXAMPLE=committed\n');
    expect(existsSync(join(worktree, '.worktrees'))).toBe(false);
    expect(existsSync(join(worktree, 'HEAD'))).toBe(false);
  });

  it('keeps the files of an earlier setup as setup files when set up again', async () => {
    fixture = await worktreeFixture();
    fixture.repo.write('.env', 'SECRET=1\n');
    const worktree = await worktreeOf(fixture);
    await setupWorktree(fixture.ws, worktree, { slot: 0 });
    const again = await setupWorktree(fixture.ws, worktree, { slot: 1 });
    expect(again.ignored).toEqual(['.env']);
    expect(await worktreeState(worktree)).toEqual({ clean: true, changed: [] });
  });

  it('skips links whose source is missing', async () => {
    fixture = await worktreeFixture();
    const worktree = await worktreeOf(fixture);
    const setup = await setupWorktree(fixture.ws, worktree, { slot: 0 });
    expect(setup.ignored).toEqual([]);
    expect(existsSync(join(worktree, 'node_modules'))).toBe(false);
  });

  it('fails with the command and its last output when a setup command fails', async () => {
    fixture = await worktreeFixture("setup:\n  run: ['echo installing; echo broken >&2; exit 3']\n");
    const worktree = await worktreeOf(fixture);
    const error = (await setupWorktree(fixture.ws, worktree, { slot: 0 }).catch((caught: unknown) => caught)) as CrewError;
    expect(error).toBeInstanceOf(CrewError);
    expect(error.code).toBe('setup-failed');
    expect(error.message).toBe(`The setup command \`echo installing; echo broken >&2; exit 3\` exited with 3 in ${worktree}.`);
    expect(error.details).toEqual(['installing', 'broken']);
  });
});
