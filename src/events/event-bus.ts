import type { CrewEvent } from './crew-event.js';

export type EventSink = (event: CrewEvent) => void;

/**
 * Where events go: every emitter calls `emit`, every sink subscribes. Synchronous, in emission
 * order; a sink that throws does not stop the others or the emitter.
 */
export class EventBus {
  private readonly sinks = new Set<EventSink>();

  emit(event: CrewEvent): void {
    for (const sink of this.sinks) {
      try {
        sink(event);
      } catch {
        // NOTE: output is a side show: a broken pipe or a bad sink must not fail a claim.
      }
    }
  }

  /** Adds a sink; the returned function removes it. */
  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }
}
