import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { agentSandbox, checkSandboxBeforeClaim, type AgentSandbox } from '../../../src/sandbox/agent-sandbox.js';
import { CrewError } from '../../../src/errors.js';
import type { BubblewrapProbe } from '../../../src/sandbox/policy.js';
import { sandboxCheck } from '../../../src/views/doctor-sandbox.js';

const missing: BubblewrapProbe = { found: false, why: 'bwrap (bubblewrap) is not on PATH' };
const found: BubblewrapProbe = { found: true, path: '/usr/bin/bwrap', version: '0.8.0' };

/** The workspace's sandbox for a config, with the probe's answer given and each probe counted. */
function sandboxFor(config: Record<string, unknown>, probe: BubblewrapProbe, flag?: 'auto' | 'required' | 'off'): AgentSandbox & { probes: number } {
  const real = agentSandbox({ checkout: '/repo', commonDir: '/repo/.git', config: configSchema.parse(config), inherited: {}, flag });
  const counted = {
    ...real,
    probes: 0,
    probe: async () => {
      counted.probes++;
      return probe;
    },
  };
  return counted;
}

describe('the sandbox before a claim', () => {
  it('refuses when an agent the run may start requires it and bubblewrap is missing', async () => {
    const error = await checkSandboxBeforeClaim(sandboxFor({ sandbox: 'required' }, missing), ['claude']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrewError);
    expect((error as CrewError).message).toContain('cannot start: bwrap (bubblewrap) is not on PATH. No task was claimed.');
    const perAgent = await checkSandboxBeforeClaim(sandboxFor({ agents: { codex: { sandbox: 'required' } } }, missing), ['claude', 'codex']).catch((caught: unknown) => caught);
    expect(perAgent).toBeInstanceOf(CrewError);
  });

  it('returns the one warning for auto, nothing when bubblewrap is there, and does not look when every policy is off', async () => {
    expect(await checkSandboxBeforeClaim(sandboxFor({}, missing), ['claude', 'script'])).toMatch(/^warning: agents run without a sandbox: bwrap \(bubblewrap\) is not on PATH\./);
    expect(await checkSandboxBeforeClaim(sandboxFor({ sandbox: 'required' }, found), ['claude'])).toBeUndefined();
    const off = sandboxFor({ sandbox: 'required' }, missing, 'off');
    expect(await checkSandboxBeforeClaim(off, ['claude'])).toBeUndefined();
    expect(off.probes).toBe(0);
  });

  it('lets the flag win over a per-agent off', async () => {
    const sandbox = sandboxFor({ agents: { script: { sandbox: 'off' } } }, missing, 'required');
    expect(sandbox.policyFor('script')).toBe('required');
    await expect(checkSandboxBeforeClaim(sandbox, ['script'])).rejects.toThrow(/No task was claimed/);
  });
});

describe("crew doctor's sandbox line", () => {
  it('says which sandbox is in force and what each agent overrides', () => {
    const config = configSchema.parse({ agents: { codex: { sandbox_network: 'none', dotenv: ['API_URL'] }, script: { sandbox: 'off' } } });
    expect(sandboxCheck(config, found)).toEqual({
      name: 'sandbox',
      summary: 'bubblewrap 0.8.0 (/usr/bin/bwrap), sandbox: auto: every agent runs inside it, network open',
      notes: ['agents.codex: sandbox_network: none, dotenv: API_URL', 'agents.script: sandbox: off'],
      problems: [],
    });
  });

  it('is a problem only when a sandbox is required and missing', () => {
    expect(sandboxCheck(configSchema.parse({}), missing)).toMatchObject({ summary: 'none (bwrap (bubblewrap) is not on PATH), sandbox: auto: agents run unconfined, with a warning', problems: [] });
    expect(sandboxCheck(configSchema.parse({ sandbox: 'off' }), missing)).toMatchObject({ summary: 'off (sandbox: off): agents run unconfined', problems: [] });
    const required = sandboxCheck(configSchema.parse({ sandbox: 'required' }), missing);
    expect(required.summary).toBe('none, and sandbox: required: agents will not start (bwrap (bubblewrap) is not on PATH)');
    expect(required.problems).toHaveLength(1);
    expect(required.problems[0]?.fix).toContain('sudo apt-get install bubblewrap');
  });
});
