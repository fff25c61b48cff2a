import { runProcess, runProcessBytes, ProcessError, type RunOptions, type RunResult } from '../process/run.js';
import { CrewError } from '../errors.js';

export interface GitRunOptions {
  input?: string;
  env?: Record<string, string>;
  okExitCodes?: number[];
  cwd?: string;
}

/**
 * A repository as git sees it from one directory. Every call is an argument array; nothing
 * here ever goes through a shell.
 */
export class Git {
  readonly cwd: string;
  private identityArgs: string[] | undefined;

  constructor(cwd: string) {
    this.cwd = cwd;
  }

  async run(args: readonly string[], options: GitRunOptions = {}): Promise<RunResult> {
    return this.explained(args, () => runProcess('git', args, this.runOptions(options)));
  }

  /** Output that is not text (`cat-file --batch`), as the bytes git wrote. */
  async bytes(args: readonly string[], options: GitRunOptions & { maxBuffer?: number } = {}): Promise<Buffer> {
    return (await this.explained(args, () => runProcessBytes('git', args, { ...this.runOptions(options), maxBuffer: options.maxBuffer }))).stdout;
  }

  private runOptions(options: GitRunOptions): RunOptions {
    return { cwd: options.cwd ?? this.cwd, input: options.input, env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...options.env }, okExitCodes: options.okExitCodes };
  }

  private async explained<T>(args: readonly string[], run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ProcessError) {
        throw new CrewError('git-failed', `git ${args.slice(0, 3).join(' ')} failed: ${error.stderr.trim() || error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async text(args: readonly string[], options: GitRunOptions = {}): Promise<string> {
    return (await this.run(args, options)).stdout.trim();
  }

  /** `-c user.name/-c user.email` when the repository has no identity, so commits never fail on it. */
  async identity(): Promise<string[]> {
    if (this.identityArgs) return this.identityArgs;
    const result = await this.run(['config', 'user.email'], { okExitCodes: [0, 1] });
    this.identityArgs = result.stdout.trim() ? [] : ['-c', 'user.name=crewtree', '-c', 'user.email=crewtree@localhost'];
    return this.identityArgs;
  }
}

export interface RepoPaths {
  /** The top of the working tree crewtree was started in. */
  root: string;
  /** The common git directory shared by every worktree (where `.git/crewtree/` lives). */
  commonDir: string;
}

export async function findRepo(cwd: string): Promise<RepoPaths> {
  const git = new Git(cwd);
  let output: string;
  try {
    output = await git.text(['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-common-dir']);
  } catch (error) {
    throw new CrewError('not-a-repo', `${cwd} is not inside a git repository with a working tree.`, {
      hint: 'Run crewtree from your project checkout, or `git init` one first.',
      cause: error,
    });
  }
  const [root, commonDir] = output.split('\n');
  if (!root || !commonDir) throw new CrewError('not-a-repo', `${cwd} is not inside a git working tree.`);
  return { root, commonDir };
}
