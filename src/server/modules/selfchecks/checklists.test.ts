import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';

describe.each(DIALECTS)('self-check checklists on %s', (dialect) => {
  let t: TestApp;
  const c = {} as Record<'city' | 'pudong' | 'huangpu' | 'lujiazui' | 'yjj' | 'inspector-pd' | 'ent-pd' | 'ent-hp', string>;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 60 });
    for (const u of Object.keys({ city: 1, pudong: 1, huangpu: 1, lujiazui: 1, yjj: 1, 'inspector-pd': 1, 'ent-pd': 1, 'ent-hp': 1 }) as (keyof typeof c)[]) c[u] = await t.login(u);
  });
  afterAll(() => t?.close());

  const get = (who: string, url: string) => t.as(who, { method: 'GET', url });
  const post = (who: string, url: string, payload: unknown) => t.as(who, { method: 'POST', url, payload: payload as object });
  const patch = (who: string, url: string, payload: unknown) => t.as(who, { method: 'PATCH', url, payload: payload as object });

  it('generates a checklist from a judgement standard: one item per clause, lead-in sentences skipped, each citing its clause, in order', async () => {
    const db = t.database.db;
    const clauses = await db.selectFrom('standard_clauses').select(['id', 'no', 'text', 'is_lead_in']).where('standard_id', '=', 'gongmao-2023').orderBy('sort').execute();
    const checked = clauses.filter((x) => x.is_lead_in === 0);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThan(clauses.length); // the standard has lead-in sentences to skip
    const r = await post(c.city, '/api/checklists/from-standard', { standardId: 'gongmao-2023', title: '工贸企业重大事故隐患自查表' });
    expect(r.statusCode, r.body).toBe(201);
    const list = r.json();
    expect(list).toMatchObject({ title: '工贸企业重大事故隐患自查表', version: 1, ownerLevel: 'city', ownerName: '上海市', standardId: 'gongmao-2023', editable: true, itemCount: checked.length });
    expect(list.items.map((i: { clauseId: string }) => i.clauseId)).toEqual(checked.map((x) => x.id));
    expect(list.items.map((i: { clauseNo: string }) => i.clauseNo)).toEqual(checked.map((x) => x.no));
    expect(list.items.map((i: { seq: number }) => i.seq)).toEqual(checked.map((_, k) => k + 1));
    const industries = (await db.selectFrom('standard_industries').select('industry_code').where('standard_id', '=', 'gongmao-2023').execute()).map((x) => x.industry_code);
    expect([...list.industryCodes].sort()).toEqual(industries.includes('*') ? [] : [...industries].sort());
    // Audited, in the same transaction.
    const audited = await db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity_id', '=', list.id).execute();
    expect(audited).toEqual([{ action: 'checklist.created', entity_id: list.id }]);

    expect((await post(c.city, '/api/checklists/from-standard', { standardId: 'no-such-standard', title: '不存在的标准' })).statusCode).toBe(404);
    expect((await post(c['inspector-pd'], '/api/checklists/from-standard', { standardId: 'gongmao-2023', title: '执法人员不能发布' })).json().code).toBe('FORBIDDEN');
  });

  it('a checklist edited with new items gets a new version and keeps the earlier one; a stale version is refused and changes nothing', async () => {
    const made = (await post(c.pudong, '/api/checklists', { title: '浦东新区消防与用电通用检查表', industryCodes: ['C'], items: [{ text: '疏散通道是否畅通', category: '消防' }, { text: '配电箱是否接地', category: '用电' }] })).json();
    expect(made).toMatchObject({ version: 1, ownerLevel: 'district', ownerName: '浦东新区', itemCount: 2 });
    const v1Items = made.items.map((i: { id: string }) => i.id);

    const changed = await patch(c.pudong, `/api/checklists/${made.id}`, { version: 1, items: [{ text: '疏散通道是否畅通', category: '消防' }, { text: '配电箱是否接地', category: '用电' }, { text: '灭火器是否在有效期内', category: '消防' }] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ version: 2, itemCount: 3 });
    const stored = await t.database.db.selectFrom('checklist_items').select(['id', 'version']).where('checklist_id', '=', made.id).orderBy('version').orderBy('seq').execute();
    expect(stored.filter((s) => s.version === 1).map((s) => s.id)).toEqual(v1Items);
    expect(stored.filter((s) => s.version === 2)).toHaveLength(3);

    // A title alone: same version of the items.
    const renamed = (await patch(c.pudong, `/api/checklists/${made.id}`, { version: 2, title: '浦东新区通用检查表' })).json();
    expect(renamed).toMatchObject({ version: 2, title: '浦东新区通用检查表', itemCount: 3 });

    const stale = await patch(c.pudong, `/api/checklists/${made.id}`, { version: 1, title: '过时的修改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    expect((await get(c.pudong, `/api/checklists/${made.id}`)).json().title).toBe('浦东新区通用检查表');

    // Another organisation sees it but may not change it.
    const byCity = await get(c.city, `/api/checklists/${made.id}`);
    expect(byCity.json().editable).toBe(false);
    expect((await patch(c.city, `/api/checklists/${made.id}`, { version: 2, title: '市里改区里的表' })).json().code).toBe('FORBIDDEN');
  });

  it('bad input answers a clear 4xx and writes nothing', async () => {
    const before = await t.database.db.selectFrom('checklists').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const noItems = await post(c.pudong, '/api/checklists', { title: '空表', items: [] });
    expect(noItems.statusCode).toBe(400);
    expect(noItems.json().detail).toMatch(/至少要有一项/);
    const badClause = await post(c.pudong, '/api/checklists', { title: '引用不存在条款', items: [{ text: '某项检查内容', clauseId: '0190a3c4-0000-7000-8000-000000000000' }] });
    expect(badClause.statusCode).toBe(400);
    expect(badClause.json().errors[0]).toMatchObject({ path: 'items.0.clauseId', code: 'unknown_clause' });
    expect((await post(c.pudong, '/api/checklists', { title: 'x', items: [{ text: '某项检查内容' }] })).statusCode).toBe(400);
    expect((await post(c.pudong, '/api/checklists', { title: '多余字段', items: [{ text: '某项检查内容' }], owner: 'city' })).statusCode).toBe(400);
    const after = await t.database.db.selectFrom('checklists').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('scope: an enterprise sees the city’s, its district’s and its own checklists, never another district’s or another enterprise’s (404)', async () => {
    const huangpuList = (await post(c.huangpu, '/api/checklists', { title: '黄浦区专用检查表', items: [{ text: '黄浦区检查项目一' }] })).json();
    const entPdList = (await post(c['ent-pd'], '/api/checklists', { title: '本企业班前检查表', items: [{ text: '设备点检是否完成', category: '设备' }] })).json();
    expect(entPdList).toMatchObject({ ownerLevel: 'enterprise', editable: true });
    const cityList = (await post(c.city, '/api/checklists', { title: '全市通用检查表', items: [{ text: '全市通用检查项目' }] })).json();

    const seenBy = async (who: string) => new Set((await get(who, '/api/checklists?pageSize=200')).json().items.map((x: { id: string }) => x.id));
    const entPd = await seenBy(c['ent-pd']);
    expect(entPd.has(cityList.id)).toBe(true);
    expect(entPd.has(entPdList.id)).toBe(true);
    expect(entPd.has(huangpuList.id)).toBe(false);
    expect((await get(c['ent-pd'], `/api/checklists/${huangpuList.id}`)).statusCode).toBe(404);

    const entHp = await seenBy(c['ent-hp']);
    expect(entHp.has(huangpuList.id)).toBe(true);
    expect(entHp.has(entPdList.id)).toBe(false);
    expect((await get(c['ent-hp'], `/api/checklists/${entPdList.id}`)).statusCode).toBe(404);
    expect((await patch(c['ent-hp'], `/api/checklists/${entPdList.id}`, { version: 1, title: '改别人的表' })).statusCode).toBe(404);

    // Officers: the enterprise's own checklist only within their scope.
    expect((await seenBy(c.pudong)).has(entPdList.id)).toBe(true);
    expect((await seenBy(c.lujiazui)).has(entPdList.id)).toBe(true);
    expect((await seenBy(c.huangpu)).has(entPdList.id)).toBe(false);
    expect((await get(c.huangpu, `/api/checklists/${entPdList.id}`)).statusCode).toBe(404);
    expect((await seenBy(c.huangpu)).has(huangpuList.id)).toBe(true);

    // The list's total matches its items, and the filters narrow it.
    const mine = (await get(c['ent-pd'], '/api/checklists?ownerLevel=enterprise')).json();
    expect(mine).toMatchObject({ total: 1, items: [{ id: entPdList.id }] });
    const searched = (await get(c['ent-pd'], `/api/checklists?q=${encodeURIComponent('班前')}`)).json();
    expect(searched.items.map((x: { id: string }) => x.id)).toEqual([entPdList.id]);
  });
});
