import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOf, reopen } from '../../db/database';
import { loggingChannel, useChannels } from '../../notify/notify';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { runDeadlineDigest } from './deadlines';

const USERS = ['admin', 'city', 'pudong', 'huangpu', 'lujiazui', 'yjj', 'inspector-pd', 'expert-1', 'ent-pd', 'ent-hp'] as const;
type User = (typeof USERS)[number];

describe.each(DIALECTS)('notifications on %s', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-05-10T02:00:00Z');
  const c = {} as Record<User, string>;
  const ids = {} as Record<User, string>;
  let entPd: string;
  const log = loggingChannel();

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 100_000, SESSION_ABSOLUTE_HOURS: 10_000 } });
    for (const u of USERS) {
      c[u] = await t.login(u);
      ids[u] = (await t.database.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;
    }
    entPd = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    useChannels([log]);
  });
  afterAll(async () => {
    useChannels([]);
    await t?.close();
  });

  const upload = async (cookie: string) => {
    const mp = multipart('file', 'photo.png', PNG_1x1, 'image/png');
    return (await t.as(cookie, { method: 'POST', url: '/api/files', payload: mp.payload, headers: mp.headers })).json().id as string;
  };
  const report = async (cookie: string, body: Record<string, unknown> = {}) =>
    (
      await t.as(cookie, {
        method: 'POST',
        url: '/api/hazards',
        payload: { enterpriseId: entPd, description: '通知测试：配电箱未接地', location: '二号车间', grade: 'general', source: 'routine_inspection', foundAt: new Date(clock - 3_600_000).toISOString(), ...body },
      })
    ).json();
  const act = async (cookie: string, id: string, action: string, body: Record<string, unknown>) => {
    const res = await t.as(cookie, { method: 'POST', url: `/api/hazards/${id}/actions/${action}`, payload: body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  /** Who got a notice of this kind about this hazard (by username), and whether it asks them to act. */
  const told = async (hazardId: string, kind: string) => {
    const rows = await t.database.db
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.user_id')
      .select(['users.username', 'notifications.needs_action', 'notifications.link'])
      .where('notifications.hazard_id', '=', hazardId)
      .where('notifications.kind', '=', kind)
      .execute();
    return { to: rows.map((r) => r.username).sort(), needsAction: [...new Set(rows.map((r) => r.needs_action))], links: [...new Set(rows.map((r) => r.link))] };
  };
  /** The users whose detail page offers `action` on the hazard now: the buttons, asked through the API. */
  const offered = async (hazardId: string, action: string) => {
    const out: string[] = [];
    for (const u of USERS) {
      const res = await t.as(c[u], { method: 'GET', url: `/api/hazards/${hazardId}` });
      if (res.statusCode === 200 && res.json().allowedActions.includes(action)) out.push(u);
    }
    return out.sort();
  };

  it('tells whoever must act next at every step of the loop, the parties concerned of the rest, and nobody else', async () => {
    const h0 = await report(c['inspector-pd']);
    let h = await act(c.pudong, h0.id, 'assign', { version: 1, deadline: '2026-05-20', responsibleName: '张工' });
    expect(await told(h.id, 'hazard.assign')).toEqual({ to: ['ent-pd'], needsAction: [1], links: [`/hazards/${h.id}`] });

    h = await act(c['ent-pd'], h.id, 'submit', { version: 2, note: '已整改', attachmentIds: [await upload(c['ent-pd'])] });
    const acceptors = await offered(h.id, 'accept');
    expect(acceptors).toEqual(expect.arrayContaining(['pudong', 'lujiazui']));
    expect(acceptors).not.toContain('ent-pd');
    // The administrator keeps the system, not the ledger: offered the button, not told to press it.
    expect((await told(h.id, 'hazard.submit')).to).toEqual(acceptors.filter((u) => u !== 'admin'));
    expect((await told(h.id, 'hazard.submit')).needsAction).toEqual([1]);

    h = await act(c.pudong, h.id, 'reject', { version: 3, reason: '接地电阻未检测' });
    expect(await told(h.id, 'hazard.reject')).toMatchObject({ to: ['ent-pd', 'inspector-pd'], needsAction: [1] });
    // A call to act is answered by the next step: the acceptors are no longer asked.
    expect((await told(h.id, 'hazard.submit')).needsAction).toEqual([0]);

    h = await act(c['ent-pd'], h.id, 'submit', { version: 4, note: '补充检测报告', attachmentIds: [await upload(c['ent-pd'])] });
    h = await act(c.lujiazui, h.id, 'accept', { version: 5, note: '验收合格' });
    expect(await told(h.id, 'hazard.accept')).toEqual({ to: ['ent-pd', 'inspector-pd'], needsAction: [0], links: [`/hazards/${h.id}`] });

    // Extend, supervise, transfer and void, each on a hazard of its own.
    let e = await report(c['inspector-pd'], { description: '通知测试：延期' });
    e = await act(c.pudong, e.id, 'assign', { version: 1, deadline: '2026-05-20', responsibleName: '张工' });
    e = await act(c.pudong, e.id, 'extend', { version: 2, deadline: '2026-06-20', reason: '需采购设备' });
    expect(await told(e.id, 'hazard.extend')).toMatchObject({ to: ['ent-pd', 'inspector-pd'], needsAction: [0] });

    const clause = (await t.database.db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('is_lead_in', '=', 0).executeTakeFirstOrThrow()).id;
    const m = await report(c.pudong, { grade: 'major', clauseIds: [clause], description: '通知测试：挂牌督办' });
    await act(c.pudong, m.id, 'supervise', { version: 1, level: 'district' });
    expect(await told(m.id, 'hazard.supervise')).toMatchObject({ to: ['ent-pd'], needsAction: [0] });

    const x = await report(c['inspector-pd'], { description: '通知测试：移交' });
    await act(c.pudong, x.id, 'transfer', { version: 1, districtCode: '310101', reason: '企业实际生产地在黄浦' });
    expect(await told(x.id, 'hazard.transfer')).toMatchObject({ to: ['huangpu'], needsAction: [1] });
    expect(await told(x.id, 'hazard.transfer_info')).toMatchObject({ to: ['ent-pd'], needsAction: [0] });

    const v = await report(c['inspector-pd'], { description: '通知测试：作废' });
    await act(c.pudong, v.id, 'void', { version: 1, reason: '重复录入' });
    expect(await told(v.id, 'hazard.void')).toMatchObject({ to: ['ent-pd', 'inspector-pd'], needsAction: [0] });

    // Nobody outside the hazard's scope heard of any of it; the actor never tells themselves.
    const heard = await t.database.db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id').select(['users.username', 'notifications.hazard_id', 'notifications.kind']).execute();
    expect(heard.filter((n) => n.username === 'ent-hp' || n.username === 'expert-1' || n.username === 'admin')).toEqual([]);
    expect(heard.filter((n) => n.username === 'huangpu').map((n) => n.hazard_id)).toEqual([x.id]);
    // Every channel got the same deliveries as the inbox.
    expect(log.sent.length).toBe(heard.length);
  });

  it('the inbox puts what asks me to act first, counts it, links each item, and marks everything read at once', async () => {
    const inbox = async (u: User, q = '') => (await t.as(c[u], { method: 'GET', url: `/api/notifications?pageSize=100${q}` })).json();
    const ent = await inbox('ent-pd');
    expect(ent.needsAction).toBeGreaterThan(0);
    const calls = await inbox('ent-pd', '&needsAction=true');
    expect(calls.total).toBe(ent.needsAction);
    expect(calls.items.every((n: { needsAction: boolean; link: string }) => n.needsAction && n.link.startsWith('/hazards/'))).toBe(true);
    expect((await t.as(c.pudong, { method: 'POST', url: `/api/notifications/${ent.items[0].id}/read` })).statusCode).toBe(404);
    expect((await t.as(c['ent-pd'], { method: 'POST', url: `/api/notifications/${ent.items[0].id}/read` })).statusCode).toBe(204);
    expect((await inbox('ent-pd')).unread).toBe(ent.unread - 1);
    await t.as(c['ent-pd'], { method: 'POST', url: '/api/notifications/read-all' });
    expect((await inbox('ent-pd')).unread).toBe(0);
  });

  it('sends one deadline digest a day per person — counts that match the ledger and a link to it — the same from two runs on two servers', async () => {
    const mk = async (deadline: string, grade: 'general' | 'major' = 'general') => {
      const clause = (await t.database.db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('is_lead_in', '=', 0).executeTakeFirstOrThrow()).id;
      const h = await report(c.pudong, { grade, clauseIds: grade === 'major' ? [clause] : [], description: `到期摘要测试 ${deadline}` });
      const plan = { measures: 'm', fundsFen: 1, responsibleName: 'r', deadline, contingencyPlan: 'c' };
      return act(c.pudong, h.id, 'assign', { version: 1, deadline, responsibleName: '张三', ...(grade === 'major' ? { plan } : {}) });
    };
    await mk('2026-05-11');
    await mk('2026-05-12', 'major');
    clock = Date.parse('2026-05-12T17:00:00Z'); // 13 May in Shanghai: both are overdue, the extended one (20 June) is not
    await mk('2026-05-15');

    const second = reopen(connectionOf(t.database.db)!);
    try {
      await Promise.all([runDeadlineDigest(t.database.db, new Date(clock)), runDeadlineDigest(second.db, new Date(clock))]);
      await runDeadlineDigest(t.database.db, new Date(clock));
    } finally {
      await second.close();
    }
    const digests = await t.database.db
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.user_id')
      .select(['users.username', 'notifications.title', 'notifications.link', 'notifications.needs_action'])
      .where('notifications.kind', '=', 'hazard.digest')
      .execute();
    const by = new Map(digests.map((d) => [d.username, d]));
    expect(digests.length).toBe(by.size);
    for (const u of ['ent-pd', 'pudong', 'lujiazui'] as const) {
      const d = by.get(u)!;
      expect(d, u).toBeDefined();
      const overdue = (await t.as(c[u], { method: 'GET', url: '/api/hazards?status=reported,rectifying,pending_acceptance&overdue=true&pageSize=1' })).json().total;
      const soon = (await t.as(c[u], { method: 'GET', url: '/api/hazards?status=reported,rectifying,pending_acceptance&deadlineFrom=2026-05-13&deadlineTo=2026-05-16&pageSize=1' })).json().total;
      expect(d.title, u).toContain(`逾期 ${overdue} 项`);
      expect(d.title, u).toContain(`3 日内到期 ${soon} 项`);
      expect(d.link).toBe('/hazards?status=reported,rectifying,pending_acceptance&overdue=true');
      expect(d.needs_action).toBe(1);
    }
    expect(by.get('ent-pd')!.title).toContain('其中重大隐患 1 项');
    expect(by.has('huangpu')).toBe(false);
    expect(by.has('ent-hp')).toBe(false);
    // Overdue hazards are no longer one alert each.
    expect(await t.database.db.selectFrom('notifications').select('id').where('kind', 'in', ['overdue', 'due_soon', 'major_overdue']).execute()).toEqual([]);

    // The next day's digest replaces the call to act of the day before.
    clock += 86_400_000;
    await runDeadlineDigest(t.database.db, new Date(clock));
    const ent = await t.database.db.selectFrom('notifications').select(['dedupe_key', 'needs_action']).where('user_id', '=', ids['ent-pd']).where('kind', '=', 'hazard.digest').orderBy('dedupe_key').execute();
    expect(ent).toEqual([
      { dedupe_key: 'digest:2026-05-13', needs_action: 0 },
      { dedupe_key: 'digest:2026-05-14', needs_action: 1 },
    ]);
  });
});
