// The scripted model server by hand: `npx tsx tests/model-server/main.ts script.json` prints the
// URLs to give claude and codex, then one line per request, until Ctrl-C.
// script.json: { "conversations": [ { "steps": [ { "write": "hello.txt", "content": "hi\n" }, { "reply": "done" } ] } ] }
import { readFileSync } from 'node:fs';
import type { ModelScript } from './script.js';
import { startModelServer } from './server.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx tests/model-server/main.ts <script.json>');
  process.exit(2);
}
const script = JSON.parse(readFileSync(file, 'utf8')) as ModelScript;
const server = await startModelServer(script);
console.log(`claude: ANTHROPIC_BASE_URL=${server.url} ANTHROPIC_API_KEY=anything`);
console.log(`codex:  -c 'model_providers.scripted={name="scripted",base_url="${server.openAiUrl}",wire_api="responses",env_key="SCRIPTED_MODEL_KEY"}' -c model_provider=scripted (and SCRIPTED_MODEL_KEY=anything)`);
let shown = 0;
setInterval(() => {
  for (const request of server.requests.slice(shown)) {
    const where = request.main ? ` run ${(request.conversation ?? 0) + 1}, turn ${request.turn}` : request.api === 'other' ? '' : ' (side call)';
    console.log(`${request.status} ${request.method} ${request.path}${where}`);
  }
  shown = server.requests.length;
  for (const problem of server.problems.splice(0)) console.log(`problem: ${problem}`);
}, 200);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
