/**
 * The demo city: synthetic departments, enterprises and one account per role, deterministic
 * so screenshots, tests and benchmarks see the same data every time. Nothing here is real.
 */
import { sql, type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Role } from '../../shared/roles';
import { hashPassword } from '../auth/password';
import { audit, transact, type Ctx } from '../context';
import type { DB, NewEnterpriseRow } from '../db/schema';
import { reserveHazardNums } from '../db/hazard-numbers';
import { insertDepartment } from '../modules/departments/commands';
import { insertUser } from '../modules/users/commands';
import { centroidsFromGeojson, demoDepartments, flattenIndustryReference, generateDemoEnterprises, type DemoEnterprise } from './demo-city';
import { generateDemoHazards, type SeedClause } from './demo-hazards';
import { insertDemoEnforcement } from './demo-enforcement';
import { insertDemoExperts } from './demo-experts';
import { insertDemoAgencies } from './demo-agencies';
import { insertDemoTips } from './demo-tips';
import { insertDemoTasks } from './demo-tasks';
import { insertDemoAssessment } from './demo-assessment';
import { insertDemoRisks } from './demo-risks';
import { insertDemoCampaigns } from './demo-campaigns';
import type { KeyRing } from '../crypto/sealed';
import { insertDemoSelfChecks } from './demo-selfchecks';
import { bumpLedgerVersion } from '../modules/hazards/cache';
import type { DialectName } from '../db/dialect';
import { applyTallyDelta, TallyDelta, tallyLoaded } from '../modules/dashboard/tallies';
import { readReference, type DivisionsFile, type IndustriesFile } from './reference';

export const DEMO_ENTERPRISE_COUNT = 2000;
export const DEMO_HAZARD_COUNT = 20_000;

interface Geo {
  features: { properties: { code?: string; cp?: number[] }; geometry: { type: string; coordinates: unknown } }[];
}

/** Centroids for the demo's coordinates: the published `cp` point, else the middle of the polygon's bounding box. */
export function districtCentroids(): Record<string, [number, number]> {
  const geo = readReference<Geo>('shanghai-districts.geojson');
  const out = centroidsFromGeojson(geo);
  for (const f of geo.features) {
    const code = f.properties.code;
    if (!code || out[code]) continue;
    const pts = (JSON.stringify(f.geometry.coordinates).match(/-?\d+(\.\d+)?,-?\d+(\.\d+)?/g) ?? []).map((p) => p.split(',').map(Number));
    if (!pts.length) continue;
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    out[code] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
  }
  return out;
}

export function demoEnterprises(count: number, seed?: number): DemoEnterprise[] {
  return generateDemoEnterprises({
    divisions: readReference<DivisionsFile>('shanghai-divisions.json'),
    industries: flattenIndustryReference(readReference<IndustriesFile>('industry-gbt4754.json')),
    count,
    seed,
    centroids: districtCentroids(),
  });
}

export function enterpriseRow(e: DemoEnterprise, cityCode: string, now: string): NewEnterpriseRow {
  return {
    id: uuidv7(),
    city_code: cityCode,
    district_code: e.districtCode,
    street_code: e.streetCode,
    uscc: e.uscc,
    name: e.name,
    address: e.address,
    industry_code: e.industryCode,
    principal_name: e.principalName,
    principal_phone: e.principalPhone,
    safety_manager_name: e.safetyManagerName,
    safety_manager_phone: e.safetyManagerPhone,
    risk_class: e.riskClass,
    standardization_level: e.standardizationLevel,
    lng: e.lng,
    lat: e.lat,
    version: 1,
    created_at: now,
    updated_at: now,
    created_by: null,
  };
}

/** Bulk insert in chunks that stay under SQLite's bound-parameter limit. */
export async function insertEnterpriseRows(db: Kysely<DB>, rows: NewEnterpriseRow[]): Promise<void> {
  const chunk = 1000;
  for (let i = 0; i < rows.length; i += chunk) await db.insertInto('enterprises').values(rows.slice(i, i + chunk)).execute();
}

