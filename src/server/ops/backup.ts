/**
 * Backup and restore of an installation (`npm run zhiben -- backup DIR` / `restore DIR`).
 *
 * A backup is a directory: the database (SQLite through its online backup API — a consistent
 * snapshot of a running database, never a file copy; PostgreSQL by `pg_dump` in custom format), the
 * uploaded files (content-addressed and never changed, copied after the database so every file the
 * snapshot names is there), and `manifest.json`: product version, time, every table's row count and
 * each audit chain's head (sequence and hash). Exports are not kept: they are made again on demand.
 *
 * A restore goes only into an empty data directory or an empty database (schema), and checks the
 * restored counts against the manifest before it says it is done.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
import { openDatabase } from '../db/database';
import type { DB } from '../db/schema';

export interface BackupManifest {
  product: 'zhiben';
  formatVersion: 1;
  appVersion: string;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** PostgreSQL: the schema the installation lives in. */
  schema: string | null;
  database: 'zhiben.db' | 'zhiben.dump';
  counts: Record<string, number>;
  audit: { chain: string; seq: number; hash: string }[];
  files: { count: number; bytes: number };
}

export class BackupError extends Error {}

const MANIFEST = 'manifest.json';

function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The schema a PostgreSQL URL puts first on its search path (`options=-c search_path=…`), else public. */
export function schemaOf(url: string): string {
  const options = new URL(url).searchParams.get('options') ?? '';
  return /search_path=([A-Za-z0-9_]+)/.exec(options)?.[1] ?? 'public';
}

/** Row counts of every table of the installation, and the audit chains' heads. */
export async function inventory(db: Kysely<DB>, dialect: 'sqlite' | 'postgres'): Promise<Pick<BackupManifest, 'counts' | 'audit'>> {
  const tables =
    dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%_fts%' order by name`.execute(db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)).rows.map((r) => r.name);
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0].n);
  const audit = (await db.selectFrom('audit_heads').select(['chain', 'seq', 'hash']).orderBy('chain').execute()).map((h) => ({ chain: h.chain, seq: Number(h.seq), hash: h.hash }));
  return { counts, audit };
}

function filesOf(dir: string): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  if (!existsSync(dir)) return { count, bytes };
  for (const sub of readdirSync(dir)) {
    const d = path.join(dir, sub);
    if (!statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d)) {
      if (f.endsWith('.tmp')) continue;
      count++;
      bytes += statSync(path.join(d, f)).size;
    }
  }
  return { count, bytes };
}

const isEmptyDir = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;

/**
 * A URL for libpq's tools: its `options` (the search path) go by PGOPTIONS, since libpq reads a '+'
 * in a URL as itself, not as the space it stands for in a query string.
 */
function libpq(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const options = u.searchParams.get('options');
  u.searchParams.delete('options');
  return { url: u.toString(), env: options ? { ...process.env, PGOPTIONS: options } : process.env };
}

function run(command: string, args: string[], what: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new BackupError(`找不到 ${command}：请安装与数据库同版本的 PostgreSQL 客户端（Debian：apt-get install postgresql-client）。${what} needs ${command} on the PATH.`);
  }
  if (r.status !== 0) throw new BackupError(`${command} 失败 failed (${what}): ${(r.stderr || r.stdout || '').trim().slice(0, 2000)}`);
  return r.stdout;
}

