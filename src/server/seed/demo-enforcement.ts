/**
 * The demo city's enforcement (#15): each district's plans of the last three years from the example
 * matrix, with this year's key units; the inspections behind the ledger's enforcement-inspection
 * hazards — grouped by enterprise and day, each a finished inspection by two inspectors of the
 * district, its findings linked to it — and inspections that found nothing; two 双随机 draws in Pudong
 * made with the real algorithm (so a replay matches), one published; this week's planned work for
 * Pudong's first inspector; and cases at every step, citing 《安全生产法》第一百零二条 with fines
 * within the discretion table. An enterprise keeps the same two inspectors, so a draw can still staff
 * it. Deterministic for a given ledger, accounts and clock (ids are UUIDv7, so a draw's pool differs
 * between loads; its counts do not).
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { PLANNED_TYPES, type InspectionType, type RiskClass, type StandardizationLevel } from '../../shared/contracts/enforcement';
import { addDays, shanghaiDate, yearBefore } from '../../shared/dates';
import { periodOf } from '../../shared/periods';
import { appendAudit, type AuditEntry } from '../audit/audit';
import { insertMany, type DialectName } from '../db/dialect';
import { saveRecordCodeSeqs } from '../records/records';
import type { CasesTable, DB, DrawsTable, HazardOriginsTable, InspectionInspectorsTable, InspectionPlanItemsTable, InspectionPlansTable, InspectionsTable, KeyUnitsTable, RecordCodeCountersTable, RecordEventsTable } from '../db/schema';
import { ALGORITHM, poolHash, walkDraw, type DrawOutcome } from '../modules/enforcement/draw-algorithm';
import { EXAMPLE_CELLS, plannedCount, plannedMonths } from '../modules/enforcement/matrix';
import { discretionTable, type Circumstance } from '../modules/enforcement/provisions';
import { EnforcementDelta, findingStates } from '../modules/enforcement/tallies';
import { newCaseRow } from '../modules/enforcement/cases';
import { newDrawRow } from '../modules/enforcement/draws';
import { mulberry32, withIsoFoundAt } from './demo-hazards';

/** Where the demo draws: Pudong, the district with four inspectors. */
const DRAW_DISTRICT = '310115';
/** The provision the demo's cases cite: 未采取措施消除事故隐患. */
const CASE_ARTICLE = '第一百零二条';
const PLAN_YEARS = 3;
/** Inspections that found nothing, per inspection with findings. */
const QUIET_SHARE = 0.6;
/** The types of an inspection with findings (a follow-up only when there is an earlier one to follow; 双随机 ones come only from the draws). */
const TYPES: [InspectionType, number][] = [
  ['planned', 0.64],
  ['campaign', 0.1],
  ['tip', 0.16],
  ['complaint', 0.1],
];
const NOTES: Partial<Record<InspectionType, string>> = {
  tip: '根据举报线索核查',
  complaint: '根据投诉核查',
  campaign: '安全生产治本攻坚专项检查',
  follow_up: '复查前次检查发现的隐患整改情况',
};
/** The most recent cases' steps, so every status shows; older ones run their course. */
const FORCED: { status: CasesTable['status']; decision: 'fine' | 'warning' }[] = [
  { status: 'filed', decision: 'fine' },
  { status: 'filed', decision: 'warning' },
  { status: 'decided', decision: 'fine' },
  { status: 'decided', decision: 'warning' },
  { status: 'executed', decision: 'fine' },
  { status: 'closed', decision: 'warning' },
];

export interface DemoEnforcementEnterprise {
  id: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string;
  principal_name: string;
  risk_class: RiskClass;
  standardization_level: StandardizationLevel;
}

export interface DemoPerson {
  id: string;
  name: string;
  username: string;
  /** An inspector's or officer's district; null for the city's. */
  district_code: string | null;
}

/** An enforcement-inspection hazard on the ledger. */
export interface DemoInspectionFinding {
  id: string;
  enterprise_id: string;
  found_at: string;
  grade: string;
  description: string;
}

