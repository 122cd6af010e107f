/**
 * Self-checks at city scale (#14): 200,000 enterprises on one monthly schedule.
 *
 * 1. Generation: `makeRounds` makes one month's 200,000 rounds (and their tallies) in the server's
 *    own process, as the hourly job does, while an enterprise's round list is asked for over HTTP
 *    every 50 ms; then again, when there is nothing to make (every later hour of the month).
 *    Baseline: a plain bulk insert (`insertMany`) of one month's round rows, no checks, no tallies.
 * 2. The stats view over 12 months of rounds (2.4 million: the current month made by `makeRounds`,
 *    eleven earlier ones bulk-inserted with their submissions, then `rebuildSelfCheckTallies`),
 *    grouped by district as the city officer, against the direct GROUP BY over the rounds
 *    (`statsFromRounds`) in the same run — after checking both count the same.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { buildApp } from '../src/server/app';
import { actorFromUser } from '../src/server/auth/actor';
import { loadConfig } from '../src/server/config';
import { systemCtx, type ActorCtx } from '../src/server/context';
import type { Database } from '../src/server/db/database';
import { insertMany, updateMany } from '../src/server/db/dialect';
import { migrateToLatest } from '../src/server/db/migrate';
import type { SelfcheckRoundsTable } from '../src/server/db/schema';
import { makeRounds, newRoundRow, periodOf } from '../src/server/modules/selfchecks/rounds';
import { monthsOf, selfCheckStats, statsFromRounds } from '../src/server/modules/selfchecks/stats';
import { rebuildSelfCheckTallies } from '../src/server/modules/selfchecks/tallies';
import { ensureAdmin } from '../src/server/seed/bootstrap';
import { demoEnterprises, enterpriseRow, loadDemoCity } from '../src/server/seed/demo';
import { loadReferenceData } from '../src/server/seed/reference';
import { addDays, shanghaiDate } from '../src/shared/dates';
import { SelfCheckStatsQuery } from '../src/shared/contracts/checklists';
import { benchDataDir, percentile, timeIt, type Row } from './stats';
import { openBenchDatabase } from './database';

const ENTERPRISES = Number(process.env.BENCH_ENTERPRISES ?? 200_000);
const PASSWORD = 'Bench-pass-2026';
// Sunday 29 November 2026, noon in Shanghai: the month's rounds are due on the 30th.
const NOW = new Date('2026-11-29T04:00:00Z');
const CHUNK = 20_000;

type Ent = { id: string; city_code: string; district_code: string; street_code: string | null; industry_code: string; principal_name: string };

const open = (dialect: 'sqlite' | 'postgres') => openBenchDatabase(dialect, 'zhiben_bench_selfchecks');

/** A deterministic fraction in [0, 1) for an enterprise and a month. */
function chance(i: number, month: number, salt: number): number {
  let h = Math.imul(i ^ Math.imul(month + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b), 0xcc9e2d51);
  h = Math.imul(h ^ (h >>> 15), 0x1b873593);
  return ((h ^ (h >>> 13)) >>> 0) / 2 ** 32;
}

