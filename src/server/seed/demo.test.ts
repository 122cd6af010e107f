import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test/harness';

describe.each(DIALECTS)('the demo city with hazards on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 300, demoHazards: 3000 });
  });
  afterAll(() => t?.close());

  it('loads hazards the ledger can read, scoped, with timelines, and new codes continue after them', async () => {
    const city = await t.login('city');
    const all = (await t.as(city, { method: 'GET', url: '/api/hazards?pageSize=1' })).json();
    expect(all.total).toBe(3000);
    const counts = (await t.as(city, { method: 'GET', url: '/api/hazards/status-counts' })).json();
    expect(counts.closed).toBeGreaterThan(1500);
    const overdue = (await t.as(city, { method: 'GET', url: '/api/hazards?overdue=true&pageSize=1' })).json();
    expect(overdue.total).toBeGreaterThan(0);
    const pudong = await t.login('pudong');
    const pd = (await t.as(pudong, { method: 'GET', url: '/api/hazards?pageSize=200' })).json();
    expect(pd.items.every((h: { districtCode: string }) => h.districtCode === '310115')).toBe(true);
    const detail = (await t.as(pudong, { method: 'GET', url: `/api/hazards/${pd.items[0].id}` })).json();
    expect(detail.events[0].action).toBe('report');
    expect(detail.events.at(-1).toStatus).toBe(detail.status);

    const ent = (await t.as(pudong, { method: 'GET', url: '/api/enterprises?pageSize=1' })).json().items[0];
    const created = await t.as(pudong, {
      method: 'POST',
      url: '/api/hazards',
      payload: { enterpriseId: ent.id, description: '演示数据之后新登记的隐患', location: '厂区', grade: 'general', source: 'routine_inspection', foundAt: new Date().toISOString() },
    });
    expect(created.statusCode).toBe(201);
    const year = new Date().getFullYear();
    const existing = await t.database.db.selectFrom('hazards').select('code').where('district_code', '=', '310115').where('code', 'like', `YH-310115-${year}-%`).orderBy('code', 'desc').limit(2).execute();
    expect(existing[0].code).toBe(created.json().code);
  });
});
