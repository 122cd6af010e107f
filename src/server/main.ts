/**
 * The server's entry point: prepare the database, serve, stop cleanly on SIGINT/SIGTERM.
 * `npm start` (scripts/start.mjs) builds the web app and compiles this server when their sources
 * changed, then runs the compiled one (dist/server/main.js). Flags: --demo; --no-build is for the
 * launcher (this file builds nothing).
 */
import { startZhiben } from './server';

async function main() {
  const args = process.argv.slice(2);
  const demo = args.includes('--demo');
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
