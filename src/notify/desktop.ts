import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { runProcess } from '../process/run.js';
import type { NotifyEvent, NotifyOutcome } from './event.js';

export async function findOnPath(program: string, path: string | undefined): Promise<string | undefined> {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

/** A desktop popup through `notify-send`, where there is one; task text only as arguments. */
export async function notifyDesktop(event: NotifyEvent, options: { cwd: string; path: string | undefined }): Promise<NotifyOutcome> {
  const program = await findOnPath('notify-send', options.path);
  if (!program) return { channel: 'desktop', result: 'skipped', detail: 'notify-send is not on PATH' };
  const heading = `crewtree: ${event.task} ${event.status}`;
  const body = `${event.title}\n${event.branch}\n${event.summary}`;
  try {
    // `--` so a title starting with a dash is never read as an option.
    await runProcess(program, ['--app-name=crewtree', '--', heading, body], { cwd: options.cwd, env: { PATH: options.path }, timeoutMs: 5000 });
    return { channel: 'desktop', result: 'sent', detail: program };
  } catch (error) {
    return { channel: 'desktop', result: 'failed', detail: error instanceof Error ? error.message : String(error) };
  }
}
