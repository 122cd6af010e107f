import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test/harness';
import { CompiledQueries, compiledOnce } from './compiled';

describe('compiled statements kept for reuse', () => {
  it('keeps the most recently used, and hands back the same statement for the same key', () => {
    const c = new CompiledQueries(2);
    let built = 0;
    const make = (n: number) => () => (built++, { sql: `select ${n}`, parameters: [], query: {} as never, queryId: {} as never });
    const a = c.get('a', make(1));
    expect(c.get('a', make(99))).toBe(a);
    c.get('b', make(2));
    c.get('a', make(99)); // a used again: b is now the oldest
    c.get('c', make(3));
    expect(c.size).toBe(2);
    expect(c.get('a', make(99)).sql).toBe('select 1');
    expect(c.get('b', make(4)).sql).toBe('select 4');
    expect(built).toBe(4);
  });
});

describe.each(DIALECTS)('statements compiled once, run with the values of each call, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40, demoHazards: 60 });
  });
  afterAll(() => t?.close());

  it('puts each call’s values in their places, and refuses a statement that writes a value into its text', async () => {
    const db = t.database.db;
    const byName = compiledOnce((d, username: string, role: string) => d.selectFrom('users').select(['username', 'role']).where('username', '=', username).where('role', '=', role));
    expect((await db.executeQuery(byName(db, 'pudong', 'district_officer'))).rows).toEqual([{ username: 'pudong', role: 'district_officer' }]);
    expect((await db.executeQuery(byName(db, 'city', 'city_officer'))).rows).toEqual([{ username: 'city', role: 'city_officer' }]);
    expect((await db.executeQuery(byName(db, 'city', 'district_officer'))).rows).toEqual([]);
    const inlined = compiledOnce((d, username: string) => d.selectFrom('users').select('id').where(sql<boolean>`username = ${sql.lit(username)}`));
    expect(() => inlined(db, 'city')).toThrow(/bound parameter/);
  });

  it('the ledger reuses its statement text only: new rows show at once, and each caller keeps their own scope', async () => {
    const page = async (who: string, qs = '') => (await t.as(await t.login(who), { method: 'GET', url: `/api/hazards?pageSize=5&sort=-createdAt${qs}` })).json();
    const before = await page('pudong');
    const city = await page('city');
    const huangpu = await page('huangpu');
    expect(huangpu.items.every((h: { districtCode: string }) => h.districtCode === '310101')).toBe(true);
    expect(before.items.every((h: { districtCode: string }) => h.districtCode === '310115')).toBe(true);
    expect(city.total).toBeGreaterThan(before.total);
    const ent = (await t.database.db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').executeTakeFirstOrThrow()).id;
    const made = await t.as(await t.login('pudong'), { method: 'POST', url: '/api/hazards', payload: { enterpriseId: ent, description: '新发现的配电箱未接地', location: '一号车间', grade: 'general', source: 'routine_inspection', foundAt: '2026-11-01T02:00:00.000Z' } });
    expect(made.statusCode).toBe(201);
    const after = await page('pudong');
    expect(after.total).toBe(before.total + 1);
    expect(after.items[0].id).toBe(made.json().id);
    expect((await page('huangpu')).total).toBe(huangpu.total);
  });
});
