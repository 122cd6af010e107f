/**
 * The risk map: Shanghai's districts, the register's items as points coloured by level (a dark ring
 * round those with open major hazards), a district's counts by level on hover. Loaded on its own,
 * with the outlines.
 */
import { ScatterChart } from 'echarts/charts';
import { use } from 'echarts/core';
import { useMemo } from 'react';
import type { z } from 'zod';
import { RISK_LEVEL_LABELS, RISK_LEVELS } from '../../../shared/contracts/risks';
import type { RiskMap as RiskMapSchema } from '../../../shared/contracts/risks';
import { Chart } from '../../components/Chart';
import type { ChartOption } from '../../components/Chart';
import { districtView, shanghai, SHANGHAI_MAP, SMALL_DISTRICTS } from '../../components/shanghaiGeo';
import { pick, useLang, useT } from '../../i18n';
import { LEVEL_COLORS } from './tags';

use([ScatterChart]);

export type RiskMapData = z.infer<typeof RiskMapSchema>;
type Point = RiskMapData['points'][number];

const SIZES = { red: 14, orange: 11, yellow: 9, blue: 8 } as const;
const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export default function RiskMap({
  data,
  focus,
  height,
  onPoint,
  onDistrict,
}: {
  data: RiskMapData;
  /** a district to show whole (a district's own users, or a filter) */
  focus?: string;
  height: number;
  onPoint: (id: string) => void;
  onDistrict: (code: string) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const option = useMemo<ChartOption>(() => {
    const byName = new Map(data.byDistrict.map((d) => [d.districtName, d]));
    const view = focus ? districtView(focus) : undefined;
    const levelName = (l: Point['level']) => pick(lang, RISK_LEVEL_LABELS[l]);
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const item = Array.isArray(p) ? p[0] : p;
          if (item.componentType === 'geo') {
            const d = byName.get(item.name);
            const counts = RISK_LEVELS.map((l) => `<span style="color:${LEVEL_COLORS[l]}">●</span> ${levelName(l)}：${d?.[l] ?? 0}`);
            return [`<b>${escape(item.name)}</b>`, ...counts].join('<br/>');
          }
          const point = item.data as { name: string; flagged: boolean } | undefined;
          if (!point) return '';
          return [`<b>${escape(point.name)}</b>`, `${item.marker ?? ''}${escape(item.seriesName ?? '')}`, ...(point.flagged ? [t('risk.flagged')] : [])].join('<br/>');
        },
      },
      legend: {
        type: 'scroll',
        top: 4,
        left: 'center',
        itemWidth: 12,
        itemHeight: 12,
        textStyle: { fontSize: 12 },
        // Over a zoomed-in map the legend keeps a ground of its own.
        backgroundColor: 'rgba(255, 255, 255, 0.85)',
        borderRadius: 4,
        data: RISK_LEVELS.map((l) => ({ name: levelName(l), icon: 'circle' })),
      },
      geo: {
        map: SHANGHAI_MAP,
        roam: !!focus,
        ...(view ? { center: view.center, zoom: view.zoom } : { layoutCenter: ['50%', '54%'], layoutSize: '92%' }),
        label: { show: true, fontSize: 10, color: '#595959', textBorderColor: '#fff', textBorderWidth: 2 },
        itemStyle: { areaColor: '#eef2f7', borderColor: '#a6b4c8', borderWidth: 1 },
        emphasis: { label: { show: true, fontWeight: 'bold', color: '#262626' }, itemStyle: { areaColor: '#dbe6f5' } },
        select: { disabled: true },
        tooltip: { show: true },
        // Small central districts name themselves on hover; a focused one always.
        regions: shanghai.features
          .filter((f) => SMALL_DISTRICTS.has(f.properties.code) && f.properties.code !== focus)
          .map((f) => ({ name: f.properties.name, label: { show: false } })),
      },
      // Blue under red: the more serious the level, the later it is drawn, the more it shows.
      series: [...RISK_LEVELS].reverse().map((level) => ({
        type: 'scatter' as const,
        name: levelName(level),
        coordinateSystem: 'geo' as const,
        symbolSize: SIZES[level],
        itemStyle: { color: LEVEL_COLORS[level], borderColor: '#fff', borderWidth: 1, opacity: 0.95 },
        emphasis: { scale: 1.4 },
        data: data.points
          .filter((p) => p.level === level)
          .map((p) => ({
            name: p.name,
            value: [p.lng, p.lat],
            id: p.id,
            flagged: p.flagged,
            ...(p.flagged ? { itemStyle: { borderColor: '#1f1f1f', borderWidth: 2.5 }, symbolSize: SIZES[level] + 4 } : {}),
          })),
      })),
    };
  }, [data, focus, lang, t]);

  return (
    <Chart
      option={option}
      height={height}
      testId="risk-map"
      ariaLabel={t('risk.map.aria')}
      onClick={(e) => {
        if (e.componentType === 'geo') {
          const code = shanghai.features.find((f) => f.properties.name === e.name)?.properties.code;
          if (code) onDistrict(code);
          return;
        }
        const id = (e.data as { id?: string } | undefined)?.id;
        if (id) onPoint(id);
      }}
    />
  );
}
