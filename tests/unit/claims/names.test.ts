import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { branchName, heartbeatRef, sanitizeWorkerName, worktreePath } from '../../../src/claims/names.js';

const config = { branch: 'ai/{worker}/{id}-{slug}', worktrees: '.worktrees' };

/** git itself is the judge of a branch name (one process for a whole batch). */
function invalidBranchNames(names: string[]): string[] {
  const script = 'while IFS= read -r name; do git check-ref-format --branch "$name" >/dev/null 2>&1 || printf "%s\\n" "$name"; done';
  return execFileSync('sh', ['-c', script], { input: names.join('\n') + '\n', encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('sanitizeWorkerName', () => {
  it.each([
    ['codex-dev', 'codex-dev'],
    ['Claude Dev #2', 'Claude-Dev-2'],
    ['../../etc/passwd', 'etc-passwd'],
    ['a..b', 'a.b'],
    ['...', 'worker'],
    ['', 'worker'],
    ['émile', 'mile'],
    ['x'.repeat(39) + '.yz', 'x'.repeat(39)],
    ['y'.repeat(39) + '-tail', 'y'.repeat(39)],
  ])('%j -> %j', (input, expected) => {
    expect(sanitizeWorkerName(input)).toBe(expected);
  });
});

describe('branchName and worktreePath', () => {
  it('follows the configured pattern: ai/<worker>/<ID>-<slug>', () => {
    const branch = branchName(config, 'codex-dev', 'A32', 'Add event registrations list endpoint');
    expect(branch).toBe('ai/codex-dev/A32-add-event-registrations-list-endpoint');
    expect(worktreePath(config, branch)).toBe('.worktrees/ai/codex-dev/A32-add-event-registrations-list-endpoint');
  });

  it('sanitizes every part a title or worker could break', () => {
    expect(branchName(config, 'me', 'A1', 'Fix "quotes"; rm -rf / && $(reboot)')).toBe('ai/me/A1-fix-quotes-rm-rf-reboot');
    expect(branchName({ branch: '{worker}/{id}.lock' }, '.hidden', 'B2', 'x')).toBe('hidden/B2-lock');
    expect(branchName({ branch: 'ai/{id}/{worker}' }, 'w'.repeat(39) + '.z', 'C3', 'x')).toBe(`ai/C3/${'w'.repeat(39)}`);
  });

  it('always gives a name git accepts as a branch, kept inside the worktrees folder (300 random workers and titles)', () => {
    const samples = fc.sample(
      fc.record({
        // Mostly the characters git is picky about, so the edge cases come up.
        worker: fc.oneof(fc.string({ maxLength: 50 }), fc.string({ unit: fc.constantFrom('.', '-', 'a', '/', ' ', '@', '{', '~', '^', ':', '\\', '*', 'é'), maxLength: 60 })),
        id: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,12}$/),
        title: fc.string({ maxLength: 80 }),
        pattern: fc.constantFrom('ai/{worker}/{id}-{slug}', '{id}', 'crew/{id}/{worker}', 'x.{worker}/{slug}.{id}'),
      }),
      { numRuns: 300, seed: 4242 },
    );
    const names = samples.map((s) => branchName({ branch: s.pattern }, s.worker, s.id, s.title));
    expect(invalidBranchNames(names)).toEqual([]);
    for (const name of names) {
      const path = worktreePath(config, name);
      expect(path.startsWith('.worktrees/')).toBe(true);
      expect(path.split('/')).not.toContain('..');
    }
  });
});

describe('heartbeatRef', () => {
  it('is one ref per task under refs/crewtree/heartbeats/', () => {
    expect(heartbeatRef('A32')).toBe('refs/crewtree/heartbeats/A32');
  });
});
