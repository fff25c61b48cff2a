// The record of a base move in progress: `<common-dir>/crewtree/move.json`, written before the
// ref moves and removed once every checkout of the base has followed. A record that outlives
// its process says a crash happened between those steps; the next state change finishes it
// (recover-checkout.ts) and `crew doctor` names it.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';

export interface MoveRecord {
  pid: number;
  host: string;
  ref: string;
  from: string;
  to: string;
  /** The checkouts of `ref` that are to follow. */
  checkouts: string[];
  /** When the move started (ms): an index.lock older than this is not the move's. */
  at: number;
}

export function moveRecordPath(commonDir: string): string {
  return join(commonDir, 'crewtree', 'move.json');
}

export async function writeMoveRecord(commonDir: string, record: MoveRecord): Promise<void> {
  await writeFileAtomic(moveRecordPath(commonDir), JSON.stringify(record) + '\n');
}

export async function readMoveRecord(commonDir: string): Promise<MoveRecord | undefined> {
  try {
    const value = JSON.parse(await readFile(moveRecordPath(commonDir), 'utf8')) as Partial<MoveRecord>;
    const hex = (text: unknown) => typeof text === 'string' && /^[0-9a-f]{40,64}$/.test(text);
    if (typeof value.pid !== 'number' || typeof value.ref !== 'string' || !hex(value.from) || !hex(value.to) || !Array.isArray(value.checkouts)) return undefined;
    return { pid: value.pid, host: String(value.host ?? ''), ref: value.ref, from: String(value.from), to: String(value.to), checkouts: value.checkouts.map(String), at: Number(value.at ?? 0) };
  } catch {
    return undefined;
  }
}

export async function clearMoveRecord(commonDir: string): Promise<void> {
  await rm(moveRecordPath(commonDir), { force: true });
}

