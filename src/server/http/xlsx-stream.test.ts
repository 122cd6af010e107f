import { createReadStream, mkdtempSync, createWriteStream, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { shanghaiWallClock, XlsxStreamWriter, type XlsxColumn, type XlsxValue } from './xlsx-stream';

const COLUMNS = [
  { key: 'code', header: '隐患编号', width: 24 },
  { key: 'text', header: '隐患描述', width: 40 },
  { key: 'deadline', header: '整改期限', width: 12, date: 'date' },
  { key: 'found', header: '发现时间', width: 18 },
  { key: 'n', header: '次数', width: 9 },
] as const satisfies readonly XlsxColumn[];
type Key = (typeof COLUMNS)[number]['key'];
/** The tests write rows as lists, in the columns' order. */
const keyed = (values: readonly XlsxValue[]) => Object.fromEntries(COLUMNS.map((c, i) => [c.key, values[i]])) as Record<Key, XlsxValue>;

async function writeTo(file: string, rows: (string | number | Date | null)[][], now = new Date(Date.UTC(2026, 10, 29, 3))) {
  const w = new XlsxStreamWriter(createWriteStream(file), { sheet: '隐患台账', columns: COLUMNS, creator: 'Zhiben 治本', now });
  for (let i = 0; i < rows.length; i++) {
    w.addRow(keyed(rows[i]));
    if (i % 500 === 499) await w.flush();
  }
  return w.finish();
}

describe('streaming .xlsx writer', () => {
  it('writes a workbook exceljs reads back whole: headers, text, numbers, real dates, frozen bold header, widths, filter', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'xlsx-')), 'a.xlsx');
    const written = await writeTo(file, [
      ['YH-310115-2026-000001', '配电箱未接地 & 电缆<破损>"警示"', new Date(Date.UTC(2026, 4, 31)), new Date(Date.UTC(2026, 4, 31, 9, 30)), 2],
      ['YH-310115-2026-000002', '控制字符\u0001已去掉，换行\n保留', null, null, 0],
      ['', '', null, null, null],
      ['𠮷 生僻字与表情 😀', '  前后空格  ', new Date(Date.UTC(1999, 11, 31)), new Date(Date.UTC(2026, 0, 1, 23, 59)), 1.5],
    ]);
    expect(written).toBe(4);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('隐患台账')!;
    expect(ws.getRow(1).values).toEqual([undefined, '隐患编号', '隐患描述', '整改期限', '发现时间', '次数']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.columns.map((c) => c.width)).toEqual([24, 40, 12, 18, 9]);
    expect(ws.autoFilter).toBe('A1:E5');
    expect(ws.getRow(2).values).toEqual([undefined, 'YH-310115-2026-000001', '配电箱未接地 & 电缆<破损>"警示"', new Date(Date.UTC(2026, 4, 31)), new Date(Date.UTC(2026, 4, 31, 9, 30)), 2]);
    expect(ws.getCell('C2').numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell('D2').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(ws.getRow(3).values).toEqual([undefined, 'YH-310115-2026-000002', '控制字符已去掉，换行\n保留', undefined, undefined, 0]);
    expect(ws.getRow(4).cellCount).toBe(0);
    expect(ws.getRow(5).values).toEqual([undefined, '𠮷 生僻字与表情 😀', '  前后空格  ', new Date(Date.UTC(1999, 11, 31)), new Date(Date.UTC(2026, 0, 1, 23, 59)), 1.5]);
    expect(wb.creator).toBe('Zhiben 治本');
  });

  it('an empty export is a valid workbook holding the header row only', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'xlsx-')), 'empty.xlsx');
    expect(await writeTo(file, [])).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(1);
    expect(ws.getCell('B1').value).toBe('隐患描述');
  });

  it('streams many rows that exceljs’s streaming reader reads back in order', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'xlsx-')), 'big.xlsx');
    const n = 30_000;
    const rows = Array.from({ length: n }, (_, i) => [`YH-${String(i).padStart(6, '0')}`, '配电箱未接地，电缆破损'.repeat(1 + (i % 3)), new Date(Date.UTC(2026, i % 12, 1 + (i % 28))), null, i]);
    expect(await writeTo(file, rows)).toBe(n);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'emit' });
    let count = 0;
    let bad = 0;
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (row.number === 1) continue;
        const i = row.number - 2;
        const v = row.values as unknown[];
        if (v[1] !== `YH-${String(i).padStart(6, '0')}` || v[5] !== i || (v[3] as Date).getTime() !== Date.UTC(2026, i % 12, 1 + (i % 28))) bad++;
        count++;
      }
    }
    expect({ count, bad }).toEqual({ count: n, bad: 0 });
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
  });

  it('holds the producer back while the destination is slow (memory stays bounded)', async () => {
    let received = 0;
    let release: (() => void) | null = null;
    // A destination that takes one chunk at a time, and only when allowed.
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        release = cb;
      },
    });
    const w = new XlsxStreamWriter(slow, { sheet: 's', columns: COLUMNS });
    let flushed = false;
    // Random text barely compresses, so the deflate output soon fills the destination's buffer.
    const noise = () => Array.from({ length: 200 }, () => String.fromCharCode(0x4e00 + Math.floor(Math.random() * 20000))).join('');
    for (let i = 0; i < 3000; i++) w.addRow(keyed([String(i), noise(), null, null, i]));
    const pending = w.flush().then(() => (flushed = true));
    await new Promise((r) => setTimeout(r, 200));
    // Nothing taken yet beyond the first chunk: the flush must still be waiting.
    expect(flushed).toBe(false);
    expect(received).toBeLessThan(512 * 1024);
    // Let the destination take everything; the flush then completes.
    const drain = setInterval(() => {
      const cb = release;
      release = null;
      cb?.();
    }, 1);
    await pending;
    expect(flushed).toBe(true);
    const finished = w.finish();
    await finished;
    clearInterval(drain);
    expect(received).toBeGreaterThan(1_000_000);
  });

  it('fails instead of waiting forever when the destination goes away', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    const w = new XlsxStreamWriter(out, { sheet: 's', columns: COLUMNS });
    const noise = () => Array.from({ length: 200 }, () => String.fromCharCode(0x4e00 + Math.floor(Math.random() * 20000))).join('');
    for (let i = 0; i < 3000; i++) w.addRow(keyed([String(i), noise(), null, null, i]));
    const pending = w.flush();
    setTimeout(() => out.destroy(), 50);
    await expect(pending).rejects.toThrow(/closed/);
  });

  it('writes a timestamp as the wall-clock time in Shanghai (Excel has no time zones)', () => {
    expect(shanghaiWallClock('2026-05-31T16:30:00.000Z')).toEqual(new Date(Date.UTC(2026, 5, 1, 0, 30)));
    expect(shanghaiWallClock(null)).toBeNull();
  });
});
