/**
 * `npm run bench:start`: how long the server takes to start on the demo city, from the process's
 * spawn to the first 200 of GET /api/health, for the compiled server against the TypeScript one
 * (the former `npm start`, `tsx src/server/main.ts`) measured in the same run.
 *
 * The demo city (about 2,000 enterprises and 20,000 hazards) is loaded once by a first start, not
 * timed as a start; every timed start is a later one on that data directory, as a restart in
 * production is. The variants take turns, BENCH_RUNS times each (default 7); the table shows the
 * median, the fastest and the slowest. Builds are brought up to date first, so `npm start` only
 * checks them. BENCH_DATA_DIR keeps the demo database between runs (default: a temporary one).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'zhiben-start-bench-'));

const VARIANTS: { name: string; args: string[] }[] = [
  { name: 'TypeScript through tsx (the former npm start)', args: [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/server/main.ts', '--demo'] },
  { name: 'npm start: launcher, build checks, compiled server', args: ['--enable-source-maps', 'scripts/start.mjs', '--demo'] },
  { name: 'compiled server alone (node dist/server/main.js)', args: ['dist/server/main.js', '--demo'] },
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts `args`, waits for /api/health to answer 200, stops it; answers the milliseconds to health. */
async function startOnce(args: string[], timeoutMs = 300_000): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, ZHIBEN_ADMIN_PASSWORD: 'Bench-admin-2026', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    for (;;) {
      if (gone) throw new Error(`${args.join(' ')} exited before answering`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`${args.join(' ')} did not answer within ${timeoutMs / 1000} s`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.status === 200, () => false);
      if (ok) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    if (!gone) child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) console.warn(`  (${args.join(' ')} exited with ${code})`);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  console.log(`Start time on the demo city: ${RUNS} starts of each variant, data in ${dataDir}`);
  const first = await startOnce(VARIANTS[1].args, 15 * 60_000);
  console.log(`First start (builds if needed; loads the demo city unless already there): ${(first / 1000).toFixed(1)} s`);
  // One untimed start of each, so that every variant starts with its caches warm (tsx keeps its transpiled files).
  for (const v of VARIANTS) await startOnce(v.args);
  const times = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  for (let i = 0; i < RUNS; i++) for (const v of VARIANTS) times.get(v.name)!.push(await startOnce(v.args));
  const base = median(times.get(VARIANTS[0].name)!);
  console.log(`\n${'variant'.padEnd(54)}${'median ms'.padStart(10)}${'min'.padStart(8)}${'max'.padStart(8)}${'ratio'.padStart(7)}`);
  for (const v of VARIANTS) {
    const t = times.get(v.name)!;
    console.log(`${v.name.padEnd(54)}${median(t).toFixed(0).padStart(10)}${Math.min(...t).toFixed(0).padStart(8)}${Math.max(...t).toFixed(0).padStart(8)}${(median(t) / base).toFixed(2).padStart(7)}`);
  }
} finally {
  if (!process.env.BENCH_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
}
