import { ProcessError, runProcess, tailOf } from '../process/run.js';
import type { NotifyEvent, NotifyOutcome } from './event.js';

/**
 * Runs the owner's notify command through a shell (it is their config). The event reaches it
 * as JSON on stdin and as CREWTREE_* variables, never inside the command string.
 */
export async function notifyCommand(
  command: string,
  event: NotifyEvent,
  options: { cwd: string; env: Record<string, string | undefined>; timeoutMs: number },
): Promise<NotifyOutcome> {
  try {
    await runProcess('bash', ['-c', command], {
      cwd: options.cwd,
      env: { ...options.env, CREWTREE_TASK: event.task, CREWTREE_STATUS: event.status, CREWTREE_BRANCH: event.branch },
      input: JSON.stringify(event) + '\n',
      timeoutMs: options.timeoutMs,
    });
    return { channel: 'command', result: 'sent', detail: command };
  } catch (error) {
    if (!(error instanceof ProcessError)) return { channel: 'command', result: 'failed', detail: String(error) };
    const why = error.timedOut ? `timed out after ${options.timeoutMs / 1000} s` : error.signal ? `was killed by ${error.signal}` : `exited with ${error.exitCode}`;
    const output = tailOf(error.stderr || error.stdout, 3);
    return { channel: 'command', result: 'failed', detail: `${command} ${why}${output ? `: ${output}` : ''}` };
  }
}
