/**
 * A grouped bar chart for Word reports, drawn without a browser or graphics library: as SVG (axes,
 * values, month labels and legend as text, which Word 2016+ and LibreOffice show) with a PNG
 * fallback for older readers (the same bars and grid, values and categories in a small digit
 * font). Pure: strings and pixels in memory.
 */
import { deflateSync } from 'node:zlib';

type RGB = [number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function encodePng(width: number, height: number, pixels: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    Buffer.from(pixels.buffer, pixels.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export const SERIES_COLOURS: RGB[] = [
  [22, 119, 255],
  [82, 196, 26],
  [250, 140, 22],
];

export interface BarSeries {
  name: string;
  values: number[];
}

export interface BarChartSpec {
  /** One label per group, e.g. 2026-05. */
  categories: string[];
  series: BarSeries[];
  /** The value axis's title, e.g. 隐患数（项）. */
  axisTitle: string;
  width?: number;
  height?: number;
}

/** A round top for the value axis and its ticks: four whole steps of 1, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ. */
export function niceScale(max: number): { top: number; ticks: number[] } {
  const raw = Math.max(1, max) / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * pow).find((st) => st >= raw && Number.isInteger(st)) ?? 10 * pow;
  return { top: step * 4, ticks: [0, 1, 2, 3, 4].map((i) => i * step) };
}

const PAD = { l: 64, r: 16, t: 40, b: 48 };

function layout(spec: BarChartSpec) {
  const width = spec.width ?? 900;
  const height = spec.height ?? 340;
  const { top, ticks } = niceScale(Math.max(0, ...spec.series.flatMap((s) => s.values)));
  const plotW = width - PAD.l - PAD.r;
  const plotH = height - PAD.t - PAD.b;
  const groups = spec.categories.length;
  const groupW = plotW / Math.max(1, groups);
  const barW = Math.max(2, Math.floor((groupW * 0.7) / Math.max(1, spec.series.length)));
  const y = (v: number) => PAD.t + plotH - Math.round((v / top) * plotH);
  const bar = (g: number, i: number) => ({ x0: Math.round(PAD.l + g * groupW + groupW * 0.15 + i * barW), x1: Math.round(PAD.l + g * groupW + groupW * 0.15 + (i + 1) * barW) - 1 });
  return { width, height, ticks, y, bar, groupW, plotH };
}

const hex = (c: RGB) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The chart as SVG text. */
export function barChartSvg(spec: BarChartSpec): string {
  const { width, height, ticks, y, bar, groupW } = layout(spec);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="SimSun, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${PAD.l}" y="${PAD.t - 18}" fill="#595959">${esc(spec.axisTitle)}</text>`,
  ];
  for (const v of ticks) {
    out.push(`<line x1="${PAD.l}" x2="${width - PAD.r}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? '#787878' : '#e1e1e1'}" stroke-width="${v === 0 ? 2 : 1}"/>`);
    out.push(`<text class="tick" x="${PAD.l - 8}" y="${y(v) + 4}" text-anchor="end" fill="#595959">${v}</text>`);
  }
  spec.categories.forEach((c, g) => {
    spec.series.forEach((s, i) => {
      const { x0, x1 } = bar(g, i);
      const v = s.values[g] ?? 0;
      out.push(`<rect x="${x0}" y="${y(v)}" width="${Math.max(1, x1 - x0)}" height="${y(0) - y(v)}" fill="${hex(SERIES_COLOURS[i % SERIES_COLOURS.length])}"><title>${esc(`${c} ${s.name} ${v}`)}</title></rect>`);
    });
    out.push(`<text class="category" x="${Math.round(PAD.l + (g + 0.5) * groupW)}" y="${y(0) + 20}" text-anchor="middle" fill="#262626">${esc(c)}</text>`);
  });
  let lx = width - PAD.r - spec.series.length * 90;
  spec.series.forEach((s, i) => {
    out.push(`<rect x="${lx}" y="${PAD.t - 30}" width="14" height="14" fill="${hex(SERIES_COLOURS[i % SERIES_COLOURS.length])}"/>`);
    out.push(`<text class="legend" x="${lx + 20}" y="${PAD.t - 18}" fill="#262626">${esc(s.name)}</text>`);
    lx += 90;
  });
  out.push('</svg>');
  return out.join('');
}

/** Digits and the hyphen, 3 × 5 pixels each (row by row), for the PNG's axis and category labels. */
const GLYPHS: Record<string, string> = {
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '111001111100111',
  '3': '111001111001111',
  '4': '101101111001001',
  '5': '111100111001111',
  '6': '111100111101111',
  '7': '111001001001001',
  '8': '111101111101111',
  '9': '111101111001111',
  '-': '000000111000000',
};
const SCALE = 2;
const textWidth = (s: string) => s.length * 4 * SCALE - SCALE;

/** The same chart as PNG: bars, grid, baseline, tick values and category labels (digits only). */
export function barChartPng(spec: BarChartSpec): Buffer {
  const { width, height, ticks, y, bar, groupW } = layout(spec);
  const px = new Uint8Array(width * height * 3).fill(255);
  const fill = (x0: number, y0: number, x1: number, y1: number, c: RGB) => {
    for (let yy = Math.max(0, y0); yy < Math.min(height, y1); yy++)
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) px.set(c, (yy * width + x) * 3);
  };
  const write = (s: string, x: number, top: number, c: RGB = [89, 89, 89]) => {
    [...s].forEach((ch, k) => {
      const g = GLYPHS[ch];
      if (!g) return;
      for (let i = 0; i < 15; i++) if (g[i] === '1') fill(x + k * 4 * SCALE + (i % 3) * SCALE, top + Math.floor(i / 3) * SCALE, x + k * 4 * SCALE + (i % 3) * SCALE + SCALE, top + Math.floor(i / 3) * SCALE + SCALE, c);
    });
  };
  for (const v of ticks) {
    fill(PAD.l, y(v), width - PAD.r, y(v) + (v === 0 ? 2 : 1), v === 0 ? [120, 120, 120] : [225, 225, 225]);
    write(String(v), PAD.l - 8 - textWidth(String(v)), y(v) - 5);
  }
  spec.categories.forEach((c, g) => {
    spec.series.forEach((s, i) => {
      const { x0, x1 } = bar(g, i);
      fill(x0, y(s.values[g] ?? 0), x1, y(0), SERIES_COLOURS[i % SERIES_COLOURS.length]);
    });
    // "2026-05" → "26-05": the category in digits the small font has.
    const short = c.replace(/^\d{2}(\d{2}-\d{2})$/, '$1');
    write(short, Math.round(PAD.l + (g + 0.5) * groupW - textWidth(short) / 2), y(0) + 8, [38, 38, 38]);
  });
  return encodePng(width, height, px);
}
