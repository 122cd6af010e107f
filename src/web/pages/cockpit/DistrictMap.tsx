/**
 * Shanghai's sixteen districts, coloured by a figure. Loaded on its own (the outlines weigh 100 kB),
 * only where a view has districts to show.
 */
import { MapChart } from 'echarts/charts';
import { use } from 'echarts/core';
import { useMemo } from 'react';
import type { Breakdown } from '../../../shared/contracts/dashboard';
import { Chart } from '../../components/Chart';
import type { ChartOption } from '../../components/Chart';
import { shanghai, SHANGHAI_MAP, SMALL_DISTRICTS } from '../../components/shanghaiGeo';
import { formatCount, formatPercent } from '../../format';
import { useLang, useT } from '../../i18n';
import { overdueRate } from './tables';
import type { MapMetric } from './tables';

use([MapChart]);

const SCALE = ['#fff7e6', '#ffd591', '#fa8c16', '#d4380d', '#820014'];

export default function DistrictMap({ districts, metric, height, onPick }: { districts: Breakdown[]; metric: MapMetric; height: number; onPick: (code: string) => void }) {
  const t = useT();
  const { lang } = useLang();
  const option = useMemo<ChartOption>(() => {
    const byCode = new Map(districts.map((d) => [d.code, d]));
    const valueOf = (d: Breakdown | undefined) => (!d ? null : metric === 'openMajor' ? d.openMajor : overdueRate(d));
    const data = shanghai.features.map((f) => {
      const d = byCode.get(f.properties.code);
      return { name: f.properties.name, code: f.properties.code, value: valueOf(d) ?? undefined, figures: d, ...(SMALL_DISTRICTS.has(f.properties.code) ? { label: { show: false } } : {}) };
    });
    const values = data.map((d) => d.value ?? 0);
    const max = metric === 'openMajor' ? Math.max(1, ...values) : Math.max(0.01, ...values);
    const show = (v: number) => (metric === 'openMajor' ? formatCount(v, lang) : formatPercent(v));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const item = (Array.isArray(p) ? p[0] : p).data as (typeof data)[number] | undefined;
          const d = item?.figures;
          if (!item || !d) return item?.name ?? '';
          const rate = overdueRate(d);
          return [
            `<b>${item.name}</b>`,
            `${t('ck.open')}：${formatCount(d.open, lang)}`,
            `${t('ck.openMajor')}：${formatCount(d.openMajor, lang)}`,
            `${t('ck.overdue')}：${formatCount(d.overdue, lang)}`,
            `${t('ck.overdueRate')}：${rate === null ? '—' : formatPercent(rate)}`,
          ].join('<br/>');
        },
      },
      visualMap: {
        type: 'continuous',
        min: 0,
        max,
        left: 8,
        bottom: 8,
        itemHeight: 100,
        itemWidth: 12,
        calculable: false,
        inRange: { color: SCALE },
        formatter: (v) => show(Number(v)),
        text: [show(max), show(0)],
        textStyle: { fontSize: 11 },
      },
      series: [
        {
          type: 'map',
          map: SHANGHAI_MAP,
          roam: false,
          selectedMode: false,
          labelLayout: { hideOverlap: true },
          layoutCenter: ['50%', '50%'],
          layoutSize: '95%',
          label: { show: true, fontSize: 10, color: '#262626', textBorderColor: '#fff', textBorderWidth: 2 },
          itemStyle: { borderColor: '#fff', borderWidth: 1, areaColor: '#f0f0f0' },
          emphasis: { label: { show: true, fontWeight: 'bold' }, itemStyle: { areaColor: '#69b1ff' } },
          data,
        },
      ],
    };
  }, [districts, metric, lang, t]);

  return (
    <Chart
      option={option}
      height={height}
      testId="district-map"
      ariaLabel={t('ck.map')}
      onClick={(e) => {
        const code = (e.data as { code?: string } | undefined)?.code;
        if (code) onPick(code);
      }}
    />
  );
}
