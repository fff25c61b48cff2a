// Path globs through picomatch: the matcher tinyglobby and the backlog's overlap check use too,
// so a pattern means the same thing everywhere.
import picomatch from 'picomatch';

/**
 * The files that no pattern in `allowed` covers. `**` allows everything; a pattern without
 * glob characters also covers what lies under it as a folder (`docs` covers `docs/a.md`).
 */
export function filesOutsidePaths(files: readonly string[], allowed: readonly string[]): string[] {
  if (allowed.some((pattern) => pattern === '**' || pattern === '**/*')) return [];
  const matchers = allowed.map((pattern) => {
    const glob = picomatch(pattern, { dot: true });
    const folder = picomatch.scan(pattern).isGlob ? undefined : pattern.replace(/\/+$/, '');
    return (file: string) => glob(file) || (folder !== undefined && (file === folder || file.startsWith(`${folder}/`)));
  });
  return files.filter((file) => !matchers.some((matches) => matches(file)));
}
