import { formatElapsed } from '../terminal/duration-text.js';
import { fitLine } from '../terminal/fit.js';
import { paint } from '../terminal/paint.js';
import { redrawer } from '../terminal/redraw.js';
import { formatWorkerEvent, phaseLabel, type Reporter, type WorkerEvent } from '../worker/events.js';

export interface ViewTotals {
  done: number;
  blocked: number;
  review: number;
  waiting: number;
}

/** One line per worker and a footer: the pure render of the live view. */
export function renderLiveView(workers: WorkerEvent[], since: Map<string, Date>, totals: ViewTotals, now: Date, color: boolean, width: number): string[] {
  const lines = workers.map((event) => {
    const started = since.get(event.worker) ?? event.time;
    const task = event.task ? `${event.task} ${event.title ?? ''}`.trim() : '-';
    const attempt = event.attempt ? ` #${event.attempt}` : '';
    const phase = paint(color, event.phase === 'blocked' ? 'red' : event.phase === 'done' ? 'green' : 'cyan', phaseLabel(event).padEnd(8));
    return `${event.worker.padEnd(12)} ${phase} ${formatElapsed(now.getTime() - started.getTime(), { compact: true }).padStart(6)}${attempt.padEnd(4)} ${task}`;
  });
  lines.push(paint(color, 'dim', `done ${totals.done} · blocked ${totals.blocked} · review ${totals.review} · waiting ${totals.waiting}   (Ctrl-C stops cleanly)`));
  // NOTE: one column spare: a line as wide as the terminal wraps on some terminals and the redraw drifts.
  return lines.map((line) => fitLine(line, width - 1));
}

/** Waiting for work: a worker that goes from one to the other has nothing new to say in a pipe. */
const waiting = new Set(['claiming', 'idle']);

/** Whether a plain (piped) log shows this event: state changes, not each idle poll. */
export function isPlainWorthy(previous: WorkerEvent | undefined, event: WorkerEvent): boolean {
  if (!previous) return true;
  if (waiting.has(previous.phase) && waiting.has(event.phase) && !event.task && !previous.task) return false;
  return previous.phase !== event.phase || previous.task !== event.task || previous.attempt !== event.attempt || previous.detail !== event.detail;
}

/** The terminal reporter: a redrawn table on a TTY, one plain line per state change in a pipe. */
export function terminalReporter(options: { interactive: boolean; color: boolean; write: (text: string) => void; width: () => number }): Reporter & {
  setTotals(totals: ViewTotals): void;
  stop(): void;
} {
  const workers = new Map<string, WorkerEvent>();
  const phaseSince = new Map<string, Date>();
  let totals: ViewTotals = { done: 0, blocked: 0, review: 0, waiting: 0 };
  let stopped = false;
  const screen = options.interactive ? redrawer(options.write, options.width) : undefined;
  const draw = () => screen?.draw(renderLiveView([...workers.values()], phaseSince, totals, new Date(), options.color, options.width()));
  const timer = options.interactive ? setInterval(draw, 500) : undefined;
  timer?.unref();
  return {
    emit(event) {
      const previous = workers.get(event.worker);
      if (!previous || previous.phase !== event.phase || previous.task !== event.task) phaseSince.set(event.worker, event.time);
      const next = { ...event, attempt: event.attempt ?? (previous?.task === event.task ? previous?.attempt : undefined) };
      workers.set(event.worker, next);
      if (!options.interactive && isPlainWorthy(previous, next)) options.write(formatWorkerEvent(event) + '\n');
    },
    setTotals(next) {
      totals = next;
    },
    stop() {
      // NOTE: idempotent: a second redraw would move the cursor up over whatever was printed since.
      if (timer && !stopped) {
        clearInterval(timer);
        draw();
        screen?.done();
      }
      stopped = true;
    },
  };
}
