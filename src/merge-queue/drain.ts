import { join } from 'node:path';
import { isCrewError } from '../errors.js';
import { runGate } from '../gate/run-gate.js';
import { filesChangedOnBranch } from '../git/history.js';
import { sameCodeOutside } from '../git/merge.js';
import { land } from '../state/land.js';
import { recordEvents } from '../state/record-events.js';
import { readSnapshot, type StateSnapshot } from '../state/snapshot.js';
import { stateMemo } from '../state/state-memo.js';
import { readBase } from '../state/transaction.js';
import type { TaskEvent } from '../task-log/events.js';
import { journaledLogText } from '../task-log/journal.js';
import { taskCommitMessage } from '../worktree/commit.js';
import type { Workspace } from '../workspace.js';
import { buildBatch } from './build-batch.js';
import { listEntries, type EntryCache } from './entries.js';
import type { QueueEventSink } from './events.js';
import { IntegrationCheckout, queueDir } from './integration-checkout.js';
import { findLanding } from './landed-already.js';
import type { HeldLease } from './lease.js';
import { afterVerdict, freshMemory, planBatch, type BisectMemory } from './bisect.js';
import { namedByOutput } from './blame.js';
import { batchGate, batchMessage, classifyEntry, queuedDetail, unloggedEntries } from './plan.js';
import type { QueueEntry, QueueOutcome, QueueResult } from './records.js';
import { dropBrokenEntry, settleEntries } from './results.js';
import { pauseAt } from './test-pause.js';
import { codeKey, VerdictMemory, type Verdict } from './verdicts.js';

export interface DrainOptions {
  lease: HeldLease;
  /** Environment for the gate commands (the driving worker's ports). */
  env: Record<string, string>;
  /** Land only this task's entry (`crew merge ID`); the others keep waiting. */
  only?: string;
  signal?: AbortSignal;
  onEvent?: QueueEventSink;
  /** Who runs the queue, for the log. */
  actor: string;
  /** Asked before each round: false ends the drain there (nobody waits for the rest). */
  wanted?: () => boolean;
}

export interface DrainSummary {
  /** Every entry this run settled, in order. */
  results: QueueResult[];
  /** Gate commands actually run (a verdict reused from the tip or memory is not a run). */
  gateRuns: number;
  batches: number;
  /** Why the run ended before the queue was empty, if it did. */
  stopped?: string;
}

interface Run {
  ws: Workspace;
  /** Reads this run need not repeat: entry commits, the backlog at a base, files an entry changed. */
  entryCache: EntryCache;
  snapshot: StateSnapshot | undefined;
  changedFiles: Map<string, string[]>;
  /** Culprits found but not yet settled: their `gate-failed` line rides on the next state commit. */
  culprits: { entry: QueueEntry; verdict: Verdict; round: number }[];
  round: number;
  options: DrainOptions;
  summary: DrainSummary;
  memory: BisectMemory;
  verdicts: VerdictMemory;
  checkout: IntegrationCheckout;
  signal: AbortSignal;
  emit: QueueEventSink;
}

type RoundEnd = 'again' | 'empty' | 'stopped';

/**
 * Drains the merge queue while holding its lease: round after round, settle entries whose
 * task moved on, build the next batch onto the current base, gate exactly that commit, and
 * land it with the fenced compare-and-swap (or bisect a red batch). Every step before the
 * landing only writes unreferenced objects, so a crash at any point leaves nothing half-landed.
 */
