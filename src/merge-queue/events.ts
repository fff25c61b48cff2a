import type { BatchMode } from './bisect.js';
import type { QueueResult } from './records.js';

/** What the queue runner does, as data: `crew merge` prints it, tests and benchmarks count it. */
export type QueueEvent =
  | { kind: 'took-over'; reason: string }
  /** Another live runner holds the lease; this one waits for it to finish (or to die). */
  | { kind: 'waiting'; reason: string }
  | { kind: 'batch'; ids: string[]; commit: string; base: string; mode: BatchMode }
  | { kind: 'deferred'; id: string; reason: string }
  | { kind: 'gating'; ids: string[]; commit: string }
  | { kind: 'gated'; ids: string[]; ok: boolean; command?: string; durationMs: number; reused?: 'tip' | 'memory' }
  | { kind: 'rebuild'; ids: string[]; reason: string }
  | { kind: 'settled'; result: QueueResult }
  | { kind: 'dropped'; id: string; reason: string }
  | { kind: 'stopped'; reason: string };

export type QueueEventSink = (event: QueueEvent) => void;
