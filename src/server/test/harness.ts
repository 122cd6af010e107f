/**
 * Test support: a real database per test file (SQLite file in a temp dir, or a fresh
 * PostgreSQL schema), the real app through `app.inject()`, and logins by username.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { DB } from '../db/schema';
import { buildApp } from '../app';
import { loadKeyRing } from '../crypto/sealed';
import { loadConfig, type Config } from '../config';
import { systemCtx, type ActorCtx, type Ctx } from '../context';
import { actorFromUser } from '../auth/actor';
import { openPostgres, openSqlite, type Database } from '../db/database';
import type { DialectName } from '../db/dialect';
import { migrateToLatest } from '../db/migrate';
import { ensureAdmin } from '../seed/bootstrap';
import { loadDemoCity } from '../seed/demo';
import { loadReferenceData } from '../seed/reference';
import { backgroundSettled } from '../workers/thread';

export const DEMO_PASSWORD = 'Demo-pass-2026';
export const ADMIN_PASSWORD = 'Admin-pass-2026';

/** Dialects this run covers: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DIALECTS: DialectName[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export async function openTestDatabase(dialect: DialectName): Promise<Database & { drop(): Promise<void>; env: Record<string, string> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'zhiben-test-'));
    const database = openSqlite(path.join(dir, 'zhiben.db'));
    return {
      ...database,
      env: { DATA_DIR: dir },
      async drop() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const schema = `zt_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  const database = openPostgres(url.toString(), 5);
  return {
    ...database,
    env: { DATABASE_URL: url.toString() },
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  database: Database & { env: Record<string, string> };
  config: Config;
  ctx: Ctx;
  /** Session cookie header for a logged-in user. */
  login(username: string, password?: string): Promise<string>;
  /** A command context acting as this user, for calling modules directly. */
  ctxFor(username: string): Promise<ActorCtx>;
  /** Request as a logged-in user (cookie + the anti-CSRF header), or anonymously with `null`. */
  as(cookie: string | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * `demoEnforcement`: the demo's plans, draws, inspections and cases (#15) — off unless a test asks,
 * for they double the time a demo with hazards takes to load; `demoExperts`: its 啄木鸟 pool and
 * programme (#16), off unless asked; `demoAgencies`: its third-party agencies (#16), off unless asked;
 * the served demo always has them all.
 */
export async function createTestApp(dialect: DialectName, opts: { demo?: boolean; demoCount?: number; demoHazards?: number; demoEnforcement?: boolean; demoExperts?: boolean; demoAgencies?: boolean; demoTips?: boolean; demoTasks?: boolean; demoAssessment?: boolean; demoRisks?: boolean; config?: Partial<Config>; now?: () => Date } = {}): Promise<TestApp> {
  const database = await openTestDatabase(dialect);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'zhiben-data-'));
  const config = loadConfig({ ZHIBEN_ADMIN_PASSWORD: ADMIN_PASSWORD, ZHIBEN_DEMO_PASSWORD: DEMO_PASSWORD, LOG_LEVEL: 'silent' }, { DATA_DIR: dataDir, ...opts.config });
  await migrateToLatest(database);
  await loadReferenceData(database.db, new Date().toISOString());
  const ctx = systemCtx({ db: database.db, dialect: database.dialect, config, now: opts.now });
  await ensureAdmin(ctx);
  if (opts.demo) await loadDemoCity(ctx, { password: DEMO_PASSWORD, count: opts.demoCount ?? 400, hazards: opts.demoHazards ?? 0, enforcement: opts.demoEnforcement ?? false, experts: opts.demoExperts ?? false, agencies: opts.demoAgencies ?? false, tips: opts.demoTips ?? false, tasks: opts.demoTasks ?? false, assessment: opts.demoAssessment ?? false, risks: opts.demoRisks ?? false, keys: opts.demoTips || opts.demoRisks ? loadKeyRing(config) : null });
  const app = await buildApp({ config, database, logger: false, serveWeb: false, now: opts.now });
  const t: TestApp = {
    app,
    database,
    config,
    ctx,
    async login(username, password) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: password ?? (username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD) },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const set = res.cookies.find((c) => c.name === 'zhiben_session');
      if (!set) throw new Error('no session cookie');
      return `zhiben_session=${set.value}`;
    },
    async ctxFor(username) {
      const user = await database.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
      return { ...ctx, actor: await actorFromUser(database.db, user, 'session') };
    },
    as(cookie, o) {
      const headers = { ...(o.headers ?? {}), ...(cookie ? { cookie, 'x-requested-with': 'zhiben' } : {}) };
      return app.inject({ ...o, headers });
    },
    async close() {
      await backgroundSettled();
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** The cockpit tallies as key → n (zero rows dropped), and the enterprise ranking rows: to compare what commands kept with a rebuild. */
export async function tallySnapshot(db: Kysely<DB>) {
  const rows = await db.selectFrom('hazard_tallies').selectAll().where('n', '!=', 0).execute();
  const counts = Object.fromEntries(rows.map((r) => [[r.grouping, r.measure, r.city_code, r.district_code, r.period, r.street_code, r.industry_code, r.grade, r.source, r.supervision, r.extra].join('|'), Number(r.n)]).sort());
  const ents = await db.selectFrom('enterprise_open_tallies').selectAll().where('open', '!=', 0).orderBy('enterprise_id').orderBy('district_code').execute();
  return { counts, enterprises: ents.map((e) => ({ ...e, open: Number(e.open), open_major: Number(e.open_major) })) };
}

/** A multipart/form-data body with one file field, for `app.inject`. */
export function multipart(field: string, filename: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = `----zhiben${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A tiny valid PNG (1×1), for evidence photos in tests. */
export const PNG_1x1 = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e6e1d70000000049454e44ae426082', 'hex');

/** A generated workbook read back: its first sheet (tests check content, not just that a file came). */
export async function readSheet(buf: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets[0];
}

/** What a transaction reads after `change`, rolled back. */
export async function rolledBack<T>(db: Kysely<DB>, change: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  let out: T;
  await db
    .transaction()
    .execute(async (trx) => {
      out = await change(trx);
      throw new Error('rollback');
    })
    .catch((e: Error) => {
      if (e.message !== 'rollback') throw e;
    });
  return out!;
}
