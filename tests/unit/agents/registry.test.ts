import { describe, expect, it } from 'vitest';
import { builtInAgents } from '../../../src/agents/run-agent.js';
import { resolveAgent } from '../../../src/agents/registry.js';
import { configSchema } from '../../../src/config/schema.js';
import { isCrewError } from '../../../src/errors.js';

describe('resolveAgent', () => {
  const config = configSchema.parse({ agents: { claude: { model: 'opus' }, mybot: { command: './tools/mybot' } } });

  it('knows the built-in agents', () => {
    expect(builtInAgents).toEqual(['claude', 'codex', 'aider', 'gemini', 'opencode', 'command', 'script']);
  });

  it('gives a built-in agent its settings from config, or the defaults', () => {
    expect(resolveAgent('claude', config)).toMatchObject({ adapter: { name: 'claude' }, settings: { model: 'opus', flags: [], env: {} } });
    expect(resolveAgent('codex', config)).toMatchObject({ adapter: { name: 'codex' }, settings: { flags: [], env: {} } });
  });

  it('runs a custom name from config.agents as a command agent', () => {
    expect(resolveAgent('mybot', config)).toMatchObject({ adapter: { name: 'mybot' }, settings: { command: './tools/mybot' } });
  });

  it('refuses an agent it does not know, saying how to define one', () => {
    let thrown: unknown;
    try {
      resolveAgent('robot', config);
    } catch (error) {
      thrown = error;
    }
    expect(isCrewError(thrown, 'usage')).toBe(true);
    expect((thrown as Error).message).toBe('unknown agent "robot"');
    expect((thrown as { hint: string }).hint).toContain('agents: { robot: { command: ./tools/robot.sh } }');
  });
});
