import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { barChartPng, barChartSvg, niceScale, SERIES_COLOURS } from './bar-chart';

/** Decodes our own (unfiltered, truecolour) PNGs back to pixels. */
function decode(png: Buffer) {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  let off = 8;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('ascii', off + 4, off + 8);
    if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const at = (x: number, y: number) => [...raw.subarray(y * (width * 3 + 1) + 1 + x * 3, y * (width * 3 + 1) + 4 + x * 3)];
  return { width, height, at };
}

const spec = (values: number[][], over: { width?: number; height?: number } = {}) => ({
  categories: ['2026-05', '2026-06'],
  series: values.map((v, i) => ({ name: ['发现', '销号'][i], values: v })),
  axisTitle: '隐患数（项）',
  ...over,
});

describe('bar chart', () => {
  it('draws taller bars for larger values, in the series colours', () => {
    const img = decode(barChartPng(spec([[10, 0], [5, 0]], { width: 300, height: 200 })));
    expect([img.width, img.height]).toEqual([300, 200]);
    const colourCount = (c: number[]) => {
      let n = 0;
      for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) if (img.at(x, y).join() === c.join()) n++;
      return n;
    };
    const first = colourCount(SERIES_COLOURS[0]);
    const second = colourCount(SERIES_COLOURS[1]);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    expect(first / second).toBeGreaterThan(1.7);
    expect(first / second).toBeLessThan(2.3);
  });
});

describe('bar chart axes and labels', () => {
  it('puts round ticks on the value axis', () => {
    expect(niceScale(0)).toEqual({ top: 4, ticks: [0, 1, 2, 3, 4] });
    expect(niceScale(37)).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] });
    expect(niceScale(812)).toEqual({ top: 1000, ticks: [0, 250, 500, 750, 1000] });
    expect(niceScale(10)).toEqual({ top: 12, ticks: [0, 3, 6, 9, 12] });
  });

  it('names every category, the axis values, the axis and the series in the SVG', () => {
    const svg = barChartSvg(spec([[10, 3], [5, 8]]));
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(expect.arrayContaining(['2026-05', '2026-06', '0', '3', '6', '9', '12', '隐患数（项）', '发现', '销号']));
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(4);
  });

  it('writes tick values and categories in the PNG fallback too (dark pixels below the baseline and left of the axis)', () => {
    const img = decode(barChartPng(spec([[10, 3], [5, 8]], { width: 400, height: 240 })));
    const dark = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (img.at(x, y).every((v) => v < 100)) n++;
      return n;
    };
    expect(dark(0, 0, 60, 240)).toBeGreaterThan(20); // tick values
    expect(dark(64, 200, 400, 240)).toBeGreaterThan(20); // category labels
  });
});
