import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFromUser } from '../../auth/actor';
import { hazardOwnedBy, hazardVisibleTo } from '../../scope/scope';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { hazardFacts, scopeRowOf } from './repository';
import { awaitsActor } from './workflow';

const USERS = ['admin', 'city', 'pudong', 'huangpu', 'lujiazui', 'yjj', 'inspector-pd', 'expert-1', 'ent-pd', 'ent-hp'] as const;

describe.each(DIALECTS)('待我处理 (what waits for me) on %s', (dialect) => {
  let t: TestApp;
  const c = {} as Record<(typeof USERS)[number], string>;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 60, demoHazards: 900 });
    for (const u of USERS) c[u] = await t.login(u);
    // Steps that set who submitted and who found: by the enterprise, on its behalf, and by an inspector.
    const ent = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    const file = async (cookie: string) => {
      const mp = multipart('file', 'p.png', PNG_1x1, 'image/png');
      return (await t.as(cookie, { method: 'POST', url: '/api/files', payload: mp.payload, headers: mp.headers })).json().id;
    };
    const step = async (cookie: string, id: string, action: string, body: Record<string, unknown>) => {
      const res = await t.as(cookie, { method: 'POST', url: `/api/hazards/${id}/actions/${action}`, payload: body });
      if (res.statusCode !== 200) throw new Error(res.body);
      return res.json();
    };
    for (const [reporter, submitter, source] of [
      ['ent-pd', 'ent-pd', 'self_check'],
      ['inspector-pd', 'pudong', 'routine_inspection'],
      ['inspector-pd', 'ent-pd', 'routine_inspection'],
      ['inspector-pd', null, 'enforcement_inspection'],
      ['inspector-pd', 'nobody yet', 'routine_inspection'],
    ] as const) {
      const h = (await t.as(c[reporter], { method: 'POST', url: '/api/hazards', payload: { enterpriseId: ent, description: '待我处理测试隐患', location: '车间', grade: 'general', source, foundAt: new Date(Date.now() - 3_600_000).toISOString() } })).json();
      if (!submitter) continue;
      await step(source === 'self_check' ? c['ent-pd'] : c.pudong, h.id, 'assign', { version: 1, deadline: '2099-12-31', responsibleName: '张工' });
      if (submitter === 'nobody yet') continue;
      await step(c[submitter], h.id, 'submit', { version: 2, note: '已整改', attachmentIds: [await file(c[submitter])] });
    }
  });
  afterAll(() => t?.close());

  it('lists for every role exactly the hazards whose next step is theirs, as the transition table decides', async () => {
    const rows = await t.database.db.selectFrom('hazards').selectAll().execute();
    const grants = await t.database.db.selectFrom('hazard_access').selectAll().execute();
    const scopeOf = (h: (typeof rows)[number]) => scopeRowOf(h, grants.filter((g) => g.hazard_id === h.id));
    const waiting: string[] = [];
    for (const username of USERS) {
      const user = await t.database.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
      const actor = await actorFromUser(t.database.db, user, 'session');
      const expected = rows
        .filter((h) => {
          const scope = scopeOf(h);
          const a = { userId: actor.userId, role: actor.role, enterpriseId: actor.enterpriseId, inScope: hazardVisibleTo(actor, scope), owns: hazardOwnedBy(actor, scope) };
          return a.inScope && awaitsActor(hazardFacts(h), a);
        })
        .map((h) => h.id)
        .sort();
      const listed: string[] = [];
      for (let page = 1; ; page++) {
        const res = (await t.as(c[username], { method: 'GET', url: `/api/hazards?todo=true&pageSize=200&page=${page}` })).json();
        listed.push(...res.items.map((h: { id: string }) => h.id));
        if (listed.length >= res.total) break;
      }
      expect(listed.sort(), username).toEqual(expected);
      const counts = (await t.as(c[username], { method: 'GET', url: '/api/hazards/status-counts' })).json();
      expect(counts.todo, username).toBe(expected.length);
      if (expected.length) waiting.push(username);
    }
    // The comparison means something: the roles that move the loop have work waiting.
    expect(waiting).toEqual(expect.arrayContaining(['pudong', 'lujiazui', 'yjj', 'inspector-pd', 'ent-pd']));
  });

  it('never waits for whoever submitted a rectification to accept it', async () => {
    const mine = (await t.as(c.pudong, { method: 'GET', url: '/api/hazards?todo=true&status=pending_acceptance&pageSize=200' })).json();
    const pudongId = (await t.database.db.selectFrom('users').select('id').where('username', '=', 'pudong').executeTakeFirstOrThrow()).id;
    const submittedByPudong = await t.database.db.selectFrom('hazards').select('id').where('submitted_by', '=', pudongId).execute();
    expect(submittedByPudong.length).toBe(1);
    expect(mine.items.map((h: { id: string }) => h.id)).not.toContain(submittedByPudong[0].id);
    expect((await t.as(c.lujiazui, { method: 'GET', url: '/api/hazards?todo=true&status=pending_acceptance&pageSize=200' })).json().items.map((h: { id: string }) => h.id)).toContain(submittedByPudong[0].id);
  });
});
