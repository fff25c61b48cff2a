// bench/dashboard: the dashboard on 50,000 tasks (issue 11 item 7): how long a page takes to
// show the board (goal: within 1 s), and what an update costs after a claim by another process
// (goal: what changed, not the whole board). Baseline, measured in the same run: what the
// dashboard did before, on every change: read the whole state afresh and send all of it (every
// task). Prints the load average too: on a busy machine every figure grows.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { compareTasks } from '../src/backlog/select.js';
import { gatherDashboardState } from '../src/dashboard/gather.js';
import { boardTask } from '../src/dashboard/state.js';
import { readSnapshot } from '../src/state/snapshot.js';
import { openWorkspace } from '../src/workflows/open-workspace.js';
import { crewBin, fmt, git, median, printTable, timeProcess } from './lib.js';

const TASKS = Number(process.env.BENCH_DASHBOARD_TASKS ?? 50_000);
const CLAIMS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM = '/usr/bin/chromium';
const statuses = ['todo', 'done', 'done', 'done', 'blocked'];

function bigRepo(tasks = TASKS): string {
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-bench-dashboard-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'user.name', 'bench');
  mkdirSync(join(dir, '.crewtree'), { recursive: true });
  mkdirSync(join(dir, 'backlog', 'tasks'), { recursive: true });
  writeFileSync(join(dir, '.crewtree', 'config.yaml'), 'agent: script\ngate: []\n');
  for (let i = 1; i <= tasks; i++) {
    const text = `---\nid: C${i}\ntitle: Task number ${i} of a big backlog\nstatus: ${statuses[i % 5]}\npriority: ${i % 3 === 0 ? 'high' : 'medium'}\ntype: feat\nrole: developer\n---\n# Task ${i}\n\n- [ ] done\n`;
    writeFileSync(join(dir, 'backlog', 'tasks', `C${i}-task-${i}.md`), text);
  }
  writeFileSync(join(dir, 'backlog', 'task.log'), Array.from({ length: 1000 }, (_, n) => `2025-12-02 11:03:23 UTC | user | C${n + 1} | created | Task ${n + 1}\n`).join(''));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'bench backlog');
  return dir;
}

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  port: number;
  token: string;
}

/** Stops a server and waits for its process to end, so its folder can be removed. */
function stop(served: Served): Promise<void> {
  return new Promise((resolve) => {
    if (served.child.exitCode !== null || served.child.signalCode !== null) return resolve();
    served.child.once('exit', () => resolve());
    served.child.kill('SIGINT');
  });
}

async function serve(dir: string): Promise<Served> {
  const child = spawn(process.execPath, [crewBin, 'dashboard', '--json'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      try {
        resolve({ child, ...(JSON.parse(out) as { url: string; port: number; token: string }) });
      } catch {
        // not all of it yet
      }
    });
    child.on('exit', () => reject(new Error(`crew dashboard exited: ${out}`)));
  });
}

/** An event-stream reader: each event's name, size and arrival time. */
async function listen(served: Served): Promise<{ events: { event: string; bytes: number; at: number }[]; stop(): void }> {
  const stop = new AbortController();
  const events: { event: string; bytes: number; at: number }[] = [];
  const response = await fetch(`http://127.0.0.1:${served.port}/events?token=${served.token}`, { signal: stop.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, bytes: Buffer.byteLength(block.replace(/^event: .*\n/, '').replace(/^data: /gm, '')), at: performance.now() });
      }
    }
  })();
  return { events, stop: () => stop.abort() };
}

async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const dir = bigRepo();
try {
  // Baseline: a whole state read and sent, as on every change before.
  const ws = await openWorkspace(dir);
  const wholeTimes: number[] = [];
  let wholeBytes = 0;
  for (let i = 0; i < 2; i++) {
    const start = performance.now();
    const state = await gatherDashboardState(ws);
    const { backlog } = await readSnapshot(ws.git, state.commit, ws.config.backlog);
    wholeBytes = Buffer.byteLength(JSON.stringify({ ...state, tasks: [...backlog.tasks].sort(compareTasks).map((task) => boardTask(task, undefined)) }));
    wholeTimes.push(performance.now() - start);
  }

  const startedAt = performance.now();
  const served = await serve(dir);
  const stream = await listen(served);
  await until(() => stream.events.some((e) => e.event === 'state'), 'the first state');
  const warm = performance.now() - startedAt;

  // A page's first load: navigation to the board drawn, the server already running; beside it the
  // same on a backlog of 100 tasks (the browser's own floor on this machine, in this run).
  let pageLoad = Number.NaN;
  let smallPageLoad = Number.NaN;
  if (existsSync(CHROMIUM) && !process.env.BENCH_NO_BROWSER) {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    const load = async (url: string, todo: number) => {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const start = performance.now();
      await page.goto(url);
      await page.locator('[data-status="todo"] .count', { hasText: String(todo) }).waitFor({ timeout: 60_000 });
      const ms = performance.now() - start;
      await page.close();
      return ms;
    };
    const smallDir = bigRepo(100);
    const small = await serve(smallDir);
    try {
      await load(small.url, 20); // warms the browser: the first page of a fresh Chromium pays its start
      smallPageLoad = await load(small.url, 20);
      pageLoad = await load(served.url, TASKS / 5);
    } finally {
      await stop(small);
      await browser.close();
      rmSync(smallDir, { recursive: true, force: true });
    }
  }
  const firstBytes = stream.events.find((e) => e.event === 'state')?.bytes ?? 0;

  // Updates: a claim by another process, from its exit to the delta's arrival.
  const latencies: number[] = [];
  const sizes: number[] = [];
  for (let i = 1; i <= CLAIMS; i++) {
    const seen = stream.events.length;
    timeProcess(process.execPath, [crewBin, 'claim', `C${i * 5}`, '--worker', 'bench'], dir);
    const claimed = performance.now();
    await until(() => stream.events.slice(seen).some((e) => e.event === 'delta'), 'a delta');
    const delta = stream.events.slice(seen).find((e) => e.event === 'delta')!;
    latencies.push(delta.at - claimed);
    sizes.push(delta.bytes);
  }
  stream.stop();
  await stop(served);

  const wholeMs = median(wholeTimes);
  printTable(`dashboard on ${TASKS.toLocaleString('en-US')} tasks (load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores)`, ['measure', 'now', 'baseline (whole state per change)', 'ratio'], [
    ['page first load (navigation to board drawn)', fmt(pageLoad), fmt(wholeMs), (pageLoad / wholeMs).toFixed(2)],
    ['page first load on 100 tasks (the browser alone)', fmt(smallPageLoad), fmt(pageLoad), (smallPageLoad / pageLoad).toFixed(2)],
    ['server start to first state (once per crew dashboard)', fmt(warm), fmt(wholeMs), (warm / wholeMs).toFixed(2)],
    ['first load bytes', `${(firstBytes / 1e6).toFixed(2)} MB`, `${(wholeBytes / 1e6).toFixed(2)} MB`, (firstBytes / wholeBytes).toFixed(2)],
    [`update after a claim: bytes (median of ${CLAIMS})`, `${median(sizes)} B`, `${(wholeBytes / 1e6).toFixed(2)} MB`, (median(sizes) / wholeBytes).toExponential(1)],
    ['update after a claim: claim exit to delta received', fmt(median(latencies)), fmt(wholeMs), (median(latencies) / wholeMs).toFixed(2)],
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
