import { execFileSync } from 'node:child_process';

/**
 * A short program run to completion synchronously; its stdout. NOTE: only for a lookup that must
 * stay synchronous (the text of the one task file a planner rewrites, `git cat-file blob`): it
 * blocks the event loop for as long as the program runs.
 */
export function runProcessSync(file: string, args: readonly string[], options: { cwd: string; env?: Record<string, string> }): string {
  return execFileSync(file, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}
