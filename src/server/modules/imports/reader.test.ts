import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { readRows, TooManyRowsError } from './reader';

const dir = mkdtempSync(path.join(tmpdir(), 'zhiben-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sample(rows: unknown[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  for (const r of rows) ws.addRow(r);
  wb.addWorksheet('说明').addRow(['ignored']);
  const file = path.join(dir, `${Math.random()}.xlsx`);
  await wb.xlsx.writeFile(file);
  return file;
}

describe('streaming xlsx reader', () => {
  it('yields the first sheet’s rows with their numbers and raw values (dates stay dates)', async () => {
    const file = await sample([['2024年隐患台账'], ['单位名称', '发现时间', '数量'], ['上海某公司', new Date(Date.UTC(2024, 4, 31)), 3]]);
    const rows = [];
    for await (const r of readRows(file, 100)) rows.push(r);
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 3]);
    expect(rows[2].cells[0]).toBe('上海某公司');
    expect(rows[2].cells[1]).toBeInstanceOf(Date);
    expect((rows[2].cells[1] as Date).toISOString().slice(0, 10)).toBe('2024-05-31');
    expect(rows[2].cells[2]).toBe(3);
  });
  it('stops with a clear error past the row limit', async () => {
    const file = await sample(Array.from({ length: 12 }, (_, i) => [`r${i}`]));
    const read = async () => {
      for await (const _ of readRows(file, 10)) void _;
    };
    await expect(read()).rejects.toBeInstanceOf(TooManyRowsError);
  });
});