/** Writes a backup of the configured installation into `dir` (which must be empty or not exist). */
export async function backupInstallation(config: Config, dir: string): Promise<BackupManifest> {
  if (!isEmptyDir(dir)) throw new BackupError(`备份目录不为空：${dir}（请指定一个新目录）/ The backup directory is not empty`);
  mkdirSync(dir, { recursive: true });
  const dialect = config.DATABASE_URL ? 'postgres' : 'sqlite';
  const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    let schema: string | null = null;
    // The inventory is read first; the database is then copied as one snapshot. Writes between the
    // two are possible on a running installation: the counts are what the snapshot holds at least.
    if (dialect === 'sqlite') {
      const source = new SqliteDatabase(path.join(config.DATA_DIR, 'zhiben.db'), { readonly: true, fileMustExist: true });
      try {
        await source.backup(path.join(dir, 'zhiben.db'));
      } finally {
        source.close();
      }
    } else {
      schema = schemaOf(config.DATABASE_URL!);
      const target = libpq(config.DATABASE_URL!);
      run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--schema=${schema}`, `--file=${path.join(dir, 'zhiben.dump')}`, target.url], 'backup', target.env);
    }
    // Counted on the copy for SQLite (exactly what it holds); on PostgreSQL, after the dump.
    const counted =
      dialect === 'sqlite'
        ? await (async () => {
            const copy = openDatabase({ dataDir: dir });
            try {
              return await inventory(copy.db, 'sqlite');
            } finally {
              await copy.close();
            }
          })()
        : await inventory(database.db, 'postgres');
    if (existsSync(path.join(config.DATA_DIR, 'files'))) cpSync(path.join(config.DATA_DIR, 'files'), path.join(dir, 'files'), { recursive: true, filter: (src) => !src.endsWith('.tmp') });
    else mkdirSync(path.join(dir, 'files'));
    const manifest: BackupManifest = {
      product: 'zhiben',
      formatVersion: 1,
      appVersion: appVersion(),
      createdAt: new Date().toISOString(),
      dialect,
      schema,
      database: dialect === 'sqlite' ? 'zhiben.db' : 'zhiben.dump',
      ...counted,
      files: filesOf(path.join(dir, 'files')),
    };
    writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await database.close();
  }
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) throw new BackupError(`不是治本备份目录（缺少 ${MANIFEST}）：${dir} / Not a Zhiben backup`);
  const m = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (m.product !== 'zhiben' || m.formatVersion !== 1) throw new BackupError(`无法识别的备份格式：${dir} / Unknown backup format`);
  return m;
}

/** Restores a backup into the configured installation, which must be empty; answers the manifest and the restored counts. */
export async function restoreInstallation(config: Config, dir: string): Promise<{ manifest: BackupManifest; counts: Record<string, number> }> {
  const manifest = readManifest(dir);
  const dialect = config.DATABASE_URL ? 'postgres' : 'sqlite';
  if (dialect !== manifest.dialect) throw new BackupError(`备份来自 ${manifest.dialect}，当前配置为 ${dialect}：不能跨数据库恢复 / The backup is of ${manifest.dialect}, the configuration is ${dialect}`);
  const target = path.join(config.DATA_DIR, 'zhiben.db');
  const files = path.join(config.DATA_DIR, 'files');
  if (!isEmptyDir(files) || (dialect === 'sqlite' && existsSync(target))) {
    throw new BackupError(`数据目录不为空：${config.DATA_DIR}（恢复只写入空的数据目录）/ The data directory is not empty`);
  }
  if (dialect === 'sqlite') {
    mkdirSync(config.DATA_DIR, { recursive: true });
    cpSync(path.join(dir, 'zhiben.db'), target);
  } else {
    const url = config.DATABASE_URL!;
    const schema = schemaOf(url);
    if (schema !== manifest.schema) throw new BackupError(`备份位于模式 ${manifest.schema}，当前配置为 ${schema} / The backup is of schema ${manifest.schema}, the configuration uses ${schema}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('select count(*) as n from information_schema.tables where table_schema = $1', [schema]);
      if (Number(rows[0].n) > 0) throw new BackupError(`数据库不为空：模式 ${schema} 中已有 ${rows[0].n} 张表（恢复只写入空数据库）/ The database is not empty`);
      // The schema and the trigram extension are made here; the dump's own entries for them are left out.
      await client.query(`create schema if not exists "${schema}"`);
      await client.query('create extension if not exists pg_trgm with schema public');
    } finally {
      await client.end();
    }
    const list = run('pg_restore', ['--list', path.join(dir, 'zhiben.dump')], 'restore')
      .split('\n')
      .filter((line) => !/ SCHEMA - /.test(line) && !/ COMMENT - SCHEMA /.test(line) && !/ EXTENSION - /.test(line) && !/ COMMENT - EXTENSION /.test(line))
      .join('\n');
    const listFile = path.join(tmpdir(), `zhiben-restore-${process.pid}-${Date.now()}.list`);
    writeFileSync(listFile, list);
    const target = libpq(url);
    try {
      run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--use-list=${listFile}`, `--dbname=${target.url}`, path.join(dir, 'zhiben.dump')], 'restore', target.env);
    } finally {
      rmSync(listFile, { force: true });
    }
  }
  cpSync(path.join(dir, 'files'), files, { recursive: true });
  const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    const { counts } = await inventory(database.db, dialect);
    const differ = Object.keys(manifest.counts).filter((t) => counts[t] !== manifest.counts[t]);
    if (differ.length) throw new BackupError(`恢复后的行数与备份清单不符：${differ.map((t) => `${t} ${counts[t] ?? '—'}≠${manifest.counts[t]}`).join('，')}`);
    return { manifest, counts };
  } finally {
    await database.close();
  }
}
