import { describe, expect, it } from 'vitest';
import { backoffMs, gitFailure, parsePushResult } from '../../../src/remote/push-result.js';

const to = 'To git://127.0.0.1:9418/project.git\n';

describe('parsePushResult', () => {
  it('a pushed base is pushed', () => {
    expect(parsePushResult(0, `${to} \tabc:refs/heads/main\t1111111..2222222\nDone\n`, '')).toEqual({ kind: 'pushed' });
  });

  it('a stale lease or a non-fast-forward is a lost race', () => {
    expect(parsePushResult(1, `${to}!\tabc:refs/heads/main\t[rejected] (stale info)\nDone\n`, 'error: failed to push some refs')).toEqual({ kind: 'lost', detail: '[rejected] (stale info)' });
    expect(parsePushResult(1, `${to}!\tabc:refs/heads/main\t[rejected] (fetch first)\nDone\n`, '').kind).toBe('lost');
  });

  it('a ref lock held by a concurrent push on the server, or an atomic push failed by it, is a lost race', () => {
    const stdout = `${to}!\tabc:refs/heads/main\t[remote rejected] (failed to update ref)\n!\tdef:refs/heads/ai/w1/T1\t[remote rejected] (atomic transaction failed)\nDone\n`;
    expect(parsePushResult(1, stdout, '').kind).toBe('lost');
  });

  it('a hook or a protected branch is refused, with its reason', () => {
    expect(parsePushResult(1, `${to}!\tabc:refs/heads/main\t[remote rejected] (pre-receive hook declined)\nDone\n`, 'remote: main is protected\n')).toEqual({
      kind: 'refused',
      detail: '[remote rejected] (pre-receive hook declined) (remote: main is protected)',
    });
  });

  it('no ref line at all means the remote did not answer', () => {
    const stderr = 'fatal: unable to connect to 127.0.0.1:\n127.0.0.1[0: 127.0.0.1]: errno=Connection refused\n';
    expect(parsePushResult(128, '', stderr)).toEqual({ kind: 'unreachable', detail: 'fatal: unable to connect to 127.0.0.1: 127.0.0.1[0: 127.0.0.1]: errno=Connection refused' });
    expect(gitFailure(stderr)).toBe('fatal: unable to connect to 127.0.0.1: 127.0.0.1[0: 127.0.0.1]: errno=Connection refused');
  });
});

describe('backoffMs', () => {
  it('doubles from the base, within a quarter either way', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 250, () => 0.5))).toEqual([250, 500, 1000, 2000]);
    expect(backoffMs(1, 250, () => 0)).toBe(188);
    expect(backoffMs(1, 250, () => 1)).toBe(313);
  });
});
