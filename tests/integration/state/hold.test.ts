import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { crewBin, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { addedLogLines, parseLogLine, seedTasks, sleep, spawnCrew, taskPath } from './state-helpers.js';

let repo: TempRepo;
afterEach(() => repo.cleanup());

describe('crew claim --hold', () => {
  it('stays running, renews refs/crewtree/heartbeats/<ID>, and releases the lock on SIGTERM', async () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 1);
    const child = spawn(process.execPath, [crewBin, 'claim', 'T1', '--worker', 'scripted', '--hold'], {
      cwd: repo.dir,
      env: { ...process.env, CREWTREE_LEASE: '1s' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    while (!stdout.includes('\n')) {
      expect(child.exitCode, stderr).toBeNull();
      await sleep(50);
    }
    const token = /^T1 claimed by scripted \(token ([0-9a-f]{8}), branch ai\/scripted\/T1-task-t1\)\n$/.exec(stdout)?.[1];
    expect(token, stdout).toBeDefined();
    expect(repo.git('show', `main:${taskPath('T1')}`)).toContain(`  pid: ${child.pid}\n`);

    const beats = new Set<string>();
    for (let i = 0; i < 8; i++) {
      await sleep(400);
      expect(child.exitCode, 'still holding').toBeNull();
      const oid = repo.git('for-each-ref', '--format=%(objectname)', 'refs/crewtree/heartbeats/T1');
      expect(oid).toMatch(/^[0-9a-f]{40}$/);
      expect(repo.git('cat-file', 'blob', oid).split('\n')[0]).toBe(token);
      beats.add(oid);
    }
    expect(beats.size).toBeGreaterThanOrEqual(4);
    // A sweep meanwhile leaves a holder with a live heartbeat alone.
    expect((await spawnCrew(repo.dir, ['sweep'], { CREWTREE_LEASE: '1s' })).stdout).toBe('No stale locks.\n');

    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    expect(stdout.split('\n')[1]).toBe('T1 released (todo)');
    const task = repo.git('show', `main:${taskPath('T1')}`);
    expect(task).toMatch(/^status: todo$/m);
    expect(task).not.toMatch(/^lock:/m);
    expect(parseLogLine(addedLogLines(repo, 'main')[0] ?? '')).toMatchObject({ worker: 'scripted', task: 'T1', event: 'released', detail: 'hold ended' });
    expect(repo.git('for-each-ref', 'refs/crewtree/heartbeats/')).toBe('');
  });
});
