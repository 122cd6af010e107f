import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { writeFileSync } from 'node:fs';
import { decodeCsv, detectFormat, LEGACY_MAX_BYTES, openWorkbook, parseCsv, readRows, TooManyRowsError, UnreadableFileError } from './reader';
import { resolveLayout } from './layout';
import { HAZARD_SPEC } from './hazard-import';
import { ledgerCsv } from './fixtures/offices';

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

async function all(file: string, name = 'f') {
  const wb = await openWorkbook(file, 1000, name);
  const out: { sheet: string; hiddenColumns: number[]; rows: { rowNumber: number; cells: unknown[]; hidden?: boolean }[] }[] = [];
  for await (const sheet of wb.sheets) {
    const rows = [];
    for await (const r of sheet.rows) rows.push(r);
    out.push({ sheet: sheet.name, hiddenColumns: sheet.hiddenColumns, rows });
  }
  return { wb, sheets: out };
}
const put = (name: string, content: Buffer | string) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};

describe('.csv', () => {
  it('parses quoted fields with delimiters, quotes and line breaks; keeps ="0123" as text; finds the delimiter', () => {
    expect([...parseCsv('a,"b,1","say ""hi""","two\nlines"\r\nx,="0310",,\n')]).toEqual([
      ['a', 'b,1', 'say "hi"', 'two\nlines'],
      ['x', '="0310"', '', ''],
    ]);
    expect([...parseCsv('单位\t描述\n甲\t乙')]).toEqual([
      ['单位', '描述'],
      ['甲', '乙'],
    ]);
  });

  it('detects UTF-8 (with or without BOM), UTF-16 and GB18030/GBK; refuses what is none of them rather than show mojibake', () => {
    const gbk = ledgerCsv('gbk');
    expect(decodeCsv(gbk).encoding).toBe('gb18030');
    expect(decodeCsv(gbk).text).toContain('上海浦测机械有限公司');
    expect(decodeCsv(ledgerCsv('utf-8-bom'))).toMatchObject({ encoding: 'utf-8', text: expect.stringMatching(/^序号,企业名称/) });
    expect(decodeCsv(Buffer.from('隐患描述,发现时间\n', 'utf8')).encoding).toBe('utf-8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('隐患描述\t发现时间\n', 'utf16le')]);
    expect(decodeCsv(utf16)).toEqual({ encoding: 'utf-16le', text: '隐患描述\t发现时间\n' });
    expect(() => decodeCsv(Buffer.from([0x81, 0x20, 0xff, 0xff, 0x41]))).toThrow(UnreadableFileError);
  });

  it('reads a GBK ledger with the same cells as its UTF-8 twin, and stops past the row limit', async () => {
    const gbk = await all(put('gbk.csv', ledgerCsv('gbk')), 'gbk.csv');
    const utf8 = await all(put('utf8.csv', ledgerCsv('utf-8-bom')), 'utf8.csv');
    expect(gbk.wb).toMatchObject({ format: 'csv', encoding: 'gb18030' });
    expect(gbk.sheets[0].rows).toEqual(utf8.sheets[0].rows);
    expect(gbk.sheets[0].rows[1].cells.slice(1, 4)).toEqual(['上海浦测机械有限公司', '91310115FX00000012', '消防通道堆放杂物']);
    const big = put('big.csv', Array.from({ length: 30 }, (_, i) => `r${i},x`).join('\n'));
    const read = async () => {
      for await (const _ of readRows(big, 20)) void _;
    };
    await expect(read()).rejects.toBeInstanceOf(TooManyRowsError);
  });
});

describe('telling formats apart', () => {
  it('by content: zip, OLE2 and HTML tables; a file named .xlsx that is text is refused by name', async () => {
    expect(detectFormat(Buffer.from('PK\u0003\u0004'))).toBe('xlsx');
    expect(detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe('xls');
    expect(detectFormat(Buffer.from('\ufeff <html><body><table>'))).toBe('xls');
    expect(detectFormat(Buffer.from('单位,描述'))).toBe('csv');
    await expect(openWorkbook(put('fake.xlsx', 'not a spreadsheet'), 10, '台账.xlsx')).rejects.toThrow(/「台账.xlsx」的内容不是 Excel 工作簿/);
    const html = await all(put('export.xls', '<html><body><table><tr><td>企业名称</td><td>隐患描述</td></tr><tr><td>甲公司</td><td>消防门损坏</td></tr></table></body></html>'), 'export.xls');
    expect(html.wb.format).toBe('xls');
    expect(html.sheets[0].rows.map((r) => r.cells)).toEqual([
      ['企业名称', '隐患描述'],
      ['甲公司', '消防门损坏'],
    ]);
  });

  it('a corrupt .xls is refused with a message, not a crash; an .xls past the row limit stops', async () => {
    const broken = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Array<number>(600).fill(0)]);
    await expect(openWorkbook(put('broken.xls', broken), 10, 'broken.xls')).rejects.toBeInstanceOf(UnreadableFileError);
    // Read whole by SheetJS, a legacy file past 8 MB is asked for as .xlsx before it is read.
    const large = Buffer.alloc(LEGACY_MAX_BYTES + 1);
    broken.copy(large);
    await expect(openWorkbook(put('large.xls', large), 10, 'large.xls')).rejects.toThrow(/^旧版 Excel 文件（\.xls）超过 8 MB：请在 Excel 或 WPS 中另存为 \.xlsx/);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(Array.from({ length: 30 }, (_, i) => [`r${i}`])), 'S');
    const file = put('many.xls', XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
    const read = async () => {
      for await (const _ of readRows(file, 20)) void _;
    };
    await expect(read()).rejects.toBeInstanceOf(TooManyRowsError);
  });
});

