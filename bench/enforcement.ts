/**
 * Enforcement at city scale (#15): 200,000 enterprises, 20 active inspectors per district, 2,000
 * declared conflicts of interest, 300,000 finished inspections (January 2025 to yesterday, leaning
 * to the present, each by two of its district's inspectors) whose findings are 600,000 of the
 * ledger's 1,000,000 hazards, and key units in every district — all bulk-loaded, tallies rebuilt.
 *
 * 1. 双随机: the city officer draws 500 enterprises from the whole city (2 inspectors each, the
 *    conflict and recent-inspector checks included), several times; each draw then replayed.
 *    Baseline: reading the pool's sorted ids alone (`select id from enterprises order by id`).
 * 2. The quarterly bulletin (`enforcementBulletin`) for a district officer and for the city, against
 *    the direct GROUP BY over the quarter's inspections in the same run — after checking both count
 *    the same inspections.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { actorFromUser } from '../src/server/auth/actor';
import { loadConfig } from '../src/server/config';
import { systemCtx, type ActorCtx } from '../src/server/context';
import type { Database } from '../src/server/db/database';
import { insertMany } from '../src/server/db/dialect';
import { reserveHazardNums } from '../src/server/db/hazard-numbers';
import { migrateToLatest } from '../src/server/db/migrate';
import type { HazardOriginsTable, HazardsTable, InspectionInspectorsTable, InspectionsTable } from '../src/server/db/schema';
import { createDraw, replayDraw } from '../src/server/modules/enforcement/draws';
import { enforcementBulletin } from '../src/server/modules/enforcement/stats';
import { quarterSpan, rebuildEnforcementTallies } from '../src/server/modules/enforcement/tallies';
import { ensureAdmin } from '../src/server/seed/bootstrap';
import { demoEnterprises, enterpriseRow, loadDemoCity } from '../src/server/seed/demo';
import { mulberry32 } from '../src/server/seed/demo-hazards';
import { loadReferenceData } from '../src/server/seed/reference';
import { DrawInput, StatsQuery, type InspectionType } from '../src/shared/contracts/enforcement';
import { addDays } from '../src/shared/dates';
import { benchDataDir, percentile, timeIt, type Row } from './stats';
import { openBenchDatabase } from './database';

const ENTERPRISES = Number(process.env.BENCH_ENTERPRISES ?? 200_000);
const INSPECTIONS = Number(process.env.BENCH_INSPECTIONS ?? 300_000);
const HAZARDS = Number(process.env.BENCH_HAZARDS ?? 1_000_000);
/** Hazards found by the inspections (the rest came from self-checks, tips and others). */
const FINDINGS = Math.round(HAZARDS * 0.6);
const INSPECTORS_PER_DISTRICT = 20;
const CONFLICTS = 2_000;
const KEY_UNITS_PER_DISTRICT = 500;
const DRAWS = 7;
const PASSWORD = 'Bench-pass-2026';
// Sunday 29 November 2026, noon in Shanghai: today's draws; the last whole quarter is 2026Q3.
const NOW = new Date('2026-11-29T04:00:00Z');
const TODAY = '2026-11-29';
const QUARTER = '2026Q3';
const FIRST_DAY = '2025-01-01';
const CHUNK = 20_000;
const SCHEMA = 'zhiben_bench_enforcement';

const TYPES: [InspectionType, number][] = [
  ['planned', 0.45],
  ['random', 0.2],
  ['tip', 0.12],
  ['complaint', 0.08],
  ['campaign', 0.1],
  ['follow_up', 0.05],
];
const OTHER_SOURCES = ['self_check', 'routine_inspection', 'tip', 'third_party', 'expert_inspection'] as const;

const open = (dialect: 'sqlite' | 'postgres') => openBenchDatabase(dialect, SCHEMA);

const analyze = (database: Database) => sql.raw(database.dialect === 'postgres' ? 'vacuum analyze' : 'analyze').execute(database.db);

function pick<T>(r: () => number, items: readonly [T, number][]): T {
  let x = r();
  for (const [v, w] of items) {
    if ((x -= w) < 0) return v;
  }
  return items[items.length - 1][0];
}

