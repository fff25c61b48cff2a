// Which entries of a red batch the failure output points at. Compilers, linters and test
// runners print the paths of the files they fail on; an entry that changed such a file is the
// likely culprit, and gating the others first often lands them a bisection step sooner.

const PATH_CHAR = /[A-Za-z0-9._\-/]/;

/** Whether `path` appears in `text` as a whole path (or as the end of a longer, absolute one). */
export function mentionsPath(text: string, path: string): boolean {
  for (let at = text.indexOf(path); at >= 0; at = text.indexOf(path, at + 1)) {
    const before = text[at - 1];
    const after = text[at + path.length];
    const startsClean = before === undefined || before === '/' || !PATH_CHAR.test(before);
    const endsClean = after === undefined || !PATH_CHAR.test(after) || (after === '.' && !PATH_CHAR.test(text[at + path.length + 1] ?? ' '));
    if (startsClean && endsClean) return true;
  }
  return false;
}

/** Entries (by key) whose changed files the failure output names; files under `ignoreDir` do not count. */
export function namedByOutput(tail: string, changed: ReadonlyMap<string, readonly string[]>, ignoreDir: string): string[] {
  const named: string[] = [];
  for (const [key, paths] of changed) {
    if (paths.some((path) => !path.startsWith(`${ignoreDir}/`) && mentionsPath(tail, path))) named.push(key);
  }
  return named;
}
