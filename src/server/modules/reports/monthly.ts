/**
 * 区情月报: one district's month — the month's figures, against the previous month and the same
 * month last year, the ten enterprises with most open hazards, the overdue major hazards, and a
 * chart of found versus closed over twelve months. Counted from the ledger as of the month's end
 * where the ledger allows (stock still open, overdue); current state where it does not
 * (supervision, the lists), and the document says which.
 */
import { AlignmentType, Document, ImageRun, Packer, Paragraph } from 'docx';
import { sql, type Kysely } from 'kysely';
import { OPEN_STATUSES } from '../../../shared/contracts/hazards';
import type { ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, notFound } from '../../errors/app-error';
import { shanghaiDate } from '../hazards/workflow';
import { chineseDate, para, run, SIZE, table, title } from './docx-kit';
import { barChartPng } from './png-chart';

const SHANGHAI = 8 * 3_600_000;
/** The instant a Shanghai month begins, as an ISO string (month index may overflow). */
const monthStart = (y: number, m0: number) => new Date(Date.UTC(y, m0, 1) - SHANGHAI).toISOString();
const label = (y: number, m0: number) => {
  const d = new Date(Date.UTC(y, m0, 1));
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月`;
};

export interface MonthFigures {
  found: number;
  closed: number;
  fixedOnSpot: number;
  openAtEnd: number;
  overdueAtEnd: number;
  closureRate: number | null;
  medianDaysToClose: number | null;
}

async function figures(db: Kysely<DB>, district: string, y: number, m0: number): Promise<MonthFigures> {
  const from = monthStart(y, m0);
  const to = monthStart(y, m0 + 1);
  const endDate = shanghaiDate(new Date(to));
  const base = () => db.selectFrom('hazards').where('district_code', '=', district);
  const n = async (q: ReturnType<typeof base>) => Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const found = await n(base().where('found_at', '>=', from).where('found_at', '<', to));
  const closedRows = await base().select(['found_at', 'closed_at']).where('closed_at', '>=', from).where('closed_at', '<', to).execute();
  const fixed = await db
    .selectFrom('hazard_events')
    .innerJoin('hazards', 'hazards.id', 'hazard_events.hazard_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('hazards.district_code', '=', district)
    .where('hazard_events.action', '=', 'fix_on_spot')
    .where('hazard_events.at', '>=', from)
    .where('hazard_events.at', '<', to)
    .executeTakeFirstOrThrow();
  const openAtEnd = () => base().where('found_at', '<', to).where('status', '!=', 'voided').where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', to)]));
  const opened = await n(openAtEnd());
  const overdue = await n(openAtEnd().where('deadline', '<', endDate));
  const all = await n(base().where('found_at', '<', to).where('status', '!=', 'voided'));
  const closedByEnd = await n(base().where('closed_at', '<', to));
  const days = closedRows.map((r) => (Date.parse(r.closed_at!) - Date.parse(r.found_at)) / 86_400_000).sort((a, b) => a - b);
  const median = days.length ? (days.length % 2 ? days[(days.length - 1) / 2] : (days[days.length / 2 - 1] + days[days.length / 2]) / 2) : null;
  return {
    found,
    closed: closedRows.length,
    fixedOnSpot: Number(fixed.n),
    openAtEnd: opened,
    overdueAtEnd: overdue,
    closureRate: all ? closedByEnd / all : null,
    medianDaysToClose: median === null ? null : Math.round(median * 10) / 10,
  };
}

export interface MonthlyReport {
  district: { code: string; name: string };
  month: string;
  figures: MonthFigures;
  previous: MonthFigures;
  lastYear: MonthFigures;
  majorOpen: number;
  majorSupervised: number;
  topEnterprises: { name: string; open: number; overdue: number }[];
  overdueMajors: { code: string; enterprise: string; description: string; deadline: string; supervision: string }[];
  trend: { month: string; found: number; closed: number }[];
}

export async function monthlyReport(ctx: ActorCtx, districtCode: string, month: string): Promise<MonthlyReport> {
  const a = ctx.actor;
  if (!['city_admin', 'city_officer', 'district_officer'].includes(a.role)) throw new AppError('FORBIDDEN', '区情月报供市、区安委办使用', 'Monthly district reports are for city and district offices');
  if (a.role === 'district_officer' && a.districtCode !== districtCode) throw notFound('区', 'district');
  const district = await ctx.db.selectFrom('regions').select(['code', 'name']).where('code', '=', districtCode).where('level', '=', 'district').executeTakeFirst();
  if (!district) throw notFound('区', 'district');
  const [y, m] = month.split('-').map(Number);
  const m0 = m - 1;
  const today = shanghaiDate(ctx.now());
  const openNow = () => ctx.db.selectFrom('hazards').where('hazards.district_code', '=', districtCode).where('hazards.status', 'in', [...OPEN_STATUSES]);
  const count = async (q: ReturnType<typeof openNow>) => Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const top = await openNow()
    .innerJoin('enterprises as e', 'e.id', 'hazards.enterprise_id')
    .select(['e.name', (eb) => eb.fn.countAll<number>().as('open'), sql<number>`sum(case when hazards.deadline < ${today} then 1 else 0 end)`.as('overdue')])
    .groupBy(['hazards.enterprise_id', 'e.name'])
    .orderBy('open', 'desc')
    .orderBy('e.name')
    .limit(10)
    .execute();
  const majors = await openNow()
    .innerJoin('enterprises as e', 'e.id', 'hazards.enterprise_id')
    .select(['hazards.code', 'e.name', 'hazards.description', 'hazards.deadline', 'hazards.supervision_level'])
    .where('hazards.grade', '=', 'major')
    .where('hazards.deadline', '<', today)
    .orderBy('hazards.deadline')
    .execute();
  const trend: MonthlyReport['trend'] = [];
  for (let i = 11; i >= 0; i--) {
    const from = monthStart(y, m0 - i);
    const to = monthStart(y, m0 - i + 1);
    const c = async (col: 'found_at' | 'closed_at') =>
      Number((await ctx.db.selectFrom('hazards').select((eb) => eb.fn.countAll<number>().as('n')).where('district_code', '=', districtCode).where(col, '>=', from).where(col, '<', to).executeTakeFirstOrThrow()).n);
    trend.push({ month: label(y, m0 - i), found: await c('found_at'), closed: await c('closed_at') });
  }
  return {
    district,
    month,
    figures: await figures(ctx.db, districtCode, y, m0),
    previous: await figures(ctx.db, districtCode, y, m0 - 1),
    lastYear: await figures(ctx.db, districtCode, y - 1, m0),
    majorOpen: await count(openNow().where('hazards.grade', '=', 'major')),
    majorSupervised: await count(openNow().where('hazards.grade', '=', 'major').where('hazards.supervision_level', '!=', 'none')),
    topEnterprises: top.map((t) => ({ name: t.name, open: Number(t.open), overdue: Number(t.overdue) })),
    overdueMajors: majors.map((h) => ({ code: h.code, enterprise: h.name, description: h.description, deadline: h.deadline!, supervision: { none: '—', district: '区级督办', city: '市级督办' }[h.supervision_level] })),
    trend,
  };
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
    ['销号平均用时（中位数，天）', (x) => x.medianDaysToClose, (v) => (v === null ? '—' : String(v))],
  ];
  const chart = barChartPng([r.trend.map((t) => t.found), r.trend.map((t) => t.closed)]);
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
          para(`目前未销号的重大事故隐患${r.majorOpen}项，其中挂牌督办${r.majorSupervised}项。（重大隐患与督办为报告生成时的状态。）`),
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
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new ImageRun({ type: 'png', data: chart, transformation: { width: 600, height: 213 } })] }),
          para('图：蓝色为当月发现数，绿色为当月销号数。', { indent: false, size: SIZE.small, alignment: AlignmentType.CENTER }),
          table(['月份', '发现', '销号'], r.trend.map((t) => [t.month, t.found, t.closed])),
          para('四、未销号隐患最多的企业（前十）', { indent: false }),
          r.topEnterprises.length ? table(['序号', '企业', '未销号', '其中逾期'], r.topEnterprises.map((e, i) => [i + 1, e.name, e.open, e.overdue])) : para('无。'),
          para('五、逾期未整改的重大事故隐患', { indent: false }),
          r.overdueMajors.length
            ? table(['隐患编号', '企业', '隐患描述', '整改期限', '督办'], r.overdueMajors.map((h) => [h.code, h.enterprise, h.description, h.deadline, h.supervision]))
            : para('无逾期未整改的重大事故隐患。'),
          para(''),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(`生成日期：${chineseDate(shanghaiDate(ctx.now()))}`, { size: SIZE.small })] }),
        ],
      },
    ],
  });
  return { file: await Packer.toBuffer(doc), name: `${r.district.name}${y}年${m}月区情月报.docx`, report: r };
}
