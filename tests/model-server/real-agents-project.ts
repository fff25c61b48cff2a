// A Node project set up for crewtree with the real `claude` and `codex` pointed at a scripted
// model server through .crewtree/config.yaml, and a way to run the built CLI without blocking the
// server (it answers from this same process).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { nodeProject } from '../helpers/node-project.js';
import { crewBin, projectRoot, type TempRepo } from '../helpers/temp-repo.js';

/** The pinned CLIs (package.json devDependencies), found on PATH the way a user's install is. */
export const agentBinDir = join(projectRoot, 'node_modules', '.bin');

export interface ProjectOptions {
  /** URL of the scripted server (`http://127.0.0.1:<port>`), or of a closed port. */
  serverUrl: string;
  agent?: 'claude' | 'codex';
  attempts?: number;
  /** Gate commands; the project's `node --test test/` when absent. */
  gate?: string[];
  /** Settings added under `agents.claude` / `agents.codex` (e.g. `timeout: 5s`). */
  claudeExtra?: string;
  codexExtra?: string;
}

/** The provider codex reaches the scripted server through; codex ignores OPENAI_BASE_URL. */
export function codexProvider(baseUrl: string): string {
  return `model_providers.scripted={name="scripted model server",base_url="${baseUrl}/v1",wire_api="responses",env_key="SCRIPTED_MODEL_KEY"}`;
}

export function realAgentsConfig(options: ProjectOptions): string {
  return [
    `agent: ${options.agent ?? 'claude'}`,
    `gate: ${JSON.stringify(options.gate ?? ['node --test test/'])}`,
    `attempts: ${options.attempts ?? 2}`,
    'lease: 30s',
    'timeout: 90s',
    'idle: 60s',
    'agents:',
    '  claude:',
    `    env: { ANTHROPIC_BASE_URL: "${options.serverUrl}", ANTHROPIC_API_KEY: "sk-ant-scripted-test" }`,
    ...(options.claudeExtra ? [`    ${options.claudeExtra}`] : []),
    '  codex:',
    '    model: gpt-5.5',
    `    flags: ["-c", ${JSON.stringify(codexProvider(options.serverUrl))}, "-c", "model_provider=scripted"]`,
    '    env: { SCRIPTED_MODEL_KEY: "sk-scripted-test" }',
    ...(options.codexExtra ? [`    ${options.codexExtra}`] : []),
    '',
  ].join('\n');
}

/** A task for a real agent: plain words, no crew-script block. */
export function agentTask(id: string, title: string, body: string): string {
  return ['---', `id: ${id}`, `title: ${JSON.stringify(title)}`, 'status: todo', 'priority: medium', 'type: feat', 'role: developer', '---', `# ${title}`, '', body, ''].join('\n');
}

export interface RealAgentsProject {
  repo: TempRepo;
  /** HOME for the agents: a fresh one, so no real login or setting of this machine is used. */
  home: string;
  env: Record<string, string>;
  addTask(id: string, title: string, body: string): void;
  cleanup(): void;
}

export function realAgentsProject(options: ProjectOptions): RealAgentsProject {
  const repo = nodeProject({ config: realAgentsConfig(options) });
  const home = mkdtempSync(join(tmpdir(), 'crewtree-agent-home-'));
  mkdirSync(join(home, '.codex'));
  const env = {
    HOME: home,
    CODEX_HOME: join(home, '.codex'),
    PATH: `${agentBinDir}${delimiter}${process.env.PATH ?? ''}`,
    // NOTE: real keys of this machine must not reach the scripted runs.
    ANTHROPIC_API_KEY: '',
    OPENAI_API_KEY: '',
  };
  return {
    repo,
    home,
    env,
    addTask(id, title, body) {
      repo.write(`backlog/tasks/${id}-task.md`, agentTask(id, title, body));
      repo.commitAll(`chore: add ${id}`);
    },
    cleanup() {
      repo.cleanup();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface ProcessRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a program to its end without blocking this process's event loop. */
export function runAsync(file: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<ProcessRun> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, maxBuffer: 1 << 26 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : (child.exitCode ?? -1)) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - start });
      },
    );
    // NOTE: codex reads "additional input" from a stdin that is not a terminal until it ends.
    child.stdin?.end();
  });
}

/** The built CLI, as a user runs it. */
export function crewAsync(project: RealAgentsProject, args: string[]): Promise<ProcessRun> {
  return runAsync(process.execPath, [crewBin, ...args], { cwd: project.repo.dir, env: project.env });
}
