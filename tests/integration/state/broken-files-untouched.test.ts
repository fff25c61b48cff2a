// Every case of the broken and hostile corpus (tests/fixtures/broken-tasks/), committed in a real
// repository next to one valid task: the built CLI lists around it, refuses to claim the broken
// task, claims the valid one, and not one byte of a broken file is rewritten.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/backlog/backlog.js';
import { projectRoot, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { spawnCrew } from './state-helpers.js';

const corpus = join(projectRoot, 'tests', 'fixtures', 'broken-tasks');
const cases = readdirSync(corpus).sort();
const repos: TempRepo[] = [];
afterAll(() => repos.splice(0).forEach((repo) => repo.cleanup()));

const valid = '---\nid: Z9\ntitle: The valid one\n---\n# Z9\n';

async function check(name: string): Promise<void> {
  const repo = tempRepo({ init: true });
  repos.push(repo);
  const dir = join(corpus, name, 'tasks');
  const files = readdirSync(dir).map((file) => ({ path: `backlog/tasks/${file}`, bytes: readFileSync(join(dir, file)) }));
  for (const file of files) repo.write(file.path, file.bytes as unknown as string);
  repo.write('backlog/tasks/Z9-valid.md', valid);
  const before = repo.commitAll(`test: ${name}`);
  const blob = (commit: string, path: string) => repo.git('rev-parse', `${commit}:${path}`);
  const blobs = files.map((file) => blob(before, file.path));

  const list = await spawnCrew(repo.dir, ['task', 'list']);
  expect(list.code, `${name}: ${list.stderr}`).toBe(0);
  expect(list.stderr, name).toMatch(/^warning: \d+ files? ha(s|ve) problems; skipped/);
  expect(list.stderr, name).not.toMatch(/\u001b|^\s+at /m);
  // A broken task that could be read as far as its id is refused by id, with its problems.
  const parsed = parseBacklog([...files.map((file) => ({ path: file.path, text: file.bytes.toString('utf8') })), { path: 'backlog/tasks/Z9-valid.md', text: valid }]);
  expect(parsed.quarantined.size, name).toBeGreaterThan(0);
  const broken = parsed.tasks.filter((task) => parsed.quarantined.has(task.file));
  for (const task of broken.slice(0, 1)) {
    const claim = await spawnCrew(repo.dir, ['claim', task.id, '--worker', 'w']);
    expect(claim.code, `${name}: claim ${task.id}: ${claim.stdout}${claim.stderr}`).toBe(2);
  }
  expect(repo.git('rev-parse', 'main')).toBe(before);
  const claim = await spawnCrew(repo.dir, ['claim', '--next', '--worker', 'w']);
  expect(claim.code, `${name}: ${claim.stderr}`).toBe(0);
  const claimed = parsed.tasks.find((task) => claim.stdout.startsWith(`${task.id} claimed by w `));
  expect(claimed && !parsed.quarantined.has(claimed.file), `${name}: ${claim.stdout}`).toBe(true);
  const after = repo.git('rev-parse', 'main');
  expect(repo.git('diff', '--name-only', before, after).split('\n').sort(), name).toEqual(['backlog/backlog.md', 'backlog/task.log', claimed?.file].sort());
  // Every file with a problem is byte for byte what it was, in the commit and in the checkout.
  files.forEach((file, index) => {
    if (parsed.quarantined.has(file.path)) expect(blob(after, file.path), `${name}: ${file.path}`).toBe(blobs[index]);
  });
  for (const file of files) {
    if (parsed.quarantined.has(file.path)) expect(readFileSync(join(repo.dir, file.path)).equals(file.bytes), `${name}: ${file.path} in the checkout`).toBe(true);
  }
}

describe(`the ${cases.length} broken and hostile files of the corpus: nothing written`, () => {
  it('each is listed around, refused, and left byte for byte while a valid task is claimed', async () => {
    // NOTE: four repositories at a time; each case is its own repository.
    const queue = [...cases];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await check(name);
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }, 900_000);
});
