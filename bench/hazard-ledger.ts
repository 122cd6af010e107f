/**
 * The hazard ledger at city scale (1,000,000 hazards, 200,000 enterprises): each query through
 * the HTTP API as an authenticated officer (scope included) against the same repository query
 * run directly, in the same run; plus 16 concurrent clients on Q1.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { buildApp } from '../src/server/app';
import { actorFromUser } from '../src/server/auth/actor';
import { loadConfig } from '../src/server/config';
import { systemCtx, type ActorCtx } from '../src/server/context';
import { openPostgres, openSqlite, type Database } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { reserveHazardNums } from '../src/server/db/hazard-numbers';
import { hazardDetail } from '../src/server/modules/hazards/commands';
import { listHazards, monthlyFoundClosed, openByDistrictAndGrade } from '../src/server/modules/hazards/repository';
import { ensureAdmin } from '../src/server/seed/bootstrap';
import { rebuildTallies } from '../src/server/modules/dashboard/tallies';
import { departmentDivisions } from '../src/server/auth/actor';
import { benchBackup } from './backup';
import { directFigures } from './dashboard';
import { startExport } from '../src/server/modules/exports/jobs';
import { applicableClauses, demoEnterprises, enterpriseRow, insertEnterpriseRows, loadDemoCity } from '../src/server/seed/demo';
import { generateDemoHazards } from '../src/server/seed/demo-hazards';
import { loadReferenceData } from '../src/server/seed/reference';
import { HazardQuery } from '../src/shared/contracts/hazards';
import { benchDataDir, measure, percentile, timeIt, type Row } from './stats';

export const HAZARDS = Number(process.env.BENCH_HAZARDS ?? 1_000_000);
const ENTERPRISES = Number(process.env.BENCH_ENTERPRISES ?? 200_000);
export const PASSWORD = 'Bench-pass-2026';
export const NOW = new Date('2026-11-29T04:00:00Z');

export async function seed(database: Database) {
  const config = loadConfig({ ZHIBEN_ADMIN_PASSWORD: PASSWORD, ZHIBEN_DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', DATA_DIR: benchDataDir() });
  await migrateToLatest(database);
  await loadReferenceData(database.db, NOW.toISOString());
  const ctx = systemCtx({ db: database.db, dialect: database.dialect, config, now: () => NOW });
  await ensureAdmin(ctx);
  await loadDemoCity(ctx, { password: PASSWORD, count: 10, hazards: 0 });
  const t0 = performance.now();
  const now = NOW.toISOString();
  const ents = demoEnterprises(ENTERPRISES).slice(10).map((e) => enterpriseRow(e, '310000', now));
  await database.db.transaction().execute((trx) => insertEnterpriseRows(trx, ents));
  const all = await database.db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'name', 'safety_manager_name']).execute();
  const enterprises = all.map((e) => ({ id: e.id, cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, name: e.name, safetyManagerName: e.safety_manager_name }));
  const clausesFor = await applicableClauses(database.db);
  const seqs = new Map<string, number>();
  const batch = 100_000;
  for (let done = 0, seedNo = 1; done < HAZARDS; done += batch, seedNo++) {
    const count = Math.min(batch, HAZARDS - done);
    const nums = await reserveHazardNums(database.db, database.dialect, count);
    const g = generateDemoHazards({ enterprises, clausesFor, count, now: NOW, seed: seedNo, newId: uuidv7, nums, seqs, dialect: database.dialect });
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < g.hazards.length; i += 500) await trx.insertInto('hazards').values(g.hazards.slice(i, i + 500)).execute();
      for (let i = 0; i < g.events.length; i += 1000) await trx.insertInto('hazard_events').values(g.events.slice(i, i + 1000)).execute();
      for (let i = 0; i < g.clauses.length; i += 1000) await trx.insertInto('hazard_clauses').values(g.clauses.slice(i, i + 1000)).execute();
    });
  }
  const t1 = performance.now();
  const built = await database.db.transaction().execute((trx) => rebuildTallies(trx, database.dialect, NOW));
  const tallyMs = performance.now() - t1;
  // PostgreSQL: a fresh bulk load has no visibility map yet; autovacuum would set it in service.
  await sql.raw(database.dialect === 'postgres' ? 'vacuum analyze' : 'analyze').execute(database.db);
  return { config, seedMs: performance.now() - t0, tallyMs, tallies: built.tallies };
}

async function open(dialect: 'sqlite' | 'postgres') {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'zhiben-bench-ledger-'));
    return { database: openSqlite(path.join(dir, 'zhiben.db')), env: { DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = process.env.BENCH_DATABASE_URL!;
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('drop schema if exists zhiben_bench_ledger cascade; create schema zhiben_bench_ledger; create extension if not exists pg_trgm schema public');
  await c.end();
  const u = new URL(url);
  u.searchParams.set('options', '-c search_path=zhiben_bench_ledger,public');
  return { database: openPostgres(u.toString(), 8), env: { DATABASE_URL: u.toString() }, cleanup: async () => {} };
}

export async function benchHazardLedger(dialect: 'sqlite' | 'postgres'): Promise<Row[]> {
  const { database, env, cleanup } = await open(dialect);
  const { config, seedMs, tallyMs, tallies } = await seed(database);
  console.log(`  ${dialect}: seeded ${HAZARDS.toLocaleString()} hazards and ${ENTERPRISES.toLocaleString()} enterprises in ${(seedMs / 1000).toFixed(0)} s (cockpit tallies rebuilt in ${(tallyMs / 1000).toFixed(1)} s: ${tallies.toLocaleString()} rows)`);
  // BENCH_ONLY=backup: the backup and restore of this data set, alone.
  if (process.env.BENCH_ONLY === 'backup') {
    const rows = await benchBackup(dialect, env, `${HAZARDS / 1e6}M`);
    await database.close();
    await cleanup();
    return rows;
  }
  // Cold: every answer computed; warm: the ledger cache on, as served (repeat reads of an unchanged ledger).
  const cold = await buildApp({ config: { ...config, LEDGER_CACHE: false }, database, logger: false, serveWeb: false, now: () => NOW });
  const app = await buildApp({ config, database, logger: false, serveWeb: false, now: () => NOW });
  const cookieOf = async (username: string) => {
    const r = await cold.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
    return `zhiben_session=${r.cookies.find((c) => c.name === 'zhiben_session')!.value}`;
  };
  const ctxOf = async (username: string): Promise<ActorCtx> => {
    const user = await database.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    return { ...systemCtx({ db: database.db, dialect: database.dialect, config, now: () => NOW }), actor: await actorFromUser(database.db, user, 'session') };
  };
  const district = { cookie: await cookieOf('pudong'), ctx: await ctxOf('pudong') };
  const city = { cookie: await cookieOf('city'), ctx: await ctxOf('city') };
  const someId = (await database.db.selectFrom('hazards').select('id').where('district_code', '=', '310115').orderBy('id').offset(1000).limit(1).executeTakeFirstOrThrow()).id;
  const q = (qs: string) => HazardQuery.parse(Object.fromEntries(new URLSearchParams(qs)));

  const cases: { name: string; who: typeof city; url: string; direct: () => Promise<unknown>; goal: number | null }[] = [
    (() => {
      const qs = 'districtCode=310115&grade=major&status=reported,rectifying,pending_acceptance&sort=deadline&page=1&pageSize=20';
      return { name: 'Q1 open major of a district by deadline', who: district, url: `/api/hazards?${qs}`, direct: () => listHazards(database.db, database.dialect, district.ctx.actor, q(qs), NOW), goal: 10 };
    })(),
    (() => {
      const qs = 'industryCode=34&page=2500&pageSize=20';
      return { name: 'Q2 page 2,500 in one industry', who: city, url: `/api/hazards?${qs}`, direct: () => listHazards(database.db, database.dialect, city.ctx.actor, q(qs), NOW), goal: 30 };
    })(),
    { name: 'Q3 open by district and grade', who: city, url: '/api/hazards/stats/open-by-district', direct: () => openByDistrictAndGrade(database.db, city.ctx.actor), goal: 30 },
    { name: 'Q4 monthly found vs closed, 12 months', who: city, url: '/api/hazards/stats/monthly?months=12', direct: () => monthlyFoundClosed(database.db, city.ctx.actor, NOW, 12), goal: 200 },
    { name: 'Q5 one hazard with its timeline', who: district, url: `/api/hazards/${someId}`, direct: () => hazardDetail(district.ctx, someId), goal: 5 },
    (() => {
      const qs = `districtCode=310115&q=${encodeURIComponent('消防')}&page=1&pageSize=20`;
      return { name: 'Q6 two-character search in a district', who: district, url: `/api/hazards?${qs}`, direct: () => listHazards(database.db, database.dialect, district.ctx.actor, q(qs), NOW), goal: 60 };
    })(),
    (() => {
      // A word in about a quarter of the district's hazards: the count reads every match (on
      // PostgreSQL at 1M it took 0.6 s before connections had work_mem for the district's bitmap).
      const qs = `districtCode=310115&q=${encodeURIComponent('安全')}&page=1&pageSize=20`;
      return { name: 'Q7 common-word search in a district', who: district, url: `/api/hazards?${qs}`, direct: () => listHazards(database.db, database.dialect, district.ctx.actor, q(qs), NOW), goal: null };
    })(),
  ];
  const runs = Number(process.env.BENCH_RUNS ?? 100);
  const rows: Row[] = [];
  // On the same 1M data set: BENCH_ONLY=dashboard or =export runs that part alone.
  const only = process.env.BENCH_ONLY;
  const ledger = only !== 'dashboard' && only !== 'export';
  for (const [mode, server] of ledger ? ([['cold', cold], ['warm', app]] as const) : []) {
    for (const c of cases) {
      if (mode === 'warm' && c.name.startsWith('Q5')) continue; // single-hazard reads are not cached
      const direct = await timeIt(c.direct, runs, 5);
      const api = await timeIt(async () => {
        const r = await server.inject({ method: 'GET', url: c.url, headers: { cookie: c.who.cookie } });
        if (r.statusCode !== 200) throw new Error(`${c.name}: ${r.statusCode} ${r.body.slice(0, 300)}`);
      }, runs, 5);
      const p95 = percentile(api, 95);
      rows.push({
        bench: `hazard ledger @${HAZARDS / 1e6}M (${dialect}, ${mode})`,
        case: c.name,
        p50: percentile(api, 50),
        p95,
        baselineP50: percentile(direct, 50),
        ratio: percentile(api, 50) / percentile(direct, 50),
        goal: c.goal === null ? 'measured for information' : `p95 ≤ ${c.goal} ms`,
        met: dialect === 'postgres' || c.goal === null ? null : p95 <= c.goal,
      });
    }
  }
  if (ledger) rows.push(...(await ledgerLoad(app, cases[0], district.cookie, dialect)));
  if (only !== 'dashboard') rows.push(await exportEverything(app, city, dialect));
  if (only !== 'export') rows.push(...(await benchDashboard({ dialect, database, cold, app, cookieOf, ctxOf, runs })));
  await app.close();
  await cold.close();
  await database.close();
  await cleanup();
  return rows;
}

async function listening(server: Awaited<ReturnType<typeof buildApp>>): Promise<number> {
  if (!server.server.listening) await server.listen({ host: '127.0.0.1', port: 0 });
  return (server.server.address() as { port: number }).port;
}

async function ledgerLoad(app: Awaited<ReturnType<typeof buildApp>>, first: { url: string; direct: () => Promise<unknown> }, cookie: string, dialect: 'sqlite' | 'postgres'): Promise<Row[]> {
  const rows: Row[] = [];
  const cases = [first];
  const port = await listening(app);
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(import.meta.dirname, 'load.mjs'), `http://127.0.0.1:${port}${cases[0].url}`, '16', '10', cookie]);
  const load = JSON.parse(stdout) as { rps: number; errors: number; p50: number; p95: number };
  rows.push({
    bench: `hazard ledger @${HAZARDS / 1e6}M (${dialect}, warm)`,
    case: `Q1 with 16 clients for 10 s: ${Math.round(load.rps)} req/s, ${load.errors} errors`,
    p50: load.p50,
    p95: load.p95,
    baselineP50: percentile(await timeIt(cases[0].direct, 50, 5), 50),
    ratio: load.p50 / percentile(await timeIt(cases[0].direct, 50, 5), 50),
    goal: '≥ 1,500 req/s, no errors',
    met: dialect === 'postgres' ? null : load.rps >= 1500 && load.errors === 0,
  });
  return rows;
}

/** The four cockpit endpoints (cold: computed from the tallies; warm: as served, cached) against direct GROUP BY. */
async function benchDashboard(o: {
  dialect: 'sqlite' | 'postgres';
  database: Database;
  cold: Awaited<ReturnType<typeof buildApp>>;
  app: Awaited<ReturnType<typeof buildApp>>;
  cookieOf: (u: string) => Promise<string>;
  ctxOf: (u: string) => Promise<ActorCtx>;
  runs: number;
}): Promise<Row[]> {
  const { database, dialect } = o;
  const db = database.db;
  const dept = (await db.selectFrom('users').select('department_id').where('username', '=', 'yjj').executeTakeFirstOrThrow()).department_id!;
  const divisions = await departmentDivisions(db, dept);
  const busiest = await db.selectFrom('hazards').select(['enterprise_id', (eb) => eb.fn.countAll<number>().as('n')]).where('district_code', '=', '310115').groupBy('enterprise_id').orderBy(sql`count(*)`, 'desc').limit(1).executeTakeFirstOrThrow();
  const [city, pudong, yjj] = [await o.cookieOf('city'), await o.cookieOf('pudong'), await o.cookieOf('yjj')];
  const ent = await o.ctxOf('pudong');
  const cases = [
    { name: 'D1 city view', cookie: city, url: '/api/dashboard/city', direct: () => directFigures(db, { cityCode: '310000' }, NOW, 'district_code'), goal: 100, times: 5 },
    { name: 'D2 district view (Pudong)', cookie: pudong, url: '/api/dashboard/districts/310115', direct: () => directFigures(db, { cityCode: '310000', districtCode: '310115' }, NOW, 'street_code'), goal: 30, times: 5 },
    { name: 'D3 department view (市应急管理局)', cookie: yjj, url: `/api/dashboard/departments/${dept}`, direct: () => directFigures(db, { cityCode: '310000', industryCodes: divisions }, NOW, 'district_code'), goal: null, times: 5 },
    {
      name: `D4 enterprise view (${Number(busiest.n)} hazards)`,
      cookie: pudong,
      url: `/api/dashboard/enterprises/${busiest.enterprise_id}`,
      direct: () => db.selectFrom('hazards').selectAll().where('enterprise_id', '=', busiest.enterprise_id).execute().then(() => ent),
      goal: null,
      times: null,
    },
  ];
  const rows: Row[] = [];
  const runs = Math.min(o.runs, 50);
  for (const [mode, server] of [['cold', o.cold], ['warm', o.app]] as const) {
    for (const c of cases) {
      const direct = await timeIt(c.direct, Math.min(runs, 10), 2);
      const api = await timeIt(async () => {
        const r = await server.inject({ method: 'GET', url: c.url, headers: { cookie: c.cookie } });
        if (r.statusCode !== 200) throw new Error(`${c.name}: ${r.statusCode} ${r.body.slice(0, 300)}`);
      }, runs, 5);
      const p50 = percentile(api, 50);
      const p95 = percentile(api, 95);
      const base = percentile(direct, 50);
      const goals = [c.goal !== null ? `p95 ≤ ${c.goal} ms` : null, c.times ? `≥ ${c.times}× faster than GROUP BY` : null].filter(Boolean).join(', ');
      rows.push({
        bench: `cockpit @${HAZARDS / 1e6}M (${dialect}, ${mode})`,
        case: c.name,
        p50,
        p95,
        baselineP50: base,
        ratio: p50 / base,
        goal: goals || 'measured for information',
        met: dialect === 'postgres' || (c.goal === null && !c.times) ? null : (c.goal === null || p95 <= c.goal) && (!c.times || base / p50 >= c.times),
      });
    }
  }
  for (const [mode, server] of [['cold', o.cold], ['warm', o.app]] as const) {
    const port = await listening(server);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(import.meta.dirname, 'load.mjs'), `http://127.0.0.1:${port}/api/dashboard/city`, '16', '10', city]);
    const load = JSON.parse(stdout) as { rps: number; errors: number; p50: number; p95: number };
    const base = percentile(await timeIt(cases[0].direct, 5, 1), 50);
    rows.push({
      bench: `cockpit @${HAZARDS / 1e6}M (${dialect}, ${mode})`,
      case: `D1 city view, 16 clients for 10 s: ${Math.round(load.rps)} req/s, ${load.errors} errors`,
      p50: load.p50,
      p95: load.p95,
      baselineP50: base,
      ratio: load.p50 / base,
      // Cold, issue 23's goal 2 is judged by `BENCH_ONLY=reads` (the compiled server as `npm start` runs
      // it, one process and several): here the server runs from source inside the bench's process.
      goal: mode === 'cold' ? '≥ 500 req/s, no errors: judged by BENCH_ONLY=reads (compiled, 1 and 2 processes); here 1 process from source, for information' : '≥ 500 req/s, no errors',
      met: dialect === 'postgres' || mode === 'cold' ? null : load.rps >= 500 && load.errors === 0,
    });
  }
  return rows;
}

