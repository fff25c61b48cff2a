import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * The program `command` names, as the kernel would find it: a path (relative to `cwd`) or a name
 * looked up on PATH. NOTE: a program started through the supervisor is exec'd by /bin/sh, which
 * reports a missing program as exit 127; looking first keeps "not found" a start error.
 */
export async function findProgram(command: string, cwd: string, path: string | undefined): Promise<{ file: string } | { error: NodeJS.ErrnoException }> {
  const candidates = command.includes('/') ? [isAbsolute(command) ? command : resolve(cwd, command)] : (path ?? '').split(delimiter).filter(Boolean).map((dir) => join(isAbsolute(dir) ? dir : resolve(cwd, dir), command));
  let denied = false;
  for (const file of candidates) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    if (await access(file, constants.X_OK).then(() => true, () => false)) return { file };
    denied = true;
  }
  const code = denied ? 'EACCES' : 'ENOENT';
  return { error: Object.assign(new Error(`${command}: ${denied ? 'not executable' : 'not found'}`), { code }) };
}
