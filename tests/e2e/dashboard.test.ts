// crew dashboard in a real browser (Debian's chromium driven by playwright-core), while the
// CLI changes state in the repository: claims, releases and a whole `crew work` run.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crewBin, projectRoot, runCrew, tempRepo, type TempRepo } from '../helpers/temp-repo.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const FILLER_TASKS = 300;
const env = { CREWTREE_HOST: 'dashboard-test' };

function task(id: string, title: string, status: string, body = ''): string {
  return `---\nid: ${id}\ntitle: ${title}\nstatus: ${status}\npriority: ${id.startsWith('F') ? 'low' : 'high'}\ntype: feat\nrole: developer\n---\n# ${title}\n\n${body}`;
}

/** A repository with three demo tasks for the script agent and hundreds of others. */
function dashboardRepo(): TempRepo {
  const repo = tempRepo();
  repo.write('.crewtree/config.yaml', 'agent: script\ngate: []\n');
  repo.write('.gitignore', '.worktrees/\n');
  repo.write('.gitattributes', 'backlog/task.log merge=union\nbacklog/backlog.md merge=union\n');
  repo.write('backlog/tasks/D1-members-list.md', task('D1', 'Members list', 'todo', '```crew-script\nsleep 2\necho "export const members = [];" > members.js\n```\n'));
  repo.write('backlog/tasks/D2-events-list.md', task('D2', 'Events list', 'todo'));
  repo.write('backlog/tasks/D3-registrations.md', task('D3', 'Registrations', 'blocked'));
  for (let n = 1; n <= FILLER_TASKS; n++) {
    const id = `F${String(n).padStart(3, '0')}`;
    repo.write(`backlog/tasks/${id}-filler.md`, task(id, `Filler task number ${n}`, n % 2 === 0 ? 'done' : 'todo'));
  }
  repo.write('backlog/task.log', '2025-12-02 11:00:00 UTC | user | D1 | created | Members list\n');
  repo.commitAll('chore: backlog for the dashboard');
  // D3 spent tokens on an earlier run: the page shows them on its card.
  const runs = join(repo.dir, '.git', 'crewtree', 'runs', 'D3');
  mkdirSync(runs, { recursive: true });
  const usage = { inputTokens: 1200, outputTokens: 300, costUsd: 0.02 };
  writeFileSync(join(runs, 'usage.json'), JSON.stringify({ attempts: [{ attempt: 1, worker: 'old', agent: 'claude', ok: false, reason: 'gave up', usage, at: '2025-12-02T11:00:00Z' }], totals: usage }));
  return repo;
}

interface Served {
  child: ChildProcessWithoutNullStreams;
  info: { url: string; address: string; port: number; token: string };
  exited: Promise<number | null>;
}

/** A `git` first on PATH that logs each call of the dashboard's process, then runs the real one. */
function gitCallLog(): { path: string; log: string; calls(): number; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-git-log-'));
  const log = join(dir, 'calls.log');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(log, '');
  writeFileSync(join(dir, 'git'), `#!/bin/sh\necho "$1" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  return { path: `${dir}:${process.env.PATH ?? ''}`, log, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function serveDashboard(dir: string, path?: string): Promise<Served> {
  const child = spawn(process.execPath, [crewBin, 'dashboard', '--json'], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: '1', ...(path ? { PATH: path } : {}) } });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const info = await new Promise<Served['info']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`crew dashboard printed no URL: ${stdout}${stderr}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        const parsed = JSON.parse(stdout) as Served['info'];
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // not all of it yet
      }
    });
    child.on('exit', () => reject(new Error(`crew dashboard exited: ${stderr}`)));
  });
  return { child, info, exited };
}

interface Pushed {
  event: string;
  data: string;
}

const recorded = new WeakMap<Served, { events: Pushed[]; stop: AbortController }>();

