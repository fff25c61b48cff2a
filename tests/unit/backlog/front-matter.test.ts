import { describe, expect, it } from 'vitest';
import { appendNote, hasOpeningFence, setFrontMatterKeys, splitFrontMatter } from '../../../src/backlog/front-matter.js';
import { CrewError } from '../../../src/errors.js';

const lock = {
  worker: 'codex-dev',
  token: '5f1c9e2a',
  branch: 'ai/codex-dev/A32-add-event-registrations-list-endpoint',
  worktree: '.worktrees/ai/codex-dev/A32-add-event-registrations-list-endpoint',
  host: 'laptop',
  pid: 4242,
  since: '2025-12-02T11:03:23Z',
};

const lockLines = [
  'lock:',
  '  worker: codex-dev',
  '  token: 5f1c9e2a',
  '  branch: ai/codex-dev/A32-add-event-registrations-list-endpoint',
  '  worktree: .worktrees/ai/codex-dev/A32-add-event-registrations-list-endpoint',
  '  host: laptop',
  '  pid: 4242',
  '  since: 2025-12-02T11:03:23Z',
];

/** The task file of design.md section 3, before it is claimed. */
const designTask = [
  '---',
  'id: A32',
  'title: Add event registrations list endpoint',
  'status: todo            # todo | in-progress | review | done | blocked',
  'priority: high          # high | medium | low (High/Medium/Low accepted on read)',
  'type: feat              # conventional-commit type for the task\'s commit',
  'epic: Events',
  'role: developer         # the role that takes it (default developer)',
  'depends_on: [A30, A31]',
  'paths: [services/events/**]   # optional: where the change should land (scheduling hint)',
  '---',
  '# Add event registrations list endpoint',
  '',
  'Free markdown: context, acceptance criteria as `- [ ]` items, notes appended by crewtree.',
  '',
].join('\n');

describe('setFrontMatterKeys on hand-written files', () => {
  it('claims the design example: status value swapped in place, lock appended before the fence', () => {
    const claimed = setFrontMatterKeys(designTask, { status: 'in-progress', lock });
    const expected = designTask
      .replace('status: todo            #', 'status: in-progress            #')
      .replace('(scheduling hint)\n---\n', `(scheduling hint)\n${lockLines.join('\n')}\n---\n`);
    expect(claimed).toBe(expected);
    expect(setFrontMatterKeys(claimed, { status: 'todo', lock: undefined })).toBe(designTask);
  });

  it('replaces an existing lock block, comments inside it included, and keeps the next key and its comment', () => {
    const text = '---\nid: A1\nlock: # held\n  worker: old\n  # note\n  pid: 1\n  # last\n# about the title\ntitle: T\n---\nbody\n';
    expect(setFrontMatterKeys(text, { lock })).toBe(`---\nid: A1\n${lockLines.join('\n')}\n# about the title\ntitle: T\n---\nbody\n`);
    expect(setFrontMatterKeys(text, { lock: undefined })).toBe('---\nid: A1\n# about the title\ntitle: T\n---\nbody\n');
  });

  it('writes CRLF into a CRLF file and keeps a byte-order mark', () => {
    const text = '\uFEFF---\r\nid: A1\r\nstatus: "todo"\r\n---\r\nbody\r\n';
    const claimed = setFrontMatterKeys(text, { status: 'in-progress', lock });
    expect(claimed).toBe(`\uFEFF---\r\nid: A1\r\nstatus: "in-progress"\r\n${lockLines.join('\r\n')}\r\n---\r\nbody\r\n`);
  });

  it('keeps single quotes, double quotes and plain style of the status value, and the comment after it', () => {
    expect(setFrontMatterKeys("---\nstatus: 'todo' # c\n---\n", { status: 'done' })).toBe("---\nstatus: 'done' # c\n---\n");
    expect(setFrontMatterKeys('---\nstatus: "To Do"\n---\n', { status: 'In Progress' })).toBe('---\nstatus: "In Progress"\n---\n');
    expect(setFrontMatterKeys('---\nstatus: To Do\n---\n', { status: 'In Progress' })).toBe('---\nstatus: In Progress\n---\n');
  });

  it('rewrites a status written on the next line as one line', () => {
    expect(setFrontMatterKeys('---\nid: A1\nstatus:\n  todo\ntitle: T\n---\n', { status: 'done' })).toBe('---\nid: A1\nstatus: done\ntitle: T\n---\n');
  });

  it('adds a missing key at the end of the front-matter, after trailing comments', () => {
    expect(setFrontMatterKeys('---\nid: A1\n# trailing\n\n---\n', { status: 'todo' })).toBe('---\nid: A1\n# trailing\n\nstatus: todo\n---\n');
    expect(setFrontMatterKeys('---\n---\n', { status: 'todo' })).toBe('---\nstatus: todo\n---\n');
  });

  it('handles a file that ends right after the closing fence', () => {
    expect(setFrontMatterKeys('---\nid: A1\n---', { lock })).toBe(`---\nid: A1\n${lockLines.join('\n')}\n---`);
  });

  it('keeps the indentation of front-matter that is indented as a whole', () => {
    const text = '---\n  id: A1\n  status: todo\n  title: T\n---\n';
    const expected = `---\n  id: A1\n  status: todo\n  title: T\n${lockLines.map((line) => `  ${line}`).join('\n')}\n---\n`;
    expect(setFrontMatterKeys(text, { lock })).toBe(expected);
    expect(setFrontMatterKeys(expected, { lock: undefined })).toBe(text);
  });

  it('is not fooled by --- in a block scalar, in a quoted value after U+2028, or in the body', () => {
    const text = '---\nid: A1\nnotes: |\n  ---\n  still notes\ntitle: "a\u2028---\u2028b"\nstatus: todo\n---\n---\nstatus: done\n';
    const front = splitFrontMatter(text);
    expect(front?.body).toBe('---\nstatus: done\n');
    expect(setFrontMatterKeys(text, { status: 'review' })).toBe(text.replace('status: todo', 'status: review'));
  });

  it('refuses files it cannot edit safely, with a CrewError and no partial result', () => {
    const attempts = ['# no front-matter\n', '---\nid: A1\n', '---\nid: [A1\n---\n', '---\n- a\n---\n', '---\n{id: A1, title: T}\n---\n'];
    for (const text of attempts) {
      expect(() => setFrontMatterKeys(text, { status: 'done' }), text).toThrow(CrewError);
    }
  });

  it('leaves lock: null rather than give the blank lines after the lock to a |+ block scalar', () => {
    const text = '---\nid: A1\nnotes: |+\n  keep me\n\nlock:\n  worker: a\n\ntitle: T\n---\n';
    expect(setFrontMatterKeys(text, { lock: undefined })).toBe('---\nid: A1\nnotes: |+\n  keep me\n\nlock: null\n\ntitle: T\n---\n');
    const separated = text.replace('\nlock:', '\n# the lock\nlock:');
    expect(setFrontMatterKeys(separated, { lock: undefined })).toBe('---\nid: A1\nnotes: |+\n  keep me\n\n# the lock\n\ntitle: T\n---\n');
  });

  it('applies several keys in order in one call', () => {
    const once = setFrontMatterKeys('---\nid: A1\nstatus: todo\n---\n', { status: 'blocked', lock: undefined, review: true });
    expect(once).toBe('---\nid: A1\nstatus: blocked\nreview: true\n---\n');
  });
});

