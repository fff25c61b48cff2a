// Run by orphans.test.ts as its own node process: starts a script agent that leaves a child
// running, then exits while the agent still runs, as crewtree does on process.exit().
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runAgent } from '../../../src/agents/run-agent.js';
import { configSchema } from '../../../src/config/schema.js';

const [worktree = '', scratch = ''] = process.argv.slice(2);
const fence = '```';
void runAgent({
  agent: 'script',
  worktree,
  prompt: 'Run the script.',
  taskBody: `${fence}crew-script\necho $$ > "$SCRATCH/agent.pid"\nsleep 100 &\necho $! > "$SCRATCH/child.pid"\nsleep 100\n${fence}\n`,
  attempt: 1,
  runLog: join(scratch, 'runs', 'A1', '1.log'),
  env: { SCRATCH: scratch },
  timeoutMs: 60_000,
  idleMs: 60_000,
  config: configSchema.parse({}),
});
const started = setInterval(() => {
  if (existsSync(join(scratch, 'child.pid'))) {
    clearInterval(started);
    process.exit(0);
  }
}, 20);
