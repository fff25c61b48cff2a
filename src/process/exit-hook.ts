// The one exit hook: whatever crewtree started (process groups, temporary folders) is ended or
// removed when it exits, however it exits short of SIGKILL (which the supervisor covers).
const cleanups = new Set<() => void>();
let installed = false;

/** Runs `cleanup` (synchronously) when crewtree exits; the returned function unregisters it. */
export function onExit(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    // NOTE: 'exit' runs on process.exit() and on a normal end, not on a fatal signal: the CLI turns
    // SIGINT/SIGTERM into an abort (or an exit), which lands here.
    process.on('exit', () => {
      for (const run of [...cleanups]) {
        try {
          run();
        } catch {
          // one failed cleanup must not keep the others from running
        }
      }
    });
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
