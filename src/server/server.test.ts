import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer } from './test/process';

/** Runs `npm start`'s entry point until it says it is serving; answers its output and URL. */
async function start(env: Record<string, string>, args: string[] = []): Promise<{ out: string; url: string; stop(): Promise<void> }> {
  const server = await spawnServer(env, args);
  return { out: server.output(), url: server.url, stop: async () => void (await server.kill('SIGTERM')) };
}

describe('npm start on an empty data directory (SQLite)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'zhiben-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, loads reference data, prints a generated admin password once, and serves', async () => {
    const first = await start({ DATA_DIR: dataDir });
    try {
      expect(first.out).toMatch(/Loaded reference data: 251 regions, 117 industries, 12 standards/);
      const m = /username: admin\s+password: (\S+)/.exec(first.out);
      expect(m).not.toBeNull();
      const health = await fetch(`${first.url}/api/health`);
      expect(await health.json()).toEqual({ status: 'ok', db: 'sqlite' });
      const login = await fetch(`${first.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: m![1] }) });
      expect(login.status).toBe(200);
      expect((await login.json()).mustChangePassword).toBe(true);
      // The key file of sealed fields, made on this first start, the owner's alone.
      expect(first.out).toMatch(/Created the key file of sealed fields/);
      expect(statSync(path.join(dataDir, 'field-keys.json')).mode & 0o777).toBe(0o600);
    } finally {
      await first.stop();
    }
    const keys = readFileSync(path.join(dataDir, 'field-keys.json'), 'utf8');
    const second = await start({ DATA_DIR: dataDir });
    try {
      expect(second.out).not.toMatch(/password/);
      expect(second.out).not.toMatch(/Loaded reference data/);
      expect(second.out).not.toMatch(/key file/);
      expect(readFileSync(path.join(dataDir, 'field-keys.json'), 'utf8')).toBe(keys);
    } finally {
      await second.stop();
    }
    // The periodic jobs ran through the shared schedule: one finished run per job and hour, whichever process ticked.
    const db = new Sqlite(path.join(dataDir, 'zhiben.db'), { readonly: true });
    try {
      const runs = db.prepare('select name, period, finished_at from job_runs order by name, period').all() as { name: string; period: string; finished_at: string | null }[];
      expect([...new Set(runs.map((r) => r.name))].sort()).toEqual(['agency-qualifications', 'certificate-watch', 'deadline-digest', 'export-sweep', 'plan-readings', 'plan-reminders', 'selfcheck-reminders', 'selfcheck-rounds', 'tip-reminders', 'tip-uploads']);
      expect(runs.every((r) => r.finished_at !== null && /:00:00\.000Z$/.test(r.period))).toBe(true);
    } finally {
      db.close();
    }
  });

  it('--demo adds the demo city once, with the password from ZHIBEN_DEMO_PASSWORD', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zhiben-demo-'));
    try {
      const s = await start({ DATA_DIR: dir, ZHIBEN_ADMIN_PASSWORD: 'Admin-pass-2026', ZHIBEN_DEMO_PASSWORD: 'Demo-pass-2026' }, ['--demo']);
      try {
        expect(s.out).toMatch(/Loaded the demo city: 2000 enterprises, 20000 hazards/);
        expect(s.out).not.toMatch(/username: admin/);
        const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'lujiazui', password: 'Demo-pass-2026' }) });
        expect((await login.json()).regionName).toBe('陆家嘴街道');
      } finally {
        await s.stop();
      }
      const again = await start({ DATA_DIR: dir, ZHIBEN_DEMO_PASSWORD: 'Demo-pass-2026' }, ['--demo']);
      await again.stop();
      expect(again.out).not.toMatch(/Loaded the demo city/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad configuration with a clear message', async () => {
    await expect(start({ DATA_DIR: dataDir, PORT: 'eighty' })).rejects.toThrow(/Invalid configuration:[\s\S]*PORT/);
  });
});
