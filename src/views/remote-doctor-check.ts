import type { DoctorCheck } from './doctor.js';
import type { Workspace } from '../workspace.js';
import { checkRemote, remoteProblem } from '../remote/check.js';

/** `crew doctor`'s remote line: reachable, has the base, accepts pushes to it, supports atomic pushes. */
export async function remoteDoctorCheck(ws: Workspace, remote: string): Promise<DoctorCheck> {
  const checks = await checkRemote(ws, remote);
  const problem = remoteProblem(remote, checks);
  return {
    name: 'remote',
    summary: problem ? `${remote} cannot hold crewtree's state` : `${remote} holds the shared state (${ws.config.base} moved by atomic pushes)`,
    notes: checks.filter((check) => check.ok).map((check) => check.detail),
    problems: problem ? [{ message: checks.find((check) => !check.ok)?.detail ?? problem.message, fix: problem.hint ?? '' }] : [],
  };
}
