// The one runner for programs read whole (git, probes, notifiers), against real processes.
import { describe, expect, it } from 'vitest';
import { ProcessError, runProcess, runProcessBytes } from '../../../src/process/run.js';

async function failure(run: Promise<unknown>): Promise<ProcessError> {
  const error = await run.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProcessError);
  return error as ProcessError;
}

describe('runProcess', () => {
  it('returns stdout and stderr whole, multi-byte text included, and feeds stdin', async () => {
    expect(await runProcess('bash', ['-c', 'cat; echo warn >&2'], { cwd: '/', input: 'héllo\n' })).toEqual({ exitCode: 0, stdout: 'héllo\n', stderr: 'warn\n' });
    expect((await runProcessBytes('printf', ['\\xc3\\xa9'], { cwd: '/' })).stdout).toEqual(Buffer.from([0xc3, 0xa9]));
  });

  it('throws with the exit code and the tail of stderr, unless the code is allowed', async () => {
    const error = await failure(runProcess('bash', ['-c', 'echo out; echo no such ref >&2; exit 3'], { cwd: '/' }));
    expect(error).toMatchObject({ exitCode: 3, signal: undefined, timedOut: false, stdout: 'out\n', stderr: 'no such ref\n' });
    expect(error.message).toBe('bash -c echo out; echo no such ref >&2; exit 3 exited with 3: no such ref');
    expect(await runProcess('bash', ['-c', 'exit 1'], { cwd: '/', okExitCodes: [0, 1] })).toMatchObject({ exitCode: 1 });
  });

  it('says which program could not start', async () => {
    const error = await failure(runProcess('crewtree-no-such-program', ['--version'], { cwd: '/' }));
    expect(error).toMatchObject({ exitCode: undefined, timedOut: false });
    expect(error.stderr).toContain('spawn crewtree-no-such-program ENOENT');
  });

  it('adds to the environment, removes a variable set to undefined, or replaces it with extendEnv: false', async () => {
    const print = ['-c', 'echo "${CREW_X:-unset}|${HOME:-no home}"'];
    expect((await runProcess('bash', print, { cwd: '/', env: { CREW_X: 'x', HOME: undefined } })).stdout).toBe('x|no home\n');
    expect((await runProcess('bash', print, { cwd: '/', env: { PATH: process.env.PATH }, extendEnv: false })).stdout).toBe('unset|no home\n');
  });

  it('stops a program at its timeout with SIGTERM, then SIGKILL after the grace period', async () => {
    const started = Date.now();
    const polite = await failure(runProcess('sleep', ['30'], { cwd: '/', timeoutMs: 100 }));
    expect(polite).toMatchObject({ timedOut: true, signal: 'SIGTERM', exitCode: undefined });
    expect(polite.message).toBe('sleep 30 timed out');
    const stubborn = await failure(runProcess('bash', ['-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done'], { cwd: '/', timeoutMs: 300, killGraceMs: 200 }));
    expect(stubborn).toMatchObject({ timedOut: true, signal: 'SIGKILL', stdout: 'ready\n' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops a program when its signal aborts, and kills one whose output passes maxBuffer', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await failure(runProcess('sleep', ['30'], { cwd: '/', signal: controller.signal }))).toMatchObject({ signal: 'SIGTERM', timedOut: false });
    const flood = await failure(runProcess('cat', ['/dev/zero'], { cwd: '/', maxBuffer: 100_000 }));
    expect(flood.stderr).toContain('cat /dev/zero: stdout exceeded 100000 bytes');
  });
});
