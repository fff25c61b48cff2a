// Fitting text to terminal columns through cli-truncate (string-width inside): chosen because it
// counts what a terminal shows (colour codes take no column, wide characters take two) and keeps
// the colour codes whole when it cuts.
import cliTruncate from 'cli-truncate';

/** The line cut to at most `columns` visible columns, with an ellipsis where it was cut. */
export function fitLine(line: string, columns: number): string {
  return cliTruncate(line, Math.max(1, columns), { position: 'end' });
}
