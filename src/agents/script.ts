// The demo and test agent: runs the task body's ```crew-script block with bash, no AI involved.
import { parsePlainOutput } from './command.js';
import { extractCrewScript } from './crew-script.js';
import type { AgentAdapter } from './types.js';

export const scriptAgent: AgentAdapter = {
  name: 'script',
  invocation(input) {
    const found = extractCrewScript(input.request.taskBody);
    if ('error' in found) return found;
    // NOTE: the block goes to bash as a file, never as a `-c` string: nothing from the task text is
    // ever parsed by a shell except the block the backlog's owner wrote to be run.
    return {
      command: input.settings.command ?? 'bash',
      args: [input.files.scriptFile],
      env: {},
      files: [{ path: input.files.scriptFile, text: found.script }],
    };
  },
  parse: parsePlainOutput,
};
