import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';

describe.each(DIALECTS)('user administration on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 20 });
    admin = await t.login('admin');
  });
  afterAll(() => t?.close());

  const create = (body: Record<string, unknown>) => t.as(admin, { method: 'POST', url: '/api/users', payload: { displayName: '测试', password: 'Welcome-2026-x', ...body } });

  it('creates users whose scope matches their role, and refuses mismatches with a clear field', async () => {
    const street = await create({ username: 'xuhui-street', role: 'street_officer', regionCode: '310104003' });
    expect(street.statusCode).toBe(201);
    expect(street.json()).toMatchObject({ role: 'street_officer', regionCode: '310104003', mustChangePassword: true });
    const rows = await t.database.db.selectFrom('users').select(['district_code', 'street_code', 'password_hash']).where('username', '=', 'xuhui-street').executeTakeFirstOrThrow();
    expect(rows).toMatchObject({ district_code: '310104', street_code: '310104003' });
    expect(rows.password_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(street.json())).not.toContain('scrypt');

    const bad: [Record<string, unknown>, string, string][] = [
      [{ username: 'a1', role: 'district_officer', regionCode: '310000' }, 'ROLE_SCOPE_MISMATCH', 'regionCode'],
      [{ username: 'a2', role: 'city_officer', regionCode: '310115' }, 'ROLE_SCOPE_MISMATCH', 'regionCode'],
      [{ username: 'a3', role: 'street_officer', regionCode: '310115' }, 'ROLE_SCOPE_MISMATCH', 'regionCode'],
      [{ username: 'a4', role: 'district_officer', regionCode: '310199' }, 'UNKNOWN_REGION', 'regionCode'],
      [{ username: 'a5', role: 'dept_officer', regionCode: '310000' }, 'UNKNOWN_DEPARTMENT', 'departmentId'],
      [{ username: 'a6', role: 'enterprise', regionCode: '310115' }, 'UNKNOWN_ENTERPRISE', 'enterpriseId'],
      [{ username: 'pudong', role: 'district_officer', regionCode: '310115' }, 'DUPLICATE_USERNAME', 'username'],
      [{ username: 'Bad Name!', role: 'district_officer', regionCode: '310115' }, 'VALIDATION_FAILED', 'username'],
      [{ username: 'a7', role: 'district_officer', regionCode: '310115', password: 'short' }, 'VALIDATION_FAILED', 'password'],
      [{ username: 'a8', role: 'mayor', regionCode: '310115' }, 'VALIDATION_FAILED', 'role'],
    ];
    for (const [body, code, path] of bad) {
      const r = await create(body);
      expect(r.json().code, JSON.stringify(body)).toBe(code);
      expect(r.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('creates a department officer scoped to its department’s industries', async () => {
    const depts = (await t.as(admin, { method: 'GET', url: '/api/departments?regionCode=310000' })).json();
    const jtw = depts.items.find((d: { name: string }) => d.name === '市交通委');
    expect(jtw.industryCodes).toEqual(['G']);
    const r = await create({ username: 'jtw-1', role: 'dept_officer', regionCode: '310000', departmentId: jtw.id });
    expect(r.statusCode).toBe(201);
    expect(r.json().departmentName).toBe('市交通委');
    // The new user must change the admin-chosen password; they can still log in to do so.
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'jtw-1', password: 'Welcome-2026-x' } });
    expect(login.json().mustChangePassword).toBe(true);
    const cookie = `zhiben_session=${login.cookies[0].value}`;
    const list = (await t.as(cookie, { method: 'GET', url: '/api/enterprises?pageSize=200' })).json();
    expect(list.items.every((e: { industryCode: string }) => Number(e.industryCode) >= 53 && Number(e.industryCode) <= 60)).toBe(true);
  });

  it('resets a password (old one stops working, sessions end) and records it without the password', async () => {
    const u = (await t.as(admin, { method: 'GET', url: '/api/users?q=huangpu' })).json().items[0];
    const session = await t.login('huangpu');
    expect((await t.as(admin, { method: 'POST', url: `/api/users/${u.id}/reset-password`, payload: { password: 'Reset-pass-2026' } })).statusCode).toBe(204);
    expect((await t.as(session, { method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'huangpu', password: 'Reset-pass-2026' } })).json().mustChangePassword).toBe(true);
    const log = (await t.as(admin, { method: 'GET', url: `/api/audit?entityId=${u.id}&action=user.password_reset` })).json();
    expect(log.total).toBe(1);
    expect(JSON.stringify(log)).not.toContain('Reset-pass-2026');
  });

  it('does not let an administrator disable themself', async () => {
    const me = (await t.as(admin, { method: 'GET', url: '/api/me' })).json();
    const r = await t.as(admin, { method: 'PATCH', url: `/api/users/${me.id}`, payload: { status: 'disabled' } });
    expect(r.statusCode).toBe(403);
  });
});
