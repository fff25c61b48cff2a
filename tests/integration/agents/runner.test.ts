import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgent } from '../../../src/agents/run-agent.js';
import type { AgentRunRequest } from '../../../src/agents/types.js';
import { configSchema } from '../../../src/config/schema.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { isRunning, pidFrom } from './process-tree.js';

let repo: TempRepo;
let scratch: string;

beforeEach(() => {
  repo = tempRepo();
  scratch = mkdtempSync(join(tmpdir(), 'crewtree-runner-'));
});

afterEach(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const fence = '```';
const scriptTask = (script: string, before = 'Do the thing.') => `${before}\n\n${fence}crew-script\n${script}\n${fence}\n`;

function request(script: string, overrides: Partial<AgentRunRequest> = {}): AgentRunRequest {
  return {
    agent: 'script',
    worktree: repo.dir,
    prompt: 'Run the script.',
    taskBody: scriptTask(script),
    attempt: 1,
    runLog: join(scratch, 'runs', 'A1', '1.log'),
    env: { CREWTREE_TASK_ID: 'A1', CREWTREE_ATTEMPT: '1', SCRATCH: scratch },
    timeoutMs: 30_000,
    idleMs: 30_000,
    config: configSchema.parse({}),
    ...overrides,
  };
}

const runLog = () => readFileSync(join(scratch, 'runs', 'A1', '1.log'), 'utf8');

describe('limits: the whole process group is stopped', () => {
  it('a timeout kills the agent and the child it started, within a few seconds', async () => {
    const script = 'sleep 100 &\necho $! > "$SCRATCH/child.pid"\necho $$ > "$SCRATCH/agent.pid"\necho started\nsleep 100';
    const result = await runAgent(request(script, { timeoutMs: 1000 }));
    expect(result).toMatchObject({ ok: false, failure: 'timeout', reason: 'timed out after 1s', exitCode: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.durationMs).toBeLessThan(3500);
    expect(isRunning(await pidFrom(join(scratch, 'agent.pid')))).toBe(false);
    expect(isRunning(await pidFrom(join(scratch, 'child.pid')))).toBe(false);
    expect(runLog()).toContain('\nstarted\n');
    expect(runLog()).toContain('result:   failed (timeout): timed out after 1s\n');
  });

  it('no output for the idle limit stops it; steady output does not', async () => {
    const silent = await runAgent(request('echo one\nsleep 100', { idleMs: 700 }));
    expect(silent).toMatchObject({ ok: false, failure: 'idle', reason: 'no output for 700ms' });
    expect(silent.durationMs).toBeLessThan(3000);

    const chatty = await runAgent(request('for i in 1 2 3 4 5 6; do echo "tick $i" >&2; sleep 0.25; done\necho finished', { idleMs: 700 }));
    expect(chatty).toMatchObject({ ok: true, exitCode: 0, finalMessage: 'finished' });
  });

  it('an abort stops it at once with reason "stopped"', async () => {
    const controller = new AbortController();
    const running = runAgent(request('echo $$ > "$SCRATCH/agent.pid"\nsleep 100', { signal: controller.signal }));
    const pid = await pidFrom(join(scratch, 'agent.pid'));
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ ok: false, failure: 'aborted', reason: 'stopped' });
    expect(result.durationMs).toBeLessThan(3000);
    expect(isRunning(pid)).toBe(false);
  });

  it('an agent that was aborted before it started is not started', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runAgent(request('touch "$SCRATCH/ran"', { signal: controller.signal }));
    expect(result).toMatchObject({ ok: false, failure: 'aborted', reason: 'stopped' });
    expect(existsSync(join(scratch, 'ran'))).toBe(false);
  });

  it('an agent that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const script = "trap '' TERM\necho $$ > \"$SCRATCH/agent.pid\"\necho ready\nwhile true; do sleep 0.1; done";
    const result = await runAgent(request(script, { timeoutMs: 500 }));
    expect(result).toMatchObject({ ok: false, failure: 'timeout', exitCode: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(3400);
    expect(result.durationMs).toBeLessThan(8000);
    expect(isRunning(await pidFrom(join(scratch, 'agent.pid')))).toBe(false);
  });

  it('a program the agent left running after it exited is stopped too', async () => {
    const result = await runAgent(request('sleep 100 &\necho $! > "$SCRATCH/child.pid"\necho done'));
    expect(result).toMatchObject({ ok: true, exitCode: 0, finalMessage: 'done' });
    // Well under the 3 s grace: the child went on SIGTERM, not on the SIGKILL that follows.
    expect(result.durationMs).toBeLessThan(3000);
    expect(isRunning(await pidFrom(join(scratch, 'child.pid')))).toBe(false);
  });
});

