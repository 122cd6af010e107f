/**
 * Backup and restore of the city-scale bench database (BENCH_ONLY=backup on the 1,000,000-hazard
 * data set): `backupInstallation` and `restoreInstallation` as the CLI runs them, timed once each,
 * with the backup's size; the baseline is reading the data once in the same run — a copy of the
 * SQLite files (database and log), or a plain-text pg_dump of the schema to /dev/null.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/server/config';
import { backupInstallation, restoreInstallation, schemaOf } from '../src/server/ops/backup';
import type { Row } from './stats';

const sizeOf = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? sizeOf(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size), 0);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function benchBackup(dialect: 'sqlite' | 'postgres', env: { DATA_DIR?: string; DATABASE_URL?: string }, label: string): Promise<Row[]> {
  const work = mkdtempSync(path.join(tmpdir(), 'zhiben-bench-backup-'));
  const dir = path.join(work, 'backup');
  const source = loadConfig({ LOG_LEVEL: 'silent', ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : {}) }, { DATA_DIR: env.DATA_DIR ?? path.join(work, 'data') });
  let restoreDb: string | null = null;
  try {
    let t0 = performance.now();
    // The database's files as they are (its log included): what a plain copy would read.
    const files = dialect === 'sqlite' ? ['zhiben.db', 'zhiben.db-wal'].filter((f) => existsSync(path.join(source.DATA_DIR, f))) : [];
    for (const f of files) copyFileSync(path.join(source.DATA_DIR, f), path.join(work, f));
    if (dialect === 'postgres') execFileSync('pg_dump', ['--format=plain', `--schema=${schemaOf(source.DATABASE_URL!)}`, '--file=/dev/null', source.DATABASE_URL!.split('?')[0]], { stdio: 'ignore' });
    const baseline = performance.now() - t0;
    const databaseBytes = files.reduce((n, f) => n + statSync(path.join(work, f)).size, 0);
    for (const f of files) rmSync(path.join(work, f), { force: true });

    t0 = performance.now();
    const manifest = await backupInstallation(source, dir);
    const backupMs = performance.now() - t0;
    const size = sizeOf(dir);

    let targetEnv: Record<string, string> = {};
    if (dialect === 'postgres') {
      restoreDb = `zhiben_bench_restore_${process.pid}`;
      const c = new pg.Client({ connectionString: source.DATABASE_URL!.split('?')[0] });
      await c.connect();
      await c.query(`drop database if exists "${restoreDb}" with (force)`);
      await c.query(`create database "${restoreDb}" template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`);
      await c.end();
      const u = new URL(source.DATABASE_URL!);
      u.pathname = `/${restoreDb}`;
      targetEnv = { DATABASE_URL: u.toString() };
    }
    const target = loadConfig({ LOG_LEVEL: 'silent', ...targetEnv }, { DATA_DIR: path.join(work, 'restored') });
    t0 = performance.now();
    const restored = await restoreInstallation(target, dir);
    const restoreMs = performance.now() - t0;
    if (restored.counts.hazards !== manifest.counts.hazards) throw new Error(`restore counted ${restored.counts.hazards} hazards, the backup ${manifest.counts.hazards}`);

    const bench = `backup and restore @${label} (${dialect})`;
    const of = `${manifest.counts.hazards.toLocaleString()} hazards${databaseBytes ? `, database ${mb(databaseBytes)}` : ''}`;
    const baselineName = dialect === 'sqlite' ? 'file copy' : 'plain pg_dump';
    return [
      { bench, case: `backup: ${mb(size)} written (${of}); baseline ${baselineName}`, p50: backupMs, p95: backupMs, baselineP50: baseline, ratio: backupMs / baseline, goal: 'measured', met: null },
      { bench, case: `restore into an empty ${dialect === 'sqlite' ? 'data directory' : 'database'}, counts checked; baseline ${baselineName}`, p50: restoreMs, p95: restoreMs, baselineP50: baseline, ratio: restoreMs / baseline, goal: 'measured', met: null },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (restoreDb) {
      const c = new pg.Client({ connectionString: env.DATABASE_URL!.split('?')[0] });
      await c.connect();
      await c.query(`drop database if exists "${restoreDb}" with (force)`);
      await c.end();
    }
  }
}
