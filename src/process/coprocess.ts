// A long-lived program spoken to over its stdin and stdout, one request at a time (git's
// `cat-file --batch`, `hash-object --stdin-paths`, `mktree --batch`): one process start for many
// answers. It does not keep crewtree alive: its pipes hold the event loop only while a request is
// waiting for its answer, and it ends when crewtree does (its stdin closes; the exit hook kills it).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { onExit } from './exit-hook.js';

/** Reads one answer from the bytes received so far: the value and how many bytes it used, or undefined until more arrive. */
export type AnswerReader<T> = (received: Buffer) => { value: T; used: number } | undefined;

/** The program ended (or never started) before it answered. */
class EndedError extends Error {}

export class Coprocess {
  private child: ChildProcessWithoutNullStreams | undefined;
  private received: Buffer = Buffer.alloc(0);
  private stderr = '';
  private waiting: { read: AnswerReader<unknown>; resolve: (value: unknown) => void; reject: (error: Error) => void } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private forget: (() => void) | undefined;

  constructor(
    private readonly program: string,
    private readonly args: readonly string[],
    private readonly options: { cwd: string; env?: Record<string, string> },
  ) {}

  /**
   * Sends `input` and resolves with the answer `read` finds in what the program writes back. A
   * program that ended before answering (killed, or gone with its folder) is started again once.
   */
  request<T>(input: string, read: AnswerReader<T>): Promise<T> {
    const next = this.queue.then(() => this.exchange(input, read).catch((error: unknown) => (error instanceof EndedError ? this.exchange(input, read) : Promise.reject(error))));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The running program's pid, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Ends the program (its stdin closes); the next request starts a new one. */
  close(): void {
    const child = this.child;
    this.child = undefined;
    this.forget?.();
    this.forget = undefined;
    child?.stdin.end();
  }

  private exchange<T>(input: string, read: AnswerReader<T>): Promise<T> {
    const child = this.started();
    return new Promise<T>((resolve, reject) => {
      this.waiting = { read, resolve: resolve as (value: unknown) => void, reject };
      this.hold(child, true);
      child.stdin.write(input);
      this.answer();
    });
  }

  private started(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(this.program, this.args, { cwd: this.options.cwd, env: { ...process.env, ...this.options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.received = Buffer.alloc(0);
    this.stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
      this.answer();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    const forget = onExit(() => child.kill('SIGKILL'));
    this.forget = forget;
    const failed = (why: string) => {
      forget();
      // NOTE: a program closed on purpose (close()) ends later; its end is nobody's failure.
      if (this.child !== child) return;
      this.child = undefined;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.reject(new EndedError(`${this.program} ${this.args.join(' ')} ${why}${this.stderr.trim() ? `: ${this.stderr.trim()}` : ''}`));
    };
    child.on('error', (error) => failed(`could not run (${error.message})`));
    child.on('close', (code, signal) => failed(`ended (${signal ?? `exit ${code}`})`));
    child.stdin.on('error', () => undefined); // NOTE: an EPIPE here is reported by 'close'
    this.hold(child, false);
    return child;
  }

  private answer(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    let answer: { value: unknown; used: number } | undefined;
    try {
      answer = waiting.read(this.received);
    } catch (error) {
      this.waiting = undefined;
      this.close();
      waiting.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (!answer) return;
    this.received = this.received.subarray(answer.used);
    this.waiting = undefined;
    if (this.child) this.hold(this.child, false);
    waiting.resolve(answer.value);
  }

  /** While a request waits, the pipes keep crewtree running; between requests they do not. */
  private hold(child: ChildProcessWithoutNullStreams, held: boolean): void {
    for (const stream of [child.stdin, child.stdout, child.stderr] as unknown as Socket[]) {
      if (held) stream.ref?.();
      else stream.unref?.();
    }
    if (held) child.ref();
    else child.unref();
  }
}
