/**
 * 区情月报: one district's month — the month's figures, against the previous month and the same
 * month last year, the ten enterprises with most open hazards, the overdue major hazards, and a
 * chart of found versus closed over twelve months. Every figure is the ledger as it stood at the
 * month's end (24:00 on its last day, Shanghai): a hazard closed, extended, transferred or voided
 * since, or recorded since, does not change a past month's report, so the report stays evidence.
 */
import { AlignmentType, Document, ImageRun, Packer, Paragraph } from 'docx';
import { sql, type Kysely } from 'kysely';
import { addDays } from '../../../shared/dates';
import { OPEN_STATUSES, type HazardGrade, type HazardStatus, type SupervisionLevel } from '../../../shared/contracts/hazards';
import type { ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { storedInstant } from '../../db/instants';
import { AppError, notFound } from '../../errors/app-error';
import { shanghaiDate } from '../hazards/workflow';
import { barChartPng, barChartSvg } from './bar-chart';
import { ACCIDENT_GRADE_LABELS, CONCEALMENT_LABELS, trendVerdict, type AccidentGrade, type Verdict } from '../../../shared/contracts/accidents';
import { chineseDate, para, run, SIZE, table, title } from './docx-kit';
import { eventIs } from '../hazards/event-actions';

const SHANGHAI = 8 * 3_600_000;
/** The instant a Shanghai month begins, as an ISO string (month index may overflow). */
const monthStart = (y: number, m0: number) => new Date(Date.UTC(y, m0, 1) - SHANGHAI).toISOString();
const monthKey = (y: number, m0: number) => new Date(Date.UTC(y, m0, 1)).toISOString().slice(0, 7);

/** A hazard as the ledger held it at an instant. */
interface HeldHazard {
  id: string;
  code: string;
  enterpriseId: string;
  description: string;
  grade: HazardGrade;
  status: HazardStatus;
  deadline: string | null;
  supervision: SupervisionLevel;
  /** Stored instants (`db/instants.ts`). */
  foundAt: number;
  closedAt: number | null;
}

const CHUNK = 500;

/**
 * The district's ledger at the instant `end`: every hazard recorded by then that lay in the district
 * then, in its state then. A hazard untouched since keeps its row as it is; one changed since is
 * folded from its timeline up to `end` (status, deadline, supervision, and its district before a
 * later transfer).
 */
export async function ledgerAt(db: Kysely<DB>, district: string, end: string): Promise<HeldHazard[]> {
  const endMs = storedInstant(end);
  const rows = await db
    .selectFrom('hazards')
    .select(['id', 'num', 'code', 'enterprise_id', 'description', 'grade', 'status', 'deadline', 'supervision_level', 'found_at', 'closed_at', 'created_at', 'updated_at', 'district_code'])
    .where('created_at', '<', endMs)
    .where((eb) => eb.or([eb('district_code', '=', district), eb('num', 'in', eb.selectFrom('hazard_events').select('hazard_num').where(eventIs('transfer')).where('at', '>=', endMs))]))
    .execute();
  const changed = rows.filter((r) => r.updated_at >= endMs);
  const timelines = new Map<number, { action: string; to_status: string; data_json: string | null; at: number }[]>();
  for (let i = 0; i < changed.length; i += CHUNK) {
    const events = await db
      .selectFrom('hazard_events')
      .select(['hazard_num', 'action', 'to_status', 'data_json', 'at'])
      .where('hazard_num', 'in', changed.slice(i, i + CHUNK).map((r) => r.num))
      .orderBy('hazard_num')
      .orderBy('seq')
      .execute();
    for (const e of events) timelines.set(e.hazard_num, [...(timelines.get(e.hazard_num) ?? []), e]);
  }
  const out: HeldHazard[] = [];
  for (const r of rows) {
    const held: HeldHazard = {
      id: r.id,
      code: r.code,
      enterpriseId: r.enterprise_id,
      description: r.description,
      grade: r.grade,
      status: r.status,
      deadline: r.deadline,
      supervision: r.supervision_level,
      foundAt: r.found_at,
      closedAt: r.closed_at,
    };
    let where = r.district_code;
    if (r.updated_at >= endMs) {
      const timeline = timelines.get(r.num) ?? [];
      const before = timeline.filter((e) => e.at < endMs);
      if (!before.length) continue;
      const data = (e: { data_json: string | null }) => (e.data_json ? (JSON.parse(e.data_json) as Record<string, unknown>) : {});
      held.status = before[before.length - 1].to_status as HazardStatus;
      held.deadline = null;
      held.supervision = 'none';
      for (const e of before) {
        if (e.action === 'assign') held.deadline = (data(e).deadline as string | undefined) ?? held.deadline;
        if (e.action === 'extend') held.deadline = (data(e).newDeadline as string | undefined) ?? held.deadline;
        if (e.action === 'supervise') held.supervision = (data(e).to as SupervisionLevel | undefined) ?? held.supervision;
      }
      if (held.status !== 'closed') held.closedAt = null;
      const laterTransfer = timeline.find((e) => e.at >= endMs && e.action === 'transfer');
      if (laterTransfer) where = ((data(laterTransfer).from as { districtCode?: string } | undefined)?.districtCode ?? where) as string;
    }
    if (where === district) out.push(held);
  }
  return out;
}

const isOpen = (h: HeldHazard) => (OPEN_STATUSES as readonly string[]).includes(h.status);

export interface MonthFigures {
  found: number;
  closed: number;
  fixedOnSpot: number;
  openAtEnd: number;
  overdueAtEnd: number;
  closureRate: number | null;
  medianDaysToClose: number | null;
}

/** A month's figures from the ledger as it stood at the month's end. */
async function figures(db: Kysely<DB>, district: string, y: number, m0: number): Promise<{ figures: MonthFigures; held: HeldHazard[]; endDay: string }> {
  const from = monthStart(y, m0);
  const to = monthStart(y, m0 + 1);
  // Overdue at the month's end: its deadline (which ends at 24:00 that day) is the last day or before.
  const nextDay = shanghaiDate(new Date(to));
  const held = await ledgerAt(db, district, to);
  const [fromMs, toMs] = [storedInstant(from), storedInstant(to)];
  const inMonth = (at: number | null) => at !== null && at >= fromMs && at < toMs;
  const closedRows = held.filter((h) => h.status === 'closed' && inMonth(h.closedAt));
  const ids = new Set(held.map((h) => h.id));
  const fixed = await db
    .selectFrom('hazard_events')
    .innerJoin('hazards', 'hazards.num', 'hazard_events.hazard_num')
    .select('hazards.id as hazard_id')
    .where(eventIs('fix_on_spot'))
    .where('hazard_events.at', '>=', fromMs)
    .where('hazard_events.at', '<', toMs)
    .execute();
  const counted = held.filter((h) => h.status !== 'voided');
  const days = closedRows.map((r) => (r.closedAt! - r.foundAt) / 86_400_000).sort((a, b) => a - b);
  const median = days.length ? (days.length % 2 ? days[(days.length - 1) / 2] : (days[days.length / 2 - 1] + days[days.length / 2]) / 2) : null;
  return {
    held,
    endDay: shanghaiDate(new Date(Date.parse(to) - 1)),
    figures: {
      found: held.filter((h) => inMonth(h.foundAt)).length,
      closed: closedRows.length,
      fixedOnSpot: fixed.filter((e) => ids.has(e.hazard_id)).length,
      openAtEnd: held.filter(isOpen).length,
      overdueAtEnd: held.filter((h) => isOpen(h) && !!h.deadline && h.deadline < nextDay).length,
      closureRate: counted.length ? counted.filter((h) => h.status === 'closed').length / counted.length : null,
      medianDaysToClose: median === null ? null : Math.round(median * 10) / 10,
    },
  };
}

export interface MonthlyReport {
  district: { code: string; name: string };
  month: string;
  /** The month's last day: every figure is the ledger at 24:00 that day. */
  asOf: string;
  figures: MonthFigures;
  previous: MonthFigures;
  lastYear: MonthFigures;
  majorOpen: number;
  majorSupervised: number;
  topEnterprises: { name: string; open: number; overdue: number }[];
  overdueMajors: { code: string; enterprise: string; description: string; deadline: string; supervision: string }[];
  trend: { month: string; found: number; closed: number }[];
  accidents: { month: AccidentCounts; lastYearMonth: AccidentCounts; ytd: AccidentCounts; lastYearYtd: AccidentCounts; verdict: Verdict; list: { code: string; occurredAt: string; category: string; deaths: number; grade: string; concealment: string }[] };
  work: { inspections: number; inspectionFindings: number; tipsReceived: number; tipsVerified: number; tipsVerifiedOnTime: number; selfChecksDue: number; selfChecksOnTime: number };
  /** 风险与人员 (#20), as the registers stand when the report is made: risk items by level, those with open major hazards; certificates expiring within 60 days and open lapse hazards; the month's campaign checks. */
  risks: { red: number; orange: number; yellow: number; blue: number; flagged: number; expiring: number; lapsesOpen: number; campaignChecks: number; campaignFindings: number };
}

interface AccidentCounts {
  accidents: number;
  deaths: number;
  seriousInjuries: number;
  lossYuan: number;
  largerOrAbove: number;
  late: number;
  concealed: number;
}

/** The district's accidents that happened between two instants (as the registry holds them now: casualty supplements count). */
async function accidentsBetween(db: Kysely<DB>, district: string, from: string, to: string) {
  const rows = await db.selectFrom('accidents').select(['code', 'occurred_at', 'category', 'deaths', 'serious_injuries', 'loss_yuan', 'grade', 'reported_late', 'concealment']).where('district_code', '=', district).where('occurred_at', '>=', from).where('occurred_at', '<', to).orderBy('occurred_at').execute();
  const counts: AccidentCounts = {
    accidents: rows.length,
    deaths: rows.reduce((n, r) => n + Number(r.deaths), 0),
    seriousInjuries: rows.reduce((n, r) => n + Number(r.serious_injuries), 0),
    lossYuan: rows.reduce((n, r) => n + Number(r.loss_yuan), 0),
    largerOrAbove: rows.filter((r) => r.grade !== 'general').length,
    late: rows.filter((r) => Number(r.reported_late)).length,
    concealed: rows.filter((r) => r.concealment !== 'none').length,
  };
  return { counts, rows };
}

/** The month's other work: inspections finished (by their date), tips (the tip tallies of the month), self-checks due in the month. */
async function monthWork(db: Kysely<DB>, district: string, month: string, lastDayOfMonth: string): Promise<MonthlyReport['work']> {
  const insp = await db.selectFrom('inspections').select(['findings']).where('district_code', '=', district).where('status', '=', 'finished').where('date', '>=', `${month}-01`).where('date', '<=', lastDayOfMonth).execute();
  const tips = await db.selectFrom('tip_tallies').select(['received', 'verified', 'verified_on_time']).where('district_code', '=', district).where('month', '=', month).execute();
  const rounds = await db.selectFrom('selfcheck_rounds').select(['due_date', 'submitted_at']).where('district_code', '=', district).where('due_date', '>=', `${month}-01`).where('due_date', '<=', lastDayOfMonth).execute();
  return {
    inspections: insp.length,
    inspectionFindings: insp.reduce((n, r) => n + Number(r.findings), 0),
    tipsReceived: tips.reduce((n, r) => n + Number(r.received), 0),
    tipsVerified: tips.reduce((n, r) => n + Number(r.verified), 0),
    tipsVerifiedOnTime: tips.reduce((n, r) => n + Number(r.verified_on_time), 0),
    selfChecksDue: rounds.length,
    selfChecksOnTime: rounds.filter((r) => r.submitted_at && shanghaiDate(new Date(r.submitted_at)) <= r.due_date).length,
  };
}

/** 风险与人员: the district's risk items by level and flagged; certificates expiring within 60 days of today; open lapse hazards; the month's campaign checks and their findings. */
async function riskAndPeople(db: Kysely<DB>, district: string, month: string, lastDayOfMonth: string, today: string): Promise<MonthlyReport['risks']> {
  const levels = await db.selectFrom('risk_items').select(['level', sql<number>`count(*)`.as('n')]).where('district_code', '=', district).groupBy('level').execute();
  const n = (l: string) => Number(levels.find((x) => x.level === l)?.n ?? 0);
  const [flagged] = await db
    .selectFrom('risk_items as r')
    .select(sql<number>`count(*)`.as('n'))
    .where('r.district_code', '=', district)
    .where(sql<boolean>`exists (select 1 from risk_hazards rh join hazards h on h.id = rh.hazard_id where rh.risk_id = r.id and h.grade = 'major' and h.status in (${sql.join([...OPEN_STATUSES])}))`)
    .execute();
  const [expiring] = await db.selectFrom('certificates').select(sql<number>`count(*)`.as('n')).where('district_code', '=', district).where('valid_from', '<=', today).where('valid_to', '>=', today).where('valid_to', '<=', addDays(today, 60)).execute();
  const [lapses] = await db
    .selectFrom('certificate_lapses as l')
    .innerJoin('hazards as h', 'h.id', 'l.hazard_id')
    .select(sql<number>`count(*)`.as('n'))
    .where('h.district_code', '=', district)
    .where('h.status', 'in', [...OPEN_STATUSES])
    .execute();
  const checks = await db.selectFrom('campaign_targets').select('id').where('district_code', '=', district).where('status', '=', 'checked').where('checked_on', '>=', `${month}-01`).where('checked_on', '<=', lastDayOfMonth).execute();
  const findings = checks.length ? await db.selectFrom('hazard_origins').select(sql<number>`count(*)`.as('n')).where('origin_type', '=', 'campaign_target').where('origin_id', 'in', checks.map((c) => c.id)).execute() : [{ n: 0 }];
  return { red: n('red'), orange: n('orange'), yellow: n('yellow'), blue: n('blue'), flagged: Number(flagged.n), expiring: Number(expiring.n), lapsesOpen: Number(lapses.n), campaignChecks: checks.length, campaignFindings: Number(findings[0].n) };
}

export async function monthlyReport(ctx: ActorCtx, districtCode: string, month: string): Promise<MonthlyReport> {
  const a = ctx.actor;
  if (!['city_admin', 'city_officer', 'district_officer'].includes(a.role)) throw new AppError('FORBIDDEN', '区情月报供市、区安委办使用', 'Monthly district reports are for city and district offices');
  if (a.role === 'district_officer' && a.districtCode !== districtCode) throw notFound('区', 'district');
  const district = await ctx.db.selectFrom('regions').select(['code', 'name']).where('code', '=', districtCode).where('level', '=', 'district').executeTakeFirst();
  if (!district) throw notFound('区', 'district');
  const [y, m] = month.split('-').map(Number);
  const m0 = m - 1;
  const current = await figures(ctx.db, districtCode, y, m0);
  const nextDay = shanghaiDate(new Date(monthStart(y, m0 + 1)));
  const open = current.held.filter(isOpen);
  const overdue = (h: HeldHazard) => !!h.deadline && h.deadline < nextDay;
  const names = new Map<string, string>();
  const entIds = [...new Set(open.map((h) => h.enterpriseId))];
  for (let i = 0; i < entIds.length; i += CHUNK) {
    for (const e of await ctx.db.selectFrom('enterprises').select(['id', 'name']).where('id', 'in', entIds.slice(i, i + CHUNK)).execute()) names.set(e.id, e.name);
  }
  const byEnterprise = new Map<string, { name: string; open: number; overdue: number }>();
  for (const h of open) {
    const e = byEnterprise.get(h.enterpriseId) ?? { name: names.get(h.enterpriseId) ?? '—', open: 0, overdue: 0 };
    e.open++;
    if (overdue(h)) e.overdue++;
    byEnterprise.set(h.enterpriseId, e);
  }
  const majors = open.filter((h) => h.grade === 'major');
  const trend: MonthlyReport['trend'] = [];
  for (let i = 11; i >= 0; i--) {
    const from = storedInstant(monthStart(y, m0 - i));
    const to = storedInstant(monthStart(y, m0 - i + 1));
    const within = (at: number | null) => at !== null && at >= from && at < to;
    trend.push({ month: monthKey(y, m0 - i), found: current.held.filter((h) => within(h.foundAt)).length, closed: current.held.filter((h) => h.status === 'closed' && within(h.closedAt)).length });
  }
  return {
    district,
    month,
    asOf: current.endDay,
    figures: current.figures,
    previous: (await figures(ctx.db, districtCode, y, m0 - 1)).figures,
    lastYear: (await figures(ctx.db, districtCode, y - 1, m0)).figures,
    majorOpen: majors.length,
    majorSupervised: majors.filter((h) => h.supervision !== 'none').length,
    topEnterprises: [...byEnterprise.values()].sort((p, q) => q.open - p.open || p.name.localeCompare(q.name)).slice(0, 10),
    overdueMajors: majors
      .filter(overdue)
      .sort((p, q) => p.deadline!.localeCompare(q.deadline!) || p.code.localeCompare(q.code))
      .map((h) => ({ code: h.code, enterprise: names.get(h.enterpriseId) ?? '—', description: h.description, deadline: h.deadline!, supervision: { none: '—', district: '区级督办', city: '市级督办' }[h.supervision] })),
    trend,
    accidents: await (async () => {
      const month0 = await accidentsBetween(ctx.db, districtCode, monthStart(y, m0), monthStart(y, m0 + 1));
      const last0 = await accidentsBetween(ctx.db, districtCode, monthStart(y - 1, m0), monthStart(y - 1, m0 + 1));
      const ytd = await accidentsBetween(ctx.db, districtCode, monthStart(y, 0), monthStart(y, m0 + 1));
      const lastYtd = await accidentsBetween(ctx.db, districtCode, monthStart(y - 1, 0), monthStart(y - 1, m0 + 1));
      return {
        month: month0.counts,
        lastYearMonth: last0.counts,
        ytd: ytd.counts,
        lastYearYtd: lastYtd.counts,
        verdict: trendVerdict(ytd.counts, lastYtd.counts),
        list: month0.rows.map((a) => ({ code: a.code, occurredAt: a.occurred_at, category: a.category, deaths: Number(a.deaths), grade: a.grade, concealment: a.concealment })),
      };
    })(),
    work: await monthWork(ctx.db, districtCode, month, current.endDay),
    risks: await riskAndPeople(ctx.db, districtCode, month, current.endDay, shanghaiDate(ctx.now())),
  };
}

const VERDICT_ZH = { falling: '下降', flat: '持平', rising: '上升' } as const;
function accidentText(r: MonthlyReport): string {
  const a = r.accidents;
  const base = a.month.accidents
    ? `本月发生生产安全事故${a.month.accidents}起，死亡${a.month.deaths}人，重伤${a.month.seriousInjuries}人，直接经济损失${a.month.lossYuan}元；其中较大及以上事故${a.month.largerOrAbove}起，迟报${a.month.late}起，瞒报或谎报${a.month.concealed}起。去年同月${a.lastYearMonth.accidents}起、死亡${a.lastYearMonth.deaths}人。`
    : `本月未发生生产安全事故（去年同月${a.lastYearMonth.accidents}起、死亡${a.lastYearMonth.deaths}人）。`;
  return `${base}今年以来累计${a.ytd.accidents}起、死亡${a.ytd.deaths}人，去年同期${a.lastYearYtd.accidents}起、死亡${a.lastYearYtd.deaths}人，总体${VERDICT_ZH[a.verdict]}。`;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const delta = (a: number, b: number) => (b === 0 ? (a === 0 ? '持平' : '新增') : `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(1)}%`);

export async function buildMonthlyReport(ctx: ActorCtx, districtCode: string, month: string): Promise<{ file: Buffer; name: string; report: MonthlyReport }> {
  const r = await monthlyReport(ctx, districtCode, month);
  const [y, m] = month.split('-').map(Number);
  const f = r.figures;
  const rows: [string, (x: MonthFigures) => number | null, (v: number | null) => string][] = [
    ['本月发现隐患', (x) => x.found, String],
    ['本月整改销号', (x) => x.closed, String],
    ['其中即查即改', (x) => x.fixedOnSpot, String],
    ['月末未销号隐患', (x) => x.openAtEnd, String],
    ['月末逾期未整改', (x) => x.overdueAtEnd, String],
    ['累计整改率', (x) => x.closureRate, pct],
    ['本月销号隐患用时中位数（天）', (x) => x.medianDaysToClose, (v) => (v === null ? '—' : String(v))],
  ];
  const chartSpec = {
    categories: r.trend.map((t) => t.month),
    series: [
      { name: '发现', values: r.trend.map((t) => t.found) },
      { name: '销号', values: r.trend.map((t) => t.closed) },
    ],
    axisTitle: '隐患数（项）',
  };
  const asOf = `${chineseDate(r.asOf)}24时`;
  const doc = new Document({
    creator: 'Zhiben 治本',
    title: `${r.district.name}${y}年${m}月区情月报`,
    sections: [
      {
        children: [
          title(`${r.district.name}安全生产区情月报`),
          title(`（${y}年${m}月）`, SIZE.subtitle),
          para('一、总体情况', { indent: false }),
          para(
            `本月${r.district.name}共发现事故隐患${f.found}项，整改销号${f.closed}项（其中即查即改${f.fixedOnSpot}项）；月末未销号隐患${f.openAtEnd}项，其中逾期未整改${f.overdueAtEnd}项；累计整改率${pct(f.closureRate)}。发现数较上月${delta(f.found, r.previous.found)}，较去年同期${delta(f.found, r.lastYear.found)}。`,
          ),
          para(`截至${asOf}，未销号的重大事故隐患${r.majorOpen}项，其中挂牌督办${r.majorSupervised}项。`),
          para('二、主要指标', { indent: false }),
          table(
            ['指标', `${y}年${m}月`, '上月', '去年同期', '环比', '同比'],
            rows.map(([name, get, fmt]) => {
              const [a, b, c] = [get(f), get(r.previous), get(r.lastYear)];
              const num = (v: number | null) => v ?? 0;
              return [name, fmt(a), fmt(b), fmt(c), name.includes('率') || name.includes('用时') ? '—' : delta(num(a), num(b)), name.includes('率') || name.includes('用时') ? '—' : delta(num(a), num(c))];
            }),
          ),
          para('三、近十二个月隐患发现与销号情况', { indent: false }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new ImageRun({ type: 'svg', data: Buffer.from(barChartSvg(chartSpec), 'utf8'), fallback: { type: 'png', data: barChartPng(chartSpec) }, transformation: { width: 600, height: 227 } })],
          }),
          para('图：近十二个月每月发现（蓝）与销号（绿）的隐患数，横轴为月份，纵轴为隐患数（项）。', { indent: false, size: SIZE.small, alignment: AlignmentType.CENTER }),
          table(['月份', '发现', '销号'], r.trend.map((t) => [t.month.replace(/^(\d{4})-0?(\d+)$/, '$1年$2月'), t.found, t.closed])),
          para('四、未销号隐患最多的企业（前十）', { indent: false }),
          r.topEnterprises.length ? table(['序号', '企业', '未销号', '其中逾期'], r.topEnterprises.map((e, i) => [i + 1, e.name, e.open, e.overdue])) : para('无。'),
          para('五、逾期未整改的重大事故隐患', { indent: false }),
          r.overdueMajors.length
            ? table(['隐患编号', '企业', '隐患描述', '整改期限', '督办'], r.overdueMajors.map((h) => [h.code, h.enterprise, h.description, h.deadline, h.supervision]))
            : para('无逾期未整改的重大事故隐患。'),
          para('六、生产安全事故', { indent: false }),
          para(accidentText(r)),
          ...(r.accidents.list.length ? [table(['事故编号', '发生时间', '类别', '死亡', '等级', '备注'], r.accidents.list.map((a) => [a.code, shanghaiDate(new Date(a.occurredAt)), a.category, a.deaths, ACCIDENT_GRADE_LABELS[a.grade as AccidentGrade].zh, a.concealment === 'none' ? '—' : CONCEALMENT_LABELS[a.concealment as 'concealed'].zh]))] : []),
          para('七、其他工作', { indent: false }),
          para(
            `本月完成执法检查${r.work.inspections}次，发现隐患${r.work.inspectionFindings}项；受理举报${r.work.tipsReceived}件，核查办结${r.work.tipsVerified}件（按时${r.work.tipsVerifiedOnTime}件）；本月到期的企业自查${r.work.selfChecksDue}次，按时完成${r.work.selfChecksOnTime}次。`,
          ),
          para('八、风险与人员', { indent: false }),
          para(
            `截至报告生成时，本区城市安全风险清单共${r.risks.red + r.risks.orange + r.risks.yellow + r.risks.blue}项，其中重大风险${r.risks.red}项、较大风险${r.risks.orange}项、一般风险${r.risks.yellow}项、低风险${r.risks.blue}项，${r.risks.flagged}项风险关联未销号的重大事故隐患。特种作业操作证及安全生产知识和管理能力考核合格证60日内到期${r.risks.expiring}张，因证书过期形成的无证上岗隐患尚未销号${r.risks.lapsesOpen}项。本月综合整治检查${r.risks.campaignChecks}家次，发现隐患${r.risks.campaignFindings}项。`,
          ),
          para(''),
          para(`说明：隐患数据均为截至${asOf}系统台账的状态；事故按现时登记（含补报后的伤亡人数）统计；此后办理、移交、作废或补录的隐患不改变本报告。`, { indent: false, size: SIZE.small }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(`生成日期：${chineseDate(shanghaiDate(ctx.now()))}`, { size: SIZE.small })] }),
        ],
      },
    ],
  });
  return { file: await Packer.toBuffer(doc), name: `${r.district.name}${y}年${m}月区情月报.docx`, report: r };
}
