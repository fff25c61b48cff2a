import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { defaultRole } from '../../../src/roles/load.js';
import { preflightProblems } from '../../../src/worker/preflight.js';

const config = (raw: Record<string, unknown>) => configSchema.parse(raw);

describe('preflightProblems: what would fail after a claim, found before it', () => {
  it('finds nothing wrong in the defaults', () => {
    expect(preflightProblems({ config: config({}), roles: [defaultRole('developer')] })).toEqual([]);
  });

  it('names an unknown agent, from config, --agent or a role', () => {
    expect(preflightProblems({ config: config({ agent: 'nosuchagent' }), roles: [] })).toEqual([
      'agent "nosuchagent" is neither built in (claude, codex, aider, gemini, opencode, command, script) nor defined under agents: in .crewtree/config.yaml',
    ]);
    expect(preflightProblems({ config: config({}), agent: 'bogus', roles: [] })[0]).toMatch(/^agent "bogus"/);
    expect(preflightProblems({ config: config({}), roles: [{ ...defaultRole('architect'), agent: 'ghost' }] })[0]).toMatch(/^agent "ghost"/);
  });

  it('wants a command for a custom agent and for the command agent', () => {
    expect(preflightProblems({ config: config({ agent: 'mybot', agents: { mybot: { model: 'x' } } }), roles: [] })).toEqual([
      'agents.mybot.command is missing: the mybot agent has no program to run (e.g. agents: { mybot: { command: ./tools/mybot.sh } })',
    ]);
    expect(preflightProblems({ config: config({ agent: 'command' }), roles: [] })[0]).toMatch(/^agents\.command\.command is missing/);
    expect(preflightProblems({ config: config({ agent: 'mybot', agents: { mybot: { command: './bot.sh' } } }), roles: [] })).toEqual([]);
  });

  it('refuses a branch pattern git would refuse, and a setup link outside the repository', () => {
    expect(preflightProblems({ config: config({ branch: '-{id}' }), roles: [] })).toEqual([
      'branch: "-{id}" makes branches such as "-A1", which git refuses (e.g. branch: ai/{worker}/{id}-{slug})',
    ]);
    expect(preflightProblems({ config: config({ setup: { link: ['../x', 'node_modules'] } }), roles: [] })).toEqual([
      'setup.link entry "../x" is not a folder inside the repository (e.g. link: [node_modules])',
    ]);
  });
});