describe('splitFrontMatter and hasOpeningFence', () => {
  it('splits at the first fence line, with offsets and newline style', () => {
    expect(splitFrontMatter('--- \r\nid: A1\r\n...\r\nbody')).toEqual({ yaml: 'id: A1\r\n', start: 6, firstLine: 2, body: 'body', newline: '\r\n' });
    expect(splitFrontMatter('---\n---\n')).toEqual({ yaml: '', start: 4, firstLine: 2, body: '', newline: '\n' });
  });

  it('tells an unclosed front-matter from no front-matter', () => {
    expect(splitFrontMatter('---\nid: A1\n')).toBeUndefined();
    expect(hasOpeningFence('---\nid: A1\n')).toBe(true);
    expect(hasOpeningFence('# Title\n---\n')).toBe(false);
  });
});

describe('appendNote', () => {
  it('adds a Notes section once, then one line per note, in the file newline', () => {
    const once = appendNote('---\nid: A1\n---\n# T\n', 'swept: codex-dev gone');
    expect(once).toBe('---\nid: A1\n---\n# T\n\n## Notes\n\n- swept: codex-dev gone\n');
    expect(appendNote(once, 'second\nline')).toBe(`${once}- second line\n`);
    expect(appendNote('---\r\nid: A1\r\n---\r\n# T', 'n')).toBe('---\r\nid: A1\r\n---\r\n# T\r\n\r\n## Notes\r\n\r\n- n\r\n');
  });

  it('puts a multi-line detail under the note as an indented fenced block that cannot be closed early', () => {
    expect(appendNote('# T\n', 'gate failed', 'FAIL src/a.test.ts\n```\n  expected 1\n')).toBe(
      '# T\n\n## Notes\n\n- gate failed\n  ```\n  FAIL src/a.test.ts\n  ` ` `\n    expected 1\n  ```\n',
    );
  });
});
