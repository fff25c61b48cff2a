// bench/startup: the cost of starting the CLI (`crew --version`, and `crew next --help`, which
// loads one command's modules) beside `node -e ''` in the same run, interleaved so load on the
// machine hits all three alike. Issue 11 item 4: `crew --version` within 2x `node -e ''`.
import { spawnSync } from 'node:child_process';
import { crewBin, fmt, median, printTable, projectRoot } from './lib.js';

const RUNS = 21;
const commands: [string, string[]][] = [
  ["node -e ''", ['-e', '']],
  ['crew --version', [crewBin, '--version']],
  ['crew next --help', [crewBin, 'next', '--help']],
];
const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
for (let run = 0; run < RUNS; run++) {
  for (const [name, args] of commands) {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: projectRoot, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}`);
    times.get(name)?.push(performance.now() - start);
  }
}
const floor = median(times.get("node -e ''") ?? []);
printTable(
  `start-up, median of ${RUNS} runs each`,
  ['command', 'median', 'x node -e'],
  commands.map(([name]) => {
    const value = median(times.get(name) ?? []);
    return [name, fmt(value), (value / floor).toFixed(2)];
  }),
);