export interface DemoEnforcementInput {
  /** By id. */
  enterprises: DemoEnforcementEnterprise[];
  /** Active inspectors, by id. */
  inspectors: DemoPerson[];
  /** Who plans, draws and decides for a district: its officer, else the city's. */
  officerOf: (districtCode: string) => DemoPerson;
  /** In time order. */
  findings: DemoInspectionFinding[];
  districtNames: ReadonlyMap<string, string>;
  /** The cited provision; without one the demo has no cases. */
  provisionId: string | null;
  discretion: readonly Circumstance[];
  /** Whose phone has this week's work: an inspector. */
  leadId?: string;
  now: Date;
  /** Record code counters to continue from, by `kind|district|year`. */
  seqs?: ReadonlyMap<string, number>;
  seed?: number;
  newId: () => string;
}

export interface GeneratedEnforcement {
  keyUnits: KeyUnitsTable[];
  plans: InspectionPlansTable[];
  planItems: InspectionPlanItemsTable[];
  draws: DrawsTable[];
  inspections: InspectionsTable[];
  inspectors: InspectionInspectorsTable[];
  origins: HazardOriginsTable[];
  cases: CasesTable[];
  events: RecordEventsTable[];
  counters: RecordCodeCountersTable[];
  /** For the city's chain, in order. */
  audits: Omit<AuditEntry, 'chain'>[];
}

interface Visit {
  row: InspectionsTable;
  inspectors: DemoPerson[];
  creator: DemoPerson;
  found: DemoInspectionFinding[];
}

const MINUTE = 60_000;
const shanghaiMs = (date: string, minutes: number) => Date.parse(`${date}T00:00:00+08:00`) + minutes * MINUTE;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
/** Saturdays and Sundays move back to the Friday. */
const workday = (date: string) => addDays(date, -[2, 0, 0, 0, 0, 0, 1][new Date(`${date}T00:00:00Z`).getUTCDay()]);

function pick<T>(r: () => number, items: [T, number][]): T {
  let x = r();
  for (const [v, w] of items) if ((x -= w) < 0) return v;
  return items[items.length - 1][0];
}

