// A script agent run through the workspace's sandbox with the real bubblewrap: everything it
// tries outside its worktree fails and leaves the host as it was; its own work and git commit
// succeed; it reaches a loopback server; nothing it starts outlives the run.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgent } from '../../../src/agents/run-agent.js';
import { createTaskWorktree } from '../../../src/worktree/create.js';
import { setupWorktree } from '../../../src/worktree/setup.js';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';
import type { Workspace } from '../../../src/workspace.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

let repo: TempRepo;
let shared: string;
let server: Server;
let requests: string[];
beforeEach(async () => {
  repo = tempRepo({ init: true });
  shared = mkdtempSync(join(tmpdir(), 'crewtree-shared-'));
  requests = [];
  server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.end('pong from the gateway');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  repo.cleanup();
  rmSync(shared, { recursive: true, force: true });
});

/** Every file under `dir` with its content, git's own folder included. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length + 1)] = readFileSync(path, 'latin1');
  }
  return files;
}

async function workspace(config: string): Promise<Workspace> {
  repo.write('.crewtree/config.yaml', config);
  repo.write('.gitignore', `${repo.read('.gitignore')}.env\n`);
  repo.commitAll('chore: config');
  repo.write('.env', 'SECRET_TOKEN=s3cr3t-token-value\nOTHER_SECRET=never-handed-over\n');
  return openWorkspace(repo.dir, { env: {} });
}

async function task(ws: Workspace, worker: string, id: string): Promise<string> {
  const worktree = await createTaskWorktree(ws, { branch: `ai/${worker}/${id}-task`, path: `.worktrees/ai/${worker}/${id}-task`, from: repo.git('rev-parse', 'main') });
  await setupWorktree(ws, worktree, { slot: 0 });
  return worktree;
}

async function run(ws: Workspace, worktree: string, script: string, env: Record<string, string> = {}) {
  const runLog = join(repo.dir, '.git/crewtree/runs/A1/1.log');
  const result = await runAgent({
    agent: 'script',
    worktree,
    prompt: 'Run the script.',
    taskBody: `\`\`\`crew-script\n${script}\n\`\`\`\n`,
    attempt: 1,
    runLog,
    env,
    timeoutMs: 60_000,
    idleMs: 60_000,
    config: ws.config,
    wrapLaunch: ws.sandbox.wrap,
  });
  return { result, log: readFileSync(runLog, 'utf8') };
}

const realHome = process.env.HOME ?? '/root';
const orphanName = `crewtree-orphan-${process.pid}`;
function orphansAlive(): number {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(orphanName);
      } catch {
        return false;
      }
    }).length;
}

describe('an agent in the bubblewrap sandbox', () => {
  it('changes nothing outside its worktree, commits its own work, reaches a loopback server and leaves no process behind', async () => {
    const ws = await workspace('agent: script\nagents:\n  script: { dotenv: [SECRET_TOKEN] }\n');
    const other = await task(ws, 'w2', 'B1');
    writeFileSync(join(other, 'theirs.txt'), 'their work\n');
    const worktree = await task(ws, 'w1', 'A1');
    const port = (server.address() as AddressInfo).port;
    const hooks = join(repo.dir, '.git/hooks');
    const outside = {
      checkout: join(repo.dir, 'escaped.txt'),
      readme: join(repo.dir, 'README.md'),
      other: join(other, 'escaped.txt'),
      theirs: join(other, 'theirs.txt'),
      hook: join(hooks, 'post-commit'),
      config: join(repo.dir, '.git/config'),
      shared: join(shared, 'escaped.txt'),
      mainRef: join(repo.dir, '.git/refs/heads/main'),
    };
    // NOTE: the real home and /tmp are hidden behind empty private folders: a write there succeeds and is gone with the run.
    const hidden = { home: join(realHome, `crewtree-escaped-${process.pid}.txt`), tmp: `/tmp/crewtree-escaped-${process.pid}.txt` };
    const before = { checkout: snapshot(repo.dir), home: readdirSync(realHome).sort(), tmp: readdirSync('/tmp').sort(), shared: snapshot(shared) };
    const attempts = Object.entries(outside).map(([name, path]) => `echo escaped >> "${path}" 2>/dev/null && echo "WROTE ${name}" || echo "REFUSED ${name}"`);
    const script = [
      ...attempts,
      ...Object.entries(hidden).map(([name, path]) => `echo escaped >> "${path}" && echo "PRIVATE ${name}: $(ls "$(dirname "${path}")" | wc -l) entries"`),
      'git update-ref refs/heads/main HEAD 2>/dev/null && echo "WROTE main" || echo "REFUSED main"',
      'git config core.hooksPath /tmp 2>/dev/null && echo "WROTE hooksPath" || echo "REFUSED hooksPath"',
      'rm -f .git 2>/dev/null && echo "WROTE dotgit" || echo "REFUSED dotgit"',
      'echo "own home" > "$HOME/note.txt" && echo "home is $HOME"',
      'echo "own tmp" > /tmp/own.txt && echo "private tmp: $(ls /tmp | grep -c escaped) escaped files seen"',
      'echo "export const own = 1;" > own.js',
      'git status --short',
      'git add own.js && git commit -q -m "feat: own work, committed inside the sandbox" && echo "COMMITTED $(git log -1 --format=%s)"',
      `node -e "fetch('http://127.0.0.1:${port}/ping').then((r) => r.text()).then((t) => console.log('GATEWAY ' + t), (e) => console.log('NO GATEWAY ' + e.cause?.code))"`,
      `echo "dotenv file holds $(wc -c < .env) bytes; checkout's $(wc -c < "${join(repo.dir, '.env')}") bytes"`,
      'echo "token $SECRET_TOKEN other ${OTHER_SECRET:-unset}"',
      `setsid bash -c 'exec -a ${orphanName} sleep 300' > /dev/null 2>&1 < /dev/null &`,
      'echo started a detached sleeper',
    ].join('\n');

    const { result, log } = await run(ws, worktree, script);

    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(log).toMatch(/^sandbox: {2}bubblewrap \S+ \(\S*bwrap\): writes only to the worktree, its git objects and admin folder, a private \/tmp and home; network open$/m);
    for (const name of [...Object.keys(outside), 'main', 'hooksPath', 'dotgit']) expect(log).toContain(`REFUSED ${name}\n`);
    expect(log).not.toContain('WROTE');
    // The host is as it was: the checkout with its .git, the other worktree, the home, /tmp.
    const after = snapshot(repo.dir);
    const changed = Object.keys({ ...before.checkout, ...after }).filter((path) => before.checkout[path] !== after[path]);
    const ownGit = (path: string) => path.startsWith('.git/objects/') || path.startsWith('.git/worktrees/A1-task/') || path.startsWith('.git/logs/refs/heads/ai/w1/A1-task') || path === '.git/refs/heads/ai/w1/A1-task';
    expect(changed.filter((path) => !path.startsWith('.worktrees/ai/w1/A1-task/') && !ownGit(path) && !path.startsWith('.git/crewtree/runs/'))).toEqual([]);
    expect(readFileSync(outside.theirs, 'utf8')).toBe('their work\n');
    expect(log).toMatch(/^PRIVATE home: \d+ entries$/m);
    expect(Number(/^PRIVATE home: (\d+) entries$/m.exec(log)?.[1])).toBeLessThan(3);
    expect(log).toMatch(/^PRIVATE tmp: \d+ entries$/m);
    expect(existsSync(hidden.home)).toBe(false);
    expect(readdirSync(realHome).sort()).toEqual(before.home);
    // NOTE: other tests share this /tmp; what this agent wrote carries its name.
    expect(existsSync(hidden.tmp)).toBe(false);
    expect(readdirSync('/tmp').filter((name) => !before.tmp.includes(name) && /escaped|own\.txt/.test(name))).toEqual([]);
    expect(snapshot(shared)).toEqual(before.shared);
    // Its own work is there, committed on its branch by git inside the sandbox.
    expect(log).toContain('?? own.js\n');
    expect(log).toContain('COMMITTED feat: own work, committed inside the sandbox\n');
    expect(repo.git('log', '-1', '--format=%s', 'ai/w1/A1-task')).toBe('feat: own work, committed inside the sandbox');
    expect(repo.git('show', 'ai/w1/A1-task:own.js')).toBe('export const own = 1;');
    expect(repo.git('-C', worktree, 'status', '--porcelain')).toBe('');
    // A private home and /tmp, gone with the run.
    expect(log).toMatch(new RegExp(`^home is ${tmpdir()}/crewtree-agent-\\w+/home$`, 'm'));
    expect(log).toContain('private tmp: 1 escaped files seen\n');
    // The loopback model gateway answers.
    expect(log).toContain('GATEWAY pong from the gateway\n');
    expect(requests).toEqual(['GET /ping']);
    // .env files read as empty; the one variable the config names is handed over and never printed.
    expect(log).toContain("dotenv file holds 0 bytes; checkout's 0 bytes\n");
    expect(log).toContain('token *** other unset\n');
    expect(log).not.toContain('s3cr3t-token-value');
    expect(log).toMatch(/^env: .*SECRET_TOKEN \(from \.env\)$/m);
    expect(readFileSync(join(worktree, '.env'), 'utf8')).toContain('s3cr3t-token-value');
    // The detached sleeper went with the sandbox.
    expect(log).toContain('started a detached sleeper\n');
    expect(orphansAlive()).toBe(0);
  });

  it('starts when PATH names folders under /tmp that do not exist (npm adds every ancestor\'s node_modules/.bin)', async () => {
    const ws = await workspace('agent: script\n');
    const worktree = await task(ws, 'w1', 'A1');
    const missing = join(tmpdir(), `crewtree-missing-${process.pid}`);
    const { result, log } = await run(ws, worktree, 'echo "ran inside"', { PATH: `${missing}/node_modules/.bin:${process.env.PATH ?? ''}` });
    expect(log).not.toContain("Can't find source path");
    expect(result.ok).toBe(true);
    expect(log).toMatch(/^sandbox: +bubblewrap/m);
    expect(log).toContain('ran inside\n');
    expect(existsSync(missing)).toBe(false);
  });

  it('closes the network with sandbox_network: none', async () => {
    const ws = await workspace('agent: script\nsandbox_network: none\n');
    const worktree = await task(ws, 'w1', 'A1');
    const port = (server.address() as AddressInfo).port;
    const { result, log } = await run(ws, worktree, `node -e "fetch('http://127.0.0.1:${port}/ping').then((r) => r.text()).then((t) => console.log('GATEWAY ' + t), (e) => console.log('NO GATEWAY ' + e.cause?.code))"`);
    expect(result.ok).toBe(true);
    expect(log).toMatch(/^sandbox: .*; network closed$/m);
    expect(log).toContain('NO GATEWAY ECONNREFUSED\n');
    expect(requests).toEqual([]);
  });

  it('runs as before with sandbox: off for that agent, the .env copy readable', async () => {
    const ws = await workspace('agent: script\nsandbox: required\nagents:\n  script: { sandbox: off }\n');
    const worktree = await task(ws, 'w1', 'A1');
    const { result, log } = await run(ws, worktree, 'grep -c SECRET .env; echo "home is $HOME"');
    expect(result.ok).toBe(true);
    expect(log).toMatch(/^sandbox: {2}off$/m);
    expect(log).toContain('\n2\n');
    expect(log).toContain(`home is ${realHome}\n`);
  });
});

describe('git in a sandboxed worktree', () => {
  it('keeps working for crewtree afterwards: the branch, HEAD and the admin pointers are where they were', async () => {
    const ws = await workspace('agent: script\n');
    const worktree = await task(ws, 'w1', 'A1');
    const admin = join(repo.dir, '.git/worktrees/A1-task');
    const pointers = ['HEAD', 'commondir', 'gitdir'].map((name) => readFileSync(join(admin, name), 'utf8'));
    const { result, log } = await run(ws, worktree, ['git checkout -q -b elsewhere 2>&1 | tail -1', 'echo "x" > "$(git rev-parse --git-dir)/commondir" || true', 'printf "[core]\\n\\thooksPath = /tmp\\n" > "$(git rev-parse --git-dir)/config.worktree" || echo "config.worktree refused"', 'git stash list; echo done'].join('\n'));
    expect(result.ok).toBe(true);
    expect(log).toContain('done\n');
    expect(log).toContain('config.worktree refused\n');
    expect(readFileSync(join(admin, 'config.worktree'), 'utf8')).toBe('');
    expect(['HEAD', 'commondir', 'gitdir'].map((name) => readFileSync(join(admin, name), 'utf8'))).toEqual(pointers);
    expect(execFileSync('git', ['symbolic-ref', 'HEAD'], { cwd: worktree, encoding: 'utf8' }).trim()).toBe('refs/heads/ai/w1/A1-task');
    expect(existsSync(join(repo.dir, '.git/refs/heads/elsewhere'))).toBe(false);
  });
});
