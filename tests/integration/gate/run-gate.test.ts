import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGate } from '../../../src/gate/run-gate.js';

/** Whether a process still runs; a killed child waiting to be reaped (a zombie) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

async function waitUntil(check: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('runGate', () => {
  let dir: string;
  let logFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crewtree-gate-'));
    logFile = join(dir, 'runs', 'A1', '1.gate.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const gate = (commands: string[], extra: { timeoutMs?: number; env?: Record<string, string>; signal?: AbortSignal } = {}) =>
    runGate({ cwd: dir, commands, env: extra.env ?? {}, timeoutMs: extra.timeoutMs ?? 20_000, logFile, signal: extra.signal });

  it('passes with no commands and writes no log', async () => {
    expect(await gate([])).toEqual({ ok: true, tail: '', durationMs: 0 });
    expect(existsSync(logFile)).toBe(false);
  });

  it('runs every command in the worktree with the env, and logs each under a header', async () => {
    const result = await gate(['echo "port $PORT in $(pwd)"', 'echo to-stderr >&2; echo after'], { env: { PORT: '4120' } });
    expect(result.ok).toBe(true);
    expect(result.failed).toBeUndefined();
    expect(result.tail).toBe('');
    const log = readFileSync(logFile, 'utf8').replace(/after \d+\.\d s/g, 'after N s');
    expect(log).toBe(
      [
        '==> gate 1/2: echo "port $PORT in $(pwd)"',
        `port 4120 in ${dir}`,
        '==> passed after N s',
        '==> gate 2/2: echo to-stderr >&2; echo after',
        'to-stderr',
        'after',
        '==> passed after N s',
        '',
      ].join('\n'),
    );
  });

  it('stops at the first failing command and returns its exit code and last 60 lines', async () => {
    const result = await gate(['echo first-command-output', 'for i in $(seq 1 100); do echo "line $i"; done; exit 3', 'touch third-ran']);
    expect(result.ok).toBe(false);
    expect(result.failed).toEqual({ command: 'for i in $(seq 1 100); do echo "line $i"; done; exit 3', exitCode: 3, timedOut: false });
    expect(result.tail).toBe(Array.from({ length: 60 }, (_, i) => `line ${i + 41}`).join('\n'));
    expect(existsSync(join(dir, 'third-ran'))).toBe(false);
    expect(readFileSync(logFile, 'utf8')).toMatch(/line 100\n==> failed: exit 3 after \d+\.\d s\n$/);
  });

  it('appends to an existing log', async () => {
    await gate(['echo one']);
    await gate(['echo two']);
    expect(readFileSync(logFile, 'utf8').match(/^==> gate 1\/1: .*$/gm)).toEqual(['==> gate 1/1: echo one', '==> gate 1/1: echo two']);
  });

  it('kills the whole process group on timeout, background children included', async () => {
    const started = Date.now();
    const result = await gate(['echo started; sleep 30 & echo $! > child.pid; sleep 30'], { timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.ok).toBe(false);
    expect(result.failed).toEqual({ command: 'echo started; sleep 30 & echo $! > child.pid; sleep 30', exitCode: null, timedOut: true });
    expect(result.tail).toBe('started');
    const child = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    expect(await waitUntil(() => !alive(child))).toBe(true);
    expect(readFileSync(logFile, 'utf8')).toMatch(/==> timed out \(limit 1 s\); process group stopped after \d+\.\d s\n$/);
  });

  it('kills a command that ignores SIGTERM after the grace period', async () => {
    const result = await gate(["trap '' TERM; echo stubborn; while true; do sleep 0.1; done"], { timeoutMs: 300 });
    expect(result.failed?.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(6000);
  });

  it('leaves nothing running after a command that passed', async () => {
    const result = await gate(['sleep 30 & echo $! > leftover.pid']);
    expect(result.ok).toBe(true);
    const leftover = Number(readFileSync(join(dir, 'leftover.pid'), 'utf8'));
    expect(await waitUntil(() => !alive(leftover))).toBe(true);
  });

  it('stops when aborted and says so', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await gate(['sleep 30', 'touch next-ran'], { signal: controller.signal });
    expect(result.failed).toEqual({ command: 'sleep 30', exitCode: null, timedOut: false, stopped: true });
    expect(existsSync(join(dir, 'next-ran'))).toBe(false);
  });

  it('reports a command that printed nothing with an empty tail', async () => {
    writeFileSync(join(dir, 'quiet.sh'), 'exit 1\n');
    const result = await gate(['bash quiet.sh']);
    expect(result).toMatchObject({ ok: false, failed: { command: 'bash quiet.sh', exitCode: 1, timedOut: false }, tail: '' });
  });
});