/** The enterprises, a checklist and one monthly schedule over all of them, bulk-loaded. */
async function seed(database: Database) {
  const { db, dialect } = database;
  const config = loadConfig({ ZHIBEN_ADMIN_PASSWORD: PASSWORD, ZHIBEN_DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', DATA_DIR: benchDataDir() });
  await migrateToLatest(database);
  await loadReferenceData(db, NOW.toISOString());
  const ctx = systemCtx({ db, dialect, config, now: () => NOW });
  await ensureAdmin(ctx);
  await loadDemoCity(ctx, { password: PASSWORD, count: 10, hazards: 0 });
  const at = NOW.toISOString();
  // The demo already holds the first 10; the rest come from the same generator (real districts, streets, industries).
  const rows = demoEnterprises(ENTERPRISES).slice(10).map((e) => enterpriseRow(e, '310000', at));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await insertMany(trx, dialect, 'enterprises', rows.slice(i, i + CHUNK));
  });
  const city = await db.selectFrom('users').select('id').where('username', '=', 'city').executeTakeFirstOrThrow();
  const checklistId = uuidv7();
  const scheduleId = uuidv7();
  const enterprises = await db.selectFrom('enterprises').select('id').execute();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('checklists').values({ id: checklistId, city_code: '310000', owner_level: 'city', owner_id: '310000', title: '企业安全生产月度自查表', industry_codes: '[]', enterprise_kinds: '[]', standard_id: null, version: 1, created_by: city.id, created_at: at, updated_at: at }).execute();
    const items = ['安全生产责任制是否落实到岗位', '特种作业人员是否持证上岗', '消防通道是否畅通', '配电箱是否接地、无破损', '危险化学品是否按规定储存', '应急预案是否演练', '安全警示标志是否齐全', '隐患整改是否按期完成'];
    await trx.insertInto('checklist_items').values(items.map((text, seq) => ({ id: uuidv7(), checklist_id: checklistId, version: 1, seq: seq + 1, text, category: '综合', clause_id: null }))).execute();
    await trx.insertInto('selfcheck_schedules').values({ id: scheduleId, city_code: '310000', checklist_id: checklistId, owner_level: 'city', owner_id: '310000', frequency: 'monthly', start_date: '2025-12-01', filter_json: '{}', created_by: city.id, created_at: '2025-12-01T00:00:00.000Z' }).execute();
    for (let i = 0; i < enterprises.length; i += CHUNK) await insertMany(trx, dialect, 'selfcheck_schedule_targets', enterprises.slice(i, i + CHUNK).map((e) => ({ schedule_id: scheduleId, enterprise_id: e.id })));
    await trx
      .insertInto('selfcheck_enterprises')
      .columns(['enterprise_id', 'city_code', 'district_code', 'street_code', 'industry_code', 'first_scheduled_at'])
      .expression((eb) => eb.selectFrom('enterprises').select((x) => ['id', 'city_code', 'district_code', x.fn.coalesce('street_code', sql.lit('')).as('street_code'), 'industry_code', sql.lit('2025-12-01T00:00:00.000Z').as('at')]))
      .execute();
    await rebuildSelfCheckTallies(trx, dialect);
  });
  await analyze(database);
  return { config, count: enterprises.length, checklistId, scheduleId };
}

const analyze = (database: Database) => sql.raw(database.dialect === 'postgres' ? 'vacuum analyze' : 'analyze').execute(database.db);

