import { describe, expect, it } from 'vitest';
import { decideSandbox, INSTALL_HINT, policyInForce, sandboxRefusal, unsandboxedWarning } from '../../../src/sandbox/policy.js';

const found = { found: true as const, path: '/usr/bin/bwrap', version: '0.8.0' };
const missing = { found: false as const, why: 'bwrap (bubblewrap) is not on PATH' };

describe('the sandbox policy', () => {
  it('takes the flag over the agent setting over the config', () => {
    expect(policyInForce({ config: 'auto' })).toBe('auto');
    expect(policyInForce({ config: 'auto', agent: 'off' })).toBe('off');
    expect(policyInForce({ config: 'off', agent: 'off', flag: 'required' })).toBe('required');
  });

  it('auto and required use bubblewrap when it is there; off never does', () => {
    expect(decideSandbox('auto', found)).toEqual({ kind: 'bubblewrap', path: '/usr/bin/bwrap', version: '0.8.0' });
    expect(decideSandbox('required', found)).toEqual({ kind: 'bubblewrap', path: '/usr/bin/bwrap', version: '0.8.0' });
    expect(decideSandbox('off', found)).toEqual({ kind: 'none', policy: 'off', why: 'sandbox: off' });
  });

  it('without bubblewrap, auto runs unsandboxed and required refuses with the reason', () => {
    expect(decideSandbox('auto', missing)).toEqual({ kind: 'none', policy: 'auto', why: missing.why });
    expect(decideSandbox('required', missing)).toEqual({ kind: 'refuse', why: missing.why });
  });

  it('says how to install bubblewrap', () => {
    const error = sandboxRefusal(missing.why);
    expect(error.code).toBe('sandbox-unavailable');
    expect(error.message).toBe('The agent sandbox is required (sandbox: required) but cannot start: bwrap (bubblewrap) is not on PATH. No task was claimed.');
    expect(error.hint).toBe(INSTALL_HINT);
    expect(INSTALL_HINT).toContain('sudo apt-get install bubblewrap');
    expect(unsandboxedWarning(missing.why)).toBe(
      'warning: agents run without a sandbox: bwrap (bubblewrap) is not on PATH. They can write anywhere your user can. Install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`; Arch: `sudo pacman -S bubblewrap`), or set `sandbox: off` to silence this.',
    );
  });
});
