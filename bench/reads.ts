/**
 * Reads at the floor (issue 23): cold ledger reads and the cockpit under 16 clients, over real
 * HTTP, against the server in a child process (one process, and WORKERS processes sharing the
 * port), with raw better-sqlite3 running the very SQL one request runs as the floor, in the same run.
 *
 *   BENCH_ONLY=reads npm run bench            (1M hazards; BENCH_HAZARDS to change)
 *   BENCH_KEEP_DIR=/tmp/zb-1m                 keeps the seeded SQLite file there and reuses it
 *   BENCH_COMPILED=1                          serves the compiled server (what `npm start` runs)
 */
import { spawn } from 'node:child_process';
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
import { cityView } from '../src/server/modules/dashboard/views';
import { loadConfig } from '../src/server/config';
import { systemCtx, type ActorCtx } from '../src/server/context';
import { HazardQuery } from '../src/shared/contracts/hazards';
import { HAZARDS, NOW, PASSWORD, seed } from './hazard-ledger';
import { buildCompiledServer, login, serve } from './serve';
import { benchDataDir, type Row } from './stats';

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
  } else if (!process.env.BENCH_SERVER_ROOT) {
    // A kept file may predate a migration: bring it forward (timed: issue 23 reports it at 1M).
    const database = openSqlite(path.join(dir, 'zhiben.db'));
    const t0 = performance.now();
    const applied = await migrateToLatest(database);
    await database.close();
    if (applied.length) console.log(`  reads: migrated the kept file (${applied.join(', ')}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { dir, cleanup: () => (keep ? undefined : rmSync(dir, { recursive: true, force: true })) };
}

/** The server on the seeded file (from source, as the figures so far were taken; BENCH_COMPILED=1: compiled, as `npm start` runs it). */
const serveOn = (dir: string, workers: number) =>
  serve(dir, { compiled: process.env.BENCH_COMPILED === '1', root: SERVER_ROOT, env: { LEDGER_CACHE: 'false', WORKERS: String(workers), ZHIBEN_ADMIN_PASSWORD: PASSWORD } });

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

/**
 * The SQL one request runs (the session read, then what the handler asks), captured through the
 * server's own code; keyed by each URL's variant (Q1: the district).
 */
async function statementsOf(file: string, cookie: string, variants: string[], handler: (ctx: ActorCtx, variant: string) => Promise<unknown>): Promise<Record<string, CompiledQuery[]>> {
  const captured: CompiledQuery[] = [];
  const sqlite = new SqliteDatabase(file, { readonly: true });
  const db = new Kysely<DB>({ dialect: new ZhibenSqliteDialect(sqlite), log: (e) => void (e.level === 'query' && captured.push(e.query)) });
  const token = decodeURIComponent(cookie.split('=')[1]);
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: benchDataDir() });
  const out: Record<string, CompiledQuery[]> = {};
  for (const v of variants) {
    captured.length = 0;
    const actor = (await actorForSession(db, token, new Date(), 120))!;
    await handler({ ...systemCtx({ db, dialect: 'sqlite', config }), actor }, v);
    out[v] = captured.filter((c) => /^\s*select/i.test(c.sql));
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

/** The file's size, and what its pages hold (a dropped index leaves free pages until VACUUM), per hazard. */
function storeSize(file: string): string {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    const { pages, free, size } = db.prepare('select page_count as pages, freelist_count as free, page_size as size from pragma_page_count, pragma_freelist_count, pragma_page_size').get() as { pages: number; free: number; size: number };
    const used = (pages - free) * size;
    // What the pages hold, by table with its indexes; a search index's shadow tables (`x_fts_data`, …) as `x_fts`.
    const parts = db
      .prepare(
        `with pages as (select coalesce(m.tbl_name, s.name) as t, s.pgsize from dbstat s left join sqlite_master m on m.name = s.name)
         select case when instr(t, '_fts_') then substr(t, 1, instr(t, '_fts_') + 3) else t end as tbl, sum(pgsize) as bytes from pages group by tbl order by bytes desc`,
      )
      .all() as { tbl: string; bytes: number }[];
    const ledger = parts.filter((p) => p.tbl.startsWith('hazard')).reduce((n, p) => n + p.bytes, 0);
    const top = parts.slice(0, 6).map((p) => `${p.tbl} ${(p.bytes / 1e6).toFixed(0)}`).join(', ');
    return `${HAZARDS.toLocaleString()} hazards: ${(used / 1e6).toFixed(0)} MB in use, ${((used / HAZARDS) / 1000).toFixed(2)} KB per hazard (file ${(statSync(file).size / 1e6).toFixed(0)} MB); the ledger's tables with their indexes (hazard*) ${((ledger / HAZARDS) / 1000).toFixed(2)} KB per hazard; MB by table with its indexes: ${top}`;
  } finally {
    db.close();
  }
}

export async function benchReads(): Promise<Row[]> {
  const { dir, cleanup } = await seededDir();
  const file = path.join(dir, 'zhiben.db');
  console.log(`  reads: ${storeSize(file)}`);
  const rows: Row[] = [];
  const counts = (process.env.BENCH_WORKERS ?? `1,${availableParallelism()}`).split(',').map(Number);
  if (process.env.BENCH_COMPILED === '1' && !process.env.BENCH_SERVER_ROOT) await buildCompiledServer();
  for (const workers of counts) {
    const server = await serveOn(dir, workers);
    try {
      const city = await login(server.url, 'city', PASSWORD);
      const bench = `reads @${HAZARDS / 1e6}M (sqlite, cold, ${workers} process${workers > 1 ? 'es' : ''})`;
      const q1Sql = await statementsOf(file, city, DISTRICTS, (ctx, d) => listHazards(ctx.db, 'sqlite', ctx.actor, HazardQuery.parse(Object.fromEntries(new URLSearchParams(q1(d)))), NOW));
      const l1 = await load(DISTRICTS.map((d) => `${server.url}/api/hazards?${q1(d)}`), city);
      rows.push(row(bench, `Q1, 16 clients × 16 districts, ${SECONDS} s`, l1, await floor(file, q1Sql, workers), 1500, 20));
      const d1Sql = await statementsOf(file, city, ['city'], (ctx) => cityView(ctx));
      const d1 = await load([`${server.url}/api/dashboard/city`], city);
      rows.push(row(bench, `D1 city view, 16 clients, ${SECONDS} s`, d1, await floor(file, d1Sql, workers), 500, null));
    } finally {
      await server.stop();
    }
  }
  cleanup();
  return rows;
}
export type { Database };
