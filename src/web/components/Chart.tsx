/**
 * ECharts, tree-shaken: only the charts and components the app draws are registered here (the map
 * chart registers itself where the district map lives). SVG rendering: sharp on any screen and in
 * print, text stays text, and a few hundred shapes per chart are well within what it handles.
 */
import { BarChart, LineChart } from 'echarts/charts';
import type { BarSeriesOption, LineSeriesOption, MapSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import { GridComponent, LegendScrollComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import type { GeoComponentOption, GridComponentOption, LegendComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import { init, use } from 'echarts/core';
import type { ComposeOption, ECElementEvent, EChartsType } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([BarChart, LineChart, GridComponent, LegendScrollComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent, SVGRenderer]);

// The map's series and the geo component register themselves where a map lives (they bring the outlines).
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | MapSeriesOption
  | ScatterSeriesOption
  | GeoComponentOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

/** The app's series colours, in order: brand blue, red for major or overdue, then distinct hues. */
export const CHART_COLORS = ['#0b57d0', '#d4380d', '#389e0d', '#d48806', '#722ed1', '#08979c', '#c41d7f', '#595959', '#7cb305'];

/**
 * One chart filling its box's width at a fixed height. It follows its box's size (a
 * ResizeObserver: window resizes, a sider folding, a phone turning) and is disposed with the
 * component.
 */
export function Chart({
  option,
  height,
  onClick,
  testId,
  ariaLabel,
}: {
  option: ChartOption;
  height: number;
  onClick?: (e: ECElementEvent) => void;
  testId?: string;
  ariaLabel?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (e) => clickRef.current?.(e as ECElementEvent));
    // With a viewBox the drawing scales with its box: print (styles.css) fits it to the paper.
    const fitViewBox = () => el.querySelector('svg')?.setAttribute('viewBox', `0 0 ${c.getWidth()} ${c.getHeight()}`);
    fitViewBox();
    // A box hidden for a moment (display: none while React suspends a part of the page) measures
    // 0 × 0: the chart keeps its size rather than lay itself out in nothing (a map cannot).
    const observer = new ResizeObserver(() => {
      if (el.clientWidth > 0 && el.clientHeight > 0 && !window.matchMedia('print').matches) {
        c.resize();
        fitViewBox();
      }
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} className="zb-chart" style={{ height }} data-testid={testId} role="img" aria-label={ariaLabel} />;
}
