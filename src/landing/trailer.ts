// The `Task: <ID>` trailer that ties a commit on the base to its task, as a pure helper.

/** `message` with a `Task: <id>` trailer, added to its trailer block (or as a new one) when it has none. */
export function withTaskTrailer(message: string, id: string): string {
  const lines = message.replace(/\s+$/, '').split('\n');
  if (lines.some((line) => line === `Task: ${id}`)) return `${lines.join('\n')}\n`;
  const lastBlank = lines.lastIndexOf('');
  const lastParagraph = lastBlank === -1 ? [] : lines.slice(lastBlank + 1);
  const isTrailerBlock = lastParagraph.length > 0 && lastParagraph.every((line) => /^[A-Za-z0-9-]+: /.test(line));
  return `${lines.join('\n')}${isTrailerBlock ? '\n' : '\n\n'}Task: ${id}\n`;
}
