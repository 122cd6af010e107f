import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from './demo';
import { DEMO_PASSWORD, DIALECTS, createTestApp, type TestApp } from '../test/harness';

describe.each(DIALECTS)('the demo city with hazards on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 300, demoHazards: 3000, config: { LOGIN_RATE_PER_MINUTE: 1000 } });
  });
  afterAll(() => t?.close());

  it('is believable: a major hazard cites a clause of a standard that applies to its enterprise’s industry, and only a major one cites', async () => {
    const cited = await t.database.db
      .selectFrom('hazard_clauses as hc')
      .innerJoin('hazards as h', 'h.id', 'hc.hazard_id')
      .innerJoin('standard_clauses as c', 'c.id', 'hc.clause_id')
      .innerJoin('industries as i', 'i.code', 'h.industry_code')
      .select(['h.id', 'h.grade', 'h.description', 'c.text', 'c.standard_id', 'c.is_lead_in', 'h.industry_code', 'i.parent_code'])
      .execute();
    const majors = await t.database.db.selectFrom('hazards').select('id').where('grade', '=', 'major').execute();
    expect(majors.length).toBeGreaterThan(30);
    expect(new Set(cited.map((c) => c.id))).toEqual(new Set(majors.map((m) => m.id)));
    const mapping = await t.database.db.selectFrom('standard_industries').selectAll().execute();
    for (const c of cited) {
      const applies = mapping.some((m) => m.standard_id === c.standard_id && ['*', c.industry_code, c.parent_code].includes(m.industry_code));
      expect(applies, `${c.standard_id} for industry ${c.industry_code}`).toBe(true);
      expect(c.is_lead_in).toBe(0);
      expect(c.text.startsWith(c.description)).toBe(true);
    }
  });

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

    const byDistrict = (await t.as(city, { method: 'GET', url: '/api/hazards/stats/open-by-district' })).json().items;
    expect(byDistrict.reduce((a: number, r: { count: number }) => a + r.count, 0)).toBe(counts.reported + counts.rectifying + counts.pending_acceptance);
    const pdMajor = (await t.as(city, { method: 'GET', url: '/api/hazards?districtCode=310115&grade=major&status=reported,rectifying,pending_acceptance&pageSize=1' })).json().total;
    expect(byDistrict.find((r: { districtCode: string; grade: string }) => r.districtCode === '310115' && r.grade === 'major')?.count ?? 0).toBe(pdMajor);
    const monthly = (await t.as(city, { method: 'GET', url: '/api/hazards/stats/monthly?months=12' })).json().items;
    expect(monthly).toHaveLength(12);
    for (const m of monthly.slice(-3)) {
      const [y, mo] = m.month.split('-').map(Number);
      const last = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
      const listed = (await t.as(city, { method: 'GET', url: `/api/hazards?foundFrom=${m.month}-01&foundTo=${last}&pageSize=1` })).json().total;
      expect(m.found, m.month).toBe(listed);
    }
    expect(monthly.reduce((a: number, m: { found: number }) => a + m.found, 0)).toBeGreaterThan(0);

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

  it('signs in every demo account with the demo password alone, and a password one account changes is its own', async () => {
    // The accounts share one hash of the one password (hashed once per load); each must still sign in.
    const signedIn = await Promise.all(DEMO_ACCOUNTS.map(async (a) => [a.username, (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: a.username, password: DEMO_PASSWORD } })).statusCode]));
    expect(signedIn).toEqual(DEMO_ACCOUNTS.map((a) => [a.username, 200]));
    const [first, second] = DEMO_ACCOUNTS;
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: first.username, password: `${DEMO_PASSWORD}x` } });
    expect(wrong.statusCode).toBe(401);
    const cookie = await t.login(first.username);
    const changed = await t.as(cookie, { method: 'POST', url: '/api/me/password', payload: { currentPassword: DEMO_PASSWORD, newPassword: 'Own-password-2026' } });
    expect(changed.statusCode).toBeLessThan(300);
    const hashes = await t.database.db.selectFrom('users').select(['username', 'password_hash']).where('username', 'in', [first.username, second.username]).execute();
    const byName = new Map(hashes.map((h) => [h.username, h.password_hash]));
    expect(byName.get(first.username)).not.toBe(byName.get(second.username));
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: first.username, password: 'Own-password-2026' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: second.username, password: DEMO_PASSWORD } })).statusCode).toBe(200);
  });
});