/**
 * Drops the tables' secondary indexes (not their keys), answering a function that creates them again
 * from their own definitions, so the schema ends as migrated.
 */
async function dropIndexes(database: Database, tables: string[]): Promise<() => Promise<number>> {
  const { db, dialect } = database;
  const names = sql.join(tables);
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ name: string; def: string }>`select name, sql as def from sqlite_master where type = 'index' and sql is not null and tbl_name in (${names})`.execute(db)
      : await sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes where schemaname = current_schema() and tablename in (${names}) and indexname not in (select conname from pg_constraint)`.execute(db);
  for (const r of rows) await sql`drop index ${sql.ref(r.name)}`.execute(db);
  return async () => {
    for (const r of rows) await sql.raw(r.def).execute(db);
    return rows.length;
  };
}

/** Inserts rows in chunks, in one transaction. */
async function bulk(database: Database, table: Parameters<typeof insertMany>[2], rows: readonly object[]) {
  await database.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await insertMany(trx, database.dialect, table, rows.slice(i, i + CHUNK));
  });
}

/** A hazard found on `date` at an enterprise, closed or still open as a ledger of that age shows. */
function hazardRow(r: () => number, o: { id: string; num: number; code: string; ent: Ent; date: string; source: HazardsTable['source']; major: boolean }): HazardsTable {
  const found = Date.parse(`${o.date}T02:00:00.000Z`);
  const age = (Date.parse(TODAY) - Date.parse(o.date)) / 86_400_000;
  const open = r() < (o.major ? (age < 90 ? 0.6 : 0.08) : age < 30 ? 0.55 : age < 180 ? 0.12 : 0.03);
  const voided = !open && r() < 0.01;
  const deadline = addDays(o.date, o.major ? 60 : 20);
  const closedOn = addDays(o.date, Math.floor(1 + r() * 25));
  const status: HazardsTable['status'] = voided ? 'voided' : open ? (r() < 0.8 ? 'rectifying' : 'pending_acceptance') : 'closed';
  const yesterday = addDays(TODAY, -1);
  const closed = status === 'closed' ? Date.parse(`${closedOn < yesterday ? closedOn : yesterday}T08:00:00.000Z`) : null;
  return {
    id: o.id,
    num: o.num,
    code: o.code,
    city_code: o.ent.city_code,
    district_code: o.ent.district_code,
    street_code: o.ent.street_code,
    enterprise_id: o.ent.id,
    industry_code: o.ent.industry_code,
    department_id: null,
    description: o.major ? '危险化学品储存场所未设置泄漏收集设施' : '消防通道局部堆放杂物',
    location: o.major ? '化学品库' : '一层仓库',
    lng: null,
    lat: null,
    category: null,
    grade: o.major ? 'major' : 'general',
    source: o.source,
    found_by_name: o.source === 'self_check' ? '企业安全员' : '执法大队',
    found_at: found,
    reported_by: null,
    deadline,
    responsible_name: null,
    responsible_phone: null,
    plan_json: null,
    supervision_level: 'none',
    status,
    version: status === 'closed' ? 4 : 2,
    closed_at: closed,
    search_tokens: '',
    created_at: found,
    updated_at: closed ?? found,
    submitted_by: null,
    first_accepted_by: null,
  };
}

type Ent = { id: string; city_code: string; district_code: string; street_code: string | null; industry_code: string };

/** The city, its inspectors, conflicts, inspections, ledger and key units, bulk-loaded; tallies rebuilt. */
async function seed(database: Database) {
  const { db, dialect } = database;
  const config = loadConfig({ ZHIBEN_ADMIN_PASSWORD: PASSWORD, ZHIBEN_DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', DATA_DIR: benchDataDir() });
  // SQLite: a large page cache while loading (a million hazards under a dozen indexes), the server's own after.
  const cache = dialect === 'sqlite' ? (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0].cache_size : 0;
  if (dialect === 'sqlite') await sql`pragma cache_size = -1048576`.execute(db);
  await migrateToLatest(database);
  await loadReferenceData(db, NOW.toISOString());
  const ctx = systemCtx({ db, dialect, config, now: () => NOW });
  await ensureAdmin(ctx);
  await loadDemoCity(ctx, { password: PASSWORD, count: 10, hazards: 0 });
  const at = NOW.toISOString();
  const r = mulberry32(15);
  const stage = (what: string, t0: number) => console.log(`    ${dialect}: ${what} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // The bulk-loaded tables' own indexes are built again after the load: one sort each, not a million random inserts.
  const rebuildIndexes = await dropIndexes(database, ['enterprises', 'inspections', 'inspection_inspectors', 'hazards', 'hazard_origins']);
  let t0 = performance.now();
  await bulk(database, 'enterprises', demoEnterprises(ENTERPRISES).slice(10).map((e) => enterpriseRow(e, '310000', at)));
  const enterprises: Ent[] = await db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code']).orderBy('id').execute();
  const byDistrict = new Map<string, Ent[]>();
  for (const e of enterprises) {
    const list = byDistrict.get(e.district_code);
    if (list) list.push(e);
    else byDistrict.set(e.district_code, [e]);
  }
  stage(`${enterprises.length.toLocaleString()} enterprises`, t0);

  // 20 active inspectors per district (rows written directly: a password hash is of no use here).
  const districts = (await db.selectFrom('regions').select('code').where('level', '=', 'district').orderBy('code').execute()).map((x) => x.code);
  const inspectors = new Map<string, string[]>();
  const users = districts.flatMap((d) => {
    const ids = Array.from({ length: INSPECTORS_PER_DISTRICT }, () => uuidv7());
    inspectors.set(d, ids);
    return ids.map((id, k) => ({
      id,
      username: `bench-inspector-${d}-${k + 1}`,
      display_name: `${d} 执法大队 ${k + 1} 号`,
      role: 'inspector',
      region_code: d,
      city_code: '310000',
      district_code: d,
      street_code: null,
      department_id: null,
      enterprise_id: null,
      password_hash: '-',
      status: 'active',
      must_change_password: 0,
      failed_logins: 0,
      locked_until: null,
      last_login_at: null,
      version: 1,
      created_at: at,
      updated_at: at,
    }));
  });
  await bulk(database, 'users', users);
  const city = await db.selectFrom('users').select('id').where('username', '=', 'city').executeTakeFirstOrThrow();

  // Declared conflicts: an inspector and an enterprise of their district.
  const conflicts = new Map<string, object>();
  while (conflicts.size < CONFLICTS) {
    const e = enterprises[Math.floor(r() * enterprises.length)];
    const pool = inspectors.get(e.district_code)!;
    const u = pool[Math.floor(r() * pool.length)];
    conflicts.set(`${u}|${e.id}`, { id: uuidv7(), city_code: '310000', user_id: u, enterprise_id: e.id, reason: '近亲属在该企业任职', declared_by: city.id, declared_at: at });
  }
  await bulk(database, 'inspector_conflicts', [...conflicts.values()]);

  // Inspections: dates lean to the present (more enforcement as the campaign goes on).
  t0 = performance.now();
  const span = (Date.parse(TODAY) - Date.parse(FIRST_DAY)) / 86_400_000;
  const days = Array.from({ length: span }, (_, k) => addDays(FIRST_DAY, k));
  const seqs = new Map<string, number>();
  const nextCode = (kind: string, district: string, year: string) => {
    const key = `${kind}|${district}|${year}`;
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    return `${kind}-${district}-${year}-${String(seq).padStart(6, '0')}`;
  };
  const inspections: (InspectionsTable & { ent: Ent })[] = [];
  const people: InspectionInspectorsTable[] = [];
  for (let k = 0; k < INSPECTIONS; k++) {
    const ent = enterprises[Math.floor(r() * enterprises.length)];
    const date = days[Math.floor(Math.sqrt(r()) * days.length)];
    const pool = inspectors.get(ent.district_code)!;
    const a = Math.floor(r() * pool.length);
    const b = (a + 1 + Math.floor(r() * (pool.length - 1))) % pool.length;
    const id = uuidv7();
    const t = `${date}T01:30:00.000Z`;
    inspections.push({
      ent,
      id,
      code: nextCode('JC', ent.district_code, date.slice(0, 4)),
      city_code: ent.city_code,
      district_code: ent.district_code,
      street_code: ent.street_code,
      industry_code: ent.industry_code,
      enterprise_id: ent.id,
      type: pick(r, TYPES),
      status: 'finished',
      unannounced: r() < 0.3 ? 1 : 0,
      date,
      checklist_id: null,
      checklist_version: null,
      draw_id: null,
      follows_id: null,
      note: null,
      signed_by: '企业主要负责人',
      refused: 0,
      sign_note: null,
      findings: 0,
      major_findings: 0,
      started_at: t,
      finished_at: `${date}T05:00:00.000Z`,
      created_by: city.id,
      created_at: t,
      updated_at: t,
      version: 3,
    });
    people.push({ inspection_id: id, user_id: pool[a], seq: 0 }, { inspection_id: id, user_id: pool[b], seq: 1 });
  }
  // Which inspection found each of the findings (so the inspections' counts are known before they are written).
  const foundBy = new Int32Array(FINDINGS);
  const major = new Uint8Array(FINDINGS);
  for (let h = 0; h < FINDINGS; h++) {
    const i = inspections[(foundBy[h] = Math.floor(r() * INSPECTIONS))];
    major[h] = r() < 0.04 ? 1 : 0;
    i.findings++;
    i.major_findings += major[h];
  }
  for (let i = 0; i < inspections.length; i += CHUNK) {
    await bulk(database, 'inspections', inspections.slice(i, i + CHUNK).map(({ ent: _, ...row }) => row));
  }
  await bulk(database, 'inspection_inspectors', people);
  const counters = [...seqs].map(([key, seq]) => {
    const [kind, district_code, year] = key.split('|');
    return { kind, district_code, year: Number(year), seq };
  });
  await bulk(database, 'record_code_counters', counters);
  stage(`${INSPECTIONS.toLocaleString()} inspections with ${people.length.toLocaleString()} inspectors`, t0);

  // The ledger: the inspections' findings (with their origin), then hazards from other sources, in batches.
  t0 = performance.now();
  const hazardSeqs = new Map<string, number>();
  const hazardCode = (district: string, year: string) => {
    const key = `${district}|${year}`;
    const seq = (hazardSeqs.get(key) ?? 0) + 1;
    hazardSeqs.set(key, seq);
    return `YH-${district}-${year}-${String(seq).padStart(7, '0')}`;
  };
  const ledgerStart = Date.parse('2023-01-01');
  const ledgerDays = (Date.parse(TODAY) - ledgerStart) / 86_400_000;
  const BATCH = 100_000;
  for (let done = 0; done < HAZARDS; done += BATCH) {
    const hazards: HazardsTable[] = [];
    const origins: HazardOriginsTable[] = [];
    const nums = await reserveHazardNums(database.db, dialect, Math.min(HAZARDS, done + BATCH) - done);
    for (let h = done; h < Math.min(HAZARDS, done + BATCH); h++) {
      const id = uuidv7();
      const num = nums[h - done];
      if (h < FINDINGS) {
        const i = inspections[foundBy[h]];
        hazards.push(hazardRow(r, { id, num, code: hazardCode(i.district_code, i.date.slice(0, 4)), ent: i.ent, date: i.date, source: 'enforcement_inspection', major: major[h] === 1 }));
        origins.push({ hazard_id: id, origin_type: 'inspection', origin_id: i.id, origin_item_id: null, created_at: `${i.date}T02:00:00.000Z` });
      } else {
        const ent = enterprises[Math.floor(r() * enterprises.length)];
        const date = addDays('2023-01-01', Math.floor(Math.sqrt(r()) * ledgerDays));
        hazards.push(hazardRow(r, { id, num, code: hazardCode(ent.district_code, date.slice(0, 4)), ent, date, source: OTHER_SOURCES[Math.floor(r() * OTHER_SOURCES.length)], major: r() < 0.03 }));
      }
    }
    await database.db.transaction().execute(async (trx) => {
      // The ledger is full-text indexed: SQLite takes its rows best in statements of 5,000 (dialect.ts).
      for (let i = 0; i < hazards.length; i += 5000) await insertMany(trx, dialect, 'hazards', hazards.slice(i, i + 5000));
      for (let i = 0; i < origins.length; i += CHUNK) await insertMany(trx, dialect, 'hazard_origins', origins.slice(i, i + CHUNK));
    });
  }
  await bulk(
    database,
    'hazard_code_counters',
    [...hazardSeqs].map(([key, seq]) => ({ district_code: key.split('|')[0], year: Number(key.split('|')[1]), seq })),
  );
  stage(`${HAZARDS.toLocaleString()} hazards (${FINDINGS.toLocaleString()} found by the inspections)`, t0);
  t0 = performance.now();
  const indexes = await rebuildIndexes();
  stage(`${indexes} indexes built again`, t0);

  // This year's key units: some of each district's enterprises.
  const keyUnits = [...byDistrict.values()].flatMap((ents) =>
    ents.filter((_, k) => k % Math.max(1, Math.floor(ents.length / KEY_UNITS_PER_DISTRICT)) === 0).slice(0, KEY_UNITS_PER_DISTRICT).map((e) => ({ district_code: e.district_code, year: 2026, enterprise_id: e.id, city_code: e.city_code, added_by: city.id, added_at: at })),
  );
  await bulk(database, 'key_units', keyUnits);

  t0 = performance.now();
  await db.transaction().execute((trx) => rebuildEnforcementTallies(trx, dialect));
  const rebuildMs = performance.now() - t0;
  await analyze(database);
  if (dialect === 'sqlite') await sql.raw(`pragma cache_size = ${cache}`).execute(db);
  const recent = inspections.filter((i) => i.date >= '2025-11-29').length;
  return { config, enterprises: enterprises.length, recent, keyUnits: keyUnits.length, rebuildMs };
}