/** The whole 1,000,000-row ledger exported as a job (the most an export may hold): time, peak memory, the server meanwhile. */
async function exportEverything(app: Awaited<ReturnType<typeof buildApp>>, city: { cookie: string; ctx: ActorCtx }, dialect: 'sqlite' | 'postgres'): Promise<Row> {
  const dir = mkdtempSync(path.join(tmpdir(), 'zhiben-bench-export-'));
  const ctx = { ...city.ctx, config: { ...city.ctx.config, DATA_DIR: dir } };
  let job: Awaited<ReturnType<typeof startExport>> | null = null;
  const m = await measure(app, city.cookie, async () => {
    job = await startExport(ctx, { kind: 'hazards', filters: { sort: '-foundAt' } }, { wait: true });
  });
  rmSync(dir, { recursive: true, force: true });
  const done = job as Awaited<ReturnType<typeof startExport>> | null;
  return {
    bench: `ledger export @${HAZARDS / 1e6}M (${dialect})`,
    // The process already holds the seeded data set: what the export adds is the peak over the start.
    case: `all ${done?.rowsWritten.toLocaleString()} rows as a job (${((done?.size ?? 0) / 1e6).toFixed(0)} MB), RSS ${m.startMb.toFixed(0)} → peak ${m.peakMb.toFixed(0)} MB (heap + buffers +${m.heldMb.toFixed(0)} MB), other requests p95 ${m.p95.toFixed(0)} ms (max ${m.max.toFixed(0)})`,
    p50: m.ms,
    p95: m.ms,
    baselineP50: m.ms,
    ratio: 1,
    goal: 'completes, adds ≤ 500 MB, others ≤ 200 ms',
    met: done?.status === 'done' && done.rowsWritten === HAZARDS && Math.max(m.peakMb - m.startMb, m.heldMb) <= 500 && m.max <= 200,
  };
}
