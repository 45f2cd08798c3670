// Builds the Node bundles (CLI, plugin) and the browser bundles (console shell + plugin views,
// sharing chunks so lit and rxjs ship once; the back office's website apart). esbuild honours tsconfig's legacy decorators.
// `npm run package` calls build() with bundleDependencies: the npm packages go into the bundle
// too, except those that load files beside themselves at run time (native SQLite, the PAC sandbox's
// WebAssembly and worker), which the package ships in a minimal node_modules.
import * as esbuild from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Packages kept out of a self-contained bundle (they read files next to them at run time). */
export const RUNTIME_PACKAGES = ['better-sqlite3', 'pac-resolver', 'quickjs-wasi'];

export async function build({ outDir = 'dist', bundleDependencies = false, minifyBrowser = true } = {}) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(path.join(outDir, 'console'), { recursive: true });
  const common = { bundle: true, sourcemap: true, tsconfig: 'tsconfig.json', logLevel: 'warning', legalComments: 'none' };

  await esbuild.build({
    ...common,
    entryPoints: { ors: 'src/cli/main.ts', 'plugin/index': 'src/plugin/index.ts' },
    outdir: outDir,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    ...(bundleDependencies
      ? {
          external: RUNTIME_PACKAGES,
          // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
          banner: { js: "import { createRequire as __orsCreateRequire } from 'node:module'; const require = __orsCreateRequire(import.meta.url);" },
        }
      : { packages: 'external' }),
    chunkNames: 'chunks/[name]-[hash]',
  });

  await esbuild.build({
    ...common,
    entryPoints: { console: 'src/host/console/main.ts', views: 'src/views/index.ts' },
    outdir: path.join(outDir, 'console'),
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    splitting: true,
    minify: minifyBrowser,
    conditions: ['browser', 'production'],
    chunkNames: 'chunks/[name]-[hash]',
  });

  await copyFile('src/host/console/index.html', path.join(outDir, 'console', 'index.html'));
  await copyFile('src/host/console/console.css', path.join(outDir, 'console', 'console.css'));

  // The remote-service website (served by the back office): its own bundle, nothing shared with the console's.
  await mkdir(path.join(outDir, 'website'), { recursive: true });
  await esbuild.build({
    ...common,
    entryPoints: { website: 'src/website/main.ts' },
    outdir: path.join(outDir, 'website'),
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    splitting: true,
    minify: minifyBrowser,
    conditions: ['browser', 'production'],
    chunkNames: 'chunks/[name]-[hash]',
  });
  await copyFile('src/website/index.html', path.join(outDir, 'website', 'index.html'));
  await copyFile('src/website/website.css', path.join(outDir, 'website', 'website.css'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const watch = process.argv.includes('--watch');
  await build({ minifyBrowser: !watch });
  console.log('built dist/ (node: ors.js, plugin/index.js; browser: console/, website/)');
}
