import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { columnName, xlsxBytes } from './xlsx';

describe('the browser .xlsx writer', () => {
  it('names columns as Excel does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('writes the parts Excel needs, and a workbook another reader opens with the same cells', async () => {
    const rows = [
      ['月份', '发现', '销号', 'note'],
      ['2026-10', 814, 682, 'a < b & "c"'],
      ['2026-11', 780, null, '  spaced  '],
      ['控制\u0001字符', 0.25, -3, ''],
    ];
    const bytes = await xlsxBytes('发现与销号: 近 24 个月 [全市] / 按月份统计的很长的名称', rows);

    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files).filter((f) => !zip.files[f].dir).sort()).toEqual(
      ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'].sort(),
    );

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    expect(book.worksheets).toHaveLength(1);
    const sheet = book.worksheets[0];
    // Excel's limits: at most 31 characters, none of : \ / ? * [ ].
    expect(sheet.name.length).toBeLessThanOrEqual(31);
    expect(sheet.name).not.toMatch(/[:\\/?*[\]]/);
    expect(sheet.name.startsWith('发现与销号')).toBe(true);

    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['月份', '发现', '销号', 'note']);
    expect(values(2)).toEqual(['2026-10', 814, 682, 'a < b & "c"']);
    expect(sheet.getCell('B2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('C3').value).toBeNull();
    expect(sheet.getCell('D3').value).toBe('  spaced  ');
    expect(values(4).slice(0, 3)).toEqual(['控制字符', 0.25, -3]);
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(10);
  });
});
