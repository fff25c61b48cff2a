import { describe, expect, it } from 'vitest';
import { eventLine, taskLogged, type CrewEvent } from '../../../src/events/crew-event.js';
import { EventBus } from '../../../src/events/event-bus.js';
import { busReporter, eventTokens, type WorkerEvent } from '../../../src/worker/events.js';
import { queueProgress } from '../../../src/worker/queue-events.js';

const time = new Date('2026-11-27T10:00:00.000Z');

describe('EventBus', () => {
  it('hands each event to every sink in emission order; a throwing sink stops nobody; unsubscribe stops one', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('broken pipe');
    });
    const stop = bus.subscribe((event) => seen.push(`a:${event.type}`));
    bus.subscribe((event) => seen.push(`b:${event.type}`));
    bus.emit(taskLogged({ time, worker: 'w1', task: 'T1', event: 'started', detail: 'picked from backlog' }));
    stop();
    bus.emit({ type: 'worker', time, worker: 'w1', phase: 'idle' });
    expect(seen).toEqual(['a:task', 'b:task', 'b:worker']);
  });
});

describe('event lines', () => {
  it('a task-log line as one JSON line with an ISO time', () => {
    const event: CrewEvent = taskLogged({ time, worker: 'w1', task: 'T1', event: 'gate-passed', detail: 'attempt 1' });
    expect(eventLine(event)).toBe('{"type":"task","time":"2026-11-27T10:00:00.000Z","task":"T1","worker":"w1","event":"gate-passed","detail":"attempt 1"}');
  });

  it('a worker event carries its attempt and the tokens its agent reported; absent fields stay out', () => {
    const onBus = (event: WorkerEvent): CrewEvent[] => {
      const bus = new EventBus();
      const seen: CrewEvent[] = [];
      bus.subscribe((sent) => seen.push(sent));
      busReporter(bus).emit(event);
      return seen;
    };
    const [event] = onBus({ worker: 'w1', task: 'T1', title: 'One', phase: 'gate', attempt: 2, detail: 'npm test', time, tokens: eventTokens({ inputTokens: 1200, outputTokens: 30, costUsd: 0.01 }) });
    expect(JSON.parse(eventLine(event!))).toEqual({ type: 'worker', time: time.toISOString(), worker: 'w1', task: 'T1', title: 'One', phase: 'gate', attempt: 2, detail: 'npm test', tokens: { input: 1200, output: 30, costUsd: 0.01 } });
    expect(JSON.parse(eventLine(onBus({ worker: 'w1', phase: 'claiming', time })[0]!))).toEqual({ type: 'worker', time: time.toISOString(), worker: 'w1', phase: 'claiming' });
    expect(eventTokens({ inputTokens: 5, outputTokens: 1 })).toEqual({ input: 5, output: 1 });
  });

  it('merge-queue steps name their tasks, the commit and the outcome', () => {
    const landed = 'a'.repeat(40);
    const result = { kind: 'landed' as const, commit: landed, regated: true, batch: ['T1'], id: 'T1', entry: 'b'.repeat(40), tip: 'c'.repeat(40), branch: 'ai/w1/T1-one', at: time.toISOString() };
    expect(queueProgress({ kind: 'settled', result }, time)).toEqual({ type: 'queue', time, step: 'settled', tasks: ['T1'], outcome: 'landed', commit: landed });
    expect(queueProgress({ kind: 'gated', ids: ['T1', 'T2'], ok: false, command: 'npm test', durationMs: 1200 }, time)).toEqual({ type: 'queue', time, step: 'gated', tasks: ['T1', 'T2'], ok: false, detail: 'npm test; 1200 ms' });
    expect(queueProgress({ kind: 'waiting', reason: 'w2 holds the queue' }, time)).toEqual({ type: 'queue', time, step: 'waiting', tasks: [], detail: 'w2 holds the queue' });
  });
});
