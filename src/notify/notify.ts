import type { Workspace } from '../workspace.js';
import { notifyCommand } from './command.js';
import { notifyDesktop } from './desktop.js';
import type { NotifyChannel, NotifyEvent, NotifyOutcome } from './event.js';
import { notifyWebhook } from './webhook.js';

export type { NotifyEvent, NotifyOutcome, NotifyChannel } from './event.js';
export { notifyText } from './event.js';

export interface NotifyOptions {
  webhookTimeoutMs?: number;
  commandTimeoutMs?: number;
}

/**
 * Tells the user a task is done, waits for review or is blocked, on every channel of
 * `notify` in the config (desktop, webhook, command), all at once. Never throws: each
 * channel's outcome is returned for the caller to log.
 */
export async function notify(ws: Workspace, event: NotifyEvent, options: NotifyOptions = {}): Promise<NotifyOutcome[]> {
  const { notify: config } = ws.config;
  const path = ws.env.PATH ?? process.env.PATH;
  const sends: [NotifyChannel, Promise<NotifyOutcome>][] = [];
  if (config.desktop) sends.push(['desktop', notifyDesktop(event, { cwd: ws.root, path })]);
  if (config.webhook) {
    sends.push(['webhook', notifyWebhook(config.webhook, event, { host: ws.host, time: ws.clock.now(), timeoutMs: options.webhookTimeoutMs ?? 5000 })]);
  }
  if (config.command) {
    sends.push(['command', notifyCommand(config.command, event, { cwd: ws.root, env: { PATH: path }, timeoutMs: options.commandTimeoutMs ?? 30_000 })]);
  }
  const outcomes = await Promise.all(
    sends.map(([channel, send]) => send.catch((error: unknown): NotifyOutcome => ({ channel, result: 'failed', detail: String(error) }))),
  );
  for (const outcome of outcomes) ws.events.emit({ type: 'notify', time: ws.clock.now(), task: event.task, status: event.status, ...outcome });
  return outcomes;
}
