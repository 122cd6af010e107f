/**
 * The demo city's 啄木鸟 (#16): Pudong's and Xuhui's pools and three-year programmes begun on
 * 1 January last year, about half covered. The ledger's expert-inspection hazards of the two districts
 * belong to visits — grouped by enterprise and day, each a submitted visit by a pool expert, its
 * findings linked to it, the enterprise covered that day — and every enterprise so visited is a
 * target, with others not yet visited. `expert-1` joins Pudong's pool with no visits of its own (the
 * browser journey assigns its first); `expert-2` and `expert-3` (Pudong) and `expert-4` (Xuhui) made the visits.
 * The agencies come with the rest of #16.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { addDays, shanghaiDate } from '../../shared/dates';
import { insertMany, type DialectName } from '../db/dialect';
import type { DB, ExpertTargetsTable, ExpertVisitExpertsTable, ExpertVisitsTable, HazardOriginsTable, RecordEventsTable } from '../db/schema';
import { threeYearsFrom } from '../modules/experts/programmes';
import { recordCodeSeqs, saveRecordCodeSeqs, seqRows } from '../records/records';
import { storedInstant } from '../db/instants';
import { withIsoFoundAt } from './demo-hazards';

/** The districts with a programme, their office, the experts of their pool (the first is expert-1 in Pudong, kept free of visits) and at least how many targets. */
export const DEMO_PROGRAMMES = [
  { district: '310115', name: '浦东新区', office: 'pudong', experts: ['expert-1', 'expert-2', 'expert-3'], targets: 40 },
  { district: '310104', name: '徐汇区', office: null, experts: ['expert-4'], targets: 30 },
] as const;

const VISITORS = new Set(['expert-2', 'expert-3', 'expert-4']);

