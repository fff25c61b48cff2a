/**
 * The one place crewtree listens for SIGINT and SIGTERM (Ctrl-C, `kill`, a terminal closing).
 * `handler` gets how many have come so far, so a command can stop cleanly on the first and force
 * on the second; the returned function stops listening, after which a signal has its default
 * effect again. NOTE: while a listener is on, Node does not exit on these signals by itself.
 */
export function onStopSignals(handler: (count: number) => void): () => void {
  let count = 0;
  const listener = () => handler(++count);
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}
