import { defineConfig } from 'vitest/config';

// Five lanes, one project each: `npm test` runs them all (CI), `npm run test:quick` the unit lane,
// `npx vitest run --project <lane>` any one of them. CONTRIBUTING.md says which to run when.
const browser = ['tests/e2e/dashboard.test.ts'];
const agents = ['tests/e2e/real-agents*.test.ts', 'tests/integration/agents/real-clis.test.ts', 'tests/model-server/**/*.test.ts'];

export default defineConfig({
  test: {
    // NOTE: the lane-times reporter ends every run with each lane's time (CONTRIBUTING.md).
    reporters: ['default', './tests/lane-times.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // NOTE: integration tests spawn many git processes; two cores are the target machine.
    maxWorkers: 2,
    projects: [
      // Pure parts: no git, no processes beyond a few tiny ones, no browser.
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      // Real git in temporary repositories, scripts standing in for agents.
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], exclude: agents } },
      // The built CLI, run the way a user does (`npm run build` first).
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], exclude: [...browser, ...agents] } },
      // Debian's chromium driven by playwright-core against `crew dashboard`.
      { extends: true, test: { name: 'browser', include: browser } },
      // The real Claude Code and Codex CLIs against the loopback model server.
      { extends: true, test: { name: 'agents', include: agents } },
    ],
  },
});