describe('merged cells, hidden rows and columns (.xlsx written by exceljs)', () => {
  it('repeats a vertical merge down its rows, keeps a horizontal one in its first cell, flags hidden rows and lists hidden columns', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['2026年台账']);
    ws.addRow(['企业名称', '隐患描述', '备注', '隐患描述']);
    ws.addRow(['甲公司', '一', 'x', '旧一']);
    ws.addRow([null, '二', null, '旧二']);
    ws.addRow(['乙公司', '三', null, '旧三']);
    ws.mergeCells('A1:D1');
    ws.mergeCells('A3:A4');
    ws.mergeCells('B5:C5');
    ws.getRow(4).hidden = true;
    ws.getColumn(4).hidden = true;
    const file = path.join(dir, 'merged.xlsx');
    await wb.xlsx.writeFile(file);
    const { sheets } = await all(file, 'merged.xlsx');
    const rows = sheets[0].rows;
    expect(sheets[0].hiddenColumns).toEqual([3]);
    expect(rows.map((r) => [r.rowNumber, r.cells[0], r.cells[2] ?? null, !!r.hidden])).toEqual([
      [1, '2026年台账', null, false],
      [2, '企业名称', '备注', false],
      [3, '甲公司', 'x', false],
      [4, '甲公司', null, true],
      [5, '乙公司', null, false],
    ]);
    // The visible 隐患描述 feeds the field; the hidden one with the same title is left out.
    const layout = resolveLayout(HAZARD_SPEC, rows, sheets[0].hiddenColumns, null)!;
    expect(layout.match.columns.description).toBe(1);
    expect(layout.columns.find((c) => c.letter === 'D')).toMatchObject({ field: null, hidden: true });
  });
});

describe('.xls cells', () => {
  it('gives a formula its cached value, an error cell its error, and a date-formatted number a date', async () => {
    const ws = XLSX.utils.aoa_to_sheet([['a', 'b', 'c']]);
    ws.A2 = { t: 'n', v: 3, f: 'A1+1' } as XLSX.CellObject;
    ws.B2 = { t: 'e', v: 42, w: '#N/A' };
    ws.C2 = { t: 'n', v: 45443.5, z: 'yyyy-mm-dd hh:mm' };
    ws['!ref'] = 'A1:C2';
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    const file = put('cells.xls', XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
    const rows = [];
    for await (const r of readRows(file, 10)) rows.push(r.cells);
    expect(rows[1][0]).toBe(3);
    expect(rows[1][1]).toEqual({ error: '#N/A' });
    expect((rows[1][2] as Date).toISOString()).toBe('2024-05-31T12:00:00.000Z');
  });
});
