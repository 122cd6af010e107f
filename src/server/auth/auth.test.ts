import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DIALECTS, createTestApp, type TestApp } from '../test/harness';

const auditCount = async (t: TestApp, action: string, entityId?: string) => {
  let q = t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action);
  if (entityId) q = q.where('entity_id', '=', entityId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

describe.each(DIALECTS)('accounts and sessions on %s', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-06-01T02:00:00Z');
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 60, now: () => new Date(clock) });
  });
  afterAll(() => t?.close());

  it('logs in, answers /api/me with role, scope and permissions, and logs out', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'pudong', password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'zhiben_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(login.json()).toMatchObject({ username: 'pudong', role: 'district_officer', regionCode: '310115', regionName: '浦东新区', permissions: ['enterprises.create'] });
    const header = `zhiben_session=${cookie.value}`;
    const me = await t.as(header, { method: 'GET', url: '/api/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe('pudong');
    // Only a hash of the token is stored.
    const stored = await t.database.db.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).not.toContain(cookie.value);
    const out = await t.as(header, { method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    const after = await t.as(header, { method: 'GET', url: '/api/me' });
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('answers 401 without a session, and 401 with a made-up one', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/enterprises' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    const fake = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: 'zhiben_session=forged' } });
    expect(fake.statusCode).toBe(401);
    expect(fake.json().code).toBe('SESSION_EXPIRED');
  });

  it('refuses a state change that rides on the session cookie without the anti-CSRF header, and writes nothing', async () => {
    const cookie = await t.login('city');
    const before = await auditCount(t, 'enterprise.created');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/enterprises',
      headers: { cookie },
      payload: { uscc: '91310000132260250X', name: '上海跨站测试有限公司', address: '某路1号', districtCode: '310101', industryCode: '51', principalName: '张三' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF_REQUIRED');
    expect(await auditCount(t, 'enterprise.created')).toBe(before);
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(logout.statusCode).toBe(403);
    expect((await t.as(cookie, { method: 'GET', url: '/api/me' })).statusCode).toBe(200);
  });

  it('locks an account after five wrong passwords, says so clearly, audits it, and lets an admin unlock it', async () => {
    const attempt = (password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'huangpu', password }, remoteAddress: '10.0.0.5' });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await attempt('wrong-password-1')).statusCode);
    expect(codes.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(codes[4]).toBe(423);
    const locked = await attempt(DEMO_PASSWORD);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    expect(locked.json().detail).toMatch(/锁定/);
    const user = await t.database.db.selectFrom('users').select(['id', 'locked_until']).where('username', '=', 'huangpu').executeTakeFirstOrThrow();
    expect(user.locked_until).not.toBeNull();
    expect(await auditCount(t, 'auth.locked', user.id)).toBe(1);
    expect(await auditCount(t, 'auth.login_failed', user.id)).toBe(4);

    const admin = await t.login('admin');
    expect((await t.as(admin, { method: 'POST', url: `/api/users/${user.id}/unlock` })).statusCode).toBe(204);
    expect((await attempt(DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('lifts the lock by itself after the lock period', async () => {
    const attempt = (password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'inspector-pd', password }, remoteAddress: '10.0.0.6' });
    for (let i = 0; i < 5; i++) await attempt('nope-nope-1');
    expect((await attempt(DEMO_PASSWORD)).statusCode).toBe(423);
    clock += (t.config.LOGIN_LOCK_MINUTES + 1) * 60_000;
    expect((await attempt(DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('rate-limits login attempts from one address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < t.config.LOGIN_RATE_PER_MINUTE + 2; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' }, remoteAddress: '10.9.9.9' });
      codes.push(r.statusCode);
    }
    expect(codes.at(-1)).toBe(429);
    expect(codes.filter((c) => c === 401).length).toBe(t.config.LOGIN_RATE_PER_MINUTE);
  });

  it('ends a session after the idle timeout and after the absolute lifetime', async () => {
    const cookie = await t.login('lujiazui');
    clock += (t.config.SESSION_IDLE_MINUTES - 1) * 60_000;
    expect((await t.as(cookie, { method: 'GET', url: '/api/me' })).statusCode).toBe(200);
    clock += (t.config.SESSION_IDLE_MINUTES + 1) * 60_000;
    expect((await t.as(cookie, { method: 'GET', url: '/api/me' })).statusCode).toBe(401);

    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'lujiazui', password: DEMO_PASSWORD } });
    const fresh = `zhiben_session=${res.cookies.find((c) => c.name === 'zhiben_session')!.value}`;
    for (let h = 0; h < t.config.SESSION_ABSOLUTE_HOURS; h++) {
      clock += 60 * 60_000;
      await t.as(fresh, { method: 'GET', url: '/api/me' });
    }
    clock += 60_000;
    expect((await t.as(fresh, { method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });

  it('changes one’s own password: wrong current password refused, new one works, old one not', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'expert-1', password: DEMO_PASSWORD } });
    const cookie = `zhiben_session=${res.cookies.find((c) => c.name === 'zhiben_session')!.value}`;
    const wrong = await t.as(cookie, { method: 'POST', url: '/api/me/password', payload: { currentPassword: 'not-it-123', newPassword: 'New-password-2026' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('WRONG_PASSWORD');
    const weak = await t.as(cookie, { method: 'POST', url: '/api/me/password', payload: { currentPassword: DEMO_PASSWORD, newPassword: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].path).toBe('newPassword');
    const ok = await t.as(cookie, { method: 'POST', url: '/api/me/password', payload: { currentPassword: DEMO_PASSWORD, newPassword: 'New-password-2026' } });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'expert-1', password: DEMO_PASSWORD } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'expert-1', password: 'New-password-2026' } })).statusCode).toBe(200);
  });

  it('issues API tokens that are shown once, stored hashed, act as their user, and stop working when revoked', async () => {
    const admin = await t.login('admin');
    const users = await t.as(admin, { method: 'GET', url: '/api/users?q=pudong' });
    const pudong = users.json().items.find((u: { username: string }) => u.username === 'pudong');
    const created = await t.as(admin, { method: 'POST', url: '/api/tokens', payload: { userId: pudong.id, name: '区数据交换' } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^zbt_/);
    const stored = await t.database.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const list = await t.as(admin, { method: 'GET', url: '/api/tokens' });
    expect(JSON.stringify(list.json())).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer });
    expect(me.json().username).toBe('pudong');
    // Machine clients need no anti-CSRF header: the bearer token is never sent by a browser on its own.
    const ents = await t.app.inject({ method: 'GET', url: '/api/enterprises?pageSize=200', headers: bearer });
    expect(ents.json().items.every((e: { districtCode: string }) => e.districtCode === '310115')).toBe(true);

    expect((await t.as(admin, { method: 'POST', url: `/api/tokens/${id}/revoke` })).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('INVALID_TOKEN');
  });

  it('a disabled user cannot log in and loses open sessions', async () => {
    const admin = await t.login('admin');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ent-hp', password: DEMO_PASSWORD } });
    const cookie = `zhiben_session=${res.cookies.find((c) => c.name === 'zhiben_session')!.value}`;
    const u = (await t.as(admin, { method: 'GET', url: '/api/users?q=ent-hp' })).json().items[0];
    const dis = await t.as(admin, { method: 'PATCH', url: `/api/users/${u.id}`, payload: { status: 'disabled' } });
    expect(dis.json().status).toBe('disabled');
    expect((await t.as(cookie, { method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ent-hp', password: DEMO_PASSWORD } });
    expect(again.statusCode).toBe(403);
    expect(again.json().code).toBe('ACCOUNT_DISABLED');
    expect(await auditCount(t, 'user.disabled', u.id)).toBe(1);
  });
});
