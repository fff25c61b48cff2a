// The dashboard page's behaviour, in the browser: one EventSource for state pushed by the
// server (no polling): the whole board once, then deltas of what changed, applied by the
// server's own module (/delta.js); plain DOM rendering, only the parts a delta touches; and a
// one-second timer that only ticks elapsed times on screen. Everything from the repository is
// set as text, never as HTML.
import type { DashboardDelta } from '../delta.js';
import type { BoardTask, DashboardState, TaskDetail, Usage } from '../wire.js';

const token = new URLSearchParams(location.search).get('token') ?? '';
const withToken = (path: string) => `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;

const columns = [
  ['todo', 'Todo'],
  ['in-progress', 'In progress'],
  ['review', 'Review'],
  ['done', 'Done'],
  ['blocked', 'Blocked'],
] as const;

/** Server clock minus browser clock, so elapsed times follow the server's. */
let clockOffset = 0;
let openTask: string | null = null;
let current: DashboardState | undefined;

type DeltaModule = typeof import('../delta.js');
const deltaModule = import(withToken('/delta.js')) as Promise<DeltaModule>;

type Child = Node | string | null | undefined | false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? `${hours}h ${String(minutes % 60).padStart(2, '0')}m` : `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
}

function formatUsage(usage: Usage | null): string {
  if (!usage) return '';
  const tokens = usage.inputTokens + usage.outputTokens;
  const shown = tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens);
  return `${shown} tok${usage.costUsd > 0 ? ` · $${usage.costUsd.toFixed(2)}` : ''}`;
}

function elapsedSpan(since: string): HTMLSpanElement {
  const span = el('span', { 'data-since': since });
  span.textContent = formatElapsed(Date.now() + clockOffset - new Date(since).getTime());
  return span;
}

function tickElapsed(): void {
  for (const span of document.querySelectorAll<HTMLElement>('[data-since]')) {
    span.textContent = formatElapsed(Date.now() + clockOffset - new Date(span.dataset.since ?? '').getTime());
  }
}

function card(task: BoardTask): HTMLLIElement {
  const meta = [task.priority, task.worker, formatUsage(task.usage)].filter(Boolean).join(' · ');
  // NOTE: no listener per card: the board listens once for all of them (cardTask).
  return el('li', { class: 'card', tabindex: '0', 'data-task-id': task.id, 'data-priority': task.priority }, el('div', { class: 'card-id' }, task.id), el('div', { class: 'card-title' }, task.title), el('div', { class: 'card-meta' }, meta));
}

/** A column: the cards the server sent (its first ones) and how many more there are. */
function renderColumn(status: string, title: string, tasks: readonly BoardTask[], count: number): HTMLDivElement {
  const list = el('ul', { class: 'cards' });
  list.append(...tasks.map(card));
  if (count > tasks.length) list.append(el('li', { class: 'more muted' }, `and ${(count - tasks.length).toLocaleString('en-US')} more`));
  return el('div', { class: 'column', 'data-status': status }, el('h2', {}, `${title} `, el('span', { class: 'count' }, String(count))), list);
}

/** The board, or only the columns of `statuses` (the ones a delta touched). */
function renderBoard(state: DashboardState, statuses?: ReadonlySet<string>): void {
  const byStatus = new Map<string, BoardTask[]>(columns.map(([status]) => [status, []]));
  for (const task of state.tasks) byStatus.get(task.status)?.push(task);
  const board = byId('board');
  if (!statuses || board.children.length !== columns.length) {
    board.replaceChildren(...columns.map(([status, title]) => renderColumn(status, title, byStatus.get(status) ?? [], state.counts[status])));
    return;
  }
  for (const [status, title] of columns) {
    if (!statuses.has(status)) continue;
    board.querySelector(`[data-status="${status}"]`)?.replaceWith(renderColumn(status, title, byStatus.get(status) ?? [], state.counts[status]));
  }
}

function renderWorkers(state: DashboardState): void {
  const rows = state.workers.map((worker) =>
    el(
      'tr',
      { 'data-worker': worker.worker, 'data-alive': String(worker.alive !== false) },
      el('td', {}, worker.worker),
      el('td', {}, worker.task ?? '-'),
      el('td', { class: 'phase' }, worker.phase),
      el('td', {}, elapsedSpan(worker.phaseSince)),
      el('td', {}, worker.attempt === null ? '-' : String(worker.attempt)),
      el('td', {}, `${worker.pid}${worker.alive === false ? ' (gone)' : ''}`),
    ),
  );
  const body = byId('workers').querySelector('tbody');
  body?.replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: '6', class: 'muted' }, 'No worker is running.'))]));
}

