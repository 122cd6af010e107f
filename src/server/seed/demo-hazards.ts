/**
 * Synthetic hazards for the demo city and the benchmarks: deterministic, spread over 2023 to
 * the given day, with the proportions a real ledger shows — mostly general, a few percent major
 * with clauses, old stock still open, some overdue, some under listed supervision, many fixed
 * on the spot, some rejected once before acceptance. Pure: rows in, rows out.
 */
import type { HazardEventsTable, HazardsTable } from '../db/schema';
import { hazardSearchTokens } from '../modules/hazards/search';

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

function mulberry32(seed: number) {
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

const DESCRIPTIONS = [
  ['配电箱未可靠接地，箱内电缆绝缘层破损', '配电间'],
  ['消防通道被货物堵塞，应急出口上锁', '一层仓库'],
  ['灭火器压力不足，部分已过检验期', '生产车间'],
  ['有限空间作业未审批，未检测气体即进入', '污水处理池'],
  ['粉尘区域除尘器未设泄爆装置', '打磨工段'],
  ['叉车司机无特种作业操作证', '装卸区'],
  ['危险化学品未分类存放，缺少安全技术说明书', '化学品库'],
  ['冲压设备双手操作按钮失效', '冲压车间'],
  ['高处作业未系安全带，防护栏杆缺失', '二层平台'],
  ['燃气管道软管老化，未安装泄漏报警装置', '员工食堂厨房'],
  ['电动葫芦限位器失灵', '装配车间'],
  ['安全出口指示灯损坏', '办公楼走廊'],
  ['员工未进行三级安全教育培训', '安全管理'],
  ['应急预案未演练，演练记录缺失', '安全管理'],
  ['脚手架连墙件设置不足', '施工现场'],
  ['液氨制冷车间氨气泄漏报警器未联动', '制冷机房'],
  ['电焊作业现场无看火人，周边有易燃物', '维修区'],
  ['货架超高堆放，未固定', '成品仓库'],
] as const;

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

export interface GenerateHazardsOptions {
  enterprises: HazardSeedEnterprise[];
  /** Clause ids a major hazard may cite (lead-in sentences excluded). */
  clauseIds: string[];
  count: number;
  /** The demo's "today": nothing is found or happens after it. */
  now: Date;
  seed?: number;
  /** Makes ids; the demo uses UUIDv7, tests may use a counter. */
  newId: () => string;
  /** Code sequences to continue from (per `district-year`), so several calls never repeat a code. */
  seqs?: Map<string, number>;
  /** Name shown for steps officers take, by district code. */
  officerName?: (districtCode: string) => string;
}

export function generateDemoHazards(o: GenerateHazardsOptions): GeneratedHazards {
  if (!o.enterprises.length) throw new Error('generateDemoHazards needs enterprises');
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
    const major = r() < 0.04 && o.clauseIds.length > 0;
    const source = pick(r, SOURCES);
    const [description, location] = DESCRIPTIONS[Math.floor(r() * DESCRIPTIONS.length)];
    const ageDays = (end - found) / DAY;
    const enterpriseActor = ent.safetyManagerName ?? `${ent.name}安全员`;
    const finder = source === 'self_check' ? enterpriseActor : officer(ent.districtCode);
    const id = o.newId();
    const evs: Omit<HazardEventsTable, 'id' | 'hazard_id' | 'seq'>[] = [];
    const step = (action: string, from: string | null, to: string, at: number, actor: string, comment: string | null = null, data: Record<string, unknown> | null = null) =>
      evs.push({ action, from_status: from, to_status: to, actor_id: null, actor_name: actor, at: iso(Math.min(at, end)), comment, data_json: data ? JSON.stringify(data) : null });

    step('report', null, 'reported', found, finder);
    let status: HazardsTable['status'] = 'reported';
    let deadline: string | null = null;
    let closedAt: number | null = null;
    let plan: string | null = null;
    let supervision: HazardsTable['supervision_level'] = 'none';

    // Most old hazards are closed; the stock still open thins with age.
    const openChance = ageDays < 30 ? 0.55 : ageDays < 180 ? 0.12 : ageDays < 365 ? 0.04 : 0.012;
    const staysOpen = r() < openChance;
    const voided = !staysOpen && r() < 0.01;

    if (major) {
      const level = r();
      supervision = level < 0.15 ? 'city' : level < 0.65 ? 'district' : 'none';
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

    const events_ = evs.filter((e) => Date.parse(e.at) <= end);
    const lastAt = events_[events_.length - 1].at;
    const code = `YH-${ent.districtCode}-${year}-${String(seq).padStart(6, '0')}`;
    hazards.push({
      id,
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
      found_at: iso(found),
      reported_by: null,
      deadline,
      responsible_name: deadline ? enterpriseActor : null,
      responsible_phone: null,
      plan_json: plan,
      supervision_level: supervision,
      status,
      version: events_.length,
      closed_at: closedAt === null ? null : iso(closedAt),
      search_tokens: hazardSearchTokens({ code, description, location, enterpriseName: ent.name, district_code: ent.districtCode }),
      created_at: iso(found),
      updated_at: lastAt,
    });
    events_.forEach((e, k) => events.push({ ...e, id: o.newId(), hazard_id: id, seq: k + 1 }));
    if (major) {
      const n = 1 + (r() < 0.2 ? 1 : 0);
      const chosen = new Set<string>();
      while (chosen.size < Math.min(n, o.clauseIds.length)) chosen.add(o.clauseIds[Math.floor(r() * o.clauseIds.length)]);
      for (const c of chosen) clauses.push({ hazard_id: id, clause_id: c });
    }
  }
  const counters = [...seqs].map(([k, seq]) => {
    const [district_code, year] = k.split('-');
    return { district_code, year: Number(year), seq };
  });
  return { hazards, events, clauses, counters };
}
