/** The accident trend chart: its ECharts option and the table its export writes, from the same numbers. */
import dayjs from 'dayjs';
import type { z } from 'zod';
import type { AccidentTrends } from '../../../shared/contracts/accidents';
import { CHART_COLORS } from '../../components/Chart';
import type { ChartOption } from '../../components/Chart';
import type { ChartTable } from '../../components/ChartCard';
import type { Lang, Translate } from '../../i18n';

export type Trends = z.infer<typeof AccidentTrends>;
type Line = Trends['months'][number];

/** A month's label: the server's Chinese one, or the month's short name in English. */
export const monthLabel = (lang: Lang, m: Line) => (lang === 'zh' ? m.name : dayjs(`${m.key}-01`).format('MMM'));

/** Accidents this year and last as bars, deaths as lines; this year's months after the compared period left empty, not zero. */
export function monthlyTrend(t: Translate, lang: Lang, tr: Trends): { option: ChartOption; table: ChartTable } {
  const months = tr.months.map((m) => monthLabel(lang, m));
  const upTo = tr.to.slice(0, 7);
  const now = (pick: (m: Line) => number) => tr.months.map((m) => (m.key <= upTo ? pick(m) : null));
  const last = (pick: (c: Line['lastYear']) => number) => tr.months.map((m) => pick(m.lastYear));
  const y = tr.year;
  const series = [
    { name: t('acc.tr.seriesAccidents', { year: y }), data: now((m) => m.accidents), type: 'bar' as const },
    { name: t('acc.tr.seriesAccidents', { year: y - 1 }), data: last((c) => c.accidents), type: 'bar' as const },
    { name: t('acc.tr.seriesDeaths', { year: y }), data: now((m) => m.deaths), type: 'line' as const },
    { name: t('acc.tr.seriesDeaths', { year: y - 1 }), data: last((c) => c.deaths), type: 'line' as const, dashed: true },
  ];
  const option: ChartOption = {
    color: [CHART_COLORS[0], '#9fb8e8', CHART_COLORS[1], '#f0a58f'],
    grid: { left: 8, right: 16, top: 56, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    legend: { type: 'scroll', top: 0, left: 0, right: 0, itemWidth: 16, itemHeight: 10 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: months, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) =>
      s.type === 'bar'
        ? { type: 'bar', name: s.name, data: s.data, barMaxWidth: 16 }
        : { type: 'line', name: s.name, data: s.data, symbolSize: 5, connectNulls: false, lineStyle: { width: 2, type: s.dashed ? 'dashed' : 'solid' } },
    ),
  };
  const table: ChartTable = {
    fileName: t('acc.tr.fileName', { year: y }),
    rows: [[t('acc.tr.month'), ...series.map((s) => s.name)], ...months.map((m, i) => [m, ...series.map((s) => s.data[i] ?? '')])],
  };
  return { option, table };
}