function renderQueue(state: DashboardState): void {
  const { queue } = state;
  const lines: HTMLElement[] = [];
  if (queue.runner) {
    const gating = queue.runner.gating.length > 0 ? `, gating ${queue.runner.gating.join(' ')}` : '';
    lines.push(el('div', {}, `running: ${queue.runner.worker}${gating}${queue.runner.alive === false ? ' (process gone)' : ''}`));
  }
  for (const entry of queue.waiting) lines.push(el('div', { 'data-waiting': entry.task }, `waiting: ${entry.task}${entry.title ? ` ${entry.title}` : ''}${entry.worker ? ` (${entry.worker})` : ''}`));
  for (const entry of queue.recent) lines.push(el('div', {}, `${entry.outcome}: ${entry.task}${entry.detail ? ` (${entry.detail})` : ''}`));
  byId('queue').replaceChildren(...(lines.length > 0 ? lines : [el('div', { class: 'muted' }, 'Empty.')]));
}

function renderLog(state: DashboardState, append?: { append: string[]; keep: number }): void {
  const log = byId('log');
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  if (append) {
    log.append(...append.append.map((line) => el('li', {}, line)));
    while (log.children.length > append.keep) log.firstElementChild?.remove();
  } else log.replaceChildren(...state.log.map((line) => el('li', {}, line)));
  byId('log-count').textContent = state.logTotal > state.log.length ? `(last ${state.log.length} of ${state.logTotal})` : '';
  if (atBottom) log.scrollTop = log.scrollHeight;
}

function renderHeader(state: DashboardState): void {
  byId('base').textContent = `${state.base} at ${state.commit.slice(0, 8)}`;
  const total = Object.values(state.counts).reduce((sum, count) => sum + count, 0);
  byId('totals').textContent = `${total} tasks${state.spentUsd > 0 ? ` · $${state.spentUsd.toFixed(2)} spent` : ''}`;
  const problems = byId('problems');
  problems.hidden = state.problems.length === 0;
  problems.textContent = state.problems.join('\n');
}

function render(state: DashboardState): void {
  clockOffset = new Date(state.now).getTime() - Date.now();
  renderHeader(state);
  renderBoard(state);
  renderWorkers(state);
  renderQueue(state);
  renderLog(state);
}

/** Applies a delta and redraws only what it touched. */
async function update(delta: DashboardDelta): Promise<void> {
  const { applyDashboardDelta } = await deltaModule;
  if (!current) return;
  const before = new Map(current.tasks.map((task) => [task.id, task.status]));
  const touched = new Set<string>();
  for (const id of delta.tasks?.remove ?? []) touched.add(before.get(id) ?? '');
  for (const { task } of delta.tasks?.upsert ?? []) touched.add(task.status).add(before.get(task.id) ?? task.status);
  const counts = current.counts;
  current = applyDashboardDelta(current, delta);
  clockOffset = new Date(current.now).getTime() - Date.now();
  renderHeader(current);
  for (const [status, count] of Object.entries(current.counts)) if (count !== counts[status as keyof typeof counts]) touched.add(status);
  if (touched.size > 0) renderBoard(current, touched);
  if (delta.workers) renderWorkers(current);
  if (delta.queue) renderQueue(current);
  if (delta.log) renderLog(current, 'append' in delta.log ? delta.log : undefined);
  else if (delta.logTotal !== undefined) renderLog(current);
}

