import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReference } from '../../seed/reference';
import { isLeadInText } from './lead-ins';
import { usccCheckChar } from '../../../shared/uscc';
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
      // Purpose, scope and definitions articles count as lead-ins too (lead-ins.ts).
      expect(got).toMatchObject({ title: s.title, clauseCount: s.clauses.filter((c) => !c.is_lead_in && !isLeadInText((c as { text: string }).text)).length, clausesComplete: s.clauses_complete });
    }
    const gongmao = (await t.as(city, { method: 'GET', url: '/api/standards/gongmao-2023' })).json();
    expect(gongmao).toMatchObject({ docNo: '中华人民共和国应急管理部令第10号', itemCount: 64, clausesComplete: false });
    expect(gongmao.completeness.zh).toBe(`官方文本共 64 项，本系统已收录 ${gongmao.clauseCount} 项；其余条款尚未收录，判定时请以官方发布的文本为准。`);
    expect(gongmao.completeness.en).toMatch(/of the official 64 items are held/);
    expect(gongmao.clauses[0]).toMatchObject({ no: '第一条', isLeadIn: true });
    // The research notes behind the data never reach the interface.
    expect(JSON.stringify(list)).not.toMatch(/candidate_clauses|cut off|garbled|corpus|confidence/i);
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

describe.each(DIALECTS)('clauses in Chinese on %s', (dialect) => {
  let t: TestApp;
  let pudong: string;
  const enterpriseIn = async (division: string) => {
    const row = await t.database.db.selectFrom('enterprises').select('id').where('industry_code', '=', division).where('district_code', '=', '310115').executeTakeFirst();
    if (row) return row.id;
    const base = `91310115MA1K4T${division}X`.slice(0, 17);
    const res = await t.as(pudong, {
      method: 'POST',
      url: '/api/enterprises',
      payload: { uscc: `${base}${usccCheckChar(base)}`, name: `测试企业${division}`, address: '浦东新区测试路1号', districtCode: '310115', industryCode: division, principalName: '张三' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 120 });
    pudong = await t.login('pudong');
  });
  afterAll(() => t?.close());

  it('finds clauses by a word of one or two characters', async () => {
    for (const word of ['粉尘', '铝镁', '氨', '液氨']) {
      const hits = (await t.as(pudong, { method: 'GET', url: `/api/standards/clauses?citable=true&q=${encodeURIComponent(word)}` })).json();
      expect(hits.total, word).toBeGreaterThan(0);
      expect(hits.items.every((c: { text: string; isLeadIn: boolean }) => c.text.includes(word) && !c.isLeadIn), word).toBe(true);
    }
    const suggested = (await t.as(pudong, { method: 'POST', url: '/api/standards/suggest', payload: { text: '粉尘' } })).json();
    expect(suggested.items.length).toBeGreaterThan(0);
    expect(suggested.items[0].text).toContain('粉尘');
  });

  it('never suggests or accepts a purpose, scope or definitions article', async () => {
    const leadIns = new Set((await t.database.db.selectFrom('standard_clauses').select('id').where('is_lead_in', '=', 1).execute()).map((r) => r.id));
    expect(leadIns.size).toBeGreaterThan(30);
    const textile = await enterpriseIn('17');
    for (const text of ['纺织企业的目的和适用范围', '本标准适用于判定纺织企业重大事故隐患', '房屋市政工程施工过程中的重大事故隐患', '公路运营领域重大事故隐患分为桥梁隧道', '纺织车间棉尘清扫不及时']) {
      const r = (await t.as(pudong, { method: 'POST', url: '/api/standards/suggest', payload: { text, limit: 20, enterpriseId: textile } })).json();
      expect(r.items.filter((s: { clauseId: string }) => leadIns.has(s.clauseId)), text).toEqual([]);
    }
    const purpose = (await t.database.db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('no', '=', '第一条').executeTakeFirstOrThrow()).id;
    const cited = await t.as(pudong, {
      method: 'POST',
      url: '/api/hazards',
      payload: { enterpriseId: textile, description: '引用总则条款的隐患', location: '车间', grade: 'major', source: 'routine_inspection', foundAt: new Date().toISOString(), clauseIds: [purpose] },
    });
    expect(cited.statusCode).toBe(400);
    expect(cited.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'clauseIds', message: expect.stringMatching(/不能作为判定依据/) }] });
  });

  it('ranks first the standards that apply to the enterprise’s industry, and says when their text is incomplete', async () => {
    // A restaurant's bottled gas: the fire standard applies to every industry; no chemical-plant clause comes first.
    const restaurant = await enterpriseIn('62');
    const gas = (await t.as(pudong, { method: 'POST', url: '/api/standards/suggest', payload: { text: '后厨液化石油气钢瓶与灶具同室存放，未设置可燃气体报警装置', limit: 5, enterpriseId: restaurant } })).json();
    expect(gas.items.length).toBeGreaterThan(0);
    expect(gas.items[0]).toMatchObject({ applies: true, standardId: 'gb35181-2017' });
    expect(gas.items.filter((s: { applies: boolean }) => s.applies).map((s: { standardId: string }) => s.standardId)).toEqual(expect.arrayContaining(['gb35181-2017']));
    expect(gas.items.findIndex((s: { standardId: string }) => s.standardId === 'huagong-2017')).not.toBe(0);
    expect(gas.incomplete.map((n: { standardId: string }) => n.standardId)).toEqual(['gb35181-2017']);
    expect(gas.incomplete[0].completeness.zh).toMatch(/尚未收录/);

    // A machinery plant's dust: the 工贸 standard applies and leads.
    const machinery = await enterpriseIn('34');
    const dust = (await t.as(pudong, { method: 'POST', url: '/api/standards/suggest', payload: { text: '铝镁粉尘除尘系统未设置泄爆装置', limit: 5, enterpriseId: machinery } })).json();
    expect(dust.items[0]).toMatchObject({ applies: true, standardId: 'gongmao-2023' });
    // Without an enterprise, nothing is said to apply, and the order is the similarity alone.
    const plain = (await t.as(pudong, { method: 'POST', url: '/api/standards/suggest', payload: { text: '铝镁粉尘除尘系统未设置泄爆装置', limit: 5 } })).json();
    expect(plain.items.every((s: { applies: boolean }) => !s.applies)).toBe(true);
    expect(plain.incomplete).toEqual([]);
  });
});
