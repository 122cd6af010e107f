import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';
import { runDeadlineNotifications } from './deadlines';

describe.each(DIALECTS)('deadline notifications on %s', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-05-10T02:00:00Z');
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 100_000, SESSION_ABSOLUTE_HOURS: 10_000 } });
  });
  afterAll(() => t?.close());

  it('tells the enterprise and officers in scope when a deadline nears and when it passes, once each; major overdue reaches the supervising level', async () => {
    const entPd = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    const clause = (await t.database.db.selectFrom('standard_clauses').select('id').where('is_lead_in', '=', 0).executeTakeFirstOrThrow()).id;
    const pudong = await t.login('pudong');
    const city = await t.login('city');
    const mk = async (grade: 'general' | 'major', deadline: string) => {
      const h = (
        await t.as(pudong, {
          method: 'POST',
          url: '/api/hazards',
          payload: { enterpriseId: entPd, description: '测试到期提醒的隐患', location: '仓库', grade, source: 'routine_inspection', foundAt: new Date(clock).toISOString(), clauseIds: grade === 'major' ? [clause] : [] },
        })
      ).json();
      const plan = { measures: 'm', fundsFen: 1, responsibleName: 'r', deadline, contingencyPlan: 'c' };
      const assigned = await t.as(pudong, { method: 'POST', url: `/api/hazards/${h.id}/actions/assign`, payload: { version: 1, deadline, responsibleName: '张三', ...(grade === 'major' ? { plan } : {}) } });
      expect(assigned.statusCode).toBe(200);
      return h;
    };
    const soon = await mk('general', '2026-05-12');
    const major = await mk('major', '2026-05-11');
    await t.as(city, { method: 'POST', url: `/api/hazards/${major.id}/actions/supervise`, payload: { version: 2, level: 'city' } });

    await runDeadlineNotifications(t.database.db, new Date(clock));
    const inbox = async (u: string) => (await t.as(await t.login(u), { method: 'GET', url: '/api/notifications?pageSize=100' })).json();
    let ent = await inbox('ent-pd');
    expect(ent.items.filter((n: { hazardId: string; kind: string }) => n.hazardId === soon.id && n.kind === 'due_soon')).toHaveLength(1);
    expect((await inbox('lujiazui')).items.some((n: { hazardId: string }) => n.hazardId === soon.id)).toBe(true);
    expect((await inbox('huangpu')).items).toHaveLength(0);

    const again = await runDeadlineNotifications(t.database.db, new Date(clock));
    expect(again.created).toBe(0);

    clock = Date.parse('2026-05-12T17:00:00Z'); // 13 May in Shanghai: both are overdue
    await runDeadlineNotifications(t.database.db, new Date(clock));
    ent = await inbox('ent-pd');
    expect(ent.items.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['overdue', 'due_soon']));
    const cityInbox = await inbox('city');
    expect(cityInbox.items.filter((n: { kind: string; hazardId: string }) => n.kind === 'major_overdue' && n.hazardId === major.id)).toHaveLength(1);
    expect(cityInbox.items.some((n: { hazardId: string }) => n.hazardId === soon.id)).toBe(false);
    expect((await inbox('pudong')).items.some((n: { kind: string }) => n.kind === 'major_overdue')).toBe(true);

    const entCookie = await t.login('ent-pd');
    const first = ent.items[0];
    expect(ent.unread).toBe(ent.total);
    expect((await t.as(entCookie, { method: 'POST', url: `/api/notifications/${first.id}/read` })).statusCode).toBe(204);
    expect((await t.as(pudong, { method: 'POST', url: `/api/notifications/${first.id}/read` })).statusCode).toBe(404);
    expect((await inbox('ent-pd')).unread).toBe(ent.total - 1);
    await t.as(entCookie, { method: 'POST', url: '/api/notifications/read-all' });
    expect((await inbox('ent-pd')).unread).toBe(0);
  });
});
