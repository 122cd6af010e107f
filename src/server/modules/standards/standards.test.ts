import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReference } from '../../seed/reference';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';

describe.each(DIALECTS)('judgement standards on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let city: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 20 });
    admin = await t.login('admin');
    city = await t.login('city');
  });
  afterAll(() => t?.close());

  it('ships every standard and clause of the reference file, with honest completeness', async () => {
    const ref = readReference<{ id: string; title: string; clauses: { is_lead_in?: boolean }[]; clauses_complete: boolean; item_count?: number }[]>('standards.json');
    const list = (await t.as(city, { method: 'GET', url: '/api/standards' })).json();
    expect(list.items.map((s: { id: string }) => s.id)).toEqual(ref.map((s) => s.id));
    for (const s of ref) {
      const got = list.items.find((x: { id: string }) => x.id === s.id);
      expect(got).toMatchObject({ title: s.title, clauseCount: s.clauses.filter((c) => !c.is_lead_in).length, clausesComplete: s.clauses_complete });
    }
    const gongmao = (await t.as(city, { method: 'GET', url: '/api/standards/gongmao-2023' })).json();
    expect(gongmao).toMatchObject({ docNo: '中华人民共和国应急管理部令第10号', itemCount: 64, clausesComplete: false });
    expect(gongmao.clausesMissing).toBeTruthy();
    expect(gongmao.clauses[0]).toMatchObject({ no: '第一条', isLeadIn: false });
    expect(gongmao.clauses.every((c: { source: string | null }) => c.source)).toBe(true);
    // Unverified candidate clauses are not shipped as clause text.
    expect(gongmao.clauses.some((c: { no: string }) => c.no.includes('推定'))).toBe(false);
    expect((await t.as(city, { method: 'GET', url: '/api/standards/no-such' })).statusCode).toBe(404);
  });

  it('searches clause text across standards and filters the list', async () => {
    const hits = (await t.as(city, { method: 'GET', url: `/api/standards/clauses?q=${encodeURIComponent('有限空间')}` })).json();
    expect(hits.total).toBeGreaterThan(0);
    expect(hits.items.every((c: { text: string }) => c.text.includes('有限空间'))).toBe(true);
    expect(hits.items[0].standardTitle).toBeTruthy();
    const filtered = (await t.as(city, { method: 'GET', url: `/api/standards?q=${encodeURIComponent('烟花爆竹')}` })).json();
    expect(filtered.items.map((s: { id: string }) => s.id)).toContain('yanhua-2017');
    expect(filtered.total).toBeLessThan(12);
  });

  it('lets administrators add and correct clauses, audited with the old text; others get 403', async () => {
    const payload = { no: '第十六条', text: '管理员补录的测试条款文本。', source: 'https://example.invalid/test' };
    expect((await t.as(city, { method: 'POST', url: '/api/standards/gongmao-2023/clauses', payload })).statusCode).toBe(403);
    const added = await t.as(admin, { method: 'POST', url: '/api/standards/gongmao-2023/clauses', payload });
    expect(added.statusCode).toBe(201);
    const clause = added.json();
    const dup = await t.as(admin, { method: 'POST', url: '/api/standards/gongmao-2023/clauses', payload });
    expect(dup.statusCode).toBe(409);
    const fixed = await t.as(admin, { method: 'PATCH', url: `/api/standards/gongmao-2023/clauses/${clause.id}`, payload: { text: '更正后的文本。' } });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ text: '更正后的文本。', no: '第十六条', updatedAt: expect.any(String) });
    expect((await t.as(city, { method: 'PATCH', url: `/api/standards/gongmao-2023/clauses/${clause.id}`, payload: { text: 'x' } })).statusCode).toBe(403);
    const log = (await t.as(admin, { method: 'GET', url: `/api/audit?entityId=${clause.id}` })).json();
    expect(log.items.map((r: { action: string }) => r.action)).toEqual(['standard.clause_corrected', 'standard.clause_added']);
    expect(log.items[0].before.text).toBe(payload.text);
    expect(log.items[0].after.text).toBe('更正后的文本。');
  });
});

describe.each(DIALECTS)('clause suggestions through the API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t?.close());

  it('suggests clauses for a description, and follows corrections', async () => {
    const admin = await t.login('admin');
    const ask = (text: string) => t.as(admin, { method: 'POST', url: '/api/standards/suggest', payload: { text, limit: 3 } });
    const res = await ask('有限空间作业现场未有专人监护');
    expect(res.statusCode).toBe(200);
    const top = res.json().items[0];
    expect(top).toMatchObject({ standardId: 'fangwu-shizheng-2022', text: expect.stringContaining('有限空间') });
    expect((await ask('')).statusCode).toBe(400);
    const fixed = await t.as(admin, { method: 'PATCH', url: `/api/standards/${top.standardId}/clauses/${top.clauseId}`, payload: { text: '塔吊顶升作业未按方案实施。' } });
    expect(fixed.statusCode).toBe(200);
    const after = (await ask('有限空间作业现场未有专人监护')).json().items;
    expect(after.map((s: { clauseId: string }) => s.clauseId)).not.toContain(top.clauseId);
  });
});