export async function drainQueue(ws: Workspace, options: DrainOptions): Promise<DrainSummary> {
  const signal = options.signal ? AbortSignal.any([options.signal, options.lease.signal]) : options.lease.signal;
  const run: Run = {
    ws,
    entryCache: new Map(),
    snapshot: undefined,
    changedFiles: new Map(),
    culprits: [],
    round: 0,
    options,
    summary: { results: [], gateRuns: 0, batches: 0 },
    memory: freshMemory,
    verdicts: new VerdictMemory(),
    checkout: new IntegrationCheckout(ws),
    signal,
    emit: options.onEvent ?? (() => undefined),
  };
  try {
    for (;;) {
      if (signal.aborted) {
        run.summary.stopped = reasonOf(signal);
        run.emit({ kind: 'stopped', reason: run.summary.stopped });
        break;
      }
      if (options.wanted && !options.wanted()) break;
      const end = await runRound(run);
      if (end === 'empty') break;
      if (end === 'stopped') {
        run.summary.stopped = reasonOf(signal);
        run.emit({ kind: 'stopped', reason: run.summary.stopped });
        break;
      }
    }
    await settleCulprits(run);
  } finally {
    await run.checkout.remove().catch(() => undefined);
  }
  return run.summary;
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'stopped');
}

/** Publishes results (entries replaced by a newer one or settled by another runner meanwhile are skipped). */
async function settle(run: Run, settled: { entry: QueueEntry; outcome: QueueOutcome }[]): Promise<void> {
  for (const result of await settleEntries(run.ws.git, settled, run.ws.clock.now())) {
    run.summary.results.push(result);
    run.emit({ kind: 'settled', result });
  }
}

/** Settles entries whose task moved on; returns the base and the entries still waiting to land. */
async function sortOut(run: Run): Promise<{ base: string; waiting: QueueEntry[] } | undefined> {
  const { ws } = run;
  const listed = await listEntries(ws.git, run.entryCache);
  for (const [id, oid] of listed.broken) {
    await dropBrokenEntry(ws.git, id, oid);
    run.emit({ kind: 'dropped', id, reason: 'its queue entry is unreadable' });
  }
  const pending = new Set(run.culprits.map((culprit) => culprit.entry.entry));
  const entries = listed.entries.filter((entry) => !pending.has(entry.entry) && (run.options.only === undefined || entry.id === run.options.only));
  if (entries.length === 0) return undefined;
  let base = await readBase(ws);
  // NOTE: the backlog at one commit never changes; after a red gate the base is usually where it was.
  // NOTE: through the state memo: only the files that changed since the last read are fetched and parsed.
  const snapshot = run.snapshot?.commit === base ? run.snapshot : await readSnapshot(ws.git, base, ws.config.backlog, await stateMemo(ws));
  run.snapshot = snapshot;
  const waiting: QueueEntry[] = [];
  const settled: { entry: QueueEntry; outcome: QueueOutcome }[] = [];
  for (const entry of entries) {
    const state = classifyEntry(entry, snapshot.backlog.tasks.find((task) => task.id === entry.id));
    if (state.kind === 'waiting') {
      waiting.push(entry);
    } else if (state.kind === 'fenced') {
      settled.push({ entry, outcome: { kind: 'fenced', message: state.message } });
    } else {
      const commit = await findLanding(ws.git, base, entry, snapshot.taskLog);
      const message = `${entry.id} is done, but ${entry.branch} at ${entry.tip.slice(0, 8)} is not on ${ws.config.base}; it was not landed.`;
      settled.push({ entry, outcome: commit ? { kind: 'landed', commit, regated: false, batch: [entry.id] } : { kind: 'fenced', message } });
    }
  }
  await settle(run, settled);
  // NOTE: `queued` lines wait in the journal for the landing commit; what waits there counts as logged.
  const unlogged = unloggedEntries(waiting, snapshot.taskLog + (await journaledLogText(ws.commonDir)));
  if (unlogged.length > 0) await logQueued(ws, unlogged);
  return { base, waiting };
}

/** A `queued` line for each entry the runner takes in, carried by the next state commit. */
async function logQueued(ws: Workspace, entries: QueueEntry[]): Promise<void> {
  const now = ws.clock.now();
  await recordEvents(ws, entries.map((entry) => ({ time: now, worker: entry.worker, task: entry.id, event: 'queued' as const, detail: queuedDetail(entry) })));
}

