import { describe, expect, it } from 'vitest';
import { CrewError } from '../../../src/errors.js';
import { confinedWorktreePath, isValidBranchName } from '../../../src/worktree/confine.js';

describe('isValidBranchName', () => {
  it.each(['ai/w1/A1-add-x', 'ai/codex-dev/A32-title', 'feature/x.y', 'A_1'])('accepts %s', (name) => {
    expect(isValidBranchName(name)).toBe(true);
  });

  it.each([
    ['..', 'ai/../x'],
    ['.. inside a part', 'ai/w1/A1..x'],
    ['a leading dash', '-x'],
    ['a space', 'ai/w1/a b'],
    ['a part starting with a dot', 'ai/.hidden/x'],
    ['a .lock part', 'ai/x.lock/y'],
    ['a trailing slash', 'ai/'],
    ['a double slash', 'ai//x'],
    ['@{', 'ai@{1}'],
    ['shell characters ~^:?*[\\', 'ai/$(x)~'],
    ['a control character', 'ai/\tx'],
    ['empty', ''],
  ])('refuses %s', (_why, name) => {
    expect(isValidBranchName(name)).toBe(false);
  });
});

describe('confinedWorktreePath', () => {
  it('resolves a path inside the worktrees folder', () => {
    expect(confinedWorktreePath('/repo', '.worktrees', '.worktrees/ai/w1/A1-x')).toBe('/repo/.worktrees/ai/w1/A1-x');
    expect(confinedWorktreePath('/repo', 'var/trees', 'var/trees/ai/a/../b')).toBe('/repo/var/trees/ai/b');
  });

  it.each(['.worktrees', '.worktrees/', '.worktrees/..', '.worktrees/../src', '/etc/passwd', '.worktrees-other/x', '../elsewhere/.worktrees/x'])(
    'refuses %s',
    (path) => {
      let caught: unknown;
      try {
        confinedWorktreePath('/repo', '.worktrees', path);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CrewError);
      expect((caught as CrewError).message).toBe(`Refusing the worktree path ${path}: it is not inside .worktrees/.`);
    },
  );
});