/** The demo's enforcement rows. Pure: rows in, rows out. */
export function generateDemoEnforcement(o: DemoEnforcementInput): GeneratedEnforcement {
  const r = mulberry32(o.seed ?? 15);
  const end = o.now.getTime();
  const today = shanghaiDate(o.now);
  const upTo = (ms: number) => new Date(Math.min(ms, end)).toISOString();
  const between = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const byId = new Map(o.enterprises.map((e) => [e.id, e]));
  const out: GeneratedEnforcement = { keyUnits: [], plans: [], planItems: [], draws: [], inspections: [], inspectors: [], origins: [], cases: [], events: [], counters: [], audits: [] };

  const eligible = new Map<string, DemoPerson[]>();
  const eligibleIn = (district: string) => {
    let list = eligible.get(district);
    if (!list) eligible.set(district, (list = o.inspectors.filter((i) => !i.district_code || i.district_code === district)));
    return list;
  };
  // Each enterprise keeps its two inspectors: with four in a district, two more remain for a draw.
  const pairs = new Map<string, DemoPerson[]>();
  const pairOf = (e: DemoEnforcementEnterprise) => {
    let p = pairs.get(e.id);
    if (!p) {
      const pool = eligibleIn(e.district_code);
      if (pool.length < 2) throw new Error(`the demo inspections need two inspectors for district ${e.district_code}`);
      const a = Math.floor(r() * pool.length);
      const b = (a + 1 + Math.floor(r() * (pool.length - 1))) % pool.length;
      pairs.set(e.id, (p = [pool[a], pool[b]]));
    }
    return p;
  };

  const visits: Visit[] = [];
  const visitsOf = new Map<string, Visit[]>();
  const taken = new Set<string>();
  const visit = (
    e: DemoEnforcementEnterprise,
    v: { type: InspectionType; date: string; inspectors: DemoPerson[]; creator: DemoPerson; createdAt: string; unannounced: boolean; found?: DemoInspectionFinding[]; span?: [number, number]; drawId?: string; followsId?: string },
  ): Visit => {
    const found = v.found ?? [];
    const calls = new Set(found.map((h) => h.found_at)).size;
    const finishedAt = v.span ? upTo(v.span[1]) : null;
    const row: InspectionsTable = {
      id: o.newId(),
      code: '',
      city_code: e.city_code,
      district_code: e.district_code,
      street_code: e.street_code,
      industry_code: e.industry_code,
      enterprise_id: e.id,
      type: v.type,
      status: v.span ? 'finished' : 'planned',
      unannounced: v.unannounced ? 1 : 0,
      date: v.date,
      checklist_id: null,
      checklist_version: null,
      draw_id: v.drawId ?? null,
      follows_id: v.followsId ?? null,
      note: NOTES[v.type] ?? null,
      signed_by: v.span ? e.principal_name : null,
      refused: 0,
      sign_note: null,
      findings: found.length,
      major_findings: found.filter((h) => h.grade === 'major').length,
      started_at: v.span ? upTo(v.span[0]) : null,
      finished_at: finishedAt,
      created_by: v.creator.id,
      created_at: v.createdAt,
      updated_at: finishedAt ?? v.createdAt,
      // Created 1; started, each call recording findings and finishing add one.
      version: v.span ? 3 + calls : 1,
    };
    const made = { row, inspectors: v.inspectors, creator: v.creator, found };
    visits.push(made);
    const mine = visitsOf.get(e.id);
    if (mine) mine.push(made);
    else visitsOf.set(e.id, [made]);
    taken.add(`${e.id}|${v.date}`);
    return made;
  };
  const enterprise = (id: string) => {
    const e = byId.get(id);
    if (!e) throw new Error(`hazard of unknown enterprise ${id}`);
    return e;
  };

  // The ledger's enforcement-inspection hazards, by enterprise and day: one inspection each.
  const groups = new Map<string, DemoInspectionFinding[]>();
  for (const h of o.findings) {
    const k = `${h.enterprise_id}|${shanghaiDate(new Date(h.found_at))}`;
    const group = groups.get(k);
    if (group) group.push(h);
    else groups.set(k, [h]);
  }
  const withFindings: Visit[] = [];
  for (const [k, found] of groups) {
    const e = enterprise(found[0].enterprise_id);
    const date = k.slice(k.indexOf('|') + 1);
    const earlier = (visitsOf.get(e.id) ?? []).filter((v) => v.found.length && daysBetween(v.row.date, date) <= 120).at(-1);
    const type = earlier && r() < 0.3 ? 'follow_up' : pick(r, TYPES);
    const sameDay = !PLANNED_TYPES.includes(type) && type !== 'campaign';
    const start = Math.max(shanghaiMs(date, 0), Date.parse(found[0].found_at) - between(20, 60) * MINUTE);
    const createdAt = sameDay ? start - between(30, 180) * MINUTE : shanghaiMs(addDays(date, -between(2, 14)), between(9 * 60, 17 * 60));
    const pair = pairOf(e);
    withFindings.push(
      visit(e, {
        type,
        date,
        inspectors: pair,
        creator: pair[0],
        createdAt: new Date(createdAt).toISOString(),
        unannounced: r() < (sameDay ? 0.6 : 0.2),
        found,
        span: [start, Date.parse(found[found.length - 1].found_at) + between(30, 90) * MINUTE],
        followsId: type === 'follow_up' ? earlier!.row.id : undefined,
      }),
    );
  }

  // Inspections that found nothing: follow-ups of earlier findings, and planned or campaign visits.
  const yesterday = addDays(today, -1);
  const quiet = (e: DemoEnforcementEnterprise, type: InspectionType, date: string, followsId?: string) => {
    if (date > yesterday || taken.has(`${e.id}|${date}`)) return;
    const start = shanghaiMs(date, between(9 * 60, 15 * 60));
    const pair = pairOf(e);
    visit(e, { type, date, inspectors: pair, creator: pair[0], createdAt: new Date(shanghaiMs(addDays(date, -between(1, 10)), between(9 * 60, 17 * 60))).toISOString(), unannounced: r() < 0.25, span: [start, start + between(60, 150) * MINUTE], followsId });
  };
  const quietCount = Math.round(withFindings.length * QUIET_SHARE);
  for (const v of withFindings) if (r() < 0.25) quiet(byId.get(v.row.enterprise_id)!, 'follow_up', workday(addDays(v.row.date, between(15, 60))), v.row.id);
  const first = Date.parse('2023-01-01T00:00:00+08:00');
  const span = shanghaiMs(yesterday, 0) - first;
  for (let n = visits.length - withFindings.length, tries = 0; n < quietCount && tries < quietCount * 3 && o.enterprises.length; tries++) {
    const before = visits.length;
    quiet(o.enterprises[Math.floor(r() * o.enterprises.length)], r() < 0.85 ? 'planned' : 'campaign', workday(shanghaiDate(new Date(first + Math.sqrt(r()) * span))));
    n += visits.length - before;
  }

  // 双随机 in Pudong, as createDraw makes them: three weeks ago (published, one of its inspections done) and this week.
  const week = periodOf('weekly', today);
  const drawSeed = () => Array.from({ length: 16 }, () => Math.floor(r() * 256).toString(16).padStart(2, '0')).join('');
  const pool = o.enterprises.filter((e) => e.district_code === DRAW_DISTRICT).map((e) => e.id).sort();
  const drawOfficer = o.officerOf(DRAW_DISTRICT);
  const inspectorById = new Map(o.inspectors.map((i) => [i.id, i]));
  const draw = (date: string, wanted: number, title: string, published: boolean, finishOne: boolean) => {
    const at = Math.min(shanghaiMs(date, 9 * 60 + 30), end - 5 * MINUTE);
    const createdAt = new Date(at).toISOString();
    const since = yearBefore(date);
    // Its district's inspectors, each but those who inspected it in the 12 months before the draw (an inspection started by then).
    const eligibleFor = (id: string) => {
      const recent = new Set((visitsOf.get(id) ?? []).filter((v) => v.row.started_at && v.row.started_at <= createdAt && v.row.date >= since && v.row.date <= date).flatMap((v) => v.inspectors.map((i) => i.id)));
      return eligibleIn(byId.get(id)!.district_code).map((u) => ({ id: u.id, recent: recent.has(u.id) }));
    };
    // No more than can be staffed: createDraw refuses a count it cannot staff.
    const count = Math.min(wanted, pool.filter((id) => eligibleFor(id).filter((u) => !u.recent).length >= 2).length);
    if (!count) return;
    const seed = drawSeed();
    const stored = { candidates: {} as Record<string, string[]>, excluded: [] as { enterpriseId: string; inspectorId: string; reason: 'conflict' | 'recent' }[] };
    let outcome: DrawOutcome;
    for (;;) {
      outcome = walkDraw(pool, seed, count, 2, (id) => stored.candidates[id], Math.max(50, count * 2));
      if (!outcome.unknown.length) break;
      for (const id of [...outcome.unknown].sort()) {
        stored.candidates[id] = [];
        for (const u of eligibleFor(id)) {
          if (u.recent) stored.excluded.push({ enterpriseId: id, inspectorId: u.id, reason: 'recent' });
          else stored.candidates[id].push(u.id);
        }
      }
    }
    const drawn = new Set(outcome.enterpriseIds);
    const id = o.newId();
    const hash = poolHash(pool);
    const filter = { districtCode: DRAW_DISTRICT };
    out.draws.push(
      newDrawRow({
        id,
        cityCode: byId.get(pool[0])!.city_code,
        districtCode: DRAW_DISTRICT,
        departmentId: null,
        title,
        filter,
        count,
        perInspection: 2,
        date,
        seed,
        pool,
        stored: { candidates: stored.candidates, excluded: stored.excluded.filter((x) => drawn.has(x.enterpriseId)), result: { enterpriseIds: outcome.enterpriseIds, assignments: outcome.assignments } },
        published,
        createdBy: drawOfficer.id,
        createdByName: drawOfficer.name,
        createdAt,
      }),
    );
    outcome.assignments.forEach((x, k) => {
      const done = finishOne && k === 0;
      visit(byId.get(x.enterpriseId)!, { type: 'random', date, inspectors: x.inspectorIds.map((u) => inspectorById.get(u)!), creator: drawOfficer, createdAt, unannounced: false, drawId: id, span: done ? [shanghaiMs(date, 14 * 60), shanghaiMs(date, 15 * 60 + 30)] : undefined });
    });
    const audit = (action: string, when: string, after: object) => out.audits.push({ at: when, actorId: drawOfficer.id, actorName: drawOfficer.username, action, entityType: 'draw', entityId: id, districtCode: DRAW_DISTRICT, after });
    const events: { action: string; at: string; data: object | null }[] = [{ action: 'draw', at: createdAt, data: { poolSize: pool.length, poolHash: hash, seed } }];
    audit('draw.made', createdAt, { poolHash: hash, poolSize: pool.length, seed, algorithm: ALGORITHM, count, filter, enterpriseIds: outcome.enterpriseIds });
    if (published) {
      const when = upTo(shanghaiMs(addDays(date, 1), 10 * 60));
      events.push({ action: 'publish', at: when, data: null });
      audit('draw.published', when, { published: true });
    }
    events.forEach((ev, k) => out.events.push({ id: o.newId(), entity_type: 'draw', entity_id: id, seq: k + 1, action: ev.action, actor_id: drawOfficer.id, actor_name: drawOfficer.name, at: ev.at, comment: null, data_json: ev.data ? JSON.stringify(ev.data) : null, file_ids_json: null }));
  };
  if (pool.length) {
    const earlier = workday(addDays(today, -21));
    draw(earlier, 3, `${earlier.slice(0, 7).replace('-', '年')}月双随机抽查`, true, true);
    draw(week.start, 3, `${week.start} 当周双随机抽查`, false, false);
  }

  // This week's work for the lead inspector: enterprises they already inspect, or not inspected yet.
  const lead = o.leadId ? inspectorById.get(o.leadId) : undefined;
  if (lead) {
    const local = o.enterprises.filter((e) => (!lead.district_code || e.district_code === lead.district_code) && !visitsOf.get(e.id)?.some((v) => v.row.status === 'planned'));
    const theirs = local.filter((e) => pairs.get(e.id)?.some((i) => i.id === lead.id) ?? true);
    const from = theirs.length >= 3 ? theirs : local;
    const left = daysBetween(today, week.due);
    for (const [k, type] of (['planned', 'planned', 'complaint'] as const).entries()) {
      const e = from.splice(Math.floor(r() * from.length), 1)[0];
      if (!e) break;
      const others = eligibleIn(e.district_code).filter((i) => i.id !== lead.id);
      const other = pairs.get(e.id)?.find((i) => i.id !== lead.id) ?? others[Math.floor(r() * others.length)];
      if (!other) break;
      if (!pairs.has(e.id)) pairs.set(e.id, [lead, other]);
      const createdAt = type === 'complaint' ? end - 2 * 60 * MINUTE : shanghaiMs(addDays(week.start, -3), 16 * 60);
      visit(e, { type, date: addDays(today, Math.min(k, left)), inspectors: [lead, other], creator: lead, createdAt: new Date(createdAt).toISOString(), unannounced: type === 'complaint' });
    }
  }

  // Cases on the last two years' inspections with findings: every major one, a few others.
  const thisYear = Number(today.slice(0, 4));
  const twoDaysAgo = addDays(today, -2);
  const cased = visits
    .filter((v) => v.found.length && v.row.date >= `${thisYear - 1}-01-01` && v.row.date <= twoDaysAgo)
    .sort((a, b) => (a.row.date < b.row.date ? -1 : a.row.date > b.row.date ? 1 : 0))
    .filter((v) => v.row.major_findings > 0 || r() < 0.08);
  const decisions = new Map<string, number>();
  if (o.provisionId) {
    for (const [k, v] of cased.entries()) out.cases.push(caseOf(v, FORCED[cased.length - 1 - k]));
  }
  function caseOf(v: Visit, forced: (typeof FORCED)[number] | undefined): CasesTable {
    const i = v.row;
    const officer = o.officerOf(i.district_code);
    const filer = v.inspectors[0];
    let decision: 'fine' | 'warning' = forced?.decision ?? (r() < 0.65 ? 'fine' : 'warning');
    const table = o.discretion;
    const c = decision === 'warning' ? table[0] : table[Math.min(table.length - 1, i.major_findings ? between(1, 2) : pick(r, [[0, 0.5], [1, 0.4], [2, 0.1]]))];
    if (c.maxYuan <= 0) decision = 'warning';
    const steps = decision === 'fine' ? ['file', 'decide', 'record_payment', 'close'] : ['file', 'decide', 'close'];
    const room = daysBetween(i.date, today);
    let gaps = steps.map((s) => (s === 'file' ? between(0, Math.min(4, room)) : s === 'decide' ? between(5, 25) : s === 'record_payment' ? between(2, 14) : between(1, 10)));
    const target = forced ? { filed: 0, decided: 1, executed: 2, closed: steps.length - 1 }[forced.status] : steps.length - 1;
    gaps = gaps.slice(0, target + 1);
    const total = gaps.reduce((s, g) => s + g, 0);
    if (forced && total > room) gaps = gaps.map((g) => Math.floor((g * room) / total));
    const dates: string[] = [];
    for (const g of gaps) {
      const d = addDays(dates.at(-1) ?? i.date, g);
      if (d > today) break;
      dates.push(d);
    }
    const fineYuan = decision === 'fine' ? Math.min(c.maxYuan, Math.max(500, c.minYuan) + Math.round((r() * Math.max(0, c.maxYuan - Math.max(500, c.minYuan))) / 500) * 500) : null;
    const id = o.newId();
    const hazardIds = v.found.map((h) => h.id);
    const violation = `未采取措施消除事故隐患：${v.found[0].description}${v.found.length > 1 ? `等 ${v.found.length} 项` : ''}`;
    const times: string[] = [];
    const at = (date: string, minutes: number) => times.push(upTo(Math.max(Date.parse(times.at(-1) ?? i.finished_at!) + 30 * MINUTE, shanghaiMs(date, minutes))));
    const row: CasesTable = {
      ...newCaseRow(i, { id, code: '', violation: violation.length > 1000 ? `${violation.slice(0, 999)}…` : violation, provisionIds: [o.provisionId!], hazardIds, filedOn: dates[0], createdBy: filer.id, at: '' }),
      version: dates.length,
    };
    const events: { actor: DemoPerson; action: string; comment: string | null; data: object }[] = [];
    at(dates[0], between(9 * 60, 11 * 60));
    events.push({ actor: filer, action: 'file', comment: row.violation, data: { provisionIds: [o.provisionId], hazardIds } });
    for (const [k, d] of dates.entries()) {
      if (steps[k] === 'decide') {
        const key = `${i.district_code}|${d.slice(0, 4)}`;
        const n = (decisions.get(key) ?? 0) + 1;
        decisions.set(key, n);
        const documentNo = `${o.districtNames.get(i.district_code) ?? i.district_code}应急罚〔${d.slice(0, 4)}〕${n}号`;
        Object.assign(row, { status: 'decided', decision, circumstance: c.code, discretion_json: JSON.stringify(c), fine_fen: fineYuan === null ? null : fineYuan * 100, decided_on: d, document_no: documentNo });
        at(d, 15 * 60);
        events.push({ actor: officer, action: 'decide', comment: null, data: { decision, circumstance: c.code, ...(fineYuan === null ? {} : { fineYuan }), decidedOn: d, documentNo } });
      } else if (steps[k] === 'record_payment') {
        Object.assign(row, { status: 'executed', paid_fen: fineYuan! * 100, paid_on: d });
        at(d, 11 * 60);
        events.push({ actor: officer, action: 'record_payment', comment: null, data: { paidYuan: fineYuan, paidOn: d } });
      } else if (steps[k] === 'close') {
        Object.assign(row, { status: 'closed', closed_on: d });
        at(d, 16 * 60);
        events.push({ actor: officer, action: 'close', comment: null, data: { closedOn: d } });
      }
    }
    row.created_at = times[0];
    row.updated_at = times.at(-1)!;
    events.forEach((e, k) => out.events.push({ id: o.newId(), entity_type: 'case', entity_id: id, seq: k + 1, action: e.action, actor_id: e.actor.id, actor_name: e.actor.name, at: times[k], comment: e.comment, data_json: JSON.stringify(e.data), file_ids_json: null }));
    return row;
  }

  // Each inspection's timeline, inspectors and findings' origins.
  for (const v of visits) {
    const i = v.row;
    const lead = v.inspectors[0];
    const events: [DemoPerson, string, string, object | null][] = [[v.creator, 'create', i.created_at, { type: i.type, date: i.date, inspectorIds: v.inspectors.map((p) => p.id), drawId: i.draw_id }]];
    if (i.started_at) events.push([lead, 'start', i.started_at, null]);
    for (const at of [...new Set(v.found.map((h) => h.found_at))]) {
      const found = v.found.filter((h) => h.found_at === at);
      events.push([lead, 'findings', at, { hazardIds: found.map((h) => h.id), major: found.filter((h) => h.grade === 'major').length }]);
    }
    if (i.finished_at) events.push([lead, 'finish', i.finished_at, { signedBy: i.signed_by, refused: false, results: 0 }]);
    events.forEach(([who, action, at, data], k) => out.events.push({ id: o.newId(), entity_type: 'inspection', entity_id: i.id, seq: k + 1, action, actor_id: who.id, actor_name: who.name, at, comment: null, data_json: data ? JSON.stringify(data) : null, file_ids_json: null }));
    v.inspectors.forEach((p, seq) => out.inspectors.push({ inspection_id: i.id, user_id: p.id, seq }));
    for (const h of v.found) out.origins.push({ hazard_id: h.id, origin_type: 'inspection', origin_id: i.id, origin_item_id: null, created_at: h.found_at });
    out.inspections.push(i);
  }

  // Codes in the order the records were made, per district and year, after any already given.
  const seqs = new Map(o.seqs);
  const code = <T extends { code: string; district_code: string; created_at: string }>(kind: string, rows: T[], yearOf: (x: T) => string) => {
    const sorted = rows.map((x, k) => ({ x, k })).sort((a, b) => (a.x.created_at < b.x.created_at ? -1 : a.x.created_at > b.x.created_at ? 1 : a.k - b.k));
    for (const { x } of sorted) {
      const year = yearOf(x);
      const key = `${kind}|${x.district_code}|${year}`;
      const seq = (seqs.get(key) ?? 0) + 1;
      seqs.set(key, seq);
      x.code = `${kind}-${x.district_code}-${year}-${String(seq).padStart(6, '0')}`;
    }
  };
  code('JC', out.inspections, (x) => x.date.slice(0, 4));
  code('AJ', out.cases, (x) => x.filed_on.slice(0, 4));
  for (const [key, seq] of seqs) {
    const [kind, district_code, year] = key.split('|');
    if (o.seqs?.get(key) !== seq) out.counters.push({ kind, district_code, year: Number(year), seq });
  }

  // Plans of the last three years, this year's with key units (the riskiest first), each done as the inspections say.
  const done = new Map<string, number>();
  for (const i of out.inspections) {
    if (i.status === 'finished' && PLANNED_TYPES.includes(i.type)) done.set(`${i.enterprise_id}|${i.date.slice(0, 4)}`, (done.get(`${i.enterprise_id}|${i.date.slice(0, 4)}`) ?? 0) + 1);
  }
  const cells = JSON.stringify(EXAMPLE_CELLS.map((c) => ({ ...c, from: 'example' })));
  const risk: Record<RiskClass, number> = { major: 0, high: 1, general: 2, low: 3 };
  for (const district of [...new Set(o.enterprises.map((e) => e.district_code))].sort()) {
    const ents = o.enterprises.filter((e) => e.district_code === district);
    const officer = o.officerOf(district);
    const keys = new Set(
      ents
        .map((e) => ({ e, x: risk[e.risk_class] + r() * 2 }))
        .sort((a, b) => a.x - b.x)
        .slice(0, between(3, 5))
        .map(({ e }) => e.id),
    );
    for (let year = thisYear - PLAN_YEARS + 1; year <= thisYear; year++) {
      const current = year === thisYear;
      if (current) for (const id of keys) out.keyUnits.push({ district_code: district, year, enterprise_id: id, city_code: ents[0].city_code, added_by: officer.id, added_at: upTo(shanghaiMs(`${year}-01-05`, 9 * 60)) });
      const id = o.newId();
      out.plans.push({ id, city_code: ents[0].city_code, district_code: district, department_id: null, owner_key: 'district', year, matrix_json: cells, created_by: officer.id, created_by_name: officer.name, created_at: upTo(shanghaiMs(`${year}-01-05`, 10 * 60)) });
      for (const e of ents) {
        const key = current && keys.has(e.id);
        const n = plannedCount(EXAMPLE_CELLS, e, key);
        out.planItems.push({ plan_id: id, enterprise_id: e.id, planned: n, months_json: JSON.stringify(plannedMonths(n, e.id)), key_unit: key ? 1 : 0, done: done.get(`${e.id}|${year}`) ?? 0 });
      }
    }
  }
  return out;
}

