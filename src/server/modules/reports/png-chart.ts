/**
 * A small bar chart as PNG, drawn without a browser or native graphics library, for Word
 * reports. Pure: pixels in memory, encoded with zlib. Labels belong in the document around it.
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

/** Grouped bars: one group per category, one bar per series. Answers a PNG. */
export function barChartPng(series: number[][], opts: { width?: number; height?: number } = {}): Buffer {
  const width = opts.width ?? 900;
  const height = opts.height ?? 320;
  const px = new Uint8Array(width * height * 3).fill(255);
  const fill = (x0: number, y0: number, x1: number, y1: number, c: RGB) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++)
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) px.set(c, (y * width + x) * 3);
  };
  const pad = { l: 20, r: 20, t: 20, b: 24 };
  const plotH = height - pad.t - pad.b;
  const max = Math.max(1, ...series.flat());
  // Horizontal grid at quarters, and the baseline.
  for (let q = 0; q <= 4; q++) fill(pad.l, pad.t + Math.round((plotH * q) / 4), width - pad.r, pad.t + Math.round((plotH * q) / 4) + 1, [225, 225, 225]);
  fill(pad.l, height - pad.b, width - pad.r, height - pad.b + 2, [120, 120, 120]);
  const groups = Math.max(...series.map((s) => s.length));
  const groupW = (width - pad.l - pad.r) / Math.max(1, groups);
  const barW = Math.max(2, Math.floor((groupW * 0.7) / series.length));
  for (let g = 0; g < groups; g++) {
    const x0 = pad.l + g * groupW + groupW * 0.15;
    series.forEach((s, i) => {
      const h = Math.round(((s[g] ?? 0) / max) * plotH);
      fill(Math.round(x0 + i * barW), height - pad.b - h, Math.round(x0 + (i + 1) * barW) - 1, height - pad.b, SERIES_COLOURS[i % SERIES_COLOURS.length]);
    });
  }
  return encodePng(width, height, px);
}
