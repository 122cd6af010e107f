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
  it('never breaks a Chinese character across the decompressor’s chunks (inline and shared strings)', async () => {
    for (const useSharedStrings of [false, true]) {
      const file = path.join(dir, `cjk-${useSharedStrings}.xlsx`);
      const w = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings });
      const ws = w.addWorksheet('台账');
      for (let i = 0; i < 20_000; i++) ws.addRow([`日常检查发现的隐患第${i}项`, '一般', `上海测试企业${i % 97}有限公司`]).commit();
      ws.commit();
      await w.commit();
      let rows = 0;
      for await (const r of readRows(file, 30_000)) {
        rows++;
        const text = r.cells.join('|');
        if (text.includes('\uFFFD')) throw new Error(`row ${r.rowNumber} broken: ${text}`);
        expect(r.cells[1]).toBe('一般');
      }
      expect(rows).toBe(20_000);
    }
  });

  it('stops with a clear error past the row limit', async () => {
    const file = await sample(Array.from({ length: 12 }, (_, i) => [`r${i}`]));
    const read = async () => {
      for await (const _ of readRows(file, 10)) void _;
    };
    await expect(read()).rejects.toBeInstanceOf(TooManyRowsError);
  });
});
