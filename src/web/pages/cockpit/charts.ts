/**
 * The cockpit's charts: for each, the ECharts option and the table its Excel export writes — both
 * made from the same numbers, so the file holds exactly what the chart draws.
 */
import { GRADE_LABELS, SOURCE_LABELS } from '../../../shared/contracts/hazards';
import { STOCK_LABELS } from '../../../shared/contracts/dashboard';
import type { DashboardView, EnterpriseDashboard } from '../../../shared/contracts/dashboard';
import { CHART_COLORS } from '../../components/Chart';
import type { ChartOption } from '../../components/Chart';
import type { ChartTable } from '../../components/ChartCard';
import { formatCount } from '../../format';
import { pick } from '../../i18n';
import type { Lang, Translate } from '../../i18n';

export interface ChartSpec {
  option: ChartOption;
  table: ChartTable;
}

interface Ctx {
  t: Translate;
  lang: Lang;
  /** the view's name and month, for the export's file name */
  name: string;
  month: string;
}

interface Line {
  name: string;
  data: number[];
  color: string;
  kind?: 'bar' | 'line';
  dashed?: boolean;
  stack?: string;
  area?: boolean;
}

const fileName = (c: Ctx, title: string) => `${c.name}-${title}-${c.month}`;

function monthTable(c: Ctx, title: string, months: string[], lines: Line[]): ChartTable {
  return {
    fileName: fileName(c, title),
    rows: [[c.t('ck.month'), ...lines.map((l) => l.name)], ...months.map((m, i) => [m, ...lines.map((l) => l.data[i])])],
  };
}

/** Series over months, with a legend on top and one tooltip per month. */
function monthChart(c: Ctx, months: string[], lines: Line[], extra: Partial<Record<'markLine', object>> = {}): ChartOption {
  return {
    color: lines.map((l) => l.color),
    grid: { left: 8, right: 16, top: 56, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    legend: { type: 'scroll', top: 0, left: 0, right: 0, itemWidth: 16, itemHeight: 10 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatCount(v, c.lang) : String(v ?? '')) },
    xAxis: { type: 'category', data: months, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => formatCount(v, c.lang) } },
    series: lines.map((l, i) =>
      l.kind === 'bar'
        ? { type: 'bar', name: l.name, data: l.data, stack: l.stack, barMaxWidth: 18, emphasis: { focus: 'series' } }
        : {
            type: 'line',
            name: l.name,
            data: l.data,
            stack: l.stack,
            symbolSize: 5,
            lineStyle: { width: 2, type: l.dashed ? 'dashed' : 'solid' },
            areaStyle: l.area ? { opacity: 0.25 } : undefined,
            emphasis: { focus: 'series' },
            ...(i === 0 ? extra : {}),
          },
    ),
  };
}

/** 存量与增量: open at each month's end, by when the hazards were found (stacked: the top is all open). */
export function stockChart(c: Ctx, view: DashboardView): ChartSpec {
  const title = c.t('ck.stock');
  const lines: Line[] = view.stock.groups.map((g, i) => ({
    name: pick(c.lang, STOCK_LABELS[g.key]),
    data: g.series,
    color: [CHART_COLORS[1], CHART_COLORS[3], CHART_COLORS[0]][i] ?? CHART_COLORS[i],
    stack: 'stock',
    area: true,
  }));
  // The target of the oldest stock, drawn where its month is on the axis.
  const targets = view.stock.groups
    .map((g) => STOCK_LABELS[g.key].target)
    .filter((d): d is string => !!d && view.stock.months.includes(d.slice(0, 7)));
  const markLine = targets.length
    ? {
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: CHART_COLORS[1], type: 'dashed' },
          label: { formatter: c.t('ck.targetLine'), position: 'end', color: CHART_COLORS[1] },
          data: targets.map((d) => ({ xAxis: d.slice(0, 7) })),
        },
      }
    : {};
  return { option: monthChart(c, view.stock.months, lines, markLine), table: monthTable(c, title, view.stock.months, lines) };
}

