// A backlog made and read by the real Backlog.md CLI (npm backlog.md, a dev dependency), worked by
// the built crewtree CLI the way a team that already uses Backlog.md would adopt it. Every task
// file here is written by `backlog`, never by hand. Needs `npm run build` first.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot, runCrewAll, tempRepo, type TempRepo } from '../helpers/temp-repo.js';

const backlogBin = join(projectRoot, 'node_modules', '.bin', 'backlog');
const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.cleanup()));

function backlog(repo: TempRepo, ...args: string[]): string {
  return execFileSync(backlogBin, args, { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

const script = (lines: string) => ['```crew-script', lines, '```'].join('\n');

/** A repository whose backlog Backlog.md made: init, then tasks with a sub-task, types, labels, a dependency. */
function backlogMdRepo(): TempRepo {
  const repo = tempRepo();
  repos.push(repo);
  backlog(repo, 'init', 'demo', '--defaults', '--integration-mode', 'none');
  backlog(repo, 'config', 'set', 'remoteOperations', 'false');
  backlog(repo, 'task', 'create', 'Set up db', '--type', 'feature', '--priority', 'high', '-l', 'backend,db', '-d', script('mkdir -p src && echo db > src/db.txt'));
  backlog(repo, 'task', 'create', 'Fix login', '--type', 'bug', '--priority', 'medium', '--dep', 'TASK-1', '-d', script('mkdir -p src && echo login > src/login.txt'));
  backlog(repo, 'task', 'create', 'Add migrations', '-p', 'TASK-1', '--type', 'task', '--priority', 'low', '-d', script('mkdir -p src && echo migrations > src/migrations.txt'));
  backlog(repo, 'task', 'create', 'Write docs', '--type', 'docs', '-d', script('mkdir -p docs && echo docs > docs/guide.md'));
  repo.commitAll('chore: backlog made with Backlog.md');
  return repo;
}

function setUpCrewtree(repo: TempRepo): string {
  const init = runCrewAll(repo.dir, ['init', '--commit']);
  expect(init.code, init.stderr).toBe(0);
  repo.write('.crewtree/config.yaml', 'agent: script\ngate: []\nattempts: 1\nlease: 30s\ntimeout: 60s\n');
  repo.commitAll('chore: crewtree with the script agent');
  return init.stdout;
}

describe('a backlog made with the real Backlog.md CLI', () => {
  it('crew init adopts it, crew run works every task, and Backlog.md reads the result back', () => {
    const repo = backlogMdRepo();
    expect(readdirSync(join(repo.dir, 'backlog', 'tasks')).sort()).toEqual(['task-1 - Set-up-db.md', 'task-1.1 - Add-migrations.md', 'task-2 - Fix-login.md', 'task-3 - Write-docs.md']);
    const init = setUpCrewtree(repo);
    expect(init.split('\n')[0]).toBe(
      "Found a Backlog.md backlog in backlog/: 4 tasks, 0 finished (prefix TASK, statuses To Do, In Progress, Done). crewtree reads and writes it in Backlog.md's own format; Backlog.md keeps working on it.",
    );
    expect(init).not.toContain('backlog/tasks/.gitkeep');
    expect(repo.git('log', '-1', '--format=%s', 'HEAD~1')).toBe('chore: set up crewtree');

    const list = runCrewAll(repo.dir, ['task', 'list']);
    expect(list).toEqual({
      code: 0,
      stdout: [
        'TASK-1   todo        high   developer       Set up db',
        'TASK-1.1 todo        low    developer       Add migrations',
        'TASK-2   todo        medium developer       Fix login',
        'TASK-3   todo        -      developer       Write docs',
        '',
      ].join('\n'),
      stderr: '',
    });
    const show = JSON.parse(runCrewAll(repo.dir, ['task', 'show', 'TASK-1.1', '--json']).stdout) as Record<string, unknown>;
    expect(show).toMatchObject({ id: 'TASK-1.1', type: 'chore', status: 'todo' });
    // Priority order, and a task without one after low, as Backlog.md ranks it.
    const next = runCrewAll(repo.dir, ['next']);
    expect(next.stdout.split('\n').slice(0, 3)).toEqual(['next: TASK-1 Set up db (high)', '  TASK-1.1: eligible, ranked lower (low)', '  TASK-3: eligible, ranked lower (medium)']);

    const run = runCrewAll(repo.dir, ['run', '-j', '2', '--agent', 'script', '--until-empty']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/studio finished: 4 done, 0 blocked/);
    expect(repo.git('show', 'main:src/db.txt')).toBe('db');
    expect(repo.git('show', 'main:src/login.txt')).toBe('login');
    expect(repo.git('show', 'main:docs/guide.md')).toBe('docs');
    // Commit types come from Backlog.md's types: feature -> feat, bug -> fix, task -> chore, docs -> docs.
    const subjects = repo.git('log', '--format=%s', 'main').split('\n');
    for (const prefix of ['feat', 'fix', 'chore', 'docs']) expect(subjects.some((s) => s.startsWith(`${prefix}(`) || s.startsWith(`${prefix}:`)), prefix).toBe(true);

    // Backlog.md reads every file crewtree wrote: all four Done, in its own words.
    repo.git('checkout', '-q', '--', '.');
    const plain = backlog(repo, 'task', 'list', '--plain');
    expect(plain).toContain('Done:');
    for (const line of ['TASK-1 - Set up db', 'TASK-1.1 - Add migrations', 'TASK-2 - Fix login', 'TASK-3 - Write docs']) expect(plain).toContain(line);
    expect(plain).not.toContain('To Do:');
    expect(backlog(repo, 'task', 'view', 'TASK-2', '--plain')).toMatch(/Status: \S+ Done/);
    for (const name of readdirSync(join(repo.dir, 'backlog', 'tasks'))) {
      const text = readFileSync(join(repo.dir, 'backlog', 'tasks', name), 'utf8');
      expect(text, name).toMatch(/^status: Done$/m);
      expect(text, name).not.toMatch(/^lock:/m);
    }
  }, 240_000);

  it('backlog task complete of a dependency makes its dependents eligible', () => {
    const repo = backlogMdRepo();
    setUpCrewtree(repo);
    expect(runCrewAll(repo.dir, ['next']).stdout).toContain('  TASK-2: waiting on TASK-1\n');
    backlog(repo, 'task', 'edit', 'TASK-1', '-s', 'Done');
    backlog(repo, 'task', 'complete', 'TASK-1');
    repo.commitAll('chore: TASK-1 completed the Backlog.md way');
    expect(readdirSync(join(repo.dir, 'backlog', 'completed'))).toEqual(['task-1 - Set-up-db.md']);
    const list = runCrewAll(repo.dir, ['task', 'list']);
    expect(list.stderr).toBe('');
    expect(list.stdout).not.toContain('TASK-1 ');
    const next = runCrewAll(repo.dir, ['next', '--json']);
    expect((JSON.parse(next.stdout) as { eligible: string[] }).eligible).toEqual(['TASK-2', 'TASK-1.1', 'TASK-3']);
  }, 120_000);

  it('backlog task edit of a claimed task drops the lock; crew sweep and doctor see it and make it workable', () => {
    const repo = backlogMdRepo();
    setUpCrewtree(repo);
    const claim = runCrewAll(repo.dir, ['claim', 'TASK-3', '--worker', 'w1']);
    expect(claim.code, claim.stderr).toBe(0);
    backlog(repo, 'task', 'edit', 'TASK-3', '-l', 'writing');
    const file = 'backlog/tasks/task-3 - Write-docs.md';
    expect(repo.read(file)).toMatch(/^status: In Progress$/m);
    expect(repo.read(file)).not.toMatch(/^lock:/m);
    repo.commitAll('chore: labelled with Backlog.md');
    const doctor = runCrewAll(repo.dir, ['doctor']);
    expect(doctor.stdout).toContain('TASK-3 is In Progress without a lock');
    const sweep = runCrewAll(repo.dir, ['sweep']);
    expect(sweep).toEqual({ code: 0, stdout: 'swept TASK-3: in progress without a lock (another tool rewrote the file without it); now todo\n', stderr: '' });
    const log = repo.git('show', 'main:backlog/task.log').split('\n');
    expect(log.at(-1)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \| sweeper \| TASK-3 \| swept \| in progress without a lock \(another tool rewrote the file without it\)$/);
    repo.git('checkout', '-q', '--', '.');
    expect(backlog(repo, 'task', 'view', 'TASK-3', '--plain')).toMatch(/Status: \S+ To Do/);
    expect(repo.read(file)).toContain('<!-- SECTION:NOTES:BEGIN -->\n- ');
    expect(runCrewAll(repo.dir, ['claim', 'TASK-3', '--worker', 'w2']).code).toBe(0);
  }, 120_000);

  it('a claim and a release that did nothing leave the file byte for byte as Backlog.md wrote it', () => {
    const repo = backlogMdRepo();
    setUpCrewtree(repo);
    const file = 'backlog/tasks/task-2 - Fix-login.md';
    const before = repo.git('show', `main:${file}`);
    backlog(repo, 'task', 'edit', 'TASK-1', '-s', 'Done');
    repo.commitAll('chore: TASK-1 done');
    const claim = runCrewAll(repo.dir, ['claim', 'TASK-2', '--worker', 'w1']);
    expect(claim.code, claim.stderr).toBe(0);
    const token = /token (\w+)/.exec(claim.stdout)?.[1] ?? '';
    expect(repo.git('show', `main:${file}`)).toMatch(/^status: In Progress$/m);
    const release = runCrewAll(repo.dir, ['release', 'TASK-2', '--token', token]);
    expect(release.code, release.stderr).toBe(0);
    expect(repo.git('show', `main:${file}`)).toBe(before);
  }, 120_000);

  it('crew task add writes a file Backlog.md lists, in its id sequence, and Backlog.md never reuses the id', () => {
    const repo = backlogMdRepo();
    setUpCrewtree(repo);
    backlog(repo, 'task', 'archive', 'TASK-3');
    repo.commitAll('chore: TASK-3 archived');
    const add = runCrewAll(repo.dir, ['task', 'add', 'Rate limit logins', '--priority', 'high', '--type', 'fix', '--depends', 'TASK-2']);
    expect(add).toEqual({ code: 0, stdout: 'TASK-4\n', stderr: '' });
    repo.git('checkout', '-q', '--', '.');
    const text = repo.read('backlog/tasks/task-4 - Rate-limit-logins.md');
    expect(text).toMatch(/^---\nid: TASK-4\ntitle: Rate limit logins\nstatus: To Do\nassignee: \[\]\ncreated_date: '\d{4}-\d\d-\d\d \d\d:\d\d'\nlabels: \[\]\ndependencies:\n {2}- TASK-2\npriority: high\ntype: bug\n---\n$/);
    expect(backlog(repo, 'task', 'list', '--plain')).toContain('[HIGH] [bug] TASK-4 - Rate limit logins');
    backlog(repo, 'task', 'create', 'Made by Backlog.md');
    expect(readdirSync(join(repo.dir, 'backlog', 'tasks'))).toContain('task-5 - Made-by-Backlog.md.md');
    repo.commitAll('chore: another task');
    const list = runCrewAll(repo.dir, ['task', 'list']);
    expect(list.stderr).toBe('');
    expect(list.stdout).toContain('TASK-5   todo ');
  }, 120_000);

  it('says so when a task file edited by hand is not committed yet', () => {
    const repo = backlogMdRepo();
    setUpCrewtree(repo);
    backlog(repo, 'task', 'edit', 'TASK-3', '--priority', 'high');
    const list = runCrewAll(repo.dir, ['task', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('TASK-3   todo        -      ');
    expect(list.stderr).toBe(
      [
        'note: crewtree reads the task files committed on main; these changes do not count until they are committed:',
        '  backlog/tasks/task-3 - Write-docs.md',
        '  Commit them: git add <files> && git commit (on main).',
        '',
      ].join('\n'),
    );
  }, 120_000);
});
