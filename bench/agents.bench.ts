// bench/agents: crewtree's overhead around one run of the real `claude` and `codex` CLIs, from
// claim to landed, with a scripted model server on loopback answering at once; beside it, in the
// same run, the bare CLI with the same command line, prompt and script in a plain checkout. Then
// what the agent sandbox adds per run, beside the same run unsandboxed (bench/sandbox-runs.ts).
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claudeAgent } from '../src/agents/claude.js';
import { codexAgent } from '../src/agents/codex.js';
import { runFiles } from '../src/agents/run-agent.js';
import { agentSchema } from '../src/config/schema.js';
import { crewAsync, realAgentsProject, runAsync, type RealAgentsProject } from '../tests/model-server/real-agents-project.js';
import { startModelServer } from '../tests/model-server/server.js';
import type { Conversation } from '../tests/model-server/script.js';
import { fmt, median, printTable } from './lib.js';
import { sandboxRows } from './sandbox-runs.js';

const RUNS = 5;
const agents = ['claude', 'codex'] as const;

/** One agent run: write a file, reply. Each run writes its own file so every task has a change. */
const conversation = (id: string): Conversation => ({ steps: [{ write: `src/${id}.js`, content: `export const ${id} = true;\n` }, { reply: `Wrote src/${id}.js.` }] });

/** The agent's own time inside crewtree, from its run log's `duration:` line. */
function agentDuration(project: RealAgentsProject, id: string): number {
  const log = readFileSync(join(project.repo.dir, '.git/crewtree/runs', id, '1.log'), 'utf8');
  const text = /^duration: (.+)$/m.exec(log)?.[1] ?? '';
  const seconds = /^([\d.]+)s$/.exec(text);
  if (seconds) return Number(seconds[1]) * 1000;
  const ms = /^(\d+)ms$/.exec(text);
  if (ms) return Number(ms[1]);
  throw new Error(`no duration in the run log of ${id}: ${text}`);
}

/** The command line crewtree gives the agent, from its own adapter, run in `dir` with the same environment. */
interface BareSettings {
  flags: string[];
  env: Record<string, string>;
  model?: string;
}

async function bareRun(agent: (typeof agents)[number], project: RealAgentsProject, dir: string, prompt: string, config: BareSettings): Promise<number> {
  const adapter = agent === 'claude' ? claudeAgent : codexAgent;
  const settings = agentSchema.parse({ flags: config.flags, env: config.env, model: config.model });
  const invocation = adapter.invocation({ request: { agent, worktree: dir, prompt, taskBody: '', attempt: 1 }, settings, files: runFiles(join(dir, '.bare.log')) });
  if ('error' in invocation) throw new Error(invocation.error);
  const run = await runAsync(invocation.command, invocation.args, { cwd: dir, env: { ...project.env, ...invocation.env, ...config.env } as Record<string, string> });
  if (run.code !== 0) throw new Error(`bare ${agent} exited ${run.code}: ${run.stderr.slice(-500)}`);
  return run.ms;
}

const rows: string[][] = [];
for (const agent of agents) {
  const server = await startModelServer({ conversations: Array.from({ length: RUNS * 2 + 1 }, (_, i) => conversation(`m${i}`)) });
  const project = realAgentsProject({ agent, serverUrl: server.url, gate: [] });
  const plain = mkdtempSync(join(tmpdir(), 'crewtree-bench-bare-'));
  cpSync(project.repo.dir, plain, { recursive: true });
  const settings: BareSettings =
    agent === 'claude'
      ? { flags: [], env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'sk-ant-scripted-test' } }
      : { flags: ['-c', `model_providers.scripted={name="scripted model server",base_url="${server.openAiUrl}",wire_api="responses",env_key="SCRIPTED_MODEL_KEY"}`, '-c', 'model_provider=scripted'], env: { SCRIPTED_MODEL_KEY: 'sk-scripted-test' }, model: 'gpt-5.5' };
  // One warm-up of each, not counted: the first start of a CLI reads its files from disk.
  project.addTask('W0', 'Warm up', 'Warm up.');
  const warm = await crewAsync(project, ['work', '--agent', agent, '--task', 'W0', '--worker', 'bench']);
  if (warm.code !== 0) throw new Error(`the warm-up crew work failed (${warm.code}): ${warm.stdout}${warm.stderr}`);
  const prompt = readFileSync(join(project.repo.dir, '.git/crewtree/runs/W0/1.prompt.md'), 'utf8');
  const crew: number[] = [];
  const inside: number[] = [];
  const bare: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const id = `B${i}`;
    project.addTask(id, `Bench ${i}`, `Write src/b${i}.js.`);
    const run = await crewAsync(project, ['work', '--agent', agent, '--task', id, '--worker', 'bench']);
    if (run.code !== 0 || !/ done \(/.test(run.stdout)) throw new Error(`crew work ${id} did not land: ${run.stdout}${run.stderr}`);
    crew.push(run.ms);
    inside.push(agentDuration(project, id));
    bare.push(await bareRun(agent, project, plain, prompt, settings));
  }
  if (server.problems.length > 0) throw new Error(server.problems.join('; '));
  const overhead = crew.map((total, i) => total - (inside[i] ?? 0));
  rows.push([
    agent,
    fmt(median(bare)),
    fmt(median(inside)),
    fmt(median(crew)),
    fmt(median(overhead)),
    (median(crew) / median(bare)).toFixed(2),
  ]);
  await server.close();
  project.cleanup();
  rmSync(plain, { recursive: true, force: true });
}
printTable(`one task per agent, claim to landed, no gate, scripted model answering at once (median of ${RUNS})`, [
  'agent',
  'bare CLI',
  'agent run inside crew',
  'crew work (whole process)',
  'crewtree overhead (whole minus agent run)',
  'ratio crew work / bare CLI',
], rows);

printTable(`what the sandbox adds to one agent run: the runner with and without bubblewrap, interleaved (median of 5)`, [
  'agent',
  'unsandboxed run',
  'sandboxed run (bubblewrap)',
  'sandbox adds',
  'ratio sandboxed / unsandboxed',
], await sandboxRows());
