// `npm run bench [-- name ...]`: runs the named benchmarks (default: all) one after another.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from './lib.js';

const wanted = process.argv.slice(2);
const names = readdirSync(join(projectRoot, 'bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name));
for (const name of names) {
  console.log(`\n=== bench/${name} ===`);
  await import(pathToFileURL(join(projectRoot, 'bench', `${name}.bench.ts`)).href);
}
