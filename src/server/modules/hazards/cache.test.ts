import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';
import { LedgerCache } from './cache';

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
});
