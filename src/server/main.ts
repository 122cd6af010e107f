/** `npm start` (and `npm run demo`): build the web app if needed, prepare the database, serve. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_DIST } from './app';
import { startZhiben } from './server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function ensureWebBuilt() {
  const index = path.join(WEB_DIST, 'index.html');
  const sources = [path.join(ROOT, 'src/web'), path.join(ROOT, 'src/shared')].filter(existsSync);
  const stale = !existsSync(index) || sources.some((d) => newestMtime(d) > statSync(index).mtimeMs);
  if (!stale) return;
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) {
    console.warn('The web app is not built and Vite is not installed (run `npm install`); serving the API only.');
    return;
  }
  console.log('Building the web app (first start or sources changed)…');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('The web build failed; see the messages above.');
}

async function main() {
  const args = process.argv.slice(2);
  const demo = args.includes('--demo');
  if (!args.includes('--no-build')) ensureWebBuilt();
  const server = await startZhiben({ demo, logger: true, announce: (line) => console.log(line) });
  console.log(`Zhiben 治本 is serving on ${server.url}  (API docs: ${server.url}/api/docs)`);
  const stop = async (signal: string) => {
    console.log(`${signal}: shutting down…`);
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