export async function insertDemoExperts(db: Kysely<DB>, dialect: DialectName, opts: { now: Date; cityCode: string }): Promise<{ experts: number; programmes: number; targets: number; visits: number }> {
  const today = shanghaiDate(opts.now);
  const year = Number(today.slice(0, 4));
  const at = opts.now.toISOString();
  const users = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('username', 'in', DEMO_PROGRAMMES.flatMap((p) => [...p.experts, ...(p.office ? [p.office] : [])])).execute();
  const userOf = new Map(users.map((u) => [u.username, u]));
  const counters = await recordCodeSeqs(db, 'ZJ');
  let experts = 0;
  let targetsAll = 0;
  const visits: ExpertVisitsTable[] = [];
  const visitExperts: ExpertVisitExpertsTable[] = [];
  const origins: HazardOriginsTable[] = [];
  const events: RecordEventsTable[] = [];
  const targets: ExpertTargetsTable[] = [];
  let programmes = 0;
  for (const p of DEMO_PROGRAMMES) {
    const pool = p.experts.map((u) => userOf.get(u)).filter((u): u is NonNullable<typeof u> => !!u);
    if (!pool.length) continue;
    for (const u of pool) {
      await db
        .insertInto('expert_profiles')
        .values({
          user_id: u.id,
          city_code: opts.cityCode,
          district_code: p.district,
          department_id: null,
          appointed_by: `${p.name}安全生产委员会办公室`,
          appointed_from: `${year - 2}-01-01`,
          appointed_to: `${year + 1}-12-31`,
          industries_json: '[]',
          categories_json: '[]',
          title: '注册安全工程师',
          status: 'active',
          suspended_reason: null,
          version: 1,
          created_at: at,
          updated_at: at,
        })
        .execute();
      experts++;
    }
    const from = `${year - 1}-01-01`;
    const found = await db
      .selectFrom('hazards')
      .select(['id', 'enterprise_id', 'found_at', 'grade'])
      .where('district_code', '=', p.district)
      .where('source', '=', 'expert_inspection')
      .where('found_at', '>=', storedInstant(`${from}T00:00:00.000Z`))
      .orderBy('found_at')
      .orderBy('id')
      .execute()
      .then(withIsoFoundAt);
    // One visit per enterprise and day of the hazards found.
    const groups = new Map<string, typeof found>();
    for (const h of found) {
      const k = `${h.enterprise_id}|${shanghaiDate(new Date(h.found_at))}`;
      groups.set(k, [...(groups.get(k) ?? []), h]);
    }
    const visited = [...new Set(found.map((h) => h.enterprise_id))];
    const others = await db
      .selectFrom('enterprises')
      .select('id')
      .where('district_code', '=', p.district)
      .where('id', 'not in', visited.length ? visited : [''])
      .orderBy('id')
      // As many not yet visited as visited (at least the programme's size): half-way, the pace decides.
      .limit(Math.max(visited.length, p.targets))
      .execute();
    const ids = [...visited, ...others.map((o) => o.id)];
    const ents = new Map((await db.selectFrom('enterprises').select(['id', 'district_code', 'street_code', 'industry_code']).where('id', 'in', ids).execute()).map((e) => [e.id, e]));
    const programmeId = uuidv7();
    const coveredOn = new Map<string, string>();
    const visitors = pool.filter((u) => VISITORS.has(u.username));
    let n = 0;
    for (const [key, hs] of groups) {
      const [enterpriseId, day] = key.split('|');
      const e = ents.get(enterpriseId)!;
      const expert = visitors[n++ % visitors.length];
      if (!expert) break;
      const visitYear = Number(day.slice(0, 4));
      const ck = `${p.district}|${visitYear}`;
      const seq = (counters.get(ck) ?? 0) + 1;
      counters.set(ck, seq);
      const id = uuidv7();
      const submittedAt = hs[hs.length - 1].found_at;
      visits.push({
        id,
        code: `ZJ-${p.district}-${visitYear}-${String(seq).padStart(6, '0')}`,
        city_code: opts.cityCode,
        district_code: e.district_code,
        street_code: e.street_code,
        industry_code: e.industry_code,
        enterprise_id: enterpriseId,
        programme_id: programmeId,
        window_from: addDays(day, -7),
        window_to: addDays(day, 7),
        status: 'submitted',
        checklist_id: null,
        checklist_version: null,
        findings: hs.length,
        major_findings: hs.filter((h) => h.grade === 'major').length,
        advice: '建议完善隐患排查治理制度，落实全员安全生产责任制，定期开展专项培训和应急演练。',
        started_at: hs[0].found_at,
        submitted_at: submittedAt,
        feedback_rating: null,
        feedback_note: null,
        version: 3,
        created_by: p.office ? (userOf.get(p.office)?.id ?? null) : null,
        created_at: hs[0].found_at,
        updated_at: submittedAt,
      });
      visitExperts.push({ visit_id: id, user_id: expert.id, seq: 0 });
      for (const h of hs) origins.push({ hazard_id: h.id, origin_type: 'expert_visit', origin_id: id, origin_item_id: null, created_at: h.found_at });
      const ev = (s: number, action: string, when: string, actor: { id: string; display_name: string } | null, data: object | null) =>
        events.push({ id: uuidv7(), entity_type: 'expert_visit', entity_id: id, seq: s, action, actor_id: actor?.id ?? null, actor_name: actor?.display_name ?? `${p.name}安委办`, at: when, comment: null, data_json: data ? JSON.stringify(data) : null, file_ids_json: null });
      ev(1, 'assign', hs[0].found_at, p.office ? (userOf.get(p.office) ?? null) : null, { expertIds: [expert.id] });
      ev(2, 'start', hs[0].found_at, expert, null);
      ev(3, 'findings', hs[0].found_at, expert, { hazardIds: hs.map((h) => h.id) });
      ev(4, 'submit', submittedAt, expert, null);
      const first = coveredOn.get(enterpriseId);
      if (!first || day < first) coveredOn.set(enterpriseId, day);
    }
    for (const id of ids) {
      const e = ents.get(id);
      if (!e) continue;
      const on = coveredOn.get(id) ?? null;
      targets.push({ programme_id: programmeId, enterprise_id: id, district_code: e.district_code, street_code: e.street_code, industry_code: e.industry_code, state: on ? 'covered' : 'not_yet', covered_on: on });
    }
    await db
      .insertInto('expert_programmes')
      .values({ id: programmeId, city_code: opts.cityCode, district_code: p.district, department_id: null, title: `${p.name}“啄木鸟”专家检查计划`, period_from: from, period_to: threeYearsFrom(from), targets: ids.filter((i) => ents.has(i)).length, scheduled: 0, covered: coveredOn.size, created_by: p.office ? (userOf.get(p.office)?.id ?? null) : null, created_at: at })
      .execute();
    targetsAll += ids.length;
    programmes++;
  }
  await insertMany(db, dialect, 'expert_targets', targets);
  await insertMany(db, dialect, 'expert_visits', visits);
  await insertMany(db, dialect, 'expert_visit_experts', visitExperts);
  await insertMany(db, dialect, 'hazard_origins', origins);
  await insertMany(db, dialect, 'record_events', events);
  await saveRecordCodeSeqs(db, seqRows('ZJ', counters));
  return { experts, programmes, targets: targetsAll, visits: visits.length };
}
