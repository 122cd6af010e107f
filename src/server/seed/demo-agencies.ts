/**
 * The demo city's third-party agencies (#16, measure 28): a dozen agencies — kept by Pudong, Xuhui
 * and the city — with qualifications and staff; one qualification expired, one expiring within the
 * warning days (serving ent-pd's enterprise now, so the reminder reaches it), one agency listed as
 * untrustworthy by Pudong. The ledger's third-party hazards since 1 January last year belong to
 * engagements (per enterprise and month, the report filed a week after the last finding); and one
 * evaluation report "without a major hazard" is followed within the window by an enforcement
 * inspection's major finding — the contradicted report. Demo names and numbers are invented.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { ServiceType } from '../../shared/contracts/agencies';
import { addDays, shanghaiDate } from '../../shared/dates';
import { usccCheckChar } from '../../shared/uscc';
import { insertMany, type DialectName } from '../db/dialect';
import { recordCodeSeqs, saveRecordCodeSeqs, seqRows } from '../records/records';
import type { AgenciesTable, AgencyEngagementsTable, AgencyQualificationsTable, AgencyStaffTable, DB, HazardOriginsTable, RecordEventsTable } from '../db/schema';
import { isoInstant, startOfShanghaiDay, storedInstant } from '../db/instants';

interface DemoAgency {
  name: string;
  district: string | null;
  services: ServiceType[];
  approvedBy: string;
  qualification: { name: string; issuer: string; prefix: string };
  /** Days from today to its qualification's expiry (negative: expired). */
  expiresIn: number;
}

const EVALUATION = { name: '安全评价机构资质', issuer: '上海市应急管理局', prefix: 'APJ-(沪)' };
const TESTING = { name: '检验检测机构资质认定证书', issuer: '上海市市场监督管理局', prefix: 'CMA' };
const CONSULTING = { name: '安全生产技术服务机构备案', issuer: '区应急管理局', prefix: 'AQFW' };

export const DEMO_AGENCIES: DemoAgency[] = [
  { name: '上海浦安安全评价有限公司', district: '310115', services: ['evaluation', 'consulting'], approvedBy: '上海市应急管理局', qualification: EVALUATION, expiresIn: 700 },
  { name: '上海东岸安全技术咨询有限公司', district: '310115', services: ['consulting', 'hosting'], approvedBy: '浦东新区应急管理局', qualification: CONSULTING, expiresIn: 30 },
  { name: '上海临港检测技术有限公司', district: '310115', services: ['testing'], approvedBy: '上海市市场监督管理局', qualification: TESTING, expiresIn: 400 },
  { name: '上海申浦工业检测有限公司', district: '310115', services: ['testing', 'consulting'], approvedBy: '上海市市场监督管理局', qualification: TESTING, expiresIn: -45 },
  { name: '上海张江安全服务有限公司', district: '310115', services: ['hosting', 'consulting'], approvedBy: '浦东新区应急管理局', qualification: CONSULTING, expiresIn: 300 },
  { name: '上海徐汇安评技术有限公司', district: '310104', services: ['evaluation'], approvedBy: '上海市应急管理局', qualification: EVALUATION, expiresIn: 500 },
  { name: '上海漕河泾安全咨询有限公司', district: '310104', services: ['consulting', 'training'], approvedBy: '徐汇区应急管理局', qualification: CONSULTING, expiresIn: 260 },
  { name: '上海衡山职业安全培训中心', district: '310104', services: ['training'], approvedBy: '徐汇区应急管理局', qualification: { name: '安全培训机构备案', issuer: '徐汇区应急管理局', prefix: 'PX' }, expiresIn: 365 },
  { name: '上海市安全生产科学研究所有限公司', district: null, services: ['evaluation', 'testing', 'consulting'], approvedBy: '上海市应急管理局', qualification: EVALUATION, expiresIn: 900 },
  { name: '上海华东安全工程技术有限公司', district: null, services: ['evaluation', 'consulting'], approvedBy: '上海市应急管理局', qualification: EVALUATION, expiresIn: 620 },
  { name: '上海长三角检测认证有限公司', district: null, services: ['testing'], approvedBy: '上海市市场监督管理局', qualification: TESTING, expiresIn: 480 },
  { name: '上海城安安全托管服务有限公司', district: null, services: ['hosting', 'consulting'], approvedBy: '上海市应急管理局', qualification: CONSULTING, expiresIn: 210 },
];
/** The agency Pudong lists as untrustworthy, and the one whose report an inspection contradicted. */
const LISTED = 4;
const CONTRADICTED = 0;
const EXPIRING = 1;

const STAFF = ['王建国', '李敏', '张磊', '刘洋', '陈静', '杨帆', '赵云', '黄涛', '周丽', '吴强', '徐斌', '孙悦'];

