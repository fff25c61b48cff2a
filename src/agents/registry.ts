import { agentSchema, type AgentConfig, type Config } from '../config/schema.js';
import { CrewError } from '../errors.js';
import { aiderAgent } from './aider.js';
import { claudeAgent } from './claude.js';
import { codexAgent } from './codex.js';
import { commandAgent } from './command.js';
import { geminiAgent } from './gemini.js';
import { opencodeAgent } from './opencode.js';
import { scriptAgent } from './script.js';
import type { AgentAdapter } from './types.js';

export const builtInAgents = ['claude', 'codex', 'aider', 'gemini', 'opencode', 'command', 'script'] as const;
export type BuiltInAgent = (typeof builtInAgents)[number];

const adapters: Record<BuiltInAgent, AgentAdapter> = {
  claude: claudeAgent,
  codex: codexAgent,
  aider: aiderAgent,
  gemini: geminiAgent,
  opencode: opencodeAgent,
  command: commandAgent('command'),
  script: scriptAgent,
};

function isBuiltIn(name: string): name is BuiltInAgent {
  return (builtInAgents as readonly string[]).includes(name);
}

/** The adapter for an agent name and its settings from config.agents (built-in, or a custom command). */
export function resolveAgent(name: string, config: Pick<Config, 'agents'>): { adapter: AgentAdapter; settings: AgentConfig } {
  const configured = config.agents[name];
  const settings = configured ?? agentSchema.parse({});
  if (isBuiltIn(name)) return { adapter: adapters[name], settings };
  if (configured) return { adapter: commandAgent(name), settings };
  throw new CrewError('usage', `unknown agent "${name}"`, {
    hint: `Use one of ${builtInAgents.join(', ')}, or define it in .crewtree/config.yaml: agents: { ${name}: { command: ./tools/${name}.sh } }`,
  });
}
