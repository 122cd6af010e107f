import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness';
import { buildTemplate } from './templates';

describe('import templates', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t?.close());

  it('has Chinese headers, drop-down lists for district, street, grade, source and status, and instructions', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildTemplate(t.database.db, 'hazards')) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['单位名称*', '隐患描述*', '隐患级别*', '发现时间*', '所属区', '街道/乡镇', '隐患来源', '整改状态']));
    const lists = wb.getWorksheet('lists')!;
    const column = (name: string) => {
      const col = (lists.getRow(1).values as string[]).indexOf(name);
      return lists.getColumn(col).values.slice(2) as string[];
    };
    expect(column('districts')).toHaveLength(16);
    expect(column('districts')).toContain('浦东新区');
    expect(column('streets')).toContain('陆家嘴街道');
    expect(column('grades')).toEqual(['一般', '重大']);
    expect(column('statuses')).toContain('已销号');
    const validations = (sheet as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[] }> } }).dataValidations.model;
    const gradeCol = String.fromCharCode(65 + header.indexOf('隐患级别*'));
    const gradeRule = Object.entries(validations).find(([addr]) => addr.startsWith(gradeCol));
    expect(gradeRule?.[1]).toMatchObject({ type: 'list', formulae: [expect.stringMatching(/^lists!/)] });
    expect(Object.keys(validations).length).toBeGreaterThanOrEqual(5);
    expect(wb.getWorksheet('填写说明')!.rowCount).toBeGreaterThan(10);
  });

  it('is downloadable through the API', async () => {
    const res = await t.as(await t.login('admin'), { method: 'GET', url: '/api/imports/templates/hazards' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/hazards-template\.xlsx/);
    expect((await t.as(await t.login('admin'), { method: 'GET', url: '/api/imports/templates/other' })).statusCode).toBe(404);
  });

  it('builds the enterprise registry template too', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildTemplate(t.database.db, 'enterprises')) as unknown as ArrayBuffer);
    expect((wb.worksheets[0].getRow(1).values as string[]).slice(1)).toEqual(expect.arrayContaining(['统一社会信用代码*', '企业名称*', '行业代码*', '风险等级']));
  });
});
