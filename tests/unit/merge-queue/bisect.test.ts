import { describe, expect, it } from 'vitest';
import { afterVerdict, freshMemory, planBatch } from '../../../src/merge-queue/bisect.js';
import type { QueueEntry } from '../../../src/merge-queue/records.js';
import { entry } from './queue-entry.js';

const waiting = ['A', 'B', 'C', 'D', 'E', 'F'].map((id) => entry(id));
const ids = (list: readonly QueueEntry[]) => list.map((e) => e.id);
const byId = (...names: string[]) => waiting.filter((e) => names.includes(e.id));

describe('planBatch and afterVerdict: batching and the search for culprits', () => {
  it('takes the oldest entries up to the batch size when nothing is suspect', () => {
    const plan = planBatch(waiting, freshMemory, 4);
    expect([ids(plan.candidates), plan.limit, plan.mode]).toEqual([['A', 'B', 'C', 'D', 'E', 'F'], 4, 'fresh']);
  });

  it('after a red batch of four (output naming none) gates its first half, then the rest, down to one culprit', () => {
    let memory = afterVerdict(freshMemory, byId('A', 'B', 'C', 'D'), false);
    expect(memory).toEqual({ suspects: ['e-A', 'e-B', 'e-C', 'e-D'], named: [] });
    let plan = planBatch(waiting, memory, 4);
    expect([ids(plan.candidates), plan.limit, plan.mode]).toEqual([['A', 'B', 'C', 'D'], 2, 'bisect']);
    memory = afterVerdict(memory, byId('A', 'B'), true); // A, B green: landed
    plan = planBatch(waiting.slice(2), memory, 4);
    expect([ids(plan.candidates), plan.limit]).toEqual([['C', 'D'], 1]);
    memory = afterVerdict(memory, byId('C'), false); // C alone red: the culprit
    expect(memory).toEqual(freshMemory);
    plan = planBatch(waiting.slice(3), memory, 4);
    expect([ids(plan.candidates), plan.limit, plan.mode]).toEqual([['D', 'E', 'F'], 4, 'fresh']);
  });

  it('narrows to the red half when the first half fails', () => {
    let memory = afterVerdict(freshMemory, byId('A', 'B', 'C', 'D'), false);
    memory = afterVerdict(memory, byId('A', 'B'), false);
    expect(memory.suspects).toEqual(['e-A', 'e-B']);
    const plan = planBatch(waiting, memory, 4);
    expect([ids(plan.candidates), plan.limit]).toEqual([['A', 'B'], 1]);
  });

  it('when the failure output names some entries, gates the others first; green leaves only the named ones suspect', () => {
    let memory = afterVerdict(freshMemory, byId('A', 'B', 'C', 'D'), false, ['e-C']);
    expect(memory).toEqual({ suspects: ['e-A', 'e-B', 'e-C', 'e-D'], named: ['e-C'] });
    let plan = planBatch(waiting, memory, 4);
    expect([ids(plan.candidates), plan.limit, plan.mode]).toEqual([['A', 'B', 'D'], 3, 'exonerate']);
    memory = afterVerdict(memory, byId('A', 'B', 'D'), true);
    expect(memory).toEqual({ suspects: ['e-C'], named: ['e-C'] });
    plan = planBatch(byId('C', 'E', 'F'), memory, 4);
    expect([ids(plan.candidates), plan.limit, plan.mode]).toEqual([['C'], 1, 'bisect']);
  });

  it('when the named entries were wrongly blamed (the others are red too), searches the others', () => {
    let memory = afterVerdict(freshMemory, byId('A', 'B', 'C', 'D'), false, ['e-C']);
    memory = afterVerdict(memory, byId('A', 'B', 'D'), false, []);
    expect(memory).toEqual({ suspects: ['e-A', 'e-B', 'e-D'], named: [] });
    const plan = planBatch(waiting, memory, 4);
    expect([ids(plan.candidates), plan.limit, plan.mode]).toEqual([['A', 'B', 'D'], 2, 'bisect']);
  });

  it('bisects as usual when the output names every suspect', () => {
    const memory = afterVerdict(freshMemory, byId('A', 'B'), false, ['e-A', 'e-B']);
    const plan = planBatch(waiting, memory, 4);
    expect([ids(plan.candidates), plan.limit, plan.mode]).toEqual([['A', 'B'], 1, 'bisect']);
  });

  it('forgets suspects that are no longer waiting (settled meanwhile)', () => {
    const plan = planBatch(waiting.slice(2), { suspects: ['e-A', 'e-B'], named: [] }, 3);
    expect([ids(plan.candidates), plan.limit, plan.mode]).toEqual([['C', 'D', 'E', 'F'], 3, 'fresh']);
  });
});