function renderDetail(detail: TaskDetail): void {
  const { task, runs } = detail;
  byId('detail-title').textContent = `${task.id} ${task.title}`;
  const meta = [task.status, task.priority, task.role, task.worker && `locked by ${task.worker}`, formatUsage(task.usage)].filter(Boolean).join(' · ');
  const attempts = runs.attempts.map((attempt) =>
    el(
      'li',
      {},
      `attempt ${attempt.attempt} · ${attempt.worker} · ${attempt.agent} · ${attempt.ok ? 'ok' : `failed${attempt.reason ? `: ${attempt.reason}` : ''}`}${attempt.gate ? ` · gate ${attempt.gate}` : ''}`,
      attempt.usage ? ` · ${formatUsage({ inputTokens: attempt.usage.inputTokens, outputTokens: attempt.usage.outputTokens, costUsd: attempt.usage.costUsd ?? 0 })}` : '',
      attempt.finalMessage ? el('div', { class: 'muted' }, attempt.finalMessage) : null,
    ),
  );
  const body = byId('detail-body');
  // NOTE: a refresh keeps the run logs the reader opened (or closed) as they were.
  const sameTask = body.dataset.taskId === task.id;
  const wasOpen = new Map([...body.querySelectorAll<HTMLDetailsElement>('details[data-file]')].map((node) => [node.dataset.file, node.open]));
  const files = runs.files.map((file, index) => {
    const details = el('details', { 'data-file': file.name }, el('summary', {}, file.path), el('pre', {}, file.text));
    details.open = (sameTask ? wasOpen.get(file.name) : undefined) ?? index === runs.files.length - 1;
    return details;
  });
  body.dataset.taskId = task.id;
  body.replaceChildren(
    el('p', { class: 'muted' }, meta),
    el('h2', {}, 'Task file ', el('span', { class: 'muted' }, task.file)),
    el('pre', { class: 'task-file' }, detail.text),
    el('h2', {}, 'Log'),
    el('pre', { class: 'task-log' }, detail.log.join('\n') || 'No log lines yet.'),
    el('h2', {}, 'Runs ', el('span', { class: 'muted' }, runs.dir)),
    ...(attempts.length > 0 ? [el('ul', { class: 'attempts' }, ...attempts)] : []),
    ...(files.length > 0 ? files : [el('p', { class: 'muted' }, 'No run logs yet.')]),
  );
}

async function showDetail(id: string): Promise<void> {
  openTask = id;
  const panel = byId('detail');
  panel.hidden = false;
  panel.dataset.taskId = id;
  const response = await fetch(withToken(`/api/tasks/${encodeURIComponent(id)}`));
  if (openTask !== id) return;
  if (!response.ok) {
    byId('detail-title').textContent = id;
    byId('detail-body').replaceChildren(el('p', {}, ((await response.json().catch(() => ({}))) as { message?: string }).message ?? `HTTP ${response.status}`));
    return;
  }
  renderDetail((await response.json()) as TaskDetail);
}

function closeDetail(): void {
  openTask = null;
  byId('detail').hidden = true;
}

function connect(): void {
  const connection = byId('connection');
  const source = new EventSource(withToken('/events'));
  source.addEventListener('open', () => {
    connection.dataset.state = 'live';
    connection.textContent = 'live';
  });
  source.addEventListener('error', () => {
    connection.dataset.state = 'lost';
    connection.textContent = 'reconnecting…';
  });
  // NOTE: events are handled one after another: a delta waits for the module that applies it.
  let queue = Promise.resolve();
  const handle = (work: () => void | Promise<void>) => {
    queue = queue.then(work).catch((error: unknown) => console.error(error));
  };
  source.addEventListener('state', (event) => {
    handle(() => {
      current = JSON.parse((event as MessageEvent<string>).data) as DashboardState;
      render(current);
      if (openTask) void showDetail(openTask);
    });
  });
  source.addEventListener('delta', (event) => {
    handle(async () => {
      const delta = JSON.parse((event as MessageEvent<string>).data) as DashboardDelta;
      await update(delta);
      // NOTE: the open detail follows the state it belongs to: one fetch when its task changed.
      if (openTask && (delta.tasks?.upsert.some(({ task }) => task.id === openTask) || delta.log)) void showDetail(openTask);
    });
  });
  source.addEventListener('problem', (event) => {
    const problems = byId('problems');
    problems.hidden = false;
    problems.textContent = (JSON.parse((event as MessageEvent<string>).data) as { message: string }).message;
  });
}

/** The task of the card an event happened on, if any. */
function cardTask(event: Event): string | undefined {
  return event.target instanceof Element ? (event.target.closest<HTMLElement>('.card[data-task-id]')?.dataset.taskId ?? undefined) : undefined;
}

byId('board').addEventListener('click', (event) => {
  const id = cardTask(event);
  if (id) void showDetail(id);
});
byId('board').addEventListener('keydown', (event) => {
  const id = event.key === 'Enter' ? cardTask(event) : undefined;
  if (id) void showDetail(id);
});
byId('detail-close').addEventListener('click', closeDetail);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') closeDetail();
});
setInterval(tickElapsed, 1000);
connect();