/** Shanghai's districts other than Pudong (GB/T 2260 codes, reference/shanghai-divisions.json). */
const OTHER_DISTRICTS: readonly [string, string][] = [
  ['310101', '黄浦'],
  ['310104', '徐汇'],
  ['310105', '长宁'],
  ['310106', '静安'],
  ['310107', '普陀'],
  ['310109', '虹口'],
  ['310110', '杨浦'],
  ['310112', '闵行'],
  ['310113', '宝山'],
  ['310114', '嘉定'],
  ['310116', '金山'],
  ['310117', '松江'],
  ['310118', '青浦'],
  ['310120', '奉贤'],
  ['310151', '崇明'],
];

export const DEMO_ACCOUNTS: { username: string; displayName: string; role: Role; regionCode?: string; department?: string; enterpriseIndex?: number }[] = [
  { username: 'city', displayName: '市安委办 王明', role: 'city_officer', regionCode: '310000' },
  { username: 'pudong', displayName: '浦东新区安委办 李华', role: 'district_officer', regionCode: '310115' },
  { username: 'huangpu', displayName: '黄浦区安委办 张伟', role: 'district_officer', regionCode: '310101' },
  { username: 'lujiazui', displayName: '陆家嘴街道 陈静', role: 'street_officer', regionCode: '310115005' },
  { username: 'yjj', displayName: '市应急管理局 刘强', role: 'dept_officer', regionCode: '310000', department: 'yjj' },
  { username: 'inspector-pd', displayName: '浦东执法大队 赵磊', role: 'inspector', regionCode: '310115' },
  // 双随机 needs a pool of inspectors: four in Pudong, two in every other district.
  { username: 'inspector-pd2', displayName: '浦东执法大队 钱敏', role: 'inspector', regionCode: '310115' },
  { username: 'inspector-pd3', displayName: '浦东执法大队 周涛', role: 'inspector', regionCode: '310115' },
  { username: 'inspector-pd4', displayName: '浦东执法大队 吴芳', role: 'inspector', regionCode: '310115' },
  ...OTHER_DISTRICTS.flatMap(([code, name]) =>
    [1, 2].map((k) => ({ username: `inspector-${code}-${k}`, displayName: `${name}执法大队 执法员${k}`, role: 'inspector' as Role, regionCode: code })),
  ),
  { username: 'expert-1', displayName: '啄木鸟专家 孙洁', role: 'expert', regionCode: '310000' },
  // 啄木鸟 pools: the demo's past visits were made by these (expert-1's first is the journey's).
  { username: 'expert-2', displayName: '啄木鸟专家 顾明', role: 'expert', regionCode: '310000' },
  { username: 'expert-3', displayName: '啄木鸟专家 沈燕', role: 'expert', regionCode: '310000' },
  { username: 'expert-4', displayName: '啄木鸟专家 陆涛', role: 'expert', regionCode: '310000' },
  { username: 'ent-pd', displayName: '企业安全管理员（浦东）', role: 'enterprise', enterpriseIndex: 0 },
  { username: 'ent-hp', displayName: '企业安全管理员（黄浦）', role: 'enterprise', enterpriseIndex: 1 },
  // 举报人信息保管员: reveals a reporter's identity, one tip at a time, with a reason (#17).
  { username: 'custodian', displayName: '市安委办 举报人信息保管员 何静', role: 'tip_custodian', regionCode: '310000' },
];

/**
 * The citable clauses of the standards that apply to each industry division (standard_industries:
 * the division, its section, or every industry), for hazards a demo city or a benchmark makes up.
 */
export async function applicableClauses(db: Kysely<DB>): Promise<(industryCode: string) => readonly SeedClause[]> {
  const clauses = await db.selectFrom('standard_clauses').select(['id', 'text', 'standard_id']).where('is_lead_in', '=', 0).orderBy('standard_id').orderBy('sort').execute();
  const mapping = await db.selectFrom('standard_industries').select(['standard_id', 'industry_code']).execute();
  const sectionOf = new Map((await db.selectFrom('industries').select(['code', 'parent_code']).where('level', '=', 'division').execute()).map((r) => [r.code, r.parent_code]));
  const cache = new Map<string, SeedClause[]>();
  return (industryCode) => {
    let hit = cache.get(industryCode);
    if (!hit) {
      const codes = new Set(['*', industryCode, sectionOf.get(industryCode) ?? '']);
      const standards = new Set(mapping.filter((m) => codes.has(m.industry_code)).map((m) => m.standard_id));
      hit = clauses.filter((c) => standards.has(c.standard_id)).map((c) => ({ id: c.id, text: c.text }));
      cache.set(industryCode, hit);
    }
    return hit;
  };
}