/** 发现与销号 per month. */
export function trendChart(c: Ctx, view: DashboardView): ChartSpec {
  const lines: Line[] = [
    { name: c.t('ck.found'), data: view.trend.found, color: CHART_COLORS[0], kind: 'bar' },
    { name: c.t('ck.closed'), data: view.trend.closed, color: CHART_COLORS[2], kind: 'bar' },
  ];
  return { option: monthChart(c, view.trend.months, lines), table: monthTable(c, c.t('ck.trend'), view.trend.months, lines) };
}

/** Found per month by source, stacked; sources that found nothing in the period are left out. */
export function sourceChart(c: Ctx, view: DashboardView, bySource: NonNullable<DashboardView['bySource']>): ChartSpec {
  const lines: Line[] = bySource
    .filter((s) => s.found.some((n) => n > 0))
    .map((s, i) => ({ name: pick(c.lang, SOURCE_LABELS[s.key]), data: s.found, color: CHART_COLORS[i % CHART_COLORS.length], kind: 'bar', stack: 'source' }));
  return { option: monthChart(c, view.trend.months, lines), table: monthTable(c, c.t('ck.bySource'), view.trend.months, lines) };
}

/** Found and closed per month for each grade: major in red, general in blue, closures dashed. */
export function gradeChart(c: Ctx, view: DashboardView): ChartSpec {
  const lines: Line[] = view.byGrade.flatMap((g) => {
    const grade = pick(c.lang, GRADE_LABELS[g.key]);
    const color = g.key === 'major' ? CHART_COLORS[1] : CHART_COLORS[0];
    return [
      { name: c.t('ck.gradeFound', { grade }), data: g.found, color },
      { name: c.t('ck.gradeClosed', { grade }), data: g.closed, color, dashed: true },
    ];
  });
  return { option: monthChart(c, view.trend.months, lines), table: monthTable(c, c.t('ck.byGrade'), view.trend.months, lines) };
}

export const SECTION_ROW_HEIGHT = 26;

/** Open hazards by industry section, major and general stacked, the largest on top. */
export function sectionChart(c: Ctx, bySection: NonNullable<DashboardView['bySection']>): ChartSpec {
  const rows = [...bySection].reverse();
  const major = pick(c.lang, GRADE_LABELS.major);
  const general = pick(c.lang, GRADE_LABELS.general);
  return {
    option: {
      color: [CHART_COLORS[0], CHART_COLORS[1]],
      grid: { left: 8, right: 24, top: 32, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      legend: { top: 0, left: 0, itemWidth: 16, itemHeight: 10 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (typeof v === 'number' ? formatCount(v, c.lang) : String(v ?? '')) },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => formatCount(v, c.lang) } },
      yAxis: { type: 'category', data: rows.map((s) => s.name), axisLabel: { width: 120, overflow: 'truncate' }, axisTick: { show: false } },
      series: [
        { type: 'bar', name: general, stack: 'open', data: rows.map((s) => s.open - s.openMajor), barMaxWidth: 16 },
        { type: 'bar', name: major, stack: 'open', data: rows.map((s) => s.openMajor), barMaxWidth: 16 },
      ],
    },
    table: {
      fileName: fileName(c, c.t('ck.bySection')),
      rows: [[c.t('ck.sectionCode'), c.t('hz.industry'), c.t('ck.open'), c.t('ck.openMajor')], ...bySection.map((s) => [s.key, s.name, s.open, s.openMajor])],
    },
  };
}

/** An enterprise's last twelve months: found and closed. */
export function historyChart(c: Ctx, history: EnterpriseDashboard['history']): ChartSpec {
  const lines: Line[] = [
    { name: c.t('ck.found'), data: history.found, color: CHART_COLORS[0], kind: 'bar' },
    { name: c.t('ck.closed'), data: history.closed, color: CHART_COLORS[2], kind: 'bar' },
  ];
  return { option: monthChart(c, history.months, lines), table: monthTable(c, c.t('ck.history'), history.months, lines) };
}