async function runRound(run: Run): Promise<RoundEnd> {
  const { ws } = run;
  run.round++;
  // NOTE: a culprit waits for the next landing to carry its log line, but not longer than one round.
  if (run.culprits.some((culprit) => culprit.round < run.round - 1)) await settleCulprits(run);
  const sorted = await sortOut(run);
  if (sorted === undefined) return 'empty';
  const { base, waiting } = sorted;
  if (waiting.length === 0) return 'again';
  const plan = planBatch(waiting, run.memory, ws.config.merge.batch);
  const tasks = new Map(run.snapshot?.backlog.tasks.map((task) => [task.id, task]));
  const built = await buildBatch(ws.git, base, plan, {
    strategy: ws.config.merge.strategy,
    mergeMessage: batchMessage,
    squashMessage: (entry) => taskCommitMessage(tasks.get(entry.id) ?? { id: entry.id, title: entry.title, type: 'feat' }),
  });
  await settle(run, built.conflicts.map(({ entry, files }) => ({ entry, outcome: { kind: 'conflict', files } })));
  for (const entry of built.deferred) run.emit({ kind: 'deferred', id: entry.id, reason: `conflicts with ${built.batch.map((e) => e.id).join(', ')}; waits for the next batch` });
  if (!built.merged) return 'again';
  const { batch, merged, steps } = built;
  const ids = batch.map((entry) => entry.id);
  run.summary.batches++;
  run.emit({ kind: 'batch', ids, commit: merged, base, mode: plan.mode });
  await pauseAt(ws, 'built');

  const verdict = await judge(run, batch, merged, plan.mode !== 'fresh');
  if (!verdict) return 'stopped';
  await pauseAt(ws, 'gated');
  if (!verdict.ok) {
    run.memory = afterVerdict(run.memory, batch, false, batch.length > 1 ? await blame(run, base, batch, verdict.tail) : []);
    const [culprit] = batch;
    if (batch.length === 1 && culprit) run.culprits.push({ entry: culprit, verdict, round: run.round });
    return 'again';
  }
  if (run.options.lease.lost) return 'stopped';
  try {
    const landed = batch.map((entry) => ({ id: entry.id, token: entry.token, tip: entry.tip, branch: entry.branch }));
    const culprits = run.culprits.splice(0);
    const events = culprits.map(({ entry, verdict: failed }) => gateFailedEvent(ws, entry, failed));
    const landing = await land(ws, { steps, onto: base, tasks: landed, actor: run.options.actor, events }).catch((error: unknown) => {
      run.culprits.unshift(...culprits);
      throw error;
    });
    await pauseAt(ws, 'landed');
    run.memory = afterVerdict(run.memory, batch, true);
    await settle(run, [
      ...culprits.map(({ entry, verdict: failed }) => ({ entry, outcome: gateFailedOutcome(entry, failed) })),
      ...batch.map((entry) => ({ entry, outcome: { kind: 'landed' as const, commit: landing.commit, regated: !verdict.fromTip, batch: ids } })),
    ]);
  } catch (error) {
    if (isCrewError(error, 'base-moved') || isCrewError(error, 'fenced')) {
      // NOTE: no bisecting here: a moved base or a lost lock says nothing about the batch's code.
      run.emit({ kind: 'rebuild', ids, reason: error.message });
      return 'again';
    }
    throw error;
  }
  return 'again';
}

/** Entries of a red batch whose own changes (since they left the base) the failure output names. */
async function blame(run: Run, base: string, batch: QueueEntry[], tail: string): Promise<string[]> {
  const changed = new Map<string, string[]>();
  for (const entry of batch) {
    let files = run.changedFiles.get(entry.entry);
    if (!files) {
      files = await filesChangedOnBranch(run.ws.git, base, entry.tip);
      run.changedFiles.set(entry.entry, files);
    }
    changed.set(entry.entry, files);
  }
  return namedByOutput(tail, changed, run.ws.config.backlog);
}