/** Listens to the dashboard's event stream as a second page would, recording every event. */
async function recordEvents(served: Served): Promise<void> {
  const stop = new AbortController();
  const events: Pushed[] = [];
  recorded.set(served, { events, stop });
  const response = await fetch(`http://127.0.0.1:${served.info.port}/events?token=${served.info.token}`, { signal: stop.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const event = block.find((line) => line.startsWith('event: '))?.slice(7);
        if (event) events.push({ event, data: block.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n') });
      }
    }
  })();
  while (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** What the recorder has received so far, after letting in-flight events arrive. */
async function sentEvents(served: Served): Promise<Pushed[]> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return [...(recorded.get(served)?.events ?? [])];
}

/** Whether a TCP connection to address:port succeeds. */
function connects(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** A GET with a chosen Host header (fetch does not let a caller set it). */
function statusWithHost(port: number, path: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject);
  });
}

describe('crew dashboard', () => {
  let repo: TempRepo;
  let served: Served;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let gitCalls: ReturnType<typeof gitCallLog>;
  const requests: string[] = [];

  beforeAll(async () => {
    repo = dashboardRepo();
    gitCalls = gitCallLog();
    served = await serveDashboard(repo.dir, gitCalls.path);
    await recordEvents(served);
    profile = mkdtempSync(join(tmpdir(), 'crewtree-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, viewport: { width: 1600, height: 1000 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  });

  afterAll(async () => {
    if (served) recorded.get(served)?.stop.abort();
    await context?.close();
    if (served && served.child.exitCode === null) served.child.kill('SIGINT');
    rmSync(profile, { recursive: true, force: true });
    gitCalls?.cleanup();
    repo?.cleanup();
  });

  it('listens on 127.0.0.1 only, and nothing else on the machine reaches it', async () => {
    const { address, port, url } = served.info;
    expect(address).toBe('127.0.0.1');
    expect(url).toBe(`http://127.0.0.1:${port}/?token=${served.info.token}`);
    expect(served.info.token).toMatch(/^[0-9a-f]{32}$/);
    expect(await connects('127.0.0.1', port)).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .flatMap((entry) => (entry && !entry.internal && !entry.address.startsWith('fe80:') ? [entry.address] : []));
    for (const other of [...others, '::1']) expect({ other, connects: await connects(other, port) }).toEqual({ other, connects: false });
  });

  it('answers 403 to every request without the right token', async () => {
    const base = `http://127.0.0.1:${served.info.port}`;
    const wrong = 'f'.repeat(32);
    for (const path of ['/', '/app.js', '/api/state', '/api/tasks/D1', '/events', '/nothing-here']) {
      expect({ path, status: (await fetch(`${base}${path}`)).status }).toEqual({ path, status: 403 });
      expect({ path, status: (await fetch(`${base}${path}?token=${wrong}`)).status }).toEqual({ path, status: 403 });
    }
    expect((await fetch(`${base}/api/state?token=${served.info.token}`)).status).toBe(200);
    // A page on another site that rebinds its name to 127.0.0.1 still sends its own Host.
    expect(await statusWithHost(served.info.port, `/?token=${served.info.token}`, `attacker.example:${served.info.port}`)).toBe(403);
    expect(await statusWithHost(served.info.port, `/?token=${served.info.token}`, `localhost:${served.info.port}`)).toBe(200);
  });

  it('shows the board, then moves a task from todo to done as the CLI claims and lands it; opens its detail', async () => {
    const started = Date.now();
    await page.goto(served.info.url);
    await page.locator('[data-status="todo"] [data-task-id="D1"]').waitFor({ timeout: 30_000 });
    const rendered = Date.now() - started;
    const counts = await page.locator('.column').evaluateAll((columns) => columns.map((c) => `${c.getAttribute('data-status')} ${c.querySelector('.count')?.textContent}`));
    expect(counts).toEqual([`todo ${FILLER_TASKS / 2 + 2}`, 'in-progress 0', 'review 0', `done ${FILLER_TASKS / 2}`, 'blocked 1']);
    expect(await page.locator('[data-task-id]').count()).toBe(FILLER_TASKS + 3);
    expect(await page.locator('[data-task-id="D3"] .card-meta').textContent()).toBe('high · 1.5k tok · $0.02');
    console.log(`dashboard: board of ${FILLER_TASKS + 3} tasks shown ${rendered} ms after navigation`);

    // Nothing changes, nothing runs: the server reads nothing until the kernel reports a change.
    const idleCalls = gitCalls.calls();
    expect(idleCalls).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(gitCalls.calls()).toBe(idleCalls);

    // A claim by another process reaches the page within 1 s of that process ending, pushed as a
    // delta of that task and its log line (the server watches the refs; it polls nothing).
    const sentBefore = await sentEvents(served);
    expect(runCrew(repo.dir, ['claim', 'D1', '--worker', 'dash-1', '--pid', String(process.pid)], env).code).toBe(0);
    const claimed = Date.now();
    await page.locator('[data-status="in-progress"] [data-task-id="D1"]').waitFor({ timeout: 15_000 });
    const shownAfter = Date.now() - claimed;
    console.log(`dashboard: claim by another process shown ${shownAfter} ms after it ended`);
    expect(shownAfter).toBeLessThan(1000);
    expect(await page.locator('[data-task-id="D1"] .card-meta').textContent()).toBe('high · dash-1');
    const pushed = (await sentEvents(served)).slice(sentBefore.length);
    expect(pushed.map((event) => event.event)).toEqual(['delta']);
    const delta = JSON.parse(pushed[0]?.data ?? '{}') as { tasks: { upsert: { task: { id: string; status: string } }[]; remove: string[] }; log: { append: string[] } };
    expect(delta.tasks.upsert.map(({ task }) => [task.id, task.status])).toEqual([['D1', 'in-progress']]);
    expect(delta.tasks.remove).toEqual([]);
    expect(delta.log.append).toEqual([expect.stringMatching(/ \| dash-1 \| D1 \| started \| claimed by id$/)]);
    expect(runCrew(repo.dir, ['release', 'D1'], env).code).toBe(0);
    await page.locator('[data-status="todo"] [data-task-id="D1"]').waitFor({ timeout: 15_000 });

    const work = spawn(process.execPath, [crewBin, 'work', '--agent', 'script', '--task', 'D1', '--worker', 'dash-w'], { cwd: repo.dir, env: { ...process.env, ...env } });
    const workDone = new Promise<number | null>((resolve) => work.on('exit', (code) => resolve(code)));
    // While the script agent sleeps, the worker shows with its live phase and a ticking elapsed time.
    const row = page.locator('#workers tr[data-worker="dash-w"]');
    await row.locator('td.phase', { hasText: 'agent' }).waitFor({ timeout: 30_000 });
    expect(await row.locator('td').nth(1).textContent()).toBe('D1');
    expect(await row.locator('td').nth(3).textContent()).toMatch(/^\d+s$/);
    expect(await workDone).toBe(0);
    await page.locator('[data-status="done"] [data-task-id="D1"]').waitFor({ timeout: 30_000 });
    await page.locator('#log li', { hasText: '| dash-w | D1 | done |' }).waitFor({ timeout: 15_000 });

    mkdirSync(join(projectRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(projectRoot, 'test-artifacts', 'dashboard-board.png') });
    await page.locator('[data-task-id="D1"]').click();
    const detail = page.locator('#detail');
    await detail.locator('details[data-file="1.log"]').waitFor({ timeout: 15_000 });
    expect(await detail.getAttribute('data-task-id')).toBe('D1');
    expect(await page.locator('#detail-title').textContent()).toBe('D1 Members list');
    expect(await detail.locator('.task-file').textContent()).toContain('id: D1\ntitle: Members list\nstatus: done');
    const log = (await detail.locator('.task-log').textContent()) ?? '';
    expect(log.split('\n').every((line) => line.includes(' | D1 | '))).toBe(true);
    expect(log).toMatch(/\| dash-w \| D1 \| done \|/);
    expect(await detail.locator('details[data-file="1.log"] pre').textContent()).toContain('crewtree run: agent script, attempt 1');

    await page.screenshot({ path: join(projectRoot, 'test-artifacts', 'dashboard-detail.png') });

    // Every change arrived over the one event stream: the page never polled the state.
    expect(requests.filter((path) => path === '/api/state')).toEqual([]);
    expect(requests.filter((path) => path === '/events').length).toBe(1);
  });

  it('stops on Ctrl-C with exit 0', async () => {
    served.child.kill('SIGINT');
    expect(await served.exited).toBe(0);
  });
});
