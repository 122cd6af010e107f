import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { openTestDatabase } from '../test/harness';
import { migrateToLatest } from '../db/migrate';

/** Security headers, on SQLite (nothing here touches the database beyond a health check). */
describe('security headers', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zhiben-web-'));
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const app = async (env: Record<string, string> = {}) =>
    buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', ...env }, { DATA_DIR: dir }), database, logger: false, serveWeb: true, webDist: path.join(dir, 'web') });

  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
    await migrateToLatest(database);
    mkdirSync(path.join(dir, 'web', 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'web', 'index.html'), '<!doctype html><html><head><title>t</title><script type="module" src="/assets/a.js"></script></head><body><div id="root"></div></body></html>');
    writeFileSync(path.join(dir, 'web', 'assets', 'a.js'), 'console.log(1)');
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every answer carries a strict policy: scripts from this origin only, no framing, no sniffing, no referrer, no HSTS over plain HTTP', async () => {
    const a = await app();
    for (const url of ['/api/health', '/api/hazards', '/api/no-such', '/assets/a.js']) {
      const res = await a.inject({ method: 'GET', url });
      const csp = res.headers['content-security-policy'] as string;
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
    await a.close();
  });

  it('the page gets a fresh style nonce in its policy and in a meta tag, on every route of the app; index.html is never served raw', async () => {
    const a = await app();
    const nonces = new Set<string>();
    for (const url of ['/', '/hazards?view=all', '/imports/abc', '/index.html']) {
      const res = await a.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      const nonce = /<meta name="csp-nonce" content="([^"]+)"/.exec(res.body)?.[1];
      expect(nonce, url).toMatch(/^[A-Za-z0-9+/]{24}$/);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-eval');
      nonces.add(nonce!);
    }
    expect(nonces.size).toBe(4);
    await a.close();
  });

  it('sends HSTS when the installation says it is on HTTPS (COOKIE_SECURE)', async () => {
    const a = await app({ COOKIE_SECURE: 'true' });
    const res = await a.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    await a.close();
  });
});