/** Inserts generated hazards with their timelines and clause links, and moves the code counters past them. */
export async function insertDemoHazards(db: Kysely<DB>, dialect: DialectName, opts: { count: number; now: Date; seed?: number; enterpriseIds?: string[] }): Promise<number> {
  if (opts.count <= 0) return 0;
  let q = db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'name', 'safety_manager_name']).orderBy('id');
  if (opts.enterpriseIds) q = q.where('id', 'in', opts.enterpriseIds);
  const enterprises = (await q.execute()).map((e) => ({ id: e.id, cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, name: e.name, safetyManagerName: e.safety_manager_name }));
  const clausesFor = await applicableClauses(db);
  const names = new Map((await db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'district').execute()).map((r) => [r.code, r.name]));
  const nums = await reserveHazardNums(db, dialect, opts.count);
  const g = generateDemoHazards({ enterprises, clausesFor, count: opts.count, now: opts.now, seed: opts.seed, newId: uuidv7, nums, dialect, officerName: (d) => `${names.get(d) ?? d}安委办` });
  for (let i = 0; i < g.hazards.length; i += 500) await db.insertInto('hazards').values(g.hazards.slice(i, i + 500)).execute();
  for (let i = 0; i < g.events.length; i += 1000) await db.insertInto('hazard_events').values(g.events.slice(i, i + 1000)).execute();
  for (let i = 0; i < g.clauses.length; i += 1000) await db.insertInto('hazard_clauses').values(g.clauses.slice(i, i + 1000)).execute();
  const tallies = new TallyDelta();
  tallyLoaded(tallies, g.hazards, new Set(g.events.filter((e) => e.action === 'fix_on_spot').map((e) => e.hazard_num)));
  await applyTallyDelta(db, dialect, tallies);
  await bumpLedgerVersion(db, enterprises[0]?.cityCode ?? '310000');
  for (const c of g.counters) {
    await db
      .insertInto('hazard_code_counters')
      .values(c)
      .onConflict((oc) => oc.columns(['district_code', 'year']).doUpdateSet((eb) => ({ seq: sql<number>`case when ${eb.ref('excluded.seq')} > ${eb.ref('hazard_code_counters.seq')} then ${eb.ref('excluded.seq')} else ${eb.ref('hazard_code_counters.seq')} end` })))
      .execute();
  }
  return g.hazards.length;
}

/**
 * `selfChecks`: six months of self-checks, whose findings are the ledger's self-check hazards — by
 * default when the demo has hazards (a city loaded without them, as most tests load it, has no
 * history of either). `enforcement` likewise: plans, the inspections behind the ledger's inspection
 * findings, draws and cases.
 */
