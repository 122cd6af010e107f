/**
 * Enterprise list at city scale: the API (auth, validation, scope, presenter, JSON) against the
 * same query run directly through Kysely, in the same run on the same database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { systemCtx } from '../src/server/context';
import { openPostgres, openSqlite, type Database } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { listEnterprises } from '../src/server/modules/enterprises/repository';
import { actorFromUser } from '../src/server/auth/actor';
import { ensureAdmin } from '../src/server/seed/bootstrap';
import { demoEnterprises, enterpriseRow, insertEnterpriseRows, loadDemoCity } from '../src/server/seed/demo';
import { loadReferenceData } from '../src/server/seed/reference';
import { EnterpriseQuery } from '../src/shared/contracts/enterprises';
import { benchDataDir, percentile, timeIt, type Row } from './stats';

const COUNT = Number(process.env.BENCH_ENTERPRISES ?? 200_000);
const PASSWORD = 'Bench-pass-2026';

const QUERIES: { name: string; qs: string; goalP95?: number }[] = [
  { name: 'district + industry, page 1', qs: 'districtCode=310115&industryCode=34&page=1&pageSize=20', goalP95: 20 },
  { name: 'district + section C, page 1', qs: 'districtCode=310115&industryCode=C&page=1&pageSize=20' },
  { name: 'name search (4 chars, trigram)', qs: `q=${encodeURIComponent('机械制造')}&page=1&pageSize=20` },
  { name: 'name search (2 chars, LIKE)', qs: `q=${encodeURIComponent('化工')}&page=1&pageSize=20` },
  { name: 'whole city, page 1', qs: 'page=1&pageSize=20' },
  { name: 'whole city, page 500', qs: 'page=500&pageSize=20' },
];

async function seed(database: Database) {
  const config = loadConfig({ ZHIBEN_ADMIN_PASSWORD: PASSWORD, ZHIBEN_DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', DATA_DIR: benchDataDir() });
  await migrateToLatest(database);
  await loadReferenceData(database.db, new Date().toISOString());
  const ctx = systemCtx({ db: database.db, dialect: database.dialect, config });
  await ensureAdmin(ctx);
  await loadDemoCity(ctx, { password: PASSWORD, count: 10 });
  const t0 = performance.now();
  const now = new Date().toISOString();
  // The demo already holds the first 10; the rest come from the same deterministic generator.
  const rows = demoEnterprises(COUNT).slice(10).map((e) => enterpriseRow(e, '310000', now));
  await database.db.transaction().execute((trx) => insertEnterpriseRows(trx, rows));
  await sql.raw(database.dialect === 'postgres' ? 'vacuum analyze' : 'analyze').execute(database.db);
  return { config, seedMs: performance.now() - t0 };
}

export async function benchEnterpriseList(dialect: 'sqlite' | 'postgres'): Promise<Row[]> {
  let database: Database;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'zhiben-bench-'));
    database = openSqlite(path.join(dir, 'zhiben.db'));
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const url = process.env.BENCH_DATABASE_URL!;
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('drop schema if exists zhiben_bench cascade; create schema zhiben_bench; create extension if not exists pg_trgm schema public');
    await c.end();
    const u = new URL(url);
    u.searchParams.set('options', '-c search_path=zhiben_bench,public');
    database = openPostgres(u.toString(), 4);
    cleanup = async () => {};
  }
  const { config, seedMs } = await seed(database);
  console.log(`  ${dialect}: seeded ${COUNT.toLocaleString()} enterprises in ${(seedMs / 1000).toFixed(1)} s`);
  const app = await buildApp({ config, database, logger: false, serveWeb: false });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'city', password: PASSWORD } });
  const cookie = `zhiben_session=${login.cookies.find((c) => c.name === 'zhiben_session')!.value}`;
  const user = await database.db.selectFrom('users').selectAll().where('username', '=', 'city').executeTakeFirstOrThrow();
  const actor = await actorFromUser(database.db, user, 'session');

  const rows: Row[] = [];
  for (const q of QUERIES) {
    const query = EnterpriseQuery.parse(Object.fromEntries(new URLSearchParams(q.qs)));
    const direct = await timeIt(() => listEnterprises(database.db, database.dialect, actor, query));
    const api = await timeIt(async () => {
      const r = await app.inject({ method: 'GET', url: `/api/enterprises?${q.qs}`, headers: { cookie } });
      if (r.statusCode !== 200) throw new Error(`${q.name}: ${r.statusCode} ${r.body}`);
    });
    const apiP50 = percentile(api, 50);
    const apiP95 = percentile(api, 95);
    const baseP50 = percentile(direct, 50);
    rows.push({
      bench: `enterprises list @${(COUNT / 1000).toFixed(0)}k (${dialect})`,
      case: q.name,
      p50: apiP50,
      p95: apiP95,
      baselineP50: baseP50,
      ratio: apiP50 / baseP50,
      goal: q.goalP95 ? `p95 ≤ ${q.goalP95} ms, ratio ≤ 1.5` : 'ratio ≤ 1.5',
      met: database.dialect === 'postgres' ? null : apiP50 / baseP50 <= 1.5 && (!q.goalP95 || apiP95 <= q.goalP95),
    });
  }
  await app.close();
  await database.close();
  await cleanup();
  return rows;
}
