// What the sandbox adds to one agent run: the same run through the runner with bubblewrap around it
// and without, interleaved in one process, for the script agent (a shell script that exits at
// once: the sandbox's own cost laid bare) and the real claude and codex CLIs against the scripted
// model server. Used by bench/agents.
import { join } from 'node:path';
import { runAgent } from '../src/agents/run-agent.js';
import { parseConfig } from '../src/config/load.js';
import type { LaunchWrapper } from '../src/sandbox/launch.js';
import { createTaskWorktree } from '../src/worktree/create.js';
import { openWorkspace } from '../src/workflows/open-workspace.js';
import { realAgentsConfig, realAgentsProject } from '../tests/model-server/real-agents-project.js';
import { startModelServer } from '../tests/model-server/server.js';
import { fmt, median } from './lib.js';

const RUNS = 5;

export async function sandboxRows(): Promise<string[][]> {
  const rows: string[][] = [];
  for (const agent of ['script', 'claude', 'codex'] as const) {
    const server = await startModelServer({
      conversations: Array.from({ length: RUNS * 2 + 2 }, (_, i) => ({ steps: [{ write: `src/s${i}.js`, content: `export const s${i} = true;\n` }, { reply: `Wrote src/s${i}.js.` }] })),
    });
    const project = realAgentsProject({ agent: agent === 'script' ? 'claude' : agent, serverUrl: server.url, gate: [] });
    // NOTE: the runner gives agents this process's environment, as the CLI gives them its own.
    const saved = { HOME: process.env.HOME, CODEX_HOME: process.env.CODEX_HOME, PATH: process.env.PATH };
    Object.assign(process.env, project.env);
    try {
      const ws = await openWorkspace(project.repo.dir, { env: {} });
      const config = parseConfig(realAgentsConfig({ agent: 'claude', serverUrl: server.url, gate: [] })).config;
      if (!config) throw new Error('the bench config does not parse');
      const worktree = await createTaskWorktree(ws, { branch: 'ai/bench/S1-sandbox', path: '.worktrees/ai/bench/S1-sandbox', from: project.repo.git('rev-parse', 'main') });
      const once = async (wrap: LaunchWrapper | undefined, n: number) => {
        const result = await runAgent({
          agent,
          worktree,
          prompt: 'Write the file the model says, then reply.',
          taskBody: '```crew-script\ntrue\n```\n',
          attempt: n,
          runLog: join(project.repo.dir, '.git/crewtree/runs/S1', `${n}.log`),
          env: {},
          timeoutMs: 120_000,
          idleMs: 120_000,
          config,
          wrapLaunch: wrap,
        });
        if (!result.ok) throw new Error(`${agent} run ${n} failed: ${result.reason}`);
        return result.durationMs;
      };
      await once(undefined, 1);
      await once(ws.sandbox.wrap, 2);
      const plain: number[] = [];
      const boxed: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        plain.push(await once(undefined, 3 + i * 2));
        boxed.push(await once(ws.sandbox.wrap, 4 + i * 2));
      }
      rows.push([agent, fmt(median(plain)), fmt(median(boxed)), fmt(median(boxed) - median(plain)), (median(boxed) / median(plain)).toFixed(2)]);
    } finally {
      Object.assign(process.env, saved);
      await server.close();
      project.cleanup();
    }
  }
  return rows;
}
