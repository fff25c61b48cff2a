// Children die with crewtree even when crewtree gets SIGKILL, which runs no exit hook. Each long
// child is started through a tiny /bin/sh supervisor that leads the child's process group: a
// background watcher holds one end of a pipe (fd 3) whose other end only crewtree holds. When
// crewtree ends, however it ends, the kernel closes that end, the watcher reads end-of-file and
// kills the whole group. The supervisor then `exec`s the child, so the group leader's pid, exit
// code and signal are the child's own. Arguments reach the child as "$@": no shell sees them.

/** Whatever is left in the group dies when fd 3 closes; fd 3 is closed for the child itself. */
const SCRIPT = '(while read -r _; do :; done; kill -9 0) <&3 >/dev/null 2>&1 & exec 3<&-; exec "$@"';

/** The argument vector that runs `command args` under the supervisor. */
export function supervised(command: string, args: readonly string[]): { command: string; args: string[] } {
  return { command: '/bin/sh', args: ['-c', SCRIPT, 'crewtree-supervisor', command, ...args] };
}

/** The pipe the watcher reads: pass as the 4th stdio entry of a supervised spawn. */
export const SUPERVISOR_PIPE = 'pipe' as const;
