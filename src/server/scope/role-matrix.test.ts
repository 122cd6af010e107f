/**
 * Every demo role against every foundation endpoint: what each may read and change, and that
 * rows outside a scope answer 404 exactly like missing ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../shared/uscc';
import { DIALECTS, createTestApp, type TestApp } from '../test/harness';

const USERS = ['admin', 'city', 'pudong', 'huangpu', 'lujiazui', 'yjj', 'inspector-pd', 'expert-1', 'ent-pd', 'ent-hp'] as const;
type U = (typeof USERS)[number];

let n = 0;
const uscc = (district: string) => {
  const body = `91${district}MC${String(++n).padStart(7, '0')}`;
  return body + usccCheckChar(body);
};
const newEnterprise = (districtCode: string, streetCode: string | null, industryCode: string) => ({
  uscc: uscc(districtCode),
  name: `上海矩阵测试企业${n}有限公司`,
  address: '测试路1号',
  districtCode,
  streetCode,
  industryCode,
  principalName: '测试',
});

describe.each(DIALECTS)('role matrix on %s', (dialect) => {
  let t: TestApp;
  const cookie = {} as Record<U, string>;
  let entPd: { id: string; districtCode: string; streetCode: string; industryCode: string };
  let entHp: { id: string; districtCode: string; industryCode: string };
  let tradeDivisions: string[];

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 400 });
    for (const u of USERS) cookie[u] = await t.login(u);
    const link = async (username: string) => {
      const u = await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', username).executeTakeFirstOrThrow();
      return (await t.as(cookie.city, { method: 'GET', url: `/api/enterprises/${u.enterprise_id}` })).json();
    };
    entPd = await link('ent-pd');
    entHp = await link('ent-hp');
    tradeDivisions = (await t.database.db.selectFrom('industries').select('code').where('parent_code', 'in', ['C', 'F']).execute()).map((r) => r.code);
  });
  afterAll(() => t?.close());

  const get = (u: U, url: string) => t.as(cookie[u], { method: 'GET', url });

  it('the demo accounts are linked as the issue describes', () => {
    expect(entPd).toMatchObject({ districtCode: '310115', streetCode: '310115005' });
    expect(entHp.districtCode).toBe('310101');
  });

  it('reference data is readable by every role; health by anyone', async () => {
    for (const u of USERS) {
      const districts = await get(u, '/api/regions?level=district');
      expect(districts.statusCode, u).toBe(200);
      expect(districts.json().total).toBe(16);
      const streets = (await get(u, '/api/regions?level=street&parent=310115')).json();
      expect(streets.items.every((r: { parentCode: string; level: string }) => r.parentCode === '310115' && r.level === 'street')).toBe(true);
      expect(streets.items.map((r: { name: string }) => r.name)).toContain('陆家嘴街道');
      expect((await get(u, '/api/industries')).json().total).toBe(117);
      const standards = (await get(u, '/api/standards')).json();
      expect(standards.total).toBe(12);
      expect((await get(u, `/api/standards/${standards.items[0].id}`)).json().clauses.length).toBeGreaterThan(0);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok', db: dialect });
    for (const url of ['/api/regions', '/api/industries', '/api/standards', '/api/enterprises', '/api/users', '/api/audit', '/api/me']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
  });

  it('lists only the enterprises in each scope', async () => {
    const all = async (u: U) => {
      const items: { id: string; districtCode: string; streetCode: string | null; industryCode: string }[] = [];
      for (let page = 1; ; page++) {
        const r = (await get(u, `/api/enterprises?pageSize=200&page=${page}`)).json();
        items.push(...r.items);
        if (items.length >= r.total) return { items, total: r.total as number };
      }
    };
    const city = await all('city');
    expect((await all('admin')).total).toBe(city.total);
    const expected: Record<Exclude<U, 'admin' | 'city'>, (e: (typeof city.items)[number]) => boolean> = {
      pudong: (e) => e.districtCode === '310115',
      huangpu: (e) => e.districtCode === '310101',
      lujiazui: (e) => e.streetCode === '310115005',
      yjj: (e) => tradeDivisions.includes(e.industryCode),
      'inspector-pd': (e) => e.districtCode === '310115',
      'expert-1': () => false,
      'ent-pd': (e) => e.id === entPd.id,
      'ent-hp': (e) => e.id === entHp.id,
    };
    for (const [u, pred] of Object.entries(expected) as [U, (e: (typeof city.items)[number]) => boolean][]) {
      const seen = await all(u);
      const want = city.items.filter(pred).map((e) => e.id).sort();
      expect(seen.items.map((e) => e.id).sort(), u).toEqual(want);
      expect(seen.total, u).toBe(want.length);
    }
    expect(city.items.filter(expected.lujiazui).length).toBeGreaterThan(0);
    // A filter cannot widen a scope.
    const pudongAsksHuangpu = (await get('pudong', '/api/enterprises?districtCode=310101')).json();
    expect(pudongAsksHuangpu.total).toBe(0);
  });

  it('reading one enterprise: out of scope is 404, the same as missing', async () => {
    const expectHp: Record<U, number> = { admin: 200, city: 200, pudong: 404, huangpu: 200, lujiazui: 404, yjj: 200, 'inspector-pd': 404, 'expert-1': 404, 'ent-pd': 404, 'ent-hp': 200 };
    for (const u of USERS) {
      const r = await get(u, `/api/enterprises/${entHp.id}`);
      expect(r.statusCode, u).toBe(expectHp[u]);
      if (r.statusCode === 404) {
        const missing = await get(u, '/api/enterprises/01900000-0000-7000-8000-000000000000');
        expect(r.json().code).toBe(missing.json().code);
        expect(r.json().detail).toBe(missing.json().detail);
      }
    }
  });

  it('changing one enterprise: only those whose scope covers it, enterprises only their contact fields', async () => {
    const patchHp: Record<U, number> = { admin: 200, city: 200, pudong: 404, huangpu: 200, lujiazui: 404, yjj: 200, 'inspector-pd': 404, 'expert-1': 404, 'ent-pd': 404, 'ent-hp': 200 };
    const patchPd: Record<U, number> = { admin: 200, city: 200, pudong: 200, huangpu: 404, lujiazui: 200, yjj: 200, 'inspector-pd': 403, 'expert-1': 404, 'ent-pd': 200, 'ent-hp': 404 };
    for (const u of USERS) {
      const hp = await t.as(cookie[u], { method: 'PATCH', url: `/api/enterprises/${entHp.id}`, payload: { safetyManagerPhone: '021-66660000' } });
      expect(hp.statusCode, `${u} patches Huangpu`).toBe(patchHp[u]);
      const pd = await t.as(cookie[u], { method: 'PATCH', url: `/api/enterprises/${entPd.id}`, payload: { principalPhone: '021-55550000' } });
      expect(pd.statusCode, `${u} patches Pudong`).toBe(patchPd[u]);
    }
    const selfRisk = await t.as(cookie['ent-pd'], { method: 'PATCH', url: `/api/enterprises/${entPd.id}`, payload: { riskClass: 'low' } });
    expect(selfRisk.statusCode).toBe(403);
    expect(selfRisk.json().errors[0].path).toBe('riskClass');
  });

  it('creating enterprises: within one’s own region and industries only', async () => {
    const cases: [U, ReturnType<typeof newEnterprise>, number][] = [
      ['admin', newEnterprise('310151', null, '14'), 201],
      ['city', newEnterprise('310101', '310101002', '51'), 201],
      ['pudong', newEnterprise('310115', null, '34'), 201],
      ['pudong', newEnterprise('310101', null, '34'), 403],
      ['huangpu', newEnterprise('310101', null, '52'), 201],
      ['lujiazui', newEnterprise('310115', '310115005', '52'), 201],
      ['lujiazui', newEnterprise('310115', null, '52'), 403],
      ['lujiazui', newEnterprise('310115', '310115004', '52'), 403],
      ['yjj', newEnterprise('310104', null, '26'), 201],
      ['yjj', newEnterprise('310104', null, '47'), 403],
      ['inspector-pd', newEnterprise('310115', null, '34'), 403],
      ['expert-1', newEnterprise('310115', null, '34'), 403],
      ['ent-pd', newEnterprise('310115', '310115005', '34'), 403],
      ['ent-hp', newEnterprise('310101', null, '51'), 403],
    ];
    for (const [u, body, status] of cases) {
      const r = await t.as(cookie[u], { method: 'POST', url: '/api/enterprises', payload: body });
      expect(r.statusCode, `${u} creates in ${body.districtCode}/${body.streetCode}/${body.industryCode}: ${r.body}`).toBe(status);
    }
  });

  it('users and audit are for administrators only', async () => {
    for (const u of USERS) {
      const expected = u === 'admin' ? 200 : 403;
      expect((await get(u, '/api/users')).statusCode, u).toBe(expected);
      expect((await get(u, '/api/audit')).statusCode, u).toBe(expected);
      expect((await get(u, '/api/tokens')).statusCode, u).toBe(expected);
      const create = await t.as(cookie[u], {
        method: 'POST',
        url: '/api/users',
        payload: { username: `new-${u}`, displayName: '新用户', role: 'district_officer', regionCode: '310104', password: 'Welcome-2026-x' },
      });
      expect(create.statusCode, u).toBe(u === 'admin' ? 201 : 403);
    }
  });
});
