import { open } from 'node:fs/promises';

const MAX_TAIL_BYTES = 64 * 1024;

/** The last `lines` lines of bytes `from`..`to` of a log file, read without loading all of it. */
export async function readOutputTail(path: string, from: number, to: number, lines: number): Promise<string> {
  const start = Math.max(from, to - MAX_TAIL_BYTES);
  const length = to - start;
  if (length <= 0) return '';
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, start);
    return lastLines(buffer.toString('utf8'), lines);
  } finally {
    await file.close();
  }
}

export function lastLines(text: string, count: number): string {
  const trimmed = text.replace(/\s+$/, '');
  if (trimmed === '') return '';
  return trimmed.split(/\r?\n/).slice(-count).join('\n');
}
