// The tree editor that state commits use (object-session.ts) against git's own index: the same
// edits through read-tree + update-index + write-tree give the same tree, byte for byte.
import { spawnSync } from 'node:child_process';
import { readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTree } from '../../../src/git/objects.js';
import { Git } from '../../../src/git/git.js';
import { projectRoot, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.cleanup()));

/** The same edits through a private index, as git itself writes trees. */
function byIndex(repo: TempRepo, base: string, changes: Map<string, string | null>): string {
  const env = { ...process.env, GIT_INDEX_FILE: join(repo.dir, '.git', 'test-index') };
  const git = (args: string[], input?: string) => spawnSync('git', args, { cwd: repo.dir, env, input, encoding: 'utf8' }).stdout.trim();
  git(['read-tree', base]);
  const lines: string[] = [];
  for (const [path, text] of changes) {
    if (text === null) lines.push(`0 ${'0'.repeat(40)}\t${path}`);
    else lines.push(`100644 ${git(['hash-object', '-w', '--stdin'], text)}\t${path}`);
  }
  git(['update-index', '-z', '--index-info'], lines.join('\0') + '\0');
  return git(['write-tree']);
}

function seeded(): TempRepo {
  const repo = tempRepo();
  repos.push(repo);
  repo.write('README.md', '# r\n');
  repo.write('src/a.js', 'a\n');
  repo.write('src/deep/b.js', 'b\n');
  repo.write('backlog/tasks/T1-one.md', 'one\n');
  repo.write('backlog/tasks/T2-two.md', 'two\n');
  repo.write('backlog/task.log', 'log\n');
  repo.write('name with space/é.txt', 'x\n');
  repo.commitAll('seed');
  return repo;
}

describe('buildTree (tree objects edited in place)', () => {
  it('gives the tree git writes from an index, for changes, additions in new folders and removals that empty a folder', async () => {
    const repo = seeded();
    const base = repo.git('rev-parse', 'HEAD');
    const cases: Map<string, string | null>[] = [
      new Map([['backlog/tasks/T1-one.md', 'one, claimed\n'], ['backlog/task.log', 'log\nmore\n']]),
      new Map([['backlog/tasks/T3-three.md', 'three\n'], ['backlog/log/2026-11.log', 'rotated\n'], ['new/deeper/still/file.md', 'n\n']]),
      new Map<string, string | null>([['src/deep/b.js', null], ['name with space/é.txt', null], ['src/a.js', 'a2\n']]),
      new Map<string, string | null>([['not/there.md', null]]),
      new Map(),
    ];
    for (const changes of cases) {
      expect(await buildTree(new Git(repo.dir), base, changes), JSON.stringify([...changes])).toBe(byIndex(repo, base, changes));
    }
  });

  it('with codeFrom, takes every file from that commit except the kept folder, which comes from the base', async () => {
    const repo = seeded();
    const base = repo.git('rev-parse', 'HEAD');
    repo.write('src/a.js', 'merged code\n');
    repo.write('backlog/tasks/T1-one.md', 'stale copy on the branch\n');
    const code = repo.commitAll('code');
    const tree = await buildTree(new Git(repo.dir), base, new Map([['backlog/tasks/T2-two.md', 'two, done\n']]), { codeFrom: code, keepDir: 'backlog' });
    const read = (path: string) => repo.git('cat-file', 'blob', `${tree}:${path}`);
    expect(read('src/a.js')).toBe('merged code');
    expect(read('backlog/tasks/T1-one.md')).toBe('one');
    expect(read('backlog/tasks/T2-two.md')).toBe('two, done');
    expect(repo.git('ls-tree', '-r', '--name-only', tree).split('\n')).toEqual(repo.git('ls-tree', '-r', '--name-only', code).split('\n'));
  });

  it('sees objects a fetch brought as a pack after its processes started (a remote claim after a fetch)', async () => {
    const repo = seeded();
    const other = seeded();
    const git = new Git(repo.dir);
    await buildTree(git, repo.git('rev-parse', 'HEAD'), new Map([['warm.md', 'the session runs\n']]));
    other.write('backlog/tasks/T9-nine.md', 'nine\n');
    other.write('src/only-in-the-pack.js', 'fetched\n');
    other.write('backlog/tasks/T8-eight.md', 'eight, fetched\n');
    const fetched = other.commitAll('a task from elsewhere');
    repo.git('-c', 'fetch.unpackLimit=1', 'fetch', '-q', other.dir, 'main');
    const tree = await buildTree(git, fetched, new Map([['backlog/tasks/T9-nine.md', 'nine, claimed\n']]));
    expect(tree).toBe(byIndex(repo, fetched, new Map([['backlog/tasks/T9-nine.md', 'nine, claimed\n']])));
  });

  it('leaves no git process behind: a command that used it exits on its own', () => {
    const repo = seeded();
    const script = join(repo.dir, '.git', 'use-session.mts');
    writeFileSync(
      script,
      `import { buildTree } from ${JSON.stringify(join(projectRoot, 'src/git/objects.ts'))};\nimport { Git } from ${JSON.stringify(join(projectRoot, 'src/git/git.ts'))};\nconsole.log(await buildTree(new Git(process.argv[2] ?? ''), 'HEAD', new Map([['x.md', 'x\\n']])));\n`,
    );
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, repo.dir], { cwd: projectRoot, encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^[0-9a-f]{40}$/);
    expect(Date.now() - started).toBeLessThan(20_000);
    // NOTE: any process still working in the repository, whatever its command line.
    const inRepo = () =>
      readdirSync('/proc')
        .filter((pid) => /^\d+$/.test(pid))
        .filter((pid) => {
          try {
            return readlinkSync(`/proc/${pid}/cwd`) === repo.dir;
          } catch {
            return false;
          }
        });
    for (let i = 0; i < 40 && inRepo().length > 0; i++) spawnSync('sleep', ['0.05']);
    expect(inRepo()).toEqual([]);
  });
});
