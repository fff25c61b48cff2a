import { describe, expect, it } from 'vitest';
import { extractCrewScript } from '../../../src/agents/crew-script.js';

describe('extractCrewScript', () => {
  it('takes the first crew-script block only, as written', () => {
    const body = [
      'Intro with `$(touch /tmp/pwned)` in it.',
      '',
      '```sh',
      'echo not this one',
      '```',
      '',
      '```crew-script',
      'set -e',
      'echo "first" > a.txt',
      '```',
      '',
      '```crew-script',
      'echo second',
      '```',
    ].join('\n');
    expect(extractCrewScript(body)).toEqual({ script: 'set -e\necho "first" > a.txt\n' });
  });

  it('keeps a shorter fence inside a longer one, and accepts tildes and CRLF', () => {
    expect(extractCrewScript('````crew-script\ncat <<EOF\n```\nEOF\n````\n')).toEqual({ script: 'cat <<EOF\n```\nEOF\n' });
    expect(extractCrewScript('~~~ crew-script\r\necho hi\r\n~~~\r\n')).toEqual({ script: 'echo hi\n' });
  });

  it('does not take a block whose info string only starts with crew-script', () => {
    expect(extractCrewScript('```crew-scripts\necho no\n```\n')).toEqual({ error: 'the task has no ```crew-script block for the script agent to run' });
  });

  it('says where an unclosed block starts', () => {
    expect(extractCrewScript('Title\n\n```crew-script\necho never closed\n')).toEqual({
      error: 'the crew-script block that starts on line 3 of the task body is not closed',
    });
  });
});
