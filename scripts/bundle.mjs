// Bundles the CLI into dist/bundle/ after `tsc` has built dist/: one file for the entry and one
// chunk per command (loaded only when named), so a command loads a few files instead of the
// ~700 modules of zod, yaml and crewtree itself. NOTE: start-up was most of a short
// command's cost (issue 11 item 4). esbuild: chosen as the bundler that needs no config and
// ships its binary inside the npm package.
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src/`;
const outdir = `${root}dist/bundle`;

/**
 * Code that finds files next to itself (templates, the dashboard's client script, the parse
 * cache's version) keeps the `import.meta.url` its tsc-built twin in dist/ has, so every path
 * it derives stays what it was before bundling.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(builder) {
    builder.onLoad({ filter: /\/src\/.*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const twin = relative(outdir, `${root}dist/${relative(src, args.path).replace(/\.ts$/, '.js')}`);
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(twin)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

// NOTE: built beside dist/bundle and moved in file by file, main.js last (a rename replaces it
// whole): a crew started meanwhile (a test, `npx crew` linking this clone and running `prepare`)
// never finds main.js missing or half written, and finds every chunk its main.js names.
const next = `${outdir}.next-${process.pid}`;
await rm(next, { recursive: true, force: true });
await build({
  entryPoints: { main: `${src}cli/main.ts` },
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // NOTE: some bundled packages are CommonJS and call require() for node built-ins.
  banner: { js: "import { createRequire as __crewRequire } from 'node:module'; const require = __crewRequire(import.meta.url);" },
  plugins: [keepModuleUrls],
});

await mkdir(outdir, { recursive: true });
const built = await readdir(next);
const entry = (name) => name.startsWith('main.');
// Chunk names carry a hash of their content: one already there is the same file.
const present = new Set(await readdir(outdir));
for (const name of built.filter((name) => !entry(name) && !present.has(name))) await rename(`${next}/${name}`, `${outdir}/${name}`);
for (const name of built.filter(entry)) await rename(`${next}/${name}`, `${outdir}/${name}`);
await rm(next, { recursive: true, force: true });
// Chunks of earlier builds: kept a while for a crew that started before (it loads commands lazily).
const keep = new Set(built);
const hourAgo = Date.now() - 3_600_000;
for (const name of await readdir(outdir)) {
  if (keep.has(name)) continue;
  const info = await stat(`${outdir}/${name}`).catch(() => undefined);
  if (info && info.mtimeMs < hourAgo) await rm(`${outdir}/${name}`, { force: true });
}
