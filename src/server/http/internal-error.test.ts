import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { createTestApp, DIALECTS, type TestApp } from '../test/harness';

describe.each(DIALECTS)('an unexpected failure on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t?.close());

  it('answers 500 without the database’s words, and logs the request id with the database’s own error code', async () => {
    const lines: string[] = [];
    const app = await buildApp({ config: { ...t.config, LOG_LEVEL: 'error' }, database: t.database, serveWeb: false, logStream: { write: (l) => void lines.push(l) } });
    try {
      const cookie = await (async () => {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'Admin-pass-2026' } });
        return `zhiben_session=${res.cookies.find((c) => c.name === 'zhiben_session')!.value}`;
      })();
      await sql`drop table notifications`.execute(t.database.db);
      const res = await app.inject({ method: 'GET', url: '/api/notifications', headers: { cookie } });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      const body = res.json();
      expect(body.code).toBe('INTERNAL');
      const { instance: _path, ...told } = body;
      expect(JSON.stringify(told)).not.toMatch(/notifications|relation|no such table|SQLITE|42P01/i);
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
      expect(logged).toBeDefined();
      expect(logged.reqId).toBe(body.requestId);
      expect(logged.requestId).toBe(body.requestId);
      expect(logged.dbCode).toBe(dialect === 'postgres' ? '42P01' : 'SQLITE_ERROR');
      expect(logged.err.message).toMatch(/notifications/);
    } finally {
      await app.close();
    }
  });
});
