// Each agent run gets a TMPDIR of its own (codex's sandbox may write there and not in /tmp), gone
// when the run ends; `env:` in the config can set another.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgent } from '../../../src/agents/run-agent.js';
import type { AgentRunRequest } from '../../../src/agents/types.js';
import { configSchema } from '../../../src/config/schema.js';
import { projectRoot, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

let repo: TempRepo;
let scratch: string;
beforeEach(() => {
  repo = tempRepo();
  scratch = mkdtempSync(join(tmpdir(), 'crewtree-tmpdir-'));
});
afterEach(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function request(config: Record<string, unknown> = {}): AgentRunRequest {
  const script = `echo "$TMPDIR" > "${join(scratch, 'tmpdir.txt')}"\nmktemp > "${join(scratch, 'made.txt')}"\n`;
  return {
    agent: 'script',
    worktree: repo.dir,
    prompt: 'Run the script.',
    taskBody: `\`\`\`crew-script\n${script}\`\`\`\n`,
    attempt: 1,
    runLog: join(scratch, 'runs', 'A1', '1.log'),
    env: {},
    timeoutMs: 30_000,
    idleMs: 30_000,
    config: configSchema.parse(config),
  };
}

const read = (name: string) => readFileSync(join(scratch, name), 'utf8').trim();

describe('the run\'s TMPDIR', () => {
  it('is a fresh folder the agent can write, removed when the run ends', async () => {
    const result = await runAgent(request());
    expect(result.ok).toBe(true);
    const dir = read('tmpdir.txt');
    expect(dir).toMatch(new RegExp(`^${tmpdir()}/crewtree-agent-[A-Za-z0-9]{6}$`));
    expect(read('made.txt').startsWith(`${dir}/tmp.`)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('is the one agents.<name>.env gives, when it gives one, and that one is kept', async () => {
    const own = join(scratch, 'own-tmp');
    mkdirSync(own);
    const result = await runAgent(request({ agents: { script: { env: { TMPDIR: own } } } }));
    expect(result.ok).toBe(true);
    expect(read('tmpdir.txt')).toBe(own);
    expect(read('made.txt').startsWith(`${own}/tmp.`)).toBe(true);
    expect(existsSync(read('made.txt'))).toBe(true);
  });

  it('is removed when crewtree exits in the middle of the run', () => {
    const parent = join(scratch, 'tmp');
    mkdirSync(parent);
    const script = join(projectRoot, 'tests', 'integration', 'agents', 'exit-while-running.ts');
    execFileSync(process.execPath, ['--import', 'tsx', script, repo.dir, scratch], { cwd: projectRoot, env: { ...process.env, TMPDIR: parent }, stdio: 'ignore', timeout: 30_000 });
    expect(existsSync(join(scratch, 'child.pid'))).toBe(true);
    expect(readdirSync(parent).filter((name) => name.startsWith('crewtree-agent-'))).toEqual([]);
  });
});