/** Runs `fn` while `probe` is timed every ~50 ms, and the event loop's longest stall is watched (a 10 ms timer's longest gap). */
async function whileProbing<T>(probe: () => Promise<void>, fn: () => Promise<T>) {
  // From a collected heap (npm run bench exposes gc): the data set built above is not the job's garbage.
  (globalThis as { gc?: () => void }).gc?.();
  const latencies: number[] = [];
  let running = true;
  let [last, stall] = [performance.now(), 0];
  const ticker = setInterval(() => {
    const t = performance.now();
    stall = Math.max(stall, t - last);
    last = t;
  }, 10);
  const sampler = (async () => {
    while (running) {
      const t0 = performance.now();
      await probe();
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  running = false;
  await sampler;
  clearInterval(ticker);
  stall = Math.max(stall, performance.now() - last);
  return { result, ms, probes: latencies.length, p95: percentile(latencies, 95), max: Math.max(...latencies), stall };
}

/** One month's rounds for every enterprise, as rows: submitted on time, late, or not at all, some with findings. */
function monthRows(o: { enterprises: Ent[]; month: number; key: string; scheduleId: string; checklistId: string; today: string }): SelfcheckRoundsTable[] {
  const period = periodOf('monthly', `${o.key}-01`);
  const created = new Date(`${period.start}T00:00:00+08:00`).toISOString();
  return o.enterprises.map((e, i) => {
    const r = chance(i, o.month, 1);
    // 78% on time (some day of the month), 10% late (1–20 days after), 12% never done; done late only after the due date has passed.
    const onTime = r < 0.78;
    const late = !onTime && r < 0.88 && addDays(period.due, 1) < o.today;
    const day = onTime ? addDays(period.start, Math.floor(chance(i, o.month, 2) * 28)) : late ? addDays(period.due, 1 + Math.floor(chance(i, o.month, 3) * 20)) : null;
    const submitted = day && day < o.today ? new Date(`${day}T10:${String(i % 60).padStart(2, '0')}:00+08:00`).toISOString() : null;
    // 15% of the rounds done find 1–3 hazards.
    const f = chance(i, o.month, 4);
    const findings = submitted ? (f < 0.15 ? 1 + Math.floor(f * 20) : 0) : null;
    return {
      ...newRoundRow(e, { id: o.scheduleId, checklist_id: o.checklistId, version: 1 }, period, created),
      submitted_at: submitted,
      version: submitted ? 2 : 1,
      signed_by_name: submitted ? e.principal_name : null,
      signed_by_role: submitted ? '主要负责人' : null,
      findings,
    };
  });
}

export async function benchSelfChecks(dialect: 'sqlite' | 'postgres'): Promise<Row[]> {
  const { database, cleanup } = await open(dialect);
  const { db } = database;
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    let t0 = performance.now();
    const { config, count, checklistId, scheduleId } = await seed(database);
    console.log(`  ${dialect}: seeded ${count.toLocaleString()} enterprises, a checklist and a monthly schedule over all of them in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const label = `self-checks @${ENTERPRISES / 1000}k enterprises (${dialect})`;
    const rows: Row[] = [];

    // The server and the job in one process, as in production (server.ts runs makeRounds hourly).
    const server = (app = await buildApp({ config, database, logger: false, serveWeb: false, now: () => NOW }));
    await server.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
    const cookieOf = async (username: string) => {
      const r = await server.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
      return `zhiben_session=${r.cookies.find((c) => c.name === 'zhiben_session')!.value}`;
    };
    const get = async (url: string, cookie: string) => {
      const r = await fetch(`${base}${url}`, { headers: { cookie } });
      if (r.status !== 200) throw new Error(`${url}: ${r.status} ${(await r.text()).slice(0, 300)}`);
      return r.json() as Promise<unknown>;
    };
    // The other request: an enterprise's own round list (session, scope, the rounds table, JSON), cheap in itself.
    const entPd = await cookieOf('ent-pd');
    const probe = async () => void (await get('/api/selfchecks?pageSize=20', entPd));

    // 1. One month's rounds for 200,000 enterprises, then the same job again with nothing to make.
    await timeIt(probe, 0, 5);
    // The same probing with nothing else running: what this machine itself answers (and stalls) meanwhile.
    const quiet = await whileProbing(probe, () => new Promise((resolve) => setTimeout(resolve, 3000)));
    const made = await whileProbing(probe, () => makeRounds(database, NOW));
    const again = await whileProbing(probe, () => makeRounds(database, NOW));
    if (made.result !== count || again.result !== 0) throw new Error(`makeRounds made ${made.result} then ${again.result} rounds for ${count} enterprises`);
    const today = shanghaiDate(NOW);
    const nowMonth = Number(today.slice(5, 7)) + Number(today.slice(0, 4)) * 12 - 1;
    const keyOf = (m: number) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;

    // 2. The eleven months before, bulk-inserted with their submissions (each month timed: the generation's baseline).
    const enterprises: Ent[] = await db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'principal_name']).orderBy('id').execute();
    const inserts: number[] = [];
    for (let m = nowMonth - 11; m < nowMonth; m++) {
      const month = monthRows({ enterprises, month: m, key: keyOf(m), scheduleId, checklistId, today });
      t0 = performance.now();
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < month.length; i += CHUNK) await insertMany(trx, dialect, 'selfcheck_rounds', month.slice(i, i + CHUNK));
      });
      inserts.push(performance.now() - t0);
    }
    // This month's rounds (made above): those done so far, as submission would leave them.
    const current = new Map(monthRows({ enterprises, month: nowMonth, key: keyOf(nowMonth), scheduleId, checklistId, today }).map((r) => [r.enterprise_id, r]));
    const mine = await db.selectFrom('selfcheck_rounds').select(['id', 'enterprise_id']).where('period', '=', keyOf(nowMonth)).execute();
    const done = mine.flatMap(({ id, enterprise_id }) => {
      const r = current.get(enterprise_id)!;
      return r.submitted_at ? [{ id, submitted_at: r.submitted_at, signed_by_name: r.signed_by_name, signed_by_role: r.signed_by_role, findings: r.findings, version: 2 }] : [];
    });
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < done.length; i += CHUNK) await updateMany(trx, dialect, 'selfcheck_rounds', 'id', done.slice(i, i + CHUNK));
    });
    t0 = performance.now();
    const counted = await db.transaction().execute((trx) => rebuildSelfCheckTallies(trx, dialect));
    const rebuildMs = performance.now() - t0;
    await analyze(database);
    console.log(`  ${dialect}: ${counted.toLocaleString()} rounds over 12 months (11 bulk-inserted, ${done.length.toLocaleString()} of this month's submitted); tallies rebuilt in ${(rebuildMs / 1000).toFixed(1)} s`);

    rows.push({
      bench: label,
      case: `G1 makeRounds, one month (${made.result.toLocaleString()} rounds + tallies); an enterprise's round list every 50 ms meanwhile: ${made.probes} answered, p95 ${made.p95.toFixed(0)} ms, max ${made.max.toFixed(0)} ms, longest event-loop stall ${made.stall.toFixed(0)} ms (3 s with no job: p95 ${quiet.p95.toFixed(0)} ms, max ${quiet.max.toFixed(0)} ms, stall ${quiet.stall.toFixed(0)} ms); baseline bulk insert of a month`,
      p50: made.ms,
      p95: made.ms,
      baselineP50: percentile(inserts, 50),
      ratio: made.ms / percentile(inserts, 50),
      goal: '≤ 30 s, others ≤ 200 ms',
      met: dialect === 'postgres' ? null : made.ms <= 30_000 && made.max <= 200,
    });
    rows.push({
      bench: label,
      case: `G2 makeRounds again, nothing to make (every later hour); round list: p95 ${again.p95.toFixed(0)} ms, max ${again.max.toFixed(0)} ms, longest stall ${again.stall.toFixed(0)} ms`,
      p50: again.ms,
      p95: again.ms,
      baselineP50: percentile(inserts, 50),
      ratio: again.ms / percentile(inserts, 50),
      goal: 'others ≤ 200 ms',
      met: dialect === 'postgres' ? null : again.max <= 200,
    });

    // The stats view against the direct GROUP BY, after checking they count the same.
    const user = await db.selectFrom('users').selectAll().where('username', '=', 'city').executeTakeFirstOrThrow();
    const ctx: ActorCtx = { ...systemCtx({ db, dialect, config, now: () => NOW }), actor: await actorFromUser(db, user, 'session') };
    const query = SelfCheckStatsQuery.parse({ groupBy: 'district' });
    const span = monthsOf(query, today);
    const stats = await selfCheckStats(ctx, query);
    const direct = await statsFromRounds(ctx, query, span);
    const sum = (k: 'rounds' | 'onTime' | 'late' | 'withFindings' | 'hazards') => direct.reduce((n, x) => n + x[k], 0);
    for (const k of ['rounds', 'onTime', 'late', 'withFindings', 'hazards'] as const) {
      if (stats.total[k] !== sum(k)) throw new Error(`stats ${k}: tallies ${stats.total[k]}, rounds ${sum(k)}`);
    }
    if (stats.rows.length !== 16 || stats.total.rounds !== 12 * count) throw new Error(`stats: ${stats.rows.length} districts, ${stats.total.rounds} rounds`);
    const city = await cookieOf('city');
    const baseline = await timeIt(() => statsFromRounds(ctx, query, span), 5, 1);
    const runs = Math.max(30, Number(process.env.BENCH_RUNS ?? 50));
    const fromTallies = await timeIt(() => selfCheckStats(ctx, query), runs, 5);
    const api = await timeIt(() => get('/api/selfchecks/stats?groupBy=district', city), runs, 5);
    const t = stats.total;
    const what = `${t.rounds.toLocaleString()} rounds: ${t.onTime.toLocaleString()} on time, ${t.late.toLocaleString()} late, ${t.overdue.toLocaleString()} overdue, ${t.withFindings.toLocaleString()} with findings`;
    for (const [name, samples] of [[`S1 GET /api/selfchecks/stats?groupBy=district as the city officer (${what}); baseline statsFromRounds (direct GROUP BY)`, api], ['S2 selfCheckStats itself (no HTTP)', fromTallies]] as const) {
      const p50 = percentile(samples, 50);
      const p95 = percentile(samples, 95);
      rows.push({
        bench: label,
        case: name,
        p50,
        p95,
        baselineP50: percentile(baseline, 50),
        ratio: p50 / percentile(baseline, 50),
        goal: 'p95 ≤ 100 ms, ≥ 5× faster than GROUP BY',
        met: dialect === 'postgres' ? null : p95 <= 100 && percentile(baseline, 50) / p50 >= 5,
      });
    }
    // Why the other request above is an enterprise's: an officer's round list counts every round of its scope.
    const pudong = await cookieOf('pudong');
    const list = await timeIt(() => get('/api/selfchecks?pageSize=20', pudong), 10, 2);
    rows.push({ bench: label, case: 'L1 GET /api/selfchecks?pageSize=20 as a district officer (Pudong), 12 months of rounds', p50: percentile(list, 50), p95: percentile(list, 95), baselineP50: percentile(list, 50), ratio: 1, goal: 'measured for information', met: null });
    return rows;
  } finally {
    await app?.close();
    await database.close();
    await cleanup();
  }
}
