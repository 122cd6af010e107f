/**
 * `npm start` and `npm run demo`: builds what is out of date — the web app (Vite, into dist/web)
 * and the server (esbuild, into dist/server: scripts/build-server.mjs) — then runs the compiled
 * server, dist/server/main.js, in this process (its signal handling and exit codes are the
 * server's own). A build is out of date when it is missing or a source (file or folder) is newer;
 * the check reads only modification times.
 *
 *   node --enable-source-maps scripts/start.mjs [--demo] [--no-build]
 *
 * --demo is the server's (adds the demo city); --no-build runs what is built as it is.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = (p) => path.join(ROOT, p);

/** The newest modification time under `paths` (files and folders: a deleted file changes its folder's). */
function newest(paths) {
  let max = 0;
  const visit = (p) => {
    const s = statSync(p, { throwIfNoEntry: false });
    if (!s) return;
    max = Math.max(max, s.mtimeMs);
    if (s.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
  };
  paths.forEach(visit);
  return max;
}

const outOfDate = (built, sources) => {
  const s = statSync(built, { throwIfNoEntry: false });
  return !s || newest(sources.map(at)) > s.mtimeMs;
};

function ensureWebBuilt() {
  if (!outOfDate(at('dist/web/index.html'), ['src/web', 'src/shared', 'vite.config.ts'])) return;
  const vite = at('node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) {
    console.warn('The web app is not built and Vite is not installed (run `npm install`); serving the API only.');
    return;
  }
  console.log('Building the web app (first start or sources changed)…');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('The web build failed; see the messages above.');
}

async function ensureServerBuilt() {
  // build.json is written last by a successful build (STAMP in build-server.mjs, imported only to
  // build: loading esbuild costs some 40 ms).
  if (!outOfDate(at('dist/server/build.json'), ['src/server', 'src/shared', 'scripts/build-server.mjs', 'tsconfig.json', 'package.json'])) return;
  const { buildServer } = await import('./build-server.mjs');
  const { ms } = await buildServer().catch((err) => {
    throw err?.errors ? new Error('The server build failed; see the messages above.') : err; // esbuild has printed its own
  });
  console.log(`Compiled the server in ${Math.round(ms)} ms (first start or sources changed).`);
}

try {
  // Stack traces point to the TypeScript lines; `npm start` passes --enable-source-maps, which
  // worker threads inherit, and this covers a plain `node scripts/start.mjs`.
  process.setSourceMapsEnabled(true);
  if (!process.argv.includes('--no-build')) {
    ensureWebBuilt();
    await ensureServerBuilt();
  }
  const main = at('dist/server/main.js');
  if (!existsSync(main)) throw new Error('The server is not compiled: run `npm start` without --no-build (or `npm run build:server`).');
  await import(pathToFileURL(main).href);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
