import { describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/backlog/backlog.js';
import { formatTaskEvent } from '../../../src/task-log/events.js';
import { singleLine, stripControlSequences } from '../../../src/terminal/safe-text.js';

const hostile = {
  clipboard: 'Fix \u001b]52;c;cm0gLXJmIH4=\u0007login',
  clipboardSt: 'Fix \u001b]52;c;cm0gLXJmIH4=\u001b\\login',
  windowTitle: '\u001b]0;pwned\u0007Fix login',
  clear: '\u001b[2J\u001b[HFix login',
  color: '\u001b[31mFix\u001b[0m login',
  c1: '\u009b2J\u009d0;x\u009cFix login',
  bell: 'Fix\u0007 login',
  bidi: 'Fix \u202Enigol',
  unterminated: 'Fix login\u001b]0;never ends',
};

describe('stripControlSequences', () => {
  // NOTE: the whole sequence goes, its payload (the clipboard text, the window title) included.
  const shown: Record<keyof typeof hostile, string> = {
    clipboard: 'Fix login',
    clipboardSt: 'Fix login',
    windowTitle: 'Fix login',
    clear: 'Fix login',
    color: 'Fix login',
    c1: 'Fix login',
    bell: 'Fix login',
    bidi: 'Fix nigol',
    unterminated: 'Fix login',
  };

  it.each(Object.entries(hostile))('%s: no escape, C0/C1 control or bidi override survives', (name, text) => {
    expect(stripControlSequences(text)).toBe(shown[name as keyof typeof hostile]);
  });

  it('keeps plain text, tabs, line feeds and Unicode as they are', () => {
    const text = 'Café 日本語 — naïve\tcolumns\nsecond line 🐛';
    expect(stripControlSequences(text)).toBe(text);
    expect(stripControlSequences('a\r\nb')).toBe('a\nb');
  });
});

describe('a title can never look like another log line', () => {
  const forged = 'Fix login\n2025-12-02 11:03:23 UTC | codex-dev | A9 | merged | forged\u2028x\u0085y\rz';

  it('singleLine puts every kind of line break on one line', () => {
    expect(singleLine(forged)).toBe('Fix login 2025-12-02 11:03:23 UTC | codex-dev | A9 | merged | forged x y z');
  });

  it('a task file whose title has a line break and escapes is read as one clean line', () => {
    const text = `---\nid: A1\ntitle: ${JSON.stringify(forged + hostile.clipboard)}\n---\n`;
    const backlog = parseBacklog([{ path: 'backlog/tasks/A1-x.md', text }]);
    expect(backlog.problems).toEqual([]);
    const title = backlog.tasks[0]?.title ?? '';
    expect(title).not.toMatch(/[\n\r\u2028\u0085\u001b\u0007]/);
    const line = formatTaskEvent({ time: new Date('2025-12-02T11:00:00Z'), worker: 'w', task: 'A1', event: 'created', detail: title });
    expect(line.split('\n')).toHaveLength(1);
    expect(line.startsWith('2025-12-02 11:00:00 UTC | w | A1 | created | Fix login 2025-12-02 11:03:23 UTC / codex-dev')).toBe(true);
  });
});
