// Notifications when a task is done, waits for review or is blocked.
export { notify, notifyText, type NotifyEvent, type NotifyOutcome, type NotifyChannel, type NotifyOptions } from './notify.js';
