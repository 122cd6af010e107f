/**
 * Compiles the server to JavaScript with esbuild: `node scripts/build-server.mjs [OUTDIR]`
 * (default dist/server; `npm start` runs it when the sources are newer than the build).
 *
 * Entry points: src/server/main.ts and every worker thread's entry (a module that calls
 * `workerMain`, found by reading the sources). Each is bundled on its own (no shared chunks) into
 * one flat folder, so that the code of any bundle has that folder as `import.meta.url`'s directory:
 * a worker named from a module (`new URL('./export-worker.ts', import.meta.url)`) is then
 * `export-worker.js` beside it (see `boot` in src/server/workers/thread.ts), and a file directly in
 * src/server/ resolves paths from the project root as the bundle does — both sit two levels below
 * it. Packages stay in node_modules (imported at run time); source maps point stack traces to the
 * TypeScript lines (run node with --enable-source-maps).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_DIST = path.join(ROOT, 'dist/server');
/** Written last by a successful build; `npm start` rebuilds when a source is newer. */
export const STAMP = 'build.json';

const SERVER_SRC = path.join(ROOT, 'src/server');
const THREAD = path.join(SERVER_SRC, 'workers/thread.ts');

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(e.name) && !/\.(test|fixture)\.ts$/.test(e.name) ? [p] : [];
  });
}

/** The server's entry points: main.ts and each worker entry (a module calling `workerMain`). */
export function serverEntries() {
  const workers = sourceFiles(SERVER_SRC).filter((f) => f !== THREAD && /\bworkerMain\s*[<(]/.test(readFileSync(f, 'utf8')));
  const entries = [path.join(SERVER_SRC, 'main.ts'), ...workers];
  const names = entries.map((f) => path.basename(f));
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length) throw new Error(`Worker entries must have distinct file names (the build puts them in one folder): ${twice.join(', ')}`);
  return entries;
}

/**
 * A bundled module may resolve a path from its own location (`import.meta`) only if it sits
 * directly in src/server/ (two levels below the root, like the bundle), or to name a worker entry
 * beside it (`new URL('./name.ts', import.meta.url)`, mapped by `boot`). Anything else would point
 * somewhere else once compiled: the build refuses it rather than let `npm start` fail later.
 */
const WORKER_URL = /new URL\((['"])\.\/[\w.-]+\.ts\1, import\.meta\.url\)/g;
const guardImportMeta = {
  name: 'zhiben-import-meta',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      if (path.dirname(args.path) === SERVER_SRC || args.path === THREAD) return undefined;
      const lines = readFileSync(args.path, 'utf8').split('\n');
      const errors = lines.flatMap((line, i) =>
        /import\.meta\.(url|dirname|filename)/.test(line.replace(WORKER_URL, '')) && !/^\s*(\/\/|\*)/.test(line)
          ? [{ text: 'resolves a path from its own location, which is not the same once compiled: resolve project files from the root (see src/server/paths.ts)', location: { file: path.relative(ROOT, args.path), line: i + 1, lineText: line } }]
          : [],
      );
      return errors.length ? { errors } : undefined;
    });
  },
};

/** Builds the server into `outdir`; answers the output files and the time taken. */
export async function buildServer({ outdir = SERVER_DIST } = {}) {
  const started = performance.now();
  const entryPoints = serverEntries();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    entryNames: '[name]',
    bundle: true,
    splitting: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'error',
    plugins: [guardImportMeta],
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => path.resolve(ROOT, f));
  // Bundles of an earlier build that this one no longer makes (a worker removed or renamed).
  for (const f of readdirSync(outdir)) {
    const p = path.join(outdir, f);
    if (/\.js(\.map)?$/.test(f) && !outputs.includes(p)) rmSync(p, { force: true });
  }
  writeFileSync(path.join(outdir, STAMP), `${JSON.stringify({ builtAt: new Date().toISOString(), entries: entryPoints.map((e) => path.relative(ROOT, e)) }, null, 2)}\n`);
  return { outputs, ms: performance.now() - started };
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const outdir = process.argv[2] ? path.resolve(process.argv[2]) : SERVER_DIST;
  buildServer({ outdir }).then(
    ({ outputs, ms }) => console.log(`Built the server into ${path.relative(process.cwd(), outdir) || '.'} in ${Math.round(ms)} ms (${outputs.filter((f) => f.endsWith('.js')).map((f) => path.basename(f)).join(', ')})`),
    (err) => {
      if (!err?.errors) console.error(err instanceof Error ? err.message : err); // esbuild has printed its own
      process.exit(1);
    },
  );
}