export interface DemoEnforcementCounts {
  plans: number;
  keyUnits: number;
  inspections: number;
  finished: number;
  withFindings: number;
  draws: number;
  cases: number;
  fines: number;
}

/**
 * Loads the demo's enforcement into a city whose enterprises, accounts and hazards are loaded (in the
 * caller's transaction), with its figures, code counters and the draws' audit records.
 */
export async function insertDemoEnforcement(db: Kysely<DB>, dialect: DialectName, o: { now: Date; cityCode: string; seed?: number }): Promise<DemoEnforcementCounts> {
  const users = await db.selectFrom('users').select(['id', 'username', 'role', 'region_code', 'district_code', 'display_name']).where('status', '=', 'active').where('city_code', '=', o.cityCode).orderBy('username').execute();
  const person = (u: (typeof users)[number]): DemoPerson => ({ id: u.id, name: u.display_name, username: u.username, district_code: u.district_code });
  const city = users.find((u) => u.role === 'city_officer' && u.region_code === o.cityCode) ?? users.find((u) => u.role === 'city_admin');
  if (!city) throw new Error('the demo enforcement needs a city officer or administrator');
  const officers = new Map(users.filter((u) => u.role === 'district_officer' && u.district_code).map((u) => [u.district_code!, person(u)]));
  const inspectors = users.filter((u) => u.role === 'inspector').map(person);
  // By username, Pudong's first: inspector-pd.
  const lead = inspectors.find((i) => i.district_code === DRAW_DISTRICT);
  const enterprises = await db
    .selectFrom('enterprises')
    .select(['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'principal_name', 'risk_class', 'standardization_level'])
    .where('city_code', '=', o.cityCode)
    .orderBy('id')
    .execute();
  const findings = await db
    .selectFrom('hazards')
    .select(['id', 'enterprise_id', 'found_at', 'grade', 'description'])
    .where('city_code', '=', o.cityCode)
    .where('source', '=', 'enforcement_inspection')
    .orderBy('found_at')
    .orderBy('id')
    .execute()
    .then(withIsoFoundAt);
  const regions = await db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'district').execute();
  const provision = await db.selectFrom('legal_provisions').select('id').where('city_code', '=', o.cityCode).where('article', '=', CASE_ARTICLE).where('active', '=', 1).orderBy('created_at').executeTakeFirst();
  const counters = await db.selectFrom('record_code_counters').selectAll().execute();
  const g = generateDemoEnforcement({
    enterprises: enterprises.map((e) => ({ ...e, risk_class: e.risk_class as RiskClass, standardization_level: e.standardization_level as StandardizationLevel })),
    inspectors: inspectors.sort((a, b) => (a.id < b.id ? -1 : 1)),
    officerOf: (d) => officers.get(d) ?? person(city),
    findings,
    districtNames: new Map(regions.map((x) => [x.code, x.name])),
    provisionId: provision?.id ?? null,
    discretion: await discretionTable(db, o.cityCode, shanghaiDate(o.now)),
    leadId: lead?.id,
    now: o.now,
    seqs: new Map(counters.map((c) => [`${c.kind}|${c.district_code}|${c.year}`, c.seq])),
    seed: o.seed,
    newId: uuidv7,
  });

  await insertMany(db, dialect, 'key_units', g.keyUnits);
  await insertMany(db, dialect, 'inspection_plans', g.plans);
  await insertMany(db, dialect, 'inspection_plan_items', g.planItems);
  await insertMany(db, dialect, 'draws', g.draws);
  // In the order made: a follow-up after the inspection it follows.
  await insertMany(db, dialect, 'inspections', g.inspections);
  await insertMany(db, dialect, 'inspection_inspectors', g.inspectors);
  await insertMany(db, dialect, 'hazard_origins', g.origins);
  await insertMany(db, dialect, 'cases', g.cases);
  await insertMany(db, dialect, 'record_events', g.events);
  await saveRecordCodeSeqs(db, g.counters);
  const delta = new EnforcementDelta();
  // Their findings' state on the ledger now (closed, voided), as the bulletin's rectification rate counts them.
  const states = await findingStates(db, g.inspections.filter((i) => i.findings > 0).map((i) => i.id));
  for (const i of g.inspections) if (i.status === 'finished') delta.finished(i, states.get(i.id));
  for (const c of g.cases) {
    delta.filed(c);
    if (c.decided_on && c.decision) delta.decided({ ...c, decided_on: c.decided_on, decision: c.decision });
  }
  await delta.apply(db, dialect);
  // The audit log keeps each draw's pool hash and seed, where a replay checks them.
  for (const a of g.audits) await appendAudit(db, { chain: o.cityCode, ...a });
  return {
    plans: g.plans.length,
    keyUnits: g.keyUnits.length,
    inspections: g.inspections.length,
    finished: g.inspections.filter((i) => i.status === 'finished').length,
    withFindings: g.inspections.filter((i) => i.findings > 0).length,
    draws: g.draws.length,
    cases: g.cases.length,
    fines: g.cases.filter((c) => c.decision === 'fine').length,
  };
}
