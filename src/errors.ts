import { singleLine } from './terminal/safe-text.js';
/** Exit codes of design section 9. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  nothingToDo: 3,
  lostRace: 4,
  blocked: 5,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | 'usage'
  | 'config-invalid'
  | 'backlog-invalid'
  | 'not-a-repo'
  | 'task-not-found'
  | 'task-exists'
  | 'nothing-eligible'
  | 'lock-held'
  | 'base-moved'
  | 'fenced'
  | 'not-holder'
  | 'checkout-dirty'
  | 'gate-failed'
  | 'setup-failed'
  | 'blocked'
  | 'git-failed'
  | 'agent-failed'
  | 'remote-failed'
  | 'sandbox-unavailable';

const exitCodes: Record<ErrorCode, ExitCodeValue> = {
  usage: ExitCode.usage,
  'config-invalid': ExitCode.usage,
  'backlog-invalid': ExitCode.usage,
  'not-a-repo': ExitCode.usage,
  'task-not-found': ExitCode.usage,
  'task-exists': ExitCode.usage,
  'nothing-eligible': ExitCode.nothingToDo,
  'lock-held': ExitCode.lostRace,
  'base-moved': ExitCode.lostRace,
  fenced: ExitCode.lostRace,
  'not-holder': ExitCode.lostRace,
  'checkout-dirty': ExitCode.failed,
  'gate-failed': ExitCode.blocked,
  'setup-failed': ExitCode.failed,
  blocked: ExitCode.blocked,
  'git-failed': ExitCode.failed,
  'agent-failed': ExitCode.failed,
  'remote-failed': ExitCode.failed,
  'sandbox-unavailable': ExitCode.failed,
};

/**
 * An error the user can act on: it prints its message and hint, never a stack.
 * Anything else that reaches the CLI's catch is a bug and prints its stack.
 */
export class CrewError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: string[];

  constructor(code: ErrorCode, message: string, options: { hint?: string; details?: string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CrewError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }

  get exitCode(): ExitCodeValue {
    return exitCodes[this.code];
  }
}

export function isCrewError(error: unknown, code?: ErrorCode): error is CrewError {
  return error instanceof CrewError && (code === undefined || error.code === code);
}

/** A problem found in a user's file: `path:line: message (expected ...)`. */
export interface Problem {
  path: string;
  line: number;
  message: string;
}

/** `path:line: message`; a problem that has no line (line 0, e.g. an environment variable) prints `path: message`. */
export function formatProblem(problem: Problem): string {
  // NOTE: paths and messages quote users' files; they never reach a terminal raw (issue 12).
  const path = singleLine(problem.path);
  const message = singleLine(problem.message);
  return problem.line > 0 ? `${path}:${problem.line}: ${message}` : `${path}: ${message}`;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.message.localeCompare(b.message));
}
