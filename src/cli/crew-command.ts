import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/**
 * The command a user pastes to run this crewtree: `crew` when the `crew` on PATH is this very
 * program, else `node <its bin>` (after `npm install && npx crew demo` in a clone, `crew` is not
 * on PATH, and `npx crew` outside the clone asks npm for a package).
 */
export function chooseCrewCommand(self: string | undefined, crewOnPath: string | undefined): string {
  if (!self || (crewOnPath !== undefined && crewOnPath === self)) return 'crew';
  return `node ${shellWord(self)}`;
}

/** A path as one shell word: as it is when it is plain, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * `crew` where a command starts (after a backtick, at a line start, after `&&`, `;` or `·`)
 * replaced by `command`, so that hints and suggested commands work when pasted.
 */
export function pasteable(text: string, command: string): string {
  if (command === 'crew') return text;
  return text.replace(/(^|\n|`|&& |; |· |\$ )( *)crew(?= [a-z-])/g, (_match, before: string, spaces: string) => `${before}${spaces}${command}`);
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Under `npx` (npm exec), npm puts bin folders on PATH for that one run: a `crew` found there is
 * gone from the user's shell once crewtree exits.
 */
export function lastsBeyondNpx(dir: string, env: Record<string, string | undefined>): boolean {
  return env.npm_command !== 'exec' || !/node_modules[\\/]\.bin$|[\\/]_npx[\\/]/.test(dir);
}

function findCrewOnPath(env: Record<string, string | undefined>): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !lastsBeyondNpx(dir, env)) continue;
    const candidate = join(dir, 'crew');
    try {
      accessSync(candidate, constants.X_OK);
      return realpathOrUndefined(candidate);
    } catch {
      // not here
    }
  }
  return undefined;
}

let cached: string | undefined;

/** This process's pasteable crew command, looked up once (only when something prints a command). */
export function crewCommand(env: Record<string, string | undefined>, script: string | undefined = process.argv[1]): string {
  cached ??= chooseCrewCommand(script === undefined ? undefined : realpathOrUndefined(script), findCrewOnPath(env));
  return cached;
}

/** When `crew` is not on PATH: how to put it there, from the clone this program runs from. */
export function linkHint(env: Record<string, string | undefined>, script: string | undefined = process.argv[1]): string | undefined {
  if (crewCommand(env, script) === 'crew' || script === undefined) return undefined;
  const clone = dirname(dirname(realpathOrUndefined(script) ?? script));
  return `crew is not on your PATH, so these run it with node; \`cd ${shellWord(clone)} && npm link\` (or \`npm install -g .\`) puts it there for good.`;
}
