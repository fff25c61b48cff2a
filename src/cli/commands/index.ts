import type { Command } from 'commander';
import type { CliState } from '../main.js';
import type { Io } from '../output.js';
import { registerBoard } from './board.js';
import { registerClaim } from './claim.js';
import { registerClean } from './clean.js';
import { registerDemo } from './demo.js';
import { registerDispatch } from './dispatch.js';
import { registerMerge } from './merge.js';
import { registerReview } from './review.js';
import { registerRun } from './run.js';
import { registerWork } from './work.js';
import { registerInit } from './init.js';
import { registerRelease } from './release.js';
import { registerSweep } from './sweep.js';
import { registerNext } from './next.js';
import { registerTask } from './task.js';
import { registerStatus } from './status.js';
import { registerLog } from './log.js';
import { registerDoctor } from './doctor.js';
import { registerDashboard } from './dashboard.js';

export type Register = (program: Command, io: Io, state: CliState) => void;

export const commands: Register[] = [registerInit, registerTask, registerNext, registerClaim, registerRelease, registerSweep, registerWork, registerRun, registerDispatch, registerClean, registerReview, registerMerge, registerBoard, registerDemo, registerStatus, registerLog, registerDoctor, registerDashboard];
