import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Where each file of src/ does a thing only src/process may do. */
function offenders(pattern: RegExp): string[] {
  return sourceFiles(src)
    .map((file) => relative(src, file))
    .filter((file) => !file.startsWith('process/') && pattern.test(readFileSync(join(src, file), 'utf8')));
}

// One process module (style.md 11): everything spawned, every SIGINT/SIGTERM listener, every
// exit hook and every sleep goes through src/process, so timeouts, group kills and cleanup on exit
// are done once and right.
describe('src/process is the one process module', () => {
  it('nothing else spawns a program (node:child_process, execa)', () => {
    expect(offenders(/from '(node:)?child_process'|from 'execa'/)).toEqual([]);
  });
  it('nothing else listens for SIGINT, SIGTERM or exit', () => {
    expect(offenders(/process\.(on|once)\('(SIGINT|SIGTERM|exit)'/)).toEqual([]);
  });
  it('nothing else sleeps on a bare timer promise', () => {
    expect(offenders(/new Promise[^\n]*setTimeout\(resolve/)).toEqual([]);
  });
});