/** The bulletin's inspection counts straight from the quarter's inspections. */
async function directCounts(ctx: ActorCtx, from: string, to: string, district: string | null) {
  const { rows } = await sql<Record<string, number | string | null>>`
    select count(*) as inspections,
      sum(case when type in ('planned', 'random') then 1 else 0 end) as planned,
      sum(case when type in ('planned', 'random') then 0 else 1 end) as triggered,
      sum(unannounced) as unannounced, sum(findings) as hazards, sum(major_findings) as major_hazards
    from inspections
    where city_code = ${ctx.actor.cityCode} and status = 'finished' and date >= ${from} and date <= ${to}
      ${district ? sql`and district_code = ${district}` : sql``}`.execute(ctx.db);
  const n = (k: string) => Number(rows[0][k] ?? 0);
  return { inspections: n('inspections'), planned: n('planned'), triggered: n('triggered'), unannounced: n('unannounced'), hazards: n('hazards'), majorHazards: n('major_hazards') };
}

export async function benchEnforcement(dialect: 'sqlite' | 'postgres'): Promise<Row[]> {
  const { database, cleanup } = await open(dialect);
  const { db } = database;
  try {
    const t0 = performance.now();
    const seeded = await seed(database);
    console.log(
      `  ${dialect}: seeded ${seeded.enterprises.toLocaleString()} enterprises, ${INSPECTORS_PER_DISTRICT} inspectors per district, ${CONFLICTS.toLocaleString()} conflicts, ${INSPECTIONS.toLocaleString()} inspections (${seeded.recent.toLocaleString()} in the last 12 months), ${HAZARDS.toLocaleString()} hazards, ${seeded.keyUnits.toLocaleString()} key units in ${((performance.now() - t0) / 1000).toFixed(0)} s (tallies rebuilt in ${(seeded.rebuildMs / 1000).toFixed(1)} s)`,
    );
    const label = `enforcement @${ENTERPRISES / 1000}k enterprises (${dialect})`;
    const ctxOf = async (username: string): Promise<ActorCtx> => {
      const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
      return { ...systemCtx({ db, dialect, config: seeded.config, now: () => NOW }), actor: await actorFromUser(db, user, 'session') };
    };
    const city = await ctxOf('city');
    const pudong = await ctxOf('pudong');
    const rows: Row[] = [];

    // 1. Draws over the whole city, each replayed.
    const pool = await timeIt(() => db.selectFrom('enterprises').select('id').orderBy('id').execute(), DRAWS, 1);
    const input = DrawInput.parse({ count: 500, inspectorsPerInspection: 2, title: '全市双随机抽查（基准）' });
    const draws: number[] = [];
    const replays: number[] = [];
    let excluded = { conflict: 0, recent: 0 };
    for (let k = 0; k < DRAWS; k++) {
      let t = performance.now();
      const d = await createDraw(city, input);
      draws.push(performance.now() - t);
      if (d.enterprises.length !== 500 || d.poolSize !== seeded.enterprises || d.assignments.some((x) => x.inspectorIds.length !== 2 || !x.inspectionId)) {
        throw new Error(`draw ${k + 1}: ${d.enterprises.length} enterprises from a pool of ${d.poolSize}`);
      }
      excluded = { conflict: excluded.conflict + d.excluded.filter((x) => x.reason === 'conflict').length, recent: excluded.recent + d.excluded.filter((x) => x.reason === 'recent').length };
      t = performance.now();
      const again = await replayDraw(city, d.id);
      replays.push(performance.now() - t);
      if (!again.matches) throw new Error(`draw ${k + 1}: replay does not match (${JSON.stringify({ pool: again.poolMatches, seed: again.seedMatches, result: again.resultMatches })})`);
    }
    const base = percentile(pool, 50);
    rows.push({
      bench: label,
      case: `D1 createDraw as the city officer: 500 of ${seeded.enterprises.toLocaleString()}, 2 inspectors each, ${DRAWS} draws (p95 = max; drawn left out: ${(excluded.conflict / DRAWS).toFixed(1)} conflicts, ${(excluded.recent / DRAWS).toFixed(0)} recent per draw); baseline select id … order by id`,
      p50: percentile(draws, 50),
      p95: Math.max(...draws),
      baselineP50: base,
      ratio: percentile(draws, 50) / base,
      goal: '≤ 1 s',
      met: dialect === 'postgres' ? null : Math.max(...draws) <= 1000,
    });
    rows.push({
      bench: label,
      case: `D2 replayDraw of each (all ${DRAWS} match)`,
      p50: percentile(replays, 50),
      p95: Math.max(...replays),
      baselineP50: base,
      ratio: percentile(replays, 50) / base,
      goal: 'measured for information',
      met: null,
    });

    // 2. The quarterly bulletin against the direct GROUP BY, after checking they count the same.
    const { from, to } = quarterSpan(QUARTER);
    const runs = Math.max(30, Number(process.env.BENCH_RUNS ?? 50));
    for (const [who, ctx, district] of [
      ['a district officer (Pudong)', pudong, '310115'],
      ['the city officer', city, null],
    ] as const) {
      const query = StatsQuery.parse({ quarter: QUARTER });
      const b = await enforcementBulletin(ctx, query);
      const direct = await directCounts(ctx, from, to, district);
      for (const k of Object.keys(direct) as (keyof typeof direct)[]) {
        if (b.totals[k] !== direct[k]) throw new Error(`bulletin ${who} ${k}: tallies ${b.totals[k]}, inspections ${direct[k]}`);
      }
      const baseline = await timeIt(() => directCounts(ctx, from, to, district), 20, 2);
      const samples = await timeIt(() => enforcementBulletin(ctx, query), runs, 5);
      const t = b.totals;
      const p50 = percentile(samples, 50);
      const p95 = percentile(samples, 95);
      rows.push({
        bench: label,
        case: `B${district ? 1 : 2} enforcementBulletin ${QUARTER} as ${who}: ${t.inspections.toLocaleString()} inspections, ${t.hazards.toLocaleString()} findings (${t.findingsClosed.toLocaleString()} closed), key units ${t.keyUnitsCovered}/${t.keyUnits}; baseline direct GROUP BY over inspections`,
        p50,
        p95,
        baselineP50: percentile(baseline, 50),
        ratio: p50 / percentile(baseline, 50),
        goal: district ? 'p95 ≤ 100 ms' : 'measured for information',
        met: district && dialect === 'sqlite' ? p95 <= 100 : null,
      });
    }
    return rows;
  } finally {
    await database.close();
    await cleanup();
  }
}
