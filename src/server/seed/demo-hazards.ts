/**
 * Synthetic hazards for the demo city and the benchmarks: deterministic, spread over 2023 to
 * the given day, with the proportions a real ledger shows — mostly general, a few percent major
 * with clauses, old stock still open, some overdue, some under listed supervision, many fixed
 * on the spot, some rejected once before acceptance. A major hazard is what a clause of a standard
 * that applies to its enterprise's industry describes, and cites that clause; a general one is an
 * everyday finding no judgement standard makes major. Pure: rows in, rows out.
 */
import type { HazardEventsTable, HazardsTable } from '../db/schema';
import type { DialectName } from '../db/dialect';
import { isoInstant, storedInstant } from '../db/instants';
import { hazardSearchColumn } from '../modules/hazards/search';
import { storedFrom } from '../modules/hazards/event-chain';

export interface HazardSeedEnterprise {
  id: string;
  cityCode: string;
  districtCode: string;
  streetCode: string | null;
  industryCode: string;
  name: string;
  safetyManagerName: string | null;
}

export interface GeneratedHazards {
  hazards: HazardsTable[];
  events: HazardEventsTable[];
  clauses: { hazard_id: string; clause_id: string }[];
  counters: { district_code: string; year: number; seq: number }[];
}

/** mulberry32: a small seeded generator of floats in [0, 1), for deterministic demo data. */
export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;
const dateOf = (ms: number) => new Date(ms + SHANGHAI).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();

/** Hazards as the demo generators read them: `found_at` as ISO-8601 (the ledger stores milliseconds, `db/instants.ts`). */
export const withIsoFoundAt = <T extends { found_at: number }>(rows: T[]): (Omit<T, 'found_at'> & { found_at: string })[] => rows.map((h) => ({ ...h, found_at: isoInstant(h.found_at) }));

/** Everyday findings of general hazards. */
const DESCRIPTIONS = [
  ['配电箱箱门未关闭，箱内积尘', '配电间'],
  ['消防通道局部堆放杂物', '一层仓库'],
  ['灭火器压力不足，部分已过检验期', '生产车间'],
  ['叉车未按规定每日点检，记录缺失', '装卸区'],
  ['化学品安全技术说明书未张贴在存放点', '化学品库'],
  ['冲压设备防护罩固定螺栓松动', '冲压车间'],
  ['二层平台防护栏杆局部松动', '二层平台'],
  ['燃气软管老化，未按期更换', '员工食堂厨房'],
  ['电动葫芦吊钩防脱钩装置缺失', '装配车间'],
  ['安全出口指示灯损坏', '办公楼走廊'],
  ['新入职员工三级安全教育记录不全', '安全管理'],
  ['应急预案演练记录缺失', '安全管理'],
  ['车间通道标线磨损不清', '生产车间'],
  ['电焊作业现场未配备灭火器', '维修区'],
  ['货架未张贴限重标识', '成品仓库'],
] as const;

/** A clause as a finding: its condition without the legal "…的。" ending. */
const findingOf = (clause: string) => clause.trim().replace(/的?[。；;，,]*$/, '');

const SOURCES: [string, number][] = [
  ['self_check', 0.45],
  ['routine_inspection', 0.2],
  ['enforcement_inspection', 0.12],
  ['expert_inspection', 0.08],
  ['tip', 0.05],
  ['third_party', 0.05],
  ['other', 0.05],
];

function pick<T>(r: () => number, items: [T, number][]): T {
  let x = r();
  for (const [v, w] of items) {
    if ((x -= w) < 0) return v;
  }
  return items[items.length - 1][0];
}

export interface SeedClause {
  id: string;
  text: string;
}

export interface GenerateHazardsOptions {
  enterprises: HazardSeedEnterprise[];
  /** The clauses a major hazard of an enterprise in this industry may cite: of standards that apply to it, no lead-ins. */
  clausesFor: (industryCode: string) => readonly SeedClause[];
  count: number;
  /** The demo's "today": nothing is found or happens after it. */
  now: Date;
  seed?: number;
  /** Makes ids; the demo uses UUIDv7, tests may use a counter. */
  newId: () => string;
  /** The hazards' numbers (`hazards.num`), one for each of `count`: `db/hazard-numbers.ts reserveHazardNums`. */
  nums: readonly number[];
  /** Code sequences to continue from (per `district-year`), so several calls never repeat a code. */
  seqs?: Map<string, number>;
  /** The database the rows go to: SQLite keeps no search tokens in the row (migration 31). */
  dialect: DialectName;
  /** Name shown for steps officers take, by district code. */
  officerName?: (districtCode: string) => string;
}