describe('exit codes and output', () => {
  it('a non-zero exit fails with the code and the tail of stderr', async () => {
    const result = await runAgent(request('echo working\necho "boom: bad thing" >&2\nexit 3'));
    expect(result).toMatchObject({ ok: false, failure: 'exit-code', exitCode: 3, reason: 'exited with 3: boom: bad thing' });
    expect(runLog()).toContain('working\nboom: bad thing\n');
    expect(runLog()).toContain('exit:     3\n');
  });

  it('hands every line to onOutput as it comes, partial last line included', async () => {
    const lines: string[] = [];
    await runAgent(request('echo a\necho b >&2\nprintf "no newline"', { onOutput: (line) => lines.push(line) }));
    expect(lines.sort()).toEqual(['a', 'b', 'no newline']);
  });
});

describe('the script agent', () => {
  it('runs the block with bash in the worktree, with the attempt and task in its environment', async () => {
    const script = 'pwd > where.txt\necho "$CREWTREE_TASK_ID attempt $CREWTREE_ATTEMPT" >> where.txt\ncp "$CREWTREE_PROMPT_FILE" prompt-copy.txt\necho wrote where.txt';
    const result = await runAgent(request(script, { attempt: 2, env: { CREWTREE_TASK_ID: 'A1', CREWTREE_ATTEMPT: '2' }, runLog: join(scratch, 'runs', 'A1', '2.log') }));
    expect(result).toMatchObject({ ok: true, exitCode: 0, finalMessage: 'wrote where.txt' });
    expect(repo.read('where.txt')).toBe(`${realpathSync(repo.dir)}\nA1 attempt 2\n`);
    expect(repo.read('prompt-copy.txt')).toBe('Run the script.');
    expect(readFileSync(join(scratch, 'runs', 'A1', '2.script.sh'), 'utf8')).toContain('pwd > where.txt\n');
    expect(readFileSync(join(scratch, 'runs', 'A1', '2.log'), 'utf8')).toContain(`command:  bash ${join(scratch, 'runs', 'A1', '2.script.sh')}\n`);
  });

  it('fails when the block exits non-zero', async () => {
    const result = await runAgent(request('echo "tests are red" >&2\nfalse'));
    expect(result).toMatchObject({ ok: false, exitCode: 1, reason: 'exited with 1: tests are red' });
  });

  it('never runs shell text from the title, the body outside the block, or the prompt', async () => {
    const taskBody = [
      `# $(touch ${scratch}/pwned-title); rm -rf ~`,
      '',
      `See \`touch ${scratch}/pwned-backtick\` and $(touch ${scratch}/pwned-body).`,
      '',
      `${fence}crew-script`,
      'echo safe > safe.txt',
      fence,
      '',
      `${fence}sh`,
      `touch ${scratch}/pwned-other-block`,
      fence,
    ].join('\n');
    const result = await runAgent(request('', { taskBody, prompt: `$(touch ${scratch}/pwned-prompt)` }));
    expect(result.ok).toBe(true);
    expect(repo.read('safe.txt')).toBe('safe\n');
    for (const name of ['pwned-title', 'pwned-backtick', 'pwned-body', 'pwned-other-block', 'pwned-prompt']) {
      expect(existsSync(join(scratch, name)), name).toBe(false);
    }
  });

  it('fails with a clear reason when the task has no crew-script block, and says so in the run log', async () => {
    const result = await runAgent(request('', { taskBody: 'Just prose, no block.' }));
    expect(result).toMatchObject({ ok: false, exitCode: null, failure: 'not-started', reason: 'the task has no ```crew-script block for the script agent to run' });
    expect(runLog()).toContain('result:   failed (not-started): the task has no ```crew-script block for the script agent to run\n');
  });

  it('takes its timeout from config.agents.script over the request', async () => {
    const config = configSchema.parse({ agents: { script: { timeout: '1s' } } });
    const result = await runAgent(request('sleep 100', { config, timeoutMs: 60_000 }));
    expect(result).toMatchObject({ ok: false, failure: 'timeout', reason: 'timed out after 1s' });
  });
});
