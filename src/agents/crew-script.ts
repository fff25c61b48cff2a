/** The first ```crew-script fenced block of a task body, or why there is none. */
export function extractCrewScript(body: string): { script: string } | { error: string } {
  const lines = body.split(/\r?\n/);
  const start = lines.findIndex((line) => /^ {0,3}(`{3,}|~{3,})\s*crew-script\s*$/.test(line));
  if (start === -1) return { error: 'the task has no ```crew-script block for the script agent to run' };
  const fence = /^ {0,3}(`{3,}|~{3,})/.exec(lines[start] ?? '')?.[1] ?? '```';
  // A closing fence: the same character, at least as long, nothing after it.
  const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
  const end = lines.findIndex((line, index) => index > start && closing.test(line));
  if (end === -1) return { error: `the crew-script block that starts on line ${start + 1} of the task body is not closed` };
  return { script: `${lines.slice(start + 1, end).join('\n')}\n` };
}
