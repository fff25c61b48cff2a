import { describe, expect, it } from 'vitest';
import { CrewError } from '../../../src/errors.js';
import { parseStatus } from '../../../src/git/parse.js';
import { taskCommitMessage } from '../../../src/worktree/commit.js';
import { portEnv, portRange } from '../../../src/worktree/ports.js';
import { isSetupPath, withoutSetupFiles } from '../../../src/worktree/setup-record.js';

describe('taskCommitMessage', () => {
  it('is a conventional commit with the task trailer', () => {
    expect(taskCommitMessage({ id: 'A1', title: 'Add the x endpoint', type: 'feat' })).toBe('feat(A1): Add the x endpoint\n\nTask: A1\n');
    expect(taskCommitMessage({ id: 'B7', title: 'Crash on\n empty  list ', type: 'fix' })).toBe('fix(B7): Crash on empty list\n\nTask: B7\n');
  });
});

describe('portRange', () => {
  it('gives slot N the range base + N*size', () => {
    expect(portRange({ base: 4100, size: 10 }, 0)).toEqual({ base: 4100, count: 10 });
    expect(portRange({ base: 4100, size: 10 }, 3)).toEqual({ base: 4130, count: 10 });
    expect(portEnv({ base: 4130, count: 10 })).toEqual({ PORT: '4130', CREWTREE_PORT_BASE: '4130', CREWTREE_PORT_COUNT: '10' });
  });

  it('refuses a slot whose range runs past the last port', () => {
    expect(portRange({ base: 65000, size: 100 }, 4)).toEqual({ base: 65400, count: 100 });
    expect(() => portRange({ base: 65000, size: 100 }, 5)).toThrow(CrewError);
    expect(() => portRange({ base: 65000, size: 100 }, 5)).toThrow('Worker slot 5 would get ports 65500-65599, past 65535.');
  });
});

describe('setup files', () => {
  it('match themselves and what lies inside a linked folder, nothing else', () => {
    expect(isSetupPath('node_modules', ['node_modules'])).toBe(true);
    expect(isSetupPath('node_modules/x/index.js', ['node_modules'])).toBe(true);
    expect(isSetupPath('node_modules2', ['node_modules'])).toBe(false);
    expect(withoutSetupFiles(['.env', '.env.local', 'src/a.ts'], ['.env'])).toEqual(['.env.local', 'src/a.ts']);
  });
});

describe('parseStatus', () => {
  it('reads porcelain -z entries, names with spaces and newlines included', () => {
    expect(parseStatus(' M src/a.ts\0?? new file.txt\0D  gone\nline.md\0UU both.ts\0')).toEqual([
      { code: ' M', path: 'src/a.ts' },
      { code: '??', path: 'new file.txt' },
      { code: 'D ', path: 'gone\nline.md' },
      { code: 'UU', path: 'both.ts' },
    ]);
    expect(parseStatus('')).toEqual([]);
  });

  it('reads a rename or copy as its new path and skips the source field after it', () => {
    expect(parseStatus('R  new.md\0old.md\0C  copy.md\0orig.md\0 M other.md\0')).toEqual([
      { code: 'R ', path: 'new.md' },
      { code: 'C ', path: 'copy.md' },
      { code: ' M', path: 'other.md' },
    ]);
  });
});
