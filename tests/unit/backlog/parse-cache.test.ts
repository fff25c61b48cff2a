import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBacklog, type TaskFileText } from '../../../src/backlog/backlog.js';
import { ParseCache } from '../../../src/backlog/parse-cache.js';
import { parseTask } from '../../../src/backlog/parse-task.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function commonDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-cache-'));
  dirs.push(dir);
  return dir;
}

const oidOf = (text: string) => createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex');

const files: TaskFileText[] = [
  { path: 'backlog/tasks/A1-db.md', text: '---\nid: A1\ntitle: Database\nstatus: done\nepic: Storage\n---\n# A1\n\nBody one.\n' },
  { path: 'backlog/tasks/A2-api.md', text: '---\nid: A2\ntitle: API\ndepends_on: [A1]\nlock:\n  worker: w\n  token: t\n  branch: b\n  worktree: wt\n  host: h\n  pid: 1\n  since: s\n---\n' },
  { path: 'backlog/tasks/A3-bad.md', text: '---\nid: A3\ntitle: Bad\npriority: urgent\n---\n' },
  { path: 'backlog/tasks/notes.md', text: 'no front-matter\n' },
];

/** parseBacklog through the cache, as the CLI's read does; counts the files actually parsed. */
function parseThrough(cache: ParseCache, input: TaskFileText[]) {
  let parsedFresh = 0;
  const backlog = parseBacklog(input, (path, text, order) => {
    const oid = oidOf(text);
    const remembered = cache.parsed(oid, path, order);
    if (remembered) return remembered;
    parsedFresh++;
    const parsed = parseTask(path, text, order);
    cache.remember(oid, path, text, parsed);
    return parsed;
  });
  return { backlog, parsedFresh };
}

describe('ParseCache', () => {
  it('gives exactly what parsing gives, problems included', async () => {
    const dir = commonDir();
    const first = parseThrough(await ParseCache.open(dir, 'backlog'), files);
    expect(first.parsedFresh).toBe(4);
    expect(first.backlog).toEqual(parseBacklog(files));
    expect(first.backlog.problems.length).toBe(2);
  });

  it('writes nothing until saved', async () => {
    const dir = commonDir();
    parseThrough(await ParseCache.open(dir, 'backlog'), files);
    expect((await ParseCache.open(dir, 'backlog')).text(oidOf(files[1]?.text ?? ''))).toBeUndefined();
  });

  it('is saved under <common dir>/crewtree/cache/ and read back by the next run', async () => {
    const dir = commonDir();
    const cache = await ParseCache.open(dir, 'backlog');
    parseThrough(cache, files);
    await cache.save();
    expect(readdirSync(join(dir, 'crewtree', 'cache'))).toEqual([expect.stringMatching(/^backlog-[0-9a-f]{12}\.json$/)]);
    const next = await ParseCache.open(dir, 'backlog');
    expect(next.text(oidOf(files[0]?.text ?? ''))).toBe(files[0]?.text);
    const again = parseThrough(next, [...files].reverse());
    expect(again.parsedFresh).toBe(0);
    expect(again.backlog).toEqual(parseBacklog(files));
    expect(again.backlog.tasks.map((task) => [task.id, task.order, task.body])).toEqual([
      ['A1', 0, '# A1\n\nBody one.\n'],
      ['A2', 1, ''],
      // A3's file has a problem: it is read as far as it can be, and quarantined.
      ['A3', 2, ''],
    ]);
    expect([...again.backlog.quarantined]).toEqual(['backlog/tasks/A3-bad.md', 'backlog/tasks/notes.md']);
  });

  it('parses again a changed file, and the same text under another path', async () => {
    const dir = commonDir();
    const cache = await ParseCache.open(dir, 'backlog');
    parseThrough(cache, files);
    await cache.save();
    const changed = files.map((file) => (file.path.endsWith('A1-db.md') ? { ...file, text: file.text.replace('status: done', 'status: todo') } : file));
    changed.push({ path: 'backlog/tasks/A3-copy.md', text: files[2]?.text ?? '' });
    const again = parseThrough(await ParseCache.open(dir, 'backlog'), changed);
    expect(again.parsedFresh).toBe(2);
    expect(again.backlog).toEqual(parseBacklog(changed));
    expect(again.backlog.tasks.find((task) => task.id === 'A1')?.status).toBe('todo');
  });

  it('keeps only the entries the last read used', async () => {
    const dir = commonDir();
    const cache = await ParseCache.open(dir, 'backlog');
    parseThrough(cache, files);
    await cache.save();
    const fewer = await ParseCache.open(dir, 'backlog');
    parseThrough(fewer, files.slice(0, 1));
    await fewer.save();
    const [name] = readdirSync(join(dir, 'crewtree', 'cache'));
    const stored = JSON.parse(readFileSync(join(dir, 'crewtree', 'cache', name ?? ''), 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(stored.entries)).toEqual([`${oidOf(files[0]?.text ?? '')}\tbacklog/tasks/A1-db.md`]);
  });

  it('treats a corrupt or foreign cache file as empty', async () => {
    const dir = commonDir();
    const cache = await ParseCache.open(dir, 'backlog');
    parseThrough(cache, files);
    await cache.save();
    const [name] = readdirSync(join(dir, 'crewtree', 'cache'));
    const file = join(dir, 'crewtree', 'cache', name ?? '');
    for (const text of ['{ not json', JSON.stringify({ version: 'other', entries: { x: 1 } }), 'null']) {
      writeFileSync(file, text);
      const reopened = await ParseCache.open(dir, 'backlog');
      expect(reopened.text(oidOf(files[0]?.text ?? ''))).toBeUndefined();
      expect(parseThrough(reopened, files).parsedFresh).toBe(4);
    }
  });

  it('keeps one cache per backlog folder', async () => {
    const dir = commonDir();
    const one = await ParseCache.open(dir, 'backlog');
    parseThrough(one, files);
    await one.save();
    const other = await ParseCache.open(dir, 'planning');
    expect(other.text(oidOf(files[0]?.text ?? ''))).toBeUndefined();
  });
});
