/**
 * Reads at the floor (issue 23): cold ledger reads and the cockpit under 16 clients, over real
 * HTTP, against the server as `npm start` runs it (one process, and WORKERS processes sharing the
 * port), with raw better-sqlite3 running the very SQL one request runs as the floor, in the same run.
 *
 *   BENCH_ONLY=reads npm run bench            (1M hazards; BENCH_HAZARDS to change)
 *   BENCH_KEEP_DIR=/tmp/zb-1m                 keeps the seeded SQLite file there and reuses it
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type CompiledQuery } from 'kysely';
import { openSqlite, type Database } from '../src/server/db/database';
import type { DB } from '../src/server/db/schema';
import { ZhibenSqliteDialect } from '../src/server/db/sqlite-driver';
import { migrateToLatest } from '../src/server/db/migrate';
import { actorForSession } from '../src/server/auth/service';
import { listHazards } from '../src/server/modules/hazards/repository';
import { HazardQuery } from '../src/shared/contracts/hazards';
import { HAZARDS, NOW, PASSWORD, seed } from './hazard-ledger';
import type { Row } from './stats';

const ROOT = path.resolve(import.meta.dirname, '..');
// BENCH_SERVER_ROOT: serve from another checkout (a baseline commit) against the same file.
const SERVER_ROOT = process.env.BENCH_SERVER_ROOT ?? ROOT;
const DISTRICTS = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112', '310113', '310114', '310115', '310116', '310117', '310118', '310120', '310151'];
const q1 = (district: string) => `districtCode=${district}&grade=major&status=reported,rectifying,pending_acceptance&sort=deadline&page=1&pageSize=20`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/** A seeded 1M ledger on SQLite: made once, or reused from BENCH_KEEP_DIR. */
async function seededDir(): Promise<{ dir: string; cleanup: () => void }> {
  const keep = process.env.BENCH_KEEP_DIR;
  const dir = keep ?? mkdtempSync(path.join(tmpdir(), 'zhiben-bench-reads-'));
  const marker = path.join(dir, `seeded-${HAZARDS}`);
  if (!keep || !existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const database = openSqlite(path.join(dir, 'zhiben.db'));
    const t0 = performance.now();
    await seed(database);
    await database.close();
    console.log(`  reads: seeded ${HAZARDS.toLocaleString()} hazards in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    writeFileSync(marker, new Date().toISOString());
  } else {
    // A kept file may predate a migration: bring it forward (timed: issue 23 reports it at 1M).
    const database = openSqlite(path.join(dir, 'zhiben.db'));
    const t0 = performance.now();
    const applied = await migrateToLatest(database);
    await database.close();
    if (applied.length) console.log(`  reads: migrated the kept file (${applied.join(', ')}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { dir, cleanup: () => (keep ? undefined : rmSync(dir, { recursive: true, force: true })) };
}

/** The server as `npm start` runs it, in a child process; answers when it listens. */
async function serve(dir: string, workers: number, extra: Record<string, string> = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  const env = { ...process.env, DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', LEDGER_CACHE: 'false', WORKERS: String(workers), ZHIBEN_ADMIN_PASSWORD: PASSWORD, ...extra };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(SERVER_ROOT, 'src/server/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function login(url: string, username: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'zhiben' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('zhiben_session='))!;
  return cookie.split(';')[0];
}

interface Load {
  rps: number;
  errors: number;
  p50: number;
  p95: number;
}

/** 16 clients (a separate process), client i asking urls[i % urls.length], for SECONDS. */
function load(urls: string[], cookie: string, clients = 16): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'load.mjs'), urls.join(' '), String(clients), String(SECONDS), cookie], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load exited ${code}`))));
  });
}

/** The SQL one Q1 request runs (session read, count, page, rows), captured through the repository code itself. */
async function q1Statements(file: string, cookie: string): Promise<Record<string, CompiledQuery[]>> {
  const captured: CompiledQuery[] = [];
  const sqlite = new SqliteDatabase(file, { readonly: true });
  const db = new Kysely<DB>({ dialect: new ZhibenSqliteDialect(sqlite), log: (e) => void (e.level === 'query' && captured.push(e.query)) });
  const token = decodeURIComponent(cookie.split('=')[1]);
  const out: Record<string, CompiledQuery[]> = {};
  for (const d of DISTRICTS) {
    captured.length = 0;
    const actor = (await actorForSession(db, token, new Date(), 120))!;
    const query = HazardQuery.parse(Object.fromEntries(new URLSearchParams(q1(d))));
    await listHazards(db, 'sqlite', actor, query, NOW);
    out[d] = captured.filter((c) => /^\s*select/i.test(c.sql));
  }
  await db.destroy();
  return out;
}

const FLOOR_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true });
db.pragma('cache_size = -65536');
const sets = Object.values(workerData.sets).map((qs) => qs.map((q) => [db.prepare(q.sql), q.parameters]));
const end = Date.now() + workerData.ms;
let n = 0;
while (Date.now() < end) {
  for (const [stmt, params] of sets[n % sets.length]) stmt.all(params);
  n++;
}
parentPort.postMessage(n);
`;

/** Raw better-sqlite3 running the same statements, one "request" after another, in `threads` threads. */
async function floor(file: string, sets: Record<string, CompiledQuery[]>, threads: number): Promise<number> {
  const plain = Object.fromEntries(Object.entries(sets).map(([k, qs]) => [k, qs.map((q) => ({ sql: q.sql, parameters: q.parameters }))]));
  const driver = path.join(ROOT, 'node_modules/better-sqlite3');
  const counts = await Promise.all(
    Array.from({ length: threads }, () => new Promise<number>((resolve, reject) => {
      const w = new Worker(FLOOR_WORKER, { eval: true, workerData: { file, sets: plain, ms: SECONDS * 1000, driver } });
      w.on('message', resolve);
      w.on('error', reject);
    })),
  );
  return counts.reduce((a, b) => a + b, 0) / SECONDS;
}

function row(bench: string, name: string, l: Load, floorRps: number, goalRps: number, p95Goal: number | null): Row {
  return {
    bench,
    case: `${name}: ${Math.round(l.rps)} req/s, ${l.errors} errors (floor ${Math.round(floorRps)} req/s; ${(l.rps / floorRps).toFixed(2)} of it)`,
    p50: l.p50,
    p95: l.p95,
    baselineP50: 1000 / floorRps,
    ratio: floorRps / l.rps,
    goal: `≥ ${goalRps.toLocaleString()} req/s${p95Goal ? `, p95 ≤ ${p95Goal} ms` : ''}, no errors`,
    met: l.rps >= goalRps && l.errors === 0 && (p95Goal === null || l.p95 <= p95Goal),
  };
}

export async function benchReads(): Promise<Row[]> {
  const { dir, cleanup } = await seededDir();
  const file = path.join(dir, 'zhiben.db');
  const mb = statSync(file).size / 1e6;
  console.log(`  reads: ${HAZARDS.toLocaleString()} hazards in ${mb.toFixed(0)} MB (${((mb * 1e6) / HAZARDS / 1024).toFixed(2)} KB per hazard, whole file)`);
  const rows: Row[] = [];
  const counts = (process.env.BENCH_WORKERS ?? `1,${availableParallelism()}`).split(',').map(Number);
  for (const workers of counts) {
    const server = await serve(dir, workers);
    try {
      const city = await login(server.url, 'city');
      const sets = await q1Statements(file, city);
      const floorRps = await floor(file, sets, workers);
      const bench = `reads @${HAZARDS / 1e6}M (sqlite, cold, ${workers} process${workers > 1 ? 'es' : ''})`;
      const l1 = await load(DISTRICTS.map((d) => `${server.url}/api/hazards?${q1(d)}`), city);
      rows.push(row(bench, `Q1, 16 clients × 16 districts, ${SECONDS} s`, l1, floorRps, 1500, 20));
      const d1 = await load([`${server.url}/api/dashboard/city`], city);
      rows.push(row(bench, `D1 city view, 16 clients, ${SECONDS} s`, d1, floorRps, 500, null));
    } finally {
      await server.stop();
    }
  }
  cleanup();
  return rows;
}
export type { Database };
