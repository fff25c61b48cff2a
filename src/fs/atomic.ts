import { randomBytes } from 'node:crypto';
import { rename, writeFile, rm } from 'node:fs/promises';

/** Writes to a temporary file beside the target and renames it: never a half-written file. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
