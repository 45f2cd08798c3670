// Builds the Node bundles (CLI, plugin) and the browser bundles (console shell + plugin views,
// sharing chunks so lit and rxjs ship once). esbuild honours tsconfig's legacy decorators.
import * as esbuild from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

const watch = process.argv.includes('--watch');
await rm('dist', { recursive: true, force: true });
await mkdir('dist/console', { recursive: true });

const common = { bundle: true, sourcemap: true, tsconfig: 'tsconfig.json', logLevel: 'warning', legalComments: 'none' };

await esbuild.build({
  ...common,
  entryPoints: { ors: 'src/cli/main.ts', 'plugin/index': 'src/plugin/index.ts' },
  outdir: 'dist',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
});

await esbuild.build({
  ...common,
  entryPoints: { console: 'src/host/console/main.ts', views: 'src/views/index.ts' },
  outdir: 'dist/console',
  platform: 'browser',
  format: 'esm',
  target: 'chrome120',
  splitting: true,
  minify: !watch,
  conditions: ['browser', 'production'],
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
}).then(async (r) => {
  await esbuild.analyzeMetafile(r.metafile);
});

await copyFile('src/host/console/index.html', 'dist/console/index.html');
await copyFile('src/host/console/console.css', 'dist/console/console.css');
console.log('built dist/ (node: ors.js, plugin/index.js; browser: console/)');
