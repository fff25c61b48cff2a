import type { DoctorCheck, DoctorProblem } from './doctor.js';

export interface CheckoutOnDisk {
  path: string;
  /** The checkout's index.lock, when one exists. */
  indexLock: string | undefined;
}

export interface CheckoutCheckInput {
  base: string;
  checkouts: CheckoutOnDisk[];
  /** A base move a crash interrupted (move.json whose process is gone), if any. */
  interrupted: { pid: number; to: string; checkouts: string[] } | undefined;
}

const finish = 'Run any crewtree command that changes state (crew claim, crew task add, crew sweep): it finishes the move by itself and keeps your own edits.';

/** The user's checkouts of the base: a move a crash interrupted, and lock files a killed git left. */
export function checkoutCheck(input: CheckoutCheckInput): DoctorCheck {
  const problems: DoctorProblem[] = [];
  const interrupted = input.interrupted;
  if (interrupted) {
    problems.push({
      message: `a crewtree process (pid ${interrupted.pid}, gone) was killed while moving ${input.base} to ${interrupted.to.slice(0, 8)}; ${interrupted.checkouts.join(', ') || 'no checkout'} may be behind ${input.base}`,
      fix: finish,
    });
  }
  for (const checkout of input.checkouts) {
    if (!checkout.indexLock) continue;
    problems.push(
      interrupted?.checkouts.includes(checkout.path)
        ? { message: `${checkout.indexLock} was left by crewtree's git child, killed with its process`, fix: finish }
        : {
            message: `${checkout.indexLock} exists: a git command is running in ${checkout.path}, or one was killed; crewtree did not leave it`,
            fix: `If no git command is running there, remove it: rm ${checkout.indexLock}`,
          },
    );
  }
  const summary = `${input.checkouts.length} checkout${input.checkouts.length === 1 ? '' : 's'} of ${input.base}${problems.length ? '' : ', in step'}`;
  return { name: 'checkout', summary, notes: [], problems };
}
