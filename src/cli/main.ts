import { Command, CommanderError } from 'commander';
import { CrewError, ExitCode } from '../errors.js';
import type { CliState } from './action.js';
import { crewCommand, pasteable } from './crew-command.js';
import { processIo, type Io } from './output.js';
import { commandModules } from './commands/index.js';

function report(io: Io, error: unknown): number {
  if (error instanceof CrewError) {
    // NOTE: the commands a message or hint names must work when pasted, `crew` on PATH or not.
    const paste = (text: string) => pasteable(text, crewCommand(io.env));
    io.err(`crew: ${paste(error.message)}`);
    for (const line of error.details) io.err(`  ${line}`);
    if (error.hint) io.err(`hint: ${paste(error.hint)}`);
    return error.exitCode;
  }
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : ExitCode.usage;
  }
  io.err(`crew: unexpected error (a bug; please report it with this output)`);
  io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return ExitCode.failed;
}

/**
 * The command modules a command line needs: the one it names, none for a bare `--version`,
 * all of them for help or an unknown command (so help lists every command).
 */
export function modulesFor(argv: readonly string[]): typeof commandModules {
  const name = argv.find((arg) => !arg.startsWith('-'));
  if (name === undefined && argv.length > 0 && argv.every((arg) => arg === '--version' || arg === '-V')) return [];
  const named = commandModules.filter(([names]) => name !== undefined && names.includes(name));
  return named.length > 0 ? named : commandModules;
}

/** The program with the commands `argv` names (all of them for help or an unknown command). */
export async function buildProgram(io: Io, state: CliState, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('crew')
    .description('crewtree: AI coding workers in parallel, one task and one git worktree each, gated into main.')
    .version('0.1.0')
    .showHelpAfterError('(run `crew --help` for usage)')
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .exitOverride();
  const registers = await Promise.all(modulesFor(argv).map(([, load]) => load()));
  for (const register of registers) register(program, io, state);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });
    for (const sub of command.commands) sub.exitOverride().configureOutput({ writeOut: (t) => io.out(t.trimEnd()), writeErr: (t) => io.err(t.trimEnd()) });
  }
  return program;
}

/** Runs one command line; the only top-level catch, turning errors into exit codes. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const state: CliState = { exitCode: ExitCode.ok };
  try {
    await (await buildProgram(io, state, argv)).parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    return report(io, error);
  }
}

export async function runCli(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2));
}
