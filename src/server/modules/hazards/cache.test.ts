import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { systemCtx } from '../../context';
import { insertUser } from '../users/commands';
import { testActor } from '../../test/actors';
import { LedgerCache, scopeKey } from './cache';

describe('LedgerCache', () => {
  it('serves an entry only while the version holds, and evicts the least recently used', () => {
    const c = new LedgerCache(2);
    c.set('a', 1, 'A');
    c.set('b', 1, 'B');
    expect(c.get('a', 1)).toBe('A');
    expect(c.get('a', 2)).toBeUndefined();
    expect(c.get('a', 1)).toBeUndefined();
    c.set('c', 1, 'C');
    c.get('c', 1);
    c.set('d', 1, 'D');
    expect(c.get('b', 1)).toBeUndefined();
    expect(c.get('c', 1)).toBe('C');
  });

  it('keeps its total size under the byte limit and refuses answers too large to keep', () => {
    const c = new LedgerCache(100, 1000);
    for (let i = 0; i < 20; i++) c.set(`k${i}`, 1, 'x'.repeat(50));
    expect(c.size.bytes).toBeLessThanOrEqual(1000);
    expect(c.size.entries).toBe(10);
    expect(c.get('k19', 1)).toBeDefined();
    expect(c.get('k0', 1)).toBeUndefined();
    c.set('huge', 1, 'y'.repeat(200));
    expect(c.get('huge', 1)).toBeUndefined();
    c.set('k19', 1, 'z');
    expect(c.get('k19', 1)).toBe('z');
    expect(c.size.bytes).toBe(9 * 100 + 2);
  });
});

describe('the key a cached answer is kept under', () => {
  it('names everything that decides what an actor sees — an expert’s assigned enterprises too — and the person only where the answer is personal', () => {
    const expert = (userId: string, assignedEnterpriseIds: string[]) => ({ ...testActor('expert', { userId, displayName: userId }), assignedEnterpriseIds });
    expect(scopeKey(expert('e1', ['a']), false)).not.toBe(scopeKey(expert('e2', ['b']), false));
    expect(scopeKey(expert('e1', ['a']), false)).toBe(scopeKey(expert('e2', ['a']), false));
    expect(scopeKey(expert('e1', ['a']), true)).not.toBe(scopeKey(expert('e2', ['a']), true));
    const pd = (userId: string) => testActor('district_officer', { userId, regionCode: '310115', districtCode: '310115' });
    expect(scopeKey(pd('u1'), false)).toBe(scopeKey(pd('u2'), false));
    expect(scopeKey(pd('u1'), true)).not.toBe(scopeKey(pd('u2'), true));
    expect(scopeKey(pd('u1'), false)).not.toBe(scopeKey(testActor('district_officer', { userId: 'u1', regionCode: '310101', districtCode: '310101' }), false));
  });
});

describe.each(DIALECTS)('cached ledger reads on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40, demoHazards: 200 });
  });
  afterAll(() => t?.close());

  it('never answers stale: a change through another server process on the same database shows at once', async () => {
    // A second app on the same database stands for another process behind the load balancer.
    const other = await buildApp({ config: t.config, database: t.database, logger: false, serveWeb: false });
    try {
      const login = async (app: typeof other) => {
        const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'pudong', password: 'Demo-pass-2026' } });
        return `zhiben_session=${r.cookies.find((x) => x.name === 'zhiben_session')!.value}`;
      };
      const a = await login(t.app);
      const b = await login(other);
      const get = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: { cookie: a } })).json();
      const before = await get('/api/hazards?pageSize=1');
      const counts = await get('/api/hazards/status-counts');
      expect(await get('/api/hazards?pageSize=1')).toEqual(before);
      const ent = (await other.inject({ method: 'GET', url: '/api/enterprises?pageSize=1', headers: { cookie: b } })).json().items[0];
      const created = await other.inject({
        method: 'POST',
        url: '/api/hazards',
        headers: { cookie: b, 'x-requested-with': 'zhiben' },
        payload: { enterpriseId: ent.id, description: '另一进程登记的隐患', location: '厂区', grade: 'general', source: 'routine_inspection', foundAt: new Date().toISOString() },
      });
      expect(created.statusCode).toBe(201);
      const after = await get('/api/hazards?pageSize=1');
      expect(after.total).toBe(before.total + 1);
      expect(after.items[0].id).toBe(created.json().id);
      expect((await get('/api/hazards/status-counts')).reported).toBe(counts.reported + 1);
      const h = created.json();
      await other.inject({ method: 'POST', url: `/api/hazards/${h.id}/actions/void`, headers: { cookie: b, 'x-requested-with': 'zhiben' }, payload: { version: 1, reason: '误录' } });
      expect((await get('/api/hazards/status-counts')).voided).toBe(counts.voided + 1);
    } finally {
      await other.close();
    }
  });

  it('a to-do list is each officer’s own: two officers of one district never share a cached to-do answer', async () => {
    // A second Pudong officer: same scope as `pudong`, another person.
    await insertUser(systemCtx({ db: t.database.db, dialect: t.database.dialect, config: t.config }), { username: 'pudong-2', displayName: '浦东新区安委办 周敏', role: 'district_officer', regionCode: '310115', password: 'Demo-pass-2026' });
    const [one, two] = [await t.login('pudong'), await t.login('pudong-2')];
    const ent = (await t.as(one, { method: 'GET', url: '/api/enterprises?pageSize=1&districtCode=310115' })).json().items[0];
    const send = async (cookie: string, url: string, payload: object) => (await t.as(cookie, { method: 'POST', url, payload })).json();
    let h = await send(one, '/api/hazards', { enterpriseId: ent.id, description: '代企业提交整改的隐患', location: '厂区', grade: 'general', source: 'routine_inspection', foundAt: new Date().toISOString() });
    h = await send(one, `/api/hazards/${h.id}/actions/assign`, { version: 1, deadline: '2099-12-31', responsibleName: '张工' });
    const mp = multipart('file', 'photo.png', PNG_1x1, 'image/png');
    const photo = (await t.as(one, { method: 'POST', url: '/api/files', payload: mp.payload, headers: mp.headers })).json();
    h = await send(one, `/api/hazards/${h.id}/actions/submit`, { version: 2, note: '代企业提交', attachmentIds: [photo.id] });
    expect(h.status, JSON.stringify(h)).toBe('pending_acceptance');
    // Whoever submitted is not waited for to accept it; the other officer is. Asked in both orders.
    const todo = async (cookie: string) => ((await t.as(cookie, { method: 'GET', url: '/api/hazards?todo=true&pageSize=200' })).json().items as { id: string }[]).map((x) => x.id);
    const count = async (cookie: string) => (await t.as(cookie, { method: 'GET', url: '/api/hazards/status-counts' })).json().todo as number;
    expect(await todo(one)).not.toContain(h.id);
    expect(await todo(two)).toContain(h.id);
    expect(await todo(one)).not.toContain(h.id);
    const [c1, c2] = [await count(one), await count(two)];
    expect(c2).toBe(c1 + 1);
    expect(await count(one)).toBe(c1);
  });
});
