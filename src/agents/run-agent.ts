import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemClock, type Clock } from '../clock.js';
import { onExit } from '../process/exit-hook.js';
import { spawnStreaming } from '../process/spawn-streaming.js';
import { unwrapped } from '../sandbox/launch.js';
import { decideOutcome, outputTail } from './outcome.js';
import { resolveAgent } from './registry.js';
import { displayCommand, formatRunFooter, formatRunHeader } from './run-log.js';
import type { AgentConfig } from '../config/schema.js';
import type { AgentAdapter, AgentInvocation, AgentRunRequest, AgentRunResult, RunFiles } from './types.js';

export { builtInAgents } from './registry.js';

/** The files of one run, beside its log: `3.log` → `3.prompt.md`, `3.script.sh`. */
export function runFiles(runLog: string): RunFiles {
  const base = runLog.endsWith('.log') ? runLog.slice(0, -'.log'.length) : runLog;
  return { base, promptFile: `${base}.prompt.md`, scriptFile: `${base}.script.sh` };
}

/** Lines kept for the reason of a failure; the whole output is in the run log. */
const STDERR_LINES_KEPT = 50;

/** The run log: written as output comes; an error writing it is reported once the run is over. */
function openLog(path: string): { write(text: string): void; close(text: string): Promise<void> } {
  const stream: WriteStream = createWriteStream(path);
  let failure: Error | undefined;
  stream.on('error', (error) => (failure ??= error));
  return {
    write: (text) => {
      if (!failure) stream.write(text);
    },
    close: (text) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        stream.end(text, () => (failure ? reject(failure) : resolve()));
      }),
  };
}

/**
 * Runs one agent in its worktree: writes the prompt beside the run log, starts the agent in its own
 * process group, streams its output into the run log and `onOutput`, enforces the timeout and the
 * idle limit, and reads the agent's own report (success, tokens, cost, final message).
 */
export async function runAgent(request: AgentRunRequest): Promise<AgentRunResult> {
  const clock = request.clock ?? systemClock;
  const { adapter, settings } = resolveAgent(request.agent, request.config);
  const timeoutMs = settings.timeout ?? request.timeoutMs;
  const idleMs = settings.idle ?? request.idleMs;
  const files = runFiles(request.runLog);
  const planned = adapter.invocation({ request, settings, files });

  await mkdir(dirname(request.runLog), { recursive: true });
  await writeFile(files.promptFile, request.prompt);
  const log = openLog(request.runLog);
  const started = clock.now();

  if ('error' in planned) {
    const result: AgentRunResult = { ok: false, exitCode: null, failure: 'not-started', reason: planned.error, durationMs: 0 };
    log.write(`crewtree run: agent ${request.agent}, attempt ${request.attempt}\n`);
    await log.close(formatRunFooter(result, clock.now()));
    return result;
  }
  const invocation: AgentInvocation = planned;
  for (const file of invocation.files) await writeFile(file.path, file.text);
  // NOTE: each run gets a temporary folder of its own: codex's sandbox lets it write there but not
  // in /tmp at large, and whatever the agent leaves in it is gone when the run ends.
  const scratch = await mkdtemp(join(tmpdir(), 'crewtree-agent-'));
  // Removed even when crewtree exits in the middle of the run.
  const unhook = onExit(() => rmSync(scratch, { recursive: true, force: true }));
  try {
    return await runInvocation(request, { adapter, settings, invocation, timeoutMs, idleMs, files, log, started, clock }, scratch);
  } finally {
    unhook();
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** What `runAgent` decided before the start. */
interface PlannedRun {
  adapter: AgentAdapter;
  settings: AgentConfig;
  invocation: AgentInvocation;
  timeoutMs: number;
  idleMs: number;
  files: RunFiles;
  log: ReturnType<typeof openLog>;
  started: Date;
  clock: Clock;
}

async function runInvocation(request: AgentRunRequest, plan: PlannedRun, scratch: string): Promise<AgentRunResult> {
  const { adapter, settings, invocation, timeoutMs, idleMs, files, log, started, clock } = plan;
  const env: Record<string, string | undefined> = {
    ...invocation.env,
    TMPDIR: scratch,
    ...settings.env,
    ...request.env,
    // NOTE: some CLIs (opencode) take their directory from PWD rather than from their cwd.
    PWD: request.worktree,
    CREWTREE_PROMPT_FILE: files.promptFile,
  };
  const launch = await (request.wrapLaunch ?? unwrapped)({ agent: request.agent, command: invocation.command, args: invocation.args, env, worktree: request.worktree, scratch });
  log.write(
    formatRunHeader({
      agent: request.agent,
      attempt: request.attempt,
      started,
      cwd: request.worktree,
      command: displayCommand(invocation, request.prompt, files.promptFile),
      stdinIsPrompt: invocation.stdin === request.prompt,
      promptFile: files.promptFile,
      promptLength: request.prompt.length,
      envNames: [...Object.keys({ ...settings.env, ...request.env }), ...launch.dotenvNames.map((name) => `${name} (from .env)`)],
      sandbox: launch.note,
      timeoutMs,
      idleMs,
    }),
  );
  if (launch.refused) {
    const result: AgentRunResult = { ok: false, exitCode: null, failure: 'not-started', reason: launch.refused, durationMs: 0 };
    await log.close(formatRunFooter(result, clock.now()));
    return result;
  }

  const stdout: string[] = [];
  const stderr: string[] = [];
  const run = await spawnStreaming(launch.command, launch.args, {
    cwd: request.worktree,
    env: launch.env,
    stdin: invocation.stdin,
    timeoutMs,
    idleMs,
    signal: request.signal,
    onLine(raw, stream) {
      const line = launch.redact(raw);
      log.write(`${line}\n`);
      if (stream === 'stdout') stdout.push(line);
      else if (stderr.push(line) > STDERR_LINES_KEPT) stderr.shift();
      try {
        request.onOutput?.(line);
      } catch {
        // a live view that fails must not stop the agent
      }
    },
  });
  const result = decideOutcome({
    agent: request.agent,
    command: invocation.command,
    run,
    parsed: adapter.parse(stdout, run.exitCode),
    timeoutMs,
    idleMs,
    tail: outputTail(stderr, stdout),
    apiErrorsOnStderr: adapter.apiErrorsOnStderr,
    now: clock.now(),
  });
  await log.close(formatRunFooter(result, clock.now()));
  return result;
}
