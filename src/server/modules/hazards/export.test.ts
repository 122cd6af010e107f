import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, readSheet, type TestApp } from '../../test/harness';

describe.each(DIALECTS)('ledger export on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 200, demoHazards: 2500 });
  });
  afterAll(() => t?.close());

  it('exports exactly what the filters select, in order, with Chinese headers, frozen header row and real dates', async () => {
    const pudong = await t.login('pudong');
    const qs = 'status=reported,rectifying,pending_acceptance,closed&sort=-foundAt';
    const listed: { code: string; overdue: boolean; deadline: string | null; grade: string }[] = [];
    for (let page = 1; ; page++) {
      const r = (await t.as(pudong, { method: 'GET', url: `/api/hazards?${qs}&pageSize=200&page=${page}` })).json();
      listed.push(...r.items);
      if (listed.length >= r.total) break;
    }
    expect(listed.length).toBeGreaterThan(100);
    const res = await t.as(pudong, { method: 'GET', url: `/api/hazards/export.xlsx?${qs}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const ws = await readSheet(res.rawPayload);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['隐患编号', '企业名称', '所属区', '隐患级别', '判定依据', '整改状态', '是否逾期', '整改期限', '督办级别', '发现时间', '销号时间']));
    const col = (name: string) => header.indexOf(name) + 1;
    expect(ws.rowCount - 1).toBe(listed.length);
    listed.forEach((h, i) => {
      const row = ws.getRow(i + 2);
      expect(row.getCell(col('隐患编号')).value).toBe(h.code);
      expect(row.getCell(col('所属区')).value).toBe('浦东新区');
      expect(row.getCell(col('是否逾期')).value).toBe(h.overdue ? '是' : '否');
      expect(row.getCell(col('隐患级别')).value).toBe(h.grade === 'major' ? '重大隐患' : '一般隐患');
      const deadline = row.getCell(col('整改期限')).value;
      if (h.deadline) expect((deadline as Date).toISOString().slice(0, 10)).toBe(h.deadline);
      else expect(deadline).toBeNull();
    });
    expect(ws.getRow(2).getCell(col('发现时间')).value).toBeInstanceOf(Date);
    const majors = listed.map((h, i) => ({ h, i })).filter((x) => x.h.grade === 'major');
    for (const { i } of majors) expect(String(ws.getRow(i + 2).getCell(col('判定依据')).value)).toMatch(/^《.+》\S+/);
    const audit = (await t.as(await t.login('admin'), { method: 'GET', url: '/api/audit?action=hazard.exported' })).json();
    expect(audit.items[0].after.rows).toBe(listed.length);
  });

  it('keeps to scope: an enterprise exports only its own hazards; an empty selection gives headers only', async () => {
    const ent = await t.login('ent-pd');
    const own = (await t.as(ent, { method: 'GET', url: '/api/hazards?pageSize=1' })).json().total;
    const ws = await readSheet((await t.as(ent, { method: 'GET', url: '/api/hazards/export.xlsx' })).rawPayload);
    expect(ws.rowCount - 1).toBe(own);
    const none = await readSheet((await t.as(ent, { method: 'GET', url: '/api/hazards/export.xlsx?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84' })).rawPayload);
    expect(none.rowCount).toBe(1);
  });
});
