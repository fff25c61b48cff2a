// Git by intent (CONTRIBUTING.md, "How the code is layered"): git's argument arrays live in
// src/git/ only. Everywhere else calls a named function (`isAncestor`, `deleteBranch`,
// `updateRefs`...), so a reader sees what a call is for, and each git command has one home.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

/** What gives a raw git call away: an argument array, a git client's run/text, or spawning git itself. */
const RAW_GIT = [
  { name: 'an argument array passed to run/text', pattern: /\.(run|text)\s*\(\s*\[/ },
  { name: 'run/text called on a git client', pattern: /git\??\.(run|text)\s*\(/i },
  { name: 'git spawned as a program', pattern: /\b(runProcess|execa|execFile|execFileSync|spawn|spawnSync|run)\(\s*['"`]git['"`]/ },
];

/** Each line of `text` that calls git raw, as `line: why: code`. */
function rawGitCalls(text: string): string[] {
  return text.split('\n').flatMap((line, index) => {
    const rule = RAW_GIT.find((candidate) => candidate.pattern.test(line));
    return rule ? [`${index + 1}: ${rule.name}: ${line.trim()}`] : [];
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('git by intent', () => {
  it('no file outside src/git/ calls git with raw arguments', () => {
    const found = sourceFiles(join(root, 'src'))
      .map((path) => relative(root, path))
      .filter((path) => !path.startsWith(join('src', 'git') + '/'))
      .flatMap((path) => rawGitCalls(readFileSync(join(root, path), 'utf8')).map((call) => `${path}:${call}`));
    expect(found, 'Move these calls behind a named function in src/git/ (see CONTRIBUTING.md)').toEqual([]);
  });

  it('recognises the shapes a raw call takes, and leaves other run/text calls alone', () => {
    const raw = [
      "await ws.git.run(['worktree', 'prune']);",
      "const out = await this.git.text(['rev-parse', 'HEAD']);",
      'const result = await git.run(args, { cwd, okExitCodes: [0, 1] });',
      'await repoGit.text(args);',
      'await gitAt(dir).run ([',
      "await runProcess('git', ['log'], { cwd });",
      'const r = await execa("git", args);',
      "await run('git', args, { cwd: dir });",
    ];
    for (const line of raw) expect(rawGitCalls(line), line).toHaveLength(1);
    const fine = ['this.gathering = this.run().finally(() => {', 'const text = this.stored.text(oid);', "await runProcess('node', ['--test'], { cwd });", 'await isAncestor(ws.git, seen, next);'];
    for (const line of fine) expect(rawGitCalls(line), line).toEqual([]);
  });
});
