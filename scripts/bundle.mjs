// Bundles the CLI into dist/bundle/ after `tsc` has built dist/: one file for the entry and one
// chunk per command (loaded only when named), so a command loads a few files instead of the
// ~700 modules of zod, execa, yaml and crewtree itself. NOTE: start-up was most of a short
// command's cost (issue 11 item 4). esbuild: chosen as the bundler that needs no config and
// ships its binary inside the npm package.
import { readFile, rm } from 'node:fs/promises';
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

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: `${src}cli/main.ts` },
  outdir,
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
