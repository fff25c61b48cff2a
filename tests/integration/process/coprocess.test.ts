// A long-lived helper process (src/process/coprocess.ts): answers in order, is started again when
// it died between requests, and never keeps crewtree running once nothing waits for it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Coprocess, type AnswerReader } from '../../../src/process/coprocess.js';
import { projectRoot } from '../../helpers/temp-repo.js';

const line: AnswerReader<string> = (received) => {
  const newline = received.indexOf(10);
  return newline === -1 ? undefined : { value: received.toString('utf8', 0, newline), used: newline + 1 };
};

const echo = () => new Coprocess('sh', ['-c', 'while read -r l; do echo "got $l"; done'], { cwd: projectRoot });

describe('Coprocess', () => {
  it('answers requests in the order they were made, from one process', async () => {
    const helper = echo();
    const answers = await Promise.all(['a', 'b', 'c'].map((word) => helper.request(`${word}\n`, line)));
    expect(answers).toEqual(['got a', 'got b', 'got c']);
    const pid = helper.pid;
    expect(await helper.request('d\n', line)).toBe('got d');
    expect(helper.pid).toBe(pid);
    helper.close();
  });

  it('starts the program again when it was killed between requests', async () => {
    const helper = echo();
    expect(await helper.request('one\n', line)).toBe('got one');
    const first = helper.pid ?? 0;
    process.kill(first, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await helper.request('two\n', line)).toBe('got two');
    expect(helper.pid).not.toBe(first);
    helper.close();
  });

  it('fails a request with what the program said when it cannot answer at all', async () => {
    const helper = new Coprocess('sh', ['-c', 'echo broken >&2; exit 3'], { cwd: projectRoot });
    await expect(helper.request('x\n', line)).rejects.toThrow(/exit 3\): broken/);
  });

  it('does not keep node running between requests', () => {
    const script = `import { Coprocess } from ${JSON.stringify(join(projectRoot, 'src/process/coprocess.ts'))};
const helper = new Coprocess('sh', ['-c', 'while read -r l; do echo "got $l"; done'], { cwd: process.cwd() });
const answer = await helper.request('hi\\n', (r) => { const n = r.indexOf(10); return n === -1 ? undefined : { value: r.toString('utf8', 0, n), used: n + 1 }; });
console.log(answer);`;
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8', timeout: 20_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('got hi');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
