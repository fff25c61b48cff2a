import { openWorkspace, type OpenOptions } from '../workflows/open-workspace.js';
import type { Workspace } from '../workspace.js';
import type { Io } from './output.js';

/** What a command leaves for `main`: its exit code. */
export interface CliState {
  exitCode: number;
}

/** Wraps a command's body: its returned number becomes the exit code. */
export function action<A extends unknown[]>(state: CliState, body: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    state.exitCode = (await body(...args)) ?? 0;
  };
}

export function workspaceFor(io: Io, options: Pick<OpenOptions, 'sandbox'> = {}): Promise<Workspace> {
  return openWorkspace(io.cwd, { env: io.env, ...options });
}

export function splitList(value: string | undefined): string[] {
  return value ? value.split(',').map((item) => item.trim()).filter(Boolean) : [];
}
