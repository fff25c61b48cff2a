import { notifyText, type NotifyEvent, type NotifyOutcome } from './event.js';

/**
 * A JSON POST of the event. `text` carries a readable line too, which is what Slack- and
 * Mattermost-style incoming webhooks show. Never throws: a failure is an outcome.
 */
export async function notifyWebhook(url: string, event: NotifyEvent, options: { host: string; time: Date; timeoutMs: number }): Promise<NotifyOutcome> {
  const body = { ...event, host: options.host, time: options.time.toISOString(), text: notifyText(event) };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'crewtree' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) return { channel: 'webhook', result: 'failed', detail: `${url} answered HTTP ${response.status}` };
    return { channel: 'webhook', result: 'sent', detail: `${url} answered HTTP ${response.status}` };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const why =
      name === 'TimeoutError' || name === 'AbortError'
        ? `no answer within ${options.timeoutMs / 1000} s`
        : error instanceof Error
          ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
          : String(error);
    return { channel: 'webhook', result: 'failed', detail: `${url}: ${why}` };
  }
}