export async function insertDemoAgencies(db: Kysely<DB>, dialect: DialectName, opts: { now: Date; cityCode: string }): Promise<{ agencies: number; engagements: number; findings: number }> {
  const today = shanghaiDate(opts.now);
  const year = Number(today.slice(0, 4));
  const at = opts.now.toISOString();
  const agencies: AgenciesTable[] = [];
  const quals: AgencyQualificationsTable[] = [];
  const staff: AgencyStaffTable[] = [];
  DEMO_AGENCIES.forEach((a, k) => {
    const id = uuidv7();
    const base = `91${a.district ?? '310000'}MA1AG${String(k + 1).padStart(4, '0')}`;
    agencies.push({
      id,
      city_code: opts.cityCode,
      district_code: a.district,
      department_id: null,
      name: a.name,
      uscc: base + usccCheckChar(base),
      service_types_json: JSON.stringify(a.services),
      approved_by: a.approvedBy,
      supervised_by: a.services.includes('testing') ? '上海市市场监督管理局' : '上海市应急管理局',
      address: `上海市${a.name.slice(2, 4)}路 ${100 + k * 17} 号`,
      contact_name: STAFF[k],
      contact_phone: `021-6${String(1000000 + k * 7919).slice(-7)}`,
      engagements: 0,
      findings: 0,
      major_findings: 0,
      listed: k === LISTED ? 1 : 0,
      version: 1,
      created_by: null,
      created_at: `${year - 2}-01-05T02:00:00.000Z`,
      updated_at: at,
    });
    quals.push({ id: uuidv7(), agency_id: id, seq: 0, name: a.qualification.name, issuer: a.qualification.issuer, number: `${a.qualification.prefix}-${year - 2}-${String(k + 11).padStart(3, '0')}`, valid_from: `${year - 3}-01-01`, expires_on: addDays(today, a.expiresIn) });
    for (let s = 0; s < 3; s++) {
      staff.push({ id: uuidv7(), agency_id: id, seq: s, name: STAFF[(k + s + 1) % STAFF.length], certificate: s === 0 ? '注册安全工程师' : a.services.includes('testing') ? '检验检测人员上岗证' : '安全评价师', certificate_no: `${a.qualification.prefix}-P-${k + 1}${s}`, certificate_expires_on: s === 2 && k % 4 === 0 ? addDays(today, -90) : null });
    }
  });
  // Which agencies serve a district: its own (but the training centre) and the city's.
  const assessing = agencies.filter((_, k) => !DEMO_AGENCIES[k].services.every((s) => s === 'training'));
  const servesIn = (district: string) => {
    const own = assessing.filter((a) => a.district_code === district);
    return own.length ? [...own, ...assessing.filter((a) => a.district_code === null)] : assessing.filter((a) => a.district_code === null);
  };
  const serviceOf = (a: AgenciesTable): ServiceType => (JSON.parse(a.service_types_json) as ServiceType[]).find((s) => s !== 'training')!;

  const found = await db
    .selectFrom('hazards')
    .select(['id', 'enterprise_id', 'district_code', 'street_code', 'industry_code', 'found_at', 'grade'])
    .where('city_code', '=', opts.cityCode)
    .where('source', '=', 'third_party')
    .where('found_at', '>=', storedInstant(`${year - 1}-01-01T00:00:00.000Z`))
    .orderBy('found_at')
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((h) => ({ ...h, found_at: isoInstant(h.found_at) })));
  const groups = new Map<string, typeof found>();
  for (const h of found) {
    const k = `${h.enterprise_id}|${shanghaiDate(new Date(h.found_at)).slice(0, 7)}`;
    groups.set(k, [...(groups.get(k) ?? []), h]);
  }
  const counters = await recordCodeSeqs(db, 'FW');
  const engagements: AgencyEngagementsTable[] = [];
  const origins: HazardOriginsTable[] = [];
  const events: RecordEventsTable[] = [];
  const engage = (e: { enterprise_id: string; district_code: string; street_code: string | null; industry_code: string }, a: AgenciesTable, service: ServiceType, from: string, to: string, concludedOn: string | null, conclusion: string | null, hs: { id: string; grade: string; found_at: string }[]) => {
    const y = Number(from.slice(0, 4));
    const ck = `${e.district_code}|${y}`;
    const seq = (counters.get(ck) ?? 0) + 1;
    counters.set(ck, seq);
    const id = uuidv7();
    const major = hs.filter((h) => h.grade === 'major').length;
    const createdAt = new Date(`${from}T02:00:00Z`).toISOString();
    engagements.push({
      id,
      code: `FW-${e.district_code}-${y}-${String(seq).padStart(6, '0')}`,
      city_code: opts.cityCode,
      district_code: e.district_code,
      street_code: e.street_code,
      industry_code: e.industry_code,
      enterprise_id: e.enterprise_id,
      agency_id: a.id,
      service_type: service,
      period_from: from,
      period_to: to,
      status: concludedOn ? 'concluded' : 'in_service',
      concluded_on: concludedOn,
      conclusion,
      findings: hs.length,
      major_findings: major,
      warnings_json: null,
      version: 1 + (hs.length ? 1 : 0) + (concludedOn ? 1 : 0),
      created_by: null,
      created_at: createdAt,
      updated_at: concludedOn ? new Date(`${concludedOn}T08:00:00Z`).toISOString() : createdAt,
    });
    a.engagements++;
    a.findings += hs.length;
    a.major_findings += major;
    for (const h of hs) origins.push({ hazard_id: h.id, origin_type: 'agency_engagement', origin_id: id, origin_item_id: null, created_at: h.found_at });
    let s = 0;
    const ev = (action: string, when: string, data: object | null, comment: string | null = null) =>
      events.push({ id: uuidv7(), entity_type: 'agency_engagement', entity_id: id, seq: ++s, action, actor_id: null, actor_name: '企业安全管理员', at: when, comment, data_json: data ? JSON.stringify(data) : null, file_ids_json: null });
    ev('engage', createdAt, { agencyId: a.id, serviceType: service, from, to });
    if (hs.length) ev('findings', hs[hs.length - 1].found_at, { hazardIds: hs.map((h) => h.id), major });
    if (concludedOn) ev('conclude', new Date(`${concludedOn}T08:00:00Z`).toISOString(), { concludedOn }, conclusion);
  };

  let n = 0;
  for (const hs of groups.values()) {
    const e = hs[0];
    const pool = servesIn(e.district_code);
    const a = pool[n++ % pool.length];
    const first = shanghaiDate(new Date(hs[0].found_at));
    const last = shanghaiDate(new Date(hs[hs.length - 1].found_at));
    const reportOn = addDays(last, 7);
    const major = hs.filter((h) => h.grade === 'major').length;
    const concluded = reportOn <= today;
    engage(e, a, serviceOf(a), addDays(first, -14), addDays(last, 30), concluded ? reportOn : null, concluded ? (major ? `发现重大事故隐患 ${major} 项、一般隐患 ${hs.length - major} 项，已告知企业整改。（演示数据，无报告附件）` : `未发现重大事故隐患；一般隐患 ${hs.length} 项，已告知企业整改。（演示数据，无报告附件）`) : null, hs);
  }

  // The contradicted report: an evaluation "without a major hazard" 20 days before an enforcement inspection found one.
  const later = await db
    .selectFrom('hazards')
    .select(['id', 'enterprise_id', 'district_code', 'street_code', 'industry_code', 'found_at'])
    .where('district_code', '=', '310115')
    .where('source', '=', 'enforcement_inspection')
    .where('grade', '=', 'major')
    .where('found_at', '>=', startOfShanghaiDay(addDays(today, -300)))
    .where('found_at', '<', startOfShanghaiDay(addDays(today, -30)))
    .orderBy('found_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (later) {
    const reportOn = addDays(shanghaiDate(new Date(later.found_at)), -20);
    engage(later, agencies[CONTRADICTED], 'evaluation', addDays(reportOn, -30), reportOn, reportOn, '经现场评价，未发现重大事故隐患。（演示数据，无报告附件）', []);
  }
  // ent-pd's enterprise is served now by the agency whose qualification expires soon.
  const entPd = await db.selectFrom('users as u').innerJoin('enterprises as e', 'e.id', 'u.enterprise_id').select(['e.id as enterprise_id', 'e.district_code', 'e.street_code', 'e.industry_code']).where('u.username', '=', 'ent-pd').executeTakeFirst();
  if (entPd) engage(entPd, agencies[EXPIRING], 'hosting', addDays(today, -60), addDays(today, 300), null, null, []);

  await insertMany(db, dialect, 'agencies', agencies);
  await insertMany(db, dialect, 'agency_qualifications', quals);
  await insertMany(db, dialect, 'agency_staff', staff);
  const pudong = await db.selectFrom('users').select(['id']).where('username', '=', 'pudong').executeTakeFirst();
  await db
    .insertInto('agency_listings')
    .values({ id: uuidv7(), agency_id: agencies[LISTED].id, city_code: opts.cityCode, district_code: '310115', department_id: null, reason: '托管服务期间未按合同开展隐患排查，出具的检查记录与现场不符（演示数据）', listed_by: pudong?.id ?? null, listed_at: new Date(`${addDays(today, -40)}T02:00:00Z`).toISOString(), lifted_by: null, lifted_at: null, lift_reason: null })
    .execute();
  await insertMany(db, dialect, 'agency_engagements', engagements);
  await insertMany(db, dialect, 'hazard_origins', origins);
  await insertMany(db, dialect, 'record_events', events);
  await saveRecordCodeSeqs(db, seqRows('FW', counters));
  return { agencies: agencies.length, engagements: engagements.length, findings: origins.length };
}