/**
 * The verdict on the merged commit: reused when its code was already judged, else the gate
 * runs. Only a search after a red batch rebuilds code already seen, so only it asks the memory.
 */
async function judge(run: Run, batch: QueueEntry[], merged: string, searching: boolean): Promise<(Verdict & { fromTip: boolean }) | undefined> {
  const { ws } = run;
  const ids = batch.map((entry) => entry.id);
  const [single] = batch;
  if (batch.length === 1 && single && (await sameCodeOutside(ws.git, merged, single.tip, ws.config.backlog))) {
    // NOTE: the tip passed this very gate in its worktree (the Lander contract), and the merge adds no code to it.
    run.emit({ kind: 'gated', ids, ok: true, durationMs: 0, reused: 'tip' });
    return { ok: true, command: '', tail: '', fromTip: true };
  }
  const commands = batchGate(batch);
  const key = await codeKey(ws.git, merged, ws.config.backlog);
  const known = searching ? run.verdicts.recall(key, commands) : undefined;
  if (known) {
    run.emit({ kind: 'gated', ids, ok: known.ok, command: known.command || undefined, durationMs: 0, reused: 'memory' });
    return { ...known, fromTip: false };
  }
  const since = ws.clock.now().toISOString();
  // NOTE: not awaited: the lease says what is being gated for status views; the gate need not wait for it.
  run.options.lease.renew({ ids, commit: merged, since }).catch(() => undefined);
  run.emit({ kind: 'gating', ids, commit: merged });
  // NOTE: no gate commands, nothing to run: the merged commit is not checked out for them.
  const cwd = commands.length > 0 ? await run.checkout.checkout(merged) : ws.root;
  const logFile = join(queueDir(ws), 'logs', `${since.replace(/[:.]/g, '-')}-${ids.slice(0, 4).join('-')}.log`);
  const gate = await runGate({ cwd, commands, env: run.options.env, timeoutMs: ws.config.timeout, logFile, signal: run.signal });
  if (commands.length > 0) run.summary.gateRuns++;
  if (gate.failed?.stopped || run.signal.aborted) return undefined;
  run.options.lease.renew(null).catch(() => undefined);
  const command = gate.failed ? `${gate.failed.command}${gate.failed.timedOut ? ' (timed out)' : ''}` : '';
  const verdict: Verdict = { ok: gate.ok, command, tail: gate.tail, log: logFile };
  run.verdicts.remember(key, commands, verdict);
  run.emit({ kind: 'gated', ids, ok: gate.ok, command: command || undefined, durationMs: gate.durationMs });
  return { ...verdict, fromTip: false };
}

function gateFailedEvent(ws: Workspace, entry: QueueEntry, verdict: Verdict): TaskEvent {
  const detail = `merge queue: \`${verdict.command}\` failed on the merge of ${entry.branch} with ${ws.config.base}`;
  return { time: ws.clock.now(), worker: entry.worker, task: entry.id, event: 'gate-failed', detail };
}

function gateFailedOutcome(entry: QueueEntry, verdict: Verdict): QueueOutcome {
  return { kind: 'gate-failed', command: verdict.command, tail: verdict.tail, batch: [entry.id], ...(verdict.log ? { log: verdict.log } : {}) };
}

/**
 * Settles the culprits found since the last landing, after journaling their `gate-failed`
 * lines for the next state commit. Until then they stay queued, so a crash only means gating
 * them again.
 */
async function settleCulprits(run: Run): Promise<void> {
  const culprits = run.culprits.splice(0);
  if (culprits.length === 0) return;
  await recordEvents(run.ws, culprits.map(({ entry, verdict }) => gateFailedEvent(run.ws, entry, verdict)));
  await settle(run, culprits.map(({ entry, verdict }) => ({ entry, outcome: gateFailedOutcome(entry, verdict) })));
}
