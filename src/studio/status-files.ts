import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { Reporter, WorkerEvent, WorkerPhase } from '../worker/events.js';

/** What `crew status` and the dashboard know of a running worker (runtime only, never committed). */
export interface WorkerStatus {
  worker: string;
  pid: number;
  host: string;
  task: string | null;
  title: string | null;
  phase: WorkerPhase;
  attempt: number | null;
  detail: string | null;
  phaseSince: string;
  updatedAt: string;
}

export function workersDir(commonDir: string): string {
  return join(commonDir, 'crewtree', 'workers');
}

/** A reporter that mirrors each worker's latest event into `.git/crewtree/workers/<worker>.json`. */
export function statusFileReporter(commonDir: string, host: string): Reporter & { flush(): Promise<void> } {
  const latest = new Map<string, WorkerStatus>();
  let writing: Promise<void> = mkdir(workersDir(commonDir), { recursive: true }).then(() => undefined);
  return {
    emit(event: WorkerEvent) {
      const previous = latest.get(event.worker);
      const samePhase = previous && previous.phase === event.phase && previous.task === (event.task ?? null);
      const status: WorkerStatus = {
        worker: event.worker,
        pid: process.pid,
        host,
        task: event.task ?? null,
        title: event.title ?? null,
        phase: event.phase,
        attempt: event.attempt ?? (samePhase ? previous.attempt : null),
        detail: event.detail ?? null,
        phaseSince: samePhase ? previous.phaseSince : event.time.toISOString(),
        updatedAt: event.time.toISOString(),
      };
      latest.set(event.worker, status);
      const file = join(workersDir(commonDir), `${event.worker}.json`);
      writing = writing.then(() => writeFileAtomic(file, JSON.stringify(status, null, 2))).catch(() => undefined);
    },
    flush: () => writing,
  };
}

export async function readWorkerStatuses(commonDir: string): Promise<WorkerStatus[]> {
  const files = await readdir(workersDir(commonDir)).catch(() => [] as string[]);
  const statuses: WorkerStatus[] = [];
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    const text = await readFile(join(workersDir(commonDir), file), 'utf8').catch(() => '');
    try {
      statuses.push(JSON.parse(text) as WorkerStatus);
    } catch {
      // a file being replaced: skip it this time
    }
  }
  return statuses.sort((a, b) => a.worker.localeCompare(b.worker, 'en', { numeric: true }));
}

export async function removeWorkerStatus(commonDir: string, worker: string): Promise<void> {
  await rm(join(workersDir(commonDir), `${worker}.json`), { force: true });
}

export function fanOut(...reporters: Reporter[]): Reporter {
  return { emit: (event) => reporters.forEach((reporter) => reporter.emit(event)) };
}
