import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { barChartPng, SERIES_COLOURS } from './png-chart';

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

describe('PNG bar chart', () => {
  it('draws taller bars for larger values, in the series colours', () => {
    const img = decode(barChartPng([[10, 0], [5, 0]], { width: 200, height: 100 }));
    expect([img.width, img.height]).toEqual([200, 100]);
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
