// A vitest reporter that ends the run with each lane's time: the sum of its files' durations
// (files of all lanes run side by side on `maxWorkers`, so these add up to more than the wall time).
import type { Reporter, TestModule } from 'vitest/node';

export default class LaneTimes implements Reporter {
  private began = performance.now();

  onTestRunStart(): void {
    this.began = performance.now();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lanes = new Map<string, { files: number; ms: number; slowest: { file: string; ms: number } }>();
    for (const module of modules) {
      const lane = module.project.name || 'default';
      const ms = module.diagnostic().duration;
      const entry = lanes.get(lane) ?? { files: 0, ms: 0, slowest: { file: '', ms: 0 } };
      entry.files++;
      entry.ms += ms;
      if (ms > entry.slowest.ms) entry.slowest = { file: module.relativeModuleId, ms };
      lanes.set(lane, entry);
    }
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const lines = [...lanes].map(([lane, entry]) => `  ${lane.padEnd(12)} ${String(entry.files).padStart(3)} files  ${seconds(entry.ms).padStart(9)}  (slowest: ${entry.slowest.file}, ${seconds(entry.slowest.ms)})`);
    process.stdout.write(`\nlane times (sum of file durations; wall ${seconds(performance.now() - this.began)}):\n${lines.join('\n')}\n`);
  }
}