export function generateDemoHazards(o: GenerateHazardsOptions): GeneratedHazards {
  if (!o.enterprises.length) throw new Error('generateDemoHazards needs enterprises');
  if (o.nums.length !== o.count) throw new Error(`generateDemoHazards needs ${o.count} hazard numbers, was given ${o.nums.length}`);
  const r = mulberry32(o.seed ?? 7);
  const end = o.now.getTime();
  const start = Date.parse('2023-01-01T00:00:00+08:00');
  const span = end - start;
  const officer = o.officerName ?? ((d: string) => `${d} 安委办`);
  const hazards: HazardsTable[] = [];
  const events: HazardEventsTable[] = [];
  const clauses: GeneratedHazards['clauses'] = [];
  const seqs = o.seqs ?? new Map<string, number>();

  // Found times lean towards the present (more checking as the campaign goes on), in time order.
  const times = Array.from({ length: o.count }, () => start + Math.sqrt(r()) * span).sort((a, b) => a - b);

  for (let i = 0; i < o.count; i++) {
    const ent = o.enterprises[Math.floor(r() * o.enterprises.length)];
    const found = Math.floor(times[i]);
    const year = Number(dateOf(found).slice(0, 4));
    const key = `${ent.districtCode}-${year}`;
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    const applicable = o.clausesFor(ent.industryCode);
    const major = r() < 0.04 && applicable.length > 0;
    const source = pick(r, SOURCES);
    const everyday = DESCRIPTIONS[Math.floor(r() * DESCRIPTIONS.length)];
    const cited = major ? applicable[Math.floor(r() * applicable.length)] : null;
    const description = cited ? findingOf(cited.text) : everyday[0];
    const location = cited ? '生产经营现场' : everyday[1];
    const ageDays = (end - found) / DAY;
    const enterpriseActor = ent.safetyManagerName ?? `${ent.name}安全员`;
    const finder = source === 'self_check' ? enterpriseActor : officer(ent.districtCode);
    const id = o.newId();
    const num = o.nums[i];
    const evs: Omit<HazardEventsTable, 'hazard_num' | 'seq'>[] = [];
    const step = (action: string, from: string | null, to: string, at: number, actor: string, comment: string | null = null, data: Record<string, unknown> | null = null) =>
      evs.push({ action, from_status: from, to_status: to, actor_id: null, actor_name: actor, at: storedInstant(iso(Math.min(at, end))), comment, data_json: data ? JSON.stringify(data) : null });

    step('report', null, 'reported', found, finder);
    let status: HazardsTable['status'] = 'reported';
    let deadline: string | null = null;
    let closedAt: number | null = null;
    let plan: string | null = null;
    let supervision: HazardsTable['supervision_level'] = 'none';

    // Most old hazards are closed; the stock still open thins with age.
    // A major hazard takes months (a plan, funds, often a stop), so more of the recent ones are still open.
    const openChance = major ? (ageDays < 90 ? 0.6 : ageDays < 365 ? 0.1 : 0.02) : ageDays < 30 ? 0.55 : ageDays < 180 ? 0.12 : ageDays < 365 ? 0.04 : 0.012;
    const staysOpen = r() < openChance;
    const voided = !staysOpen && r() < 0.01;

    if (major) {
      const level = r();
      // Major hazards are listed for supervision (挂牌督办), most by their district; a few wait to be listed.
      supervision = level < 0.15 ? 'city' : level < 0.9 ? 'district' : 'none';
      if (supervision !== 'none') step('supervise', 'reported', 'reported', found + 1_800_000, supervision === 'city' ? '市安委办' : officer(ent.districtCode), null, { from: 'none', to: supervision });
    }

    if (voided) {
      step('void', 'reported', 'voided', found + DAY, officer(ent.districtCode), '重复登记');
      status = 'voided';
    } else if (!major && !staysOpen && r() < 0.35) {
      step('fix_on_spot', 'reported', 'closed', found + 2 * 3_600_000, source === 'self_check' ? enterpriseActor : finder, '现场立即整改完毕');
      status = 'closed';
      closedAt = found + 2 * 3_600_000;
    } else if (staysOpen && ageDays < 3 && r() < 0.5) {
      status = 'reported';
    } else {
      const assignedAt = found + Math.floor(r() * 2 * DAY) + 3_600_000;
      const days = major ? 30 + Math.floor(r() * 60) : 7 + Math.floor(r() * 30);
      deadline = dateOf(assignedAt + days * DAY);
      if (major) {
        plan = JSON.stringify({ measures: '制定专项整改措施，停用相关设备设施直至整改完毕', fundsFen: (5 + Math.floor(r() * 95)) * 100_000, responsibleName: enterpriseActor, deadline, contingencyPlan: '落实临时管控和应急处置措施' });
      }
      step('assign', 'reported', 'rectifying', assignedAt, source === 'self_check' ? enterpriseActor : officer(ent.districtCode), null, { deadline });
      status = 'rectifying';
      const deadlineMs = Date.parse(`${deadline}T16:00:00Z`);
      if (!staysOpen) {
        const late = r() < 0.15;
        const submitAt = late ? deadlineMs + Math.floor(r() * 20) * DAY : assignedAt + Math.floor(r() * Math.max(1, deadlineMs - assignedAt));
        step('submit', 'rectifying', 'pending_acceptance', submitAt, enterpriseActor, '已按要求完成整改');
        let acceptAt = submitAt + Math.floor((1 + r() * 5) * DAY);
        if (r() < 0.08) {
          step('reject', 'pending_acceptance', 'rectifying', acceptAt, officer(ent.districtCode), '整改不到位，需补充佐证材料');
          const again = acceptAt + Math.floor((1 + r() * 7) * DAY);
          step('submit', 'rectifying', 'pending_acceptance', again, enterpriseActor, '已补充整改');
          acceptAt = again + Math.floor((1 + r() * 4) * DAY);
        }
        if (acceptAt < end) {
          step('accept', 'pending_acceptance', 'closed', acceptAt, major && supervision === 'city' ? '市安委办' : officer(ent.districtCode), '验收合格，同意销号');
          status = 'closed';
          closedAt = acceptAt;
        } else {
          status = 'pending_acceptance';
        }
      } else if (r() < 0.3) {
        step('submit', 'rectifying', 'pending_acceptance', assignedAt + Math.floor(r() * Math.max(DAY, Math.min(end, deadlineMs) - assignedAt)), enterpriseActor, '已整改，申请验收');
        status = 'pending_acceptance';
      }
    }

    const events_ = evs.filter((e) => e.at <= end);
    const lastAt = events_[events_.length - 1].at;
    const code = `YH-${ent.districtCode}-${year}-${String(seq).padStart(6, '0')}`;
    hazards.push({
      id,
      num,
      code,
      city_code: ent.cityCode,
      district_code: ent.districtCode,
      street_code: ent.streetCode,
      enterprise_id: ent.id,
      industry_code: ent.industryCode,
      department_id: null,
      description,
      location,
      lng: null,
      lat: null,
      category: null,
      grade: major ? 'major' : 'general',
      source,
      found_by_name: finder,
      found_at: found,
      reported_by: null,
      deadline,
      responsible_name: deadline ? enterpriseActor : null,
      responsible_phone: null,
      plan_json: plan,
      supervision_level: supervision,
      status,
      version: events_.length,
      closed_at: closedAt,
      search_tokens: hazardSearchColumn(o.dialect, { code, description, location, enterpriseName: ent.name, district_code: ent.districtCode }),
      created_at: found,
      updated_at: lastAt,
    });
    events_.forEach((e, k) => events.push({ ...e, from_status: storedFrom(e.from_status, k > 0 ? events_[k - 1].to_status : null, k + 1), hazard_num: num, seq: k + 1 }));
    if (cited) clauses.push({ hazard_id: id, clause_id: cited.id });
  }
  const counters = [...seqs].map(([k, seq]) => {
    const [district_code, year] = k.split('-');
    return { district_code, year: Number(year), seq };
  });
  return { hazards, events, clauses, counters };
}
