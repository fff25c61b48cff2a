// The real Claude Code and Codex CLIs inside crewtree's bubblewrap sandbox, driven by the built
// `crew work` against the scripted model server on 127.0.0.1: the task lands, a shell command that
// writes outside the worktree meets the kernel's refusal, and codex's own sandbox still starts
// inside crewtree's.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crewAsync, realAgentsProject, type RealAgentsProject } from '../model-server/real-agents-project.js';
import { startModelServer, type ModelServer } from '../model-server/server.js';
import type { ModelScript } from '../model-server/script.js';

vi.setConfig({ testTimeout: 240_000 });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(script: ModelScript, agent: 'claude' | 'codex'): Promise<{ server: ModelServer; project: RealAgentsProject }> {
  const server = await startModelServer(script);
  cleanups.push(() => server.close());
  const project = realAgentsProject({ agent, serverUrl: server.url, gate: [] });
  cleanups.push(() => project.cleanup());
  return { server, project };
}

/** What each tool call printed, as the CLI handed it back to the model, in order. */
function toolOutputs(server: ModelServer): string[] {
  return server.requests
    .filter((request) => request.main && (request.turn ?? 0) > 0)
    .map((request) => {
      const body = request.body as { messages?: { content: { content?: unknown }[] }[]; input?: { output?: unknown }[] };
      const output = body.messages ? body.messages.at(-1)?.content.at(-1)?.content : body.input?.at(-1)?.output;
      return typeof output === 'string' ? output : JSON.stringify(output);
    });
}

describe.each(['claude', 'codex'] as const)('%s inside the bubblewrap sandbox', (agent) => {
  it('lands its task, and a shell command writing outside the worktree is refused by the kernel', async () => {
    const name = `kernel-${agent}-${process.pid}.txt`;
    const { server, project } = await setUp(
      {
        conversations: [
          {
            steps: [
              { run: `echo escaped > ../../../../${name}; echo "exit $?"` },
              { run: `echo escaped > ${probeInTmp(agent)}; echo "tmp exit $?"` },
              { write: 'src/inside.js', content: 'export const inside = true;\n' },
              { reply: 'Wrote src/inside.js.' },
            ],
          },
        ],
      },
      agent,
    );
    project.addTask('K1', 'Stay inside', 'Write `src/inside.js`.');
    const { repo } = project;

    const run = await crewAsync(project, ['work', '--agent', agent, '--worker', 'w1']);
    expect(run.stdout).toMatch(/^K1 done \([0-9a-f]{8} on main\)$/m);
    expect(run.code).toBe(0);
    expect(server.problems).toEqual([]);
    expect(repo.git('show', 'main:src/inside.js')).toBe('export const inside = true;');
    const log = readFileSync(join(repo.dir, '.git/crewtree/runs/K1/1.log'), 'utf8');
    expect(log).toMatch(/^sandbox: {2}bubblewrap .*network open$/m);

    // The redirection ran (the CLI allowed the command) and the kernel refused the write.
    const [outside, tmp] = toolOutputs(server);
    expect(outside).toMatch(new RegExp(`\\.\\./\\.\\./\\.\\./\\.\\./${name.replace(/\./g, '\\.')}: Read-only file system`));
    expect(outside).toContain('exit 1');
    expect(existsSync(join(repo.dir, name))).toBe(false);
    // claude writes the sandbox's private /tmp; codex's own sandbox, started inside crewtree's, refuses it.
    if (agent === 'claude') expect(tmp).toContain('tmp exit 0');
    else {
      // stdout and stderr reach the model in either order.
      expect(tmp).toContain('Read-only file system');
      expect(tmp).toContain('tmp exit 1');
    }
    expect(existsSync(probeInTmp(agent))).toBe(false);
  });
});

function probeInTmp(agent: string): string {
  return `/tmp/crewtree-sandbox-probe-${agent}-${process.pid}.txt`;
}