export async function loadDemoCity(ctx: Ctx, opts: { password: string; count?: number; hazards?: number; selfChecks?: boolean; enforcement?: boolean; experts?: boolean; agencies?: boolean; tips?: boolean; tasks?: boolean; assessment?: boolean; risks?: boolean; keys?: KeyRing | null }): Promise<{ loaded: boolean; enterprises: number; hazards: number }> {
  const present = await ctx.db.selectFrom('users').select('id').where('username', '=', 'city').executeTakeFirst();
  if (present) return { loaded: false, enterprises: 0, hazards: 0 };
  const count = opts.count ?? DEMO_ENTERPRISE_COUNT;
  const enterprises = demoEnterprises(count);
  const divisions = readReference<DivisionsFile>('shanghai-divisions.json');
  // The demo's accounts share one published password, so they share one hash. Hashing it for each of
  // its 46 accounts (scrypt) was nearly all of a small demo's load: 40 enterprises took ~4.0 s, now
  // ~0.12 s (SQLite, alternated), and ~100 test apps load one. Hashed before the transaction, which
  // then holds the write lock only for writing. A password changed later gets a salt of its own.
  const passwordHash = await hashPassword(opts.password);
  return transact(ctx, async (tx) => {
    const now = ctx.now().toISOString();
    const deptIds = new Map<string, string>();
    for (const d of demoDepartments(divisions)) {
      const exists = await tx.db.selectFrom('departments').select('id').where('region_code', '=', d.regionCode).where('name', '=', d.name).executeTakeFirst();
      deptIds.set(d.key, exists?.id ?? (await insertDepartment(tx.db, ctx.config.CITY_CODE, d, now)));
    }
    const rows: NewEnterpriseRow[] = [];
    const existingUscc = new Set((await tx.db.selectFrom('enterprises').select('uscc').execute()).map((r) => r.uscc));
    const idByIndex = new Map<number, string>();
    enterprises.forEach((e, i) => {
      if (existingUscc.has(e.uscc)) return;
      const row = enterpriseRow(e, ctx.config.CITY_CODE, now);
      idByIndex.set(i, row.id);
      rows.push(row);
    });
    await insertEnterpriseRows(tx.db, rows);
    for (const a of DEMO_ACCOUNTS) {
      const id = await insertUser(tx, {
        username: a.username,
        displayName: a.displayName,
        role: a.role,
        regionCode: a.regionCode ?? ctx.config.CITY_CODE,
        departmentId: a.department ? deptIds.get(a.department) : null,
        enterpriseId: a.enterpriseIndex !== undefined ? idByIndex.get(a.enterpriseIndex) : null,
        password: opts.password,
        passwordHash,
      });
      await audit(tx, { action: 'user.created', entityType: 'user', entityId: id, actorId: null, actorName: 'system', after: { username: a.username, role: a.role, demo: true } });
    }
    const hazards = await insertDemoHazards(tx.db, tx.dialect, { count: opts.hazards ?? DEMO_HAZARD_COUNT, now: ctx.now() });
    const selfChecks = (opts.selfChecks ?? hazards > 0) ? await insertDemoSelfChecks(tx.db, tx.dialect, { now: ctx.now(), cityCode: ctx.config.CITY_CODE }) : null;
    const enforcement = (opts.enforcement ?? hazards > 0) ? await insertDemoEnforcement(tx.db, tx.dialect, { now: ctx.now(), cityCode: ctx.config.CITY_CODE }) : null;
    const experts = (opts.experts ?? hazards > 0) ? await insertDemoExperts(tx.db, tx.dialect, { now: ctx.now(), cityCode: ctx.config.CITY_CODE }) : null;
    const agencies = (opts.agencies ?? hazards > 0) ? await insertDemoAgencies(tx.db, tx.dialect, { now: ctx.now(), cityCode: ctx.config.CITY_CODE }) : null;
    // After the agencies, whose engagements take the ledger's third-party hazards (tips take the tip ones).
    const tips = (opts.tips ?? hazards > 0) ? await insertDemoTips(tx.db, tx.dialect, { now: ctx.now(), cityCode: ctx.config.CITY_CODE, keys: opts.keys }) : null;
    // The plan's tasks, sub-plans, meetings and lists (#18), made by the units' accounts.
    const plan = (opts.tasks ?? hazards > 0) ? await insertDemoTasks(tx) : null;
    // Accidents over 2023 to today, the schemes, published quarterly runs and accountability (#19).
    const assessment = (opts.assessment ?? hazards > 0) ? await insertDemoAssessment(tx) : null;
    // The risk list, the 2024 round, certificates and standardization (#20).
    const risks = (opts.risks ?? hazards > 0) ? { ...(await insertDemoRisks(tx, opts.keys ?? null)), ...(await insertDemoCampaigns(tx)) } : null;
    await audit(tx, { action: 'demo.loaded', entityType: 'system', entityId: null, actorId: null, actorName: 'system', after: { enterprises: rows.length, hazards, departments: deptIds.size, accounts: DEMO_ACCOUNTS.length, selfChecks, enforcement, experts, agencies, tips, plan, assessment, risks } });
    return { loaded: true, enterprises: rows.length, hazards };
  });
}
