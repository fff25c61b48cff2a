import type { Command } from 'commander';
import type { CliState } from '../action.js';
import type { Io } from '../output.js';

export type Register = (program: Command, io: Io, state: CliState) => void;

/**
 * Each command's module, by the command names it registers, loaded only when its name is on
 * the command line: `crew claim` then never loads the dashboard or the agents. NOTE: start-up
 * is most of a short command's cost (scripts and racing workers run many); help and unknown
 * commands load them all.
 */
export const commandModules: [names: string[], load: () => Promise<Register>][] = [
  [['init'], async () => (await import('./init.js')).registerInit],
  [['task'], async () => (await import('./task.js')).registerTask],
  [['next'], async () => (await import('./next.js')).registerNext],
  [['claim'], async () => (await import('./claim.js')).registerClaim],
  [['release'], async () => (await import('./release.js')).registerRelease],
  [['retry'], async () => (await import('./retry.js')).registerRetry],
  [['sweep'], async () => (await import('./sweep.js')).registerSweep],
  [['work'], async () => (await import('./work.js')).registerWork],
  [['run'], async () => (await import('./run.js')).registerRun],
  [['dispatch'], async () => (await import('./dispatch.js')).registerDispatch],
  [['clean'], async () => (await import('./clean.js')).registerClean],
  [['approve', 'reject'], async () => (await import('./review.js')).registerReview],
  [['merge'], async () => (await import('./merge.js')).registerMerge],
  [['board'], async () => (await import('./board.js')).registerBoard],
  [['demo'], async () => (await import('./demo.js')).registerDemo],
  [['status'], async () => (await import('./status.js')).registerStatus],
  [['log'], async () => (await import('./log.js')).registerLog],
  [['doctor'], async () => (await import('./doctor.js')).registerDoctor],
  [['dashboard'], async () => (await import('./dashboard.js')).registerDashboard],
];
