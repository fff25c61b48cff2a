// A queue runner process for crash tests: `runQueue` once, printing each event as a JSON line.
import { runQueue } from '../../../src/merge-queue/index.js';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';

const dir = process.argv[2] ?? process.cwd();
const ws = await openWorkspace(dir, { env: { ...process.env } });
const summary = await runQueue(ws, { runner: 'test-runner', pollMs: 50, onEvent: (event) => console.log(JSON.stringify({ event })) });
console.log(JSON.stringify({ summary }));
