// Any program named in config.agents.<name>.command: the prompt as a file path, an argument or stdin.
import { CrewError } from '../errors.js';
import { invocationFromTemplate } from './prompt-delivery.js';
import type { AgentAdapter, ParsedOutput } from './types.js';

/** A program with no event format of its own: its last line of output is its final message. */
export function parsePlainOutput(lines: readonly string[], _exitCode: number | null): ParsedOutput {
  const last = lines.filter((line) => line.trim() !== '').at(-1);
  return { finalMessage: last?.trim() };
}

export function commandAgent(name: string): AgentAdapter {
  return {
    name,
    invocation(input) {
      const command = input.settings.command;
      if (!command) {
        throw new CrewError('config-invalid', `agents.${name}.command is missing: the ${name} agent has no program to run`, {
          hint: `Set it in .crewtree/config.yaml, e.g. agents: { ${name}: { command: ./tools/agent.sh, args: ["{prompt_file}"] } }`,
        });
      }
      // Without args, the program gets the prompt file's path as its only argument.
      return invocationFromTemplate(command, input.settings.args ?? [], input, 'file');
    },
    parse: parsePlainOutput,
  };
}
