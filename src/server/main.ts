/**
 * The server's entry point: prepare the database, serve, stop cleanly on SIGINT/SIGTERM.
 * `npm start` (scripts/start.mjs) builds the web app and compiles this server when their sources
 * changed, then runs the compiled one (dist/server/main.js). Flags: --demo; --no-build is for the
 * launcher (this file builds nothing). WORKERS above 1 serves from several processes (cluster.ts).
 */
import cluster from 'node:cluster';
import { announceListening, runWorkers, stopWorkers, workerCount } from './cluster';
import { loadConfig } from './config';
import { prepare, startZhiben } from './server';

async function main() {
  const args = process.argv.slice(2);
  const demo = args.includes('--demo');
  const workers = workerCount(loadConfig().WORKERS);
  if (workers > 1 && cluster.isPrimary) return primary(workers, demo);
  const server = await startZhiben({ demo, logger: true, attach: cluster.isWorker, announce: (line) => console.log(line) });
  if (cluster.isWorker) announceListening(server.url);
  else console.log(`Zhiben 治本 is serving on ${server.url}  (API docs: ${server.url}/api/docs)`);
  const stop = async (signal: string) => {
    if (!cluster.isWorker) console.log(`${signal}: shutting down…`);
    await server.close();
    process.exit(0);
  };
  // A worker stops when the first process tells it to (SIGTERM); Ctrl-C in a terminal reaches the
  // whole process group, and the first process must see it before any worker ends.
  process.on('SIGINT', () => void (cluster.isWorker ? undefined : stop('SIGINT')));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The first of several processes: prepares the database once, then runs the workers that serve. */
async function primary(count: number, demo: boolean) {
  // From the start: a stop while preparing or while the workers start stops those already forked.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down…`);
    await stopWorkers();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const prepared = await prepare({ demo, announce: (line) => console.log(line) });
  await prepared.database.close();
  const url = await runWorkers(count, (line) => console.error(line));
  if (!stopping) console.log(`Zhiben 治本 is serving on ${url} from ${count} processes  (API docs: ${url}/api/docs)`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
