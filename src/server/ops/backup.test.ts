import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { verifyAuditChains } from '../audit/audit';
import { loadConfig, type Config } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { FileStore } from '../modules/files/storage';
import { DEMO_PASSWORD, DIALECTS, createTestApp, PNG_1x1, type TestApp } from '../test/harness';
import { backupInstallation, BackupError, readManifest, restoreInstallation, schemaOf } from './backup';

describe.each(DIALECTS)('backup and restore on %s', (dialect) => {
  let t: TestApp;
  let source: Config;
  const dirs: string[] = [];
  const tmp = (name: string) => {
    const d = mkdtempSync(path.join(tmpdir(), `zhiben-${name}-`));
    dirs.push(d);
    return d;
  };
  let restoreDb: string | null = null;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40, demoHazards: 120 });
    // The installation as the CLI sees it: its database and DATA_DIR/files.
    const dataDir = dialect === 'sqlite' ? t.database.env.DATA_DIR : tmp('data');
    source = loadConfig({ LOG_LEVEL: 'silent', ...(dialect === 'postgres' ? { DATABASE_URL: t.database.env.DATABASE_URL } : {}) }, { DATA_DIR: dataDir });
    const store = new FileStore(path.join(dataDir, 'files'));
    store.put(PNG_1x1);
    store.put(Buffer.from('%PDF-1.4 整改报告'));
  });
  afterAll(async () => {
    await t?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (restoreDb) {
      const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists "${restoreDb}" with (force)`);
      await c.end();
    }
  });

  it('backs up the running installation with a manifest, restores it into an empty one that starts with the same figures and an intact audit chain, and refuses a non-empty target', async () => {
    const hazards = Number((await t.database.db.selectFrom('hazards').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const dir = path.join(tmp('backup'), 'b1');
    const manifest = await backupInstallation(source, dir);
    expect(manifest).toMatchObject({ product: 'zhiben', formatVersion: 1, dialect, database: dialect === 'sqlite' ? 'zhiben.db' : 'zhiben.dump', files: { count: 2 } });
    expect(manifest.counts.hazards).toBe(hazards);
    expect(manifest.counts.enterprises).toBeGreaterThanOrEqual(40);
    expect(manifest.audit.length).toBeGreaterThan(0);
    expect(readManifest(dir)).toEqual(manifest);
    await expect(backupInstallation(source, dir)).rejects.toThrow(/备份目录不为空/);

    // The target: an empty data directory (and, on PostgreSQL, an empty database).
    let targetEnv: Record<string, string> = {};
    if (dialect === 'postgres') {
      restoreDb = `zb_restore_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await c.connect();
      await c.query(`create database "${restoreDb}" template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`);
      await c.end();
      const u = new URL(t.database.env.DATABASE_URL);
      u.pathname = `/${restoreDb}`;
      expect(schemaOf(u.toString())).toBe(manifest.schema);
      targetEnv = { DATABASE_URL: u.toString() };
    }
    const target = loadConfig({ LOG_LEVEL: 'silent', ZHIBEN_ADMIN_PASSWORD: 'Admin-pass-2026', ...targetEnv }, { DATA_DIR: tmp('restored') });
    const restored = await restoreInstallation(target, dir);
    expect(restored.counts).toEqual(manifest.counts);
    expect(existsSync(path.join(target.DATA_DIR, 'files'))).toBe(true);

    const database = openDatabase({ databaseUrl: target.DATABASE_URL, dataDir: target.DATA_DIR });
    try {
      await migrateToLatest(database);
      const chains = await verifyAuditChains(database.db);
      expect(chains.length).toBe(manifest.audit.length);
      expect(chains.every((c) => c.ok)).toBe(true);
      // It starts, and answers as the source did.
      const app = await buildApp({ config: target, database, logger: false, serveWeb: false });
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'city', password: DEMO_PASSWORD } });
      expect(login.statusCode).toBe(200);
      const cookie = `zhiben_session=${login.cookies.find((x) => x.name === 'zhiben_session')!.value}`;
      const list = await app.inject({ method: 'GET', url: '/api/hazards?pageSize=1', headers: { cookie } });
      const before = await t.as(await t.login('city'), { method: 'GET', url: '/api/hazards?pageSize=1' });
      expect(list.statusCode).toBe(200);
      expect(list.json().total).toBe(before.json().total);
      expect(list.json().total).toBeGreaterThan(0);
      const cockpit = await app.inject({ method: 'GET', url: '/api/dashboard/city', headers: { cookie } });
      const cockpitBefore = await t.as(await t.login('city'), { method: 'GET', url: '/api/dashboard/city' });
      expect(cockpit.json().totals.open).toBeGreaterThan(0);
      expect(cockpit.json().totals).toEqual(cockpitBefore.json().totals);
      await app.close();
    } finally {
      await database.close();
    }
    await expect(restoreInstallation(target, dir)).rejects.toBeInstanceOf(BackupError);
    await expect(restoreInstallation(target, dir)).rejects.toThrow(/不为空/);
    const notBackup = tmp('empty');
    writeFileSync(path.join(notBackup, 'x.txt'), 'x');
    await expect(restoreInstallation(target, notBackup)).rejects.toThrow(/不是治本备份目录/);
  });
});

describe('backup and restore from the command line (SQLite)', () => {
  it('backs up, restores into an empty data directory, refuses a second restore, and the restored chain verifies', async () => {
    const t = await createTestApp('sqlite', { demo: true, demoCount: 20, demoHazards: 30 });
    const root = mkdtempSync(path.join(tmpdir(), 'zhiben-cli-backup-'));
    try {
      const cli = (env: Record<string, string>, ...args: string[]) =>
        spawnSync(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, `../../../scripts/${args[0] === 'audit' ? 'audit-verify' : 'zhiben'}.ts`), ...args.filter((a) => a !== 'audit')], {
          env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
          encoding: 'utf8',
        });
      const backup = cli(t.database.env, 'backup', path.join(root, 'b'));
      expect(backup.status, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(/^备份完成 Backup written to .* sqlite, [\d,]+ rows in \d+ tables \(hazards 30\)/);
      const restoredDir = path.join(root, 'restored');
      const restore = cli({ DATA_DIR: restoredDir }, 'restore', path.join(root, 'b'));
      expect(restore.status, restore.stderr).toBe(0);
      expect(restore.stdout).toMatch(/恢复完成 Restored the backup .* \(hazards 30\)/);
      const again = cli({ DATA_DIR: restoredDir }, 'restore', path.join(root, 'b'));
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/数据目录不为空/);
      const verify = cli({ DATA_DIR: restoredDir }, 'audit');
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/intact/);
    } finally {
      await t.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
