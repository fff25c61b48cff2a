// Run by orphans.test.ts as its own node process: starts a script agent (or a gate command) that
// leaves a child running, then ends while it still runs: `exit` as crewtree does on
// process.exit(), `sigkill` as `kill -9` of crewtree does (no exit hook runs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runAgent } from '../../../src/agents/run-agent.js';
import { configSchema } from '../../../src/config/schema.js';
import { runGate } from '../../../src/gate/run-gate.js';

const [worktree = '', scratch = '', how = 'exit', what = 'agent'] = process.argv.slice(2);
const fence = '```';
const script = `echo $$ > "$SCRATCH/agent.pid"\nsleep 100 &\necho $! > "$SCRATCH/child.pid"\nsleep 100`;
if (what === 'gate') {
  void runGate({ cwd: worktree, commands: [script], env: { SCRATCH: scratch }, timeoutMs: 60_000, logFile: join(scratch, 'gate.log') });
} else {
  void runAgent({
    agent: 'script',
    worktree,
    prompt: 'Run the script.',
    taskBody: `${fence}crew-script\n${script}\n${fence}\n`,
    attempt: 1,
    runLog: join(scratch, 'runs', 'A1', '1.log'),
    env: { SCRATCH: scratch },
    timeoutMs: 60_000,
    idleMs: 60_000,
    config: configSchema.parse({}),
  });
}
const started = setInterval(() => {
  if (existsSync(join(scratch, 'child.pid'))) {
    clearInterval(started);
    if (how === 'sigkill') process.kill(process.pid, 'SIGKILL');
    else process.exit(0);
  }
}, 20);
