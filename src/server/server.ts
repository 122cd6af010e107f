import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { loadConfig, type Config } from './config';
import { systemCtx } from './context';
import { databaseWarnings, openDatabase, type Database } from './db/database';
import { migrateToLatest } from './db/migrate';
import { KEY_FILE, loadKeyRing, type KeyRing } from './crypto/sealed';
import { sealedKeyIds } from './crypto/sealed-columns';
import { runCertificateWatch } from './modules/certificates/watch';
import { ensureAdmin } from './seed/bootstrap';
import { loadDemoCity } from './seed/demo';
import { loadReferenceData } from './seed/reference';
import { runDeadlineDigest } from './modules/notifications/deadlines';
import { runQualificationWatch } from './modules/agencies/expiry';
import { runTipReminders } from './modules/tips/deadlines';
import { runPlanReadings } from './modules/tasks/bindings';
import { runPlanReminders } from './modules/tasks/reminders';
import { sweepTipUploads } from './modules/tips/public';
import { fileStore } from './modules/files/commands';
import { startSchedules } from './workers/schedule';
import { interruptImportJobs } from './modules/imports/jobs';
import { ensureTallies } from './modules/dashboard/tallies';
import { interruptExports, sweepExports } from './modules/exports/jobs';
import { makeRounds } from './modules/selfchecks/rounds';
import { runSelfCheckReminders } from './modules/selfchecks/reminders';
import { joinInstances, type HeldBy } from './workers/instance';
import { backgroundSettled, stopWorkers } from './workers/thread';

export interface StartOptions {
  dataDir?: string;
  databaseUrl?: string;
  demo?: boolean;
  port?: number;
  host?: string;
  logger?: boolean;
  /** Print first-start messages (generated admin password, demo accounts). */
  announce?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** A worker of several (cluster.ts): the first process has prepared the database; open it and serve. */
  attach?: boolean;
}

export interface Prepared {
  config: Config;
  database: Database;
  keyRing: KeyRing;
}

/** The configuration from the environment, with what the caller set overriding it. */
function configOf(opts: StartOptions): Config {
  const overrides: Partial<Config> = {};
  if (opts.dataDir) overrides.DATA_DIR = opts.dataDir;
  if (opts.databaseUrl) overrides.DATABASE_URL = opts.databaseUrl;
  if (opts.port !== undefined) overrides.PORT = opts.port;
  if (opts.host) overrides.HOST = opts.host;
  return loadConfig(opts.env ?? process.env, overrides);
}

/** Migrates, loads reference data, creates `admin` and (optionally) the demo city. Safe to run on every start. */
export async function prepare(opts: StartOptions = {}): Promise<Prepared> {
  const config = configOf(opts);
  const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const say = opts.announce ?? (() => {});
  try {
    const applied = await migrateToLatest(database);
    if (applied.length) say(`Migrated ${database.dialect} database (${database.location}): ${applied.join(', ')}`);
    // The keys of sealed fields (crypto/sealed.ts): made on first start unless the environment gives them.
    mkdirSync(config.DATA_DIR, { recursive: true });
    // Sealed values whose key is gone cannot be read again: refuse to start (and to make a new key
    // file in place of a lost one) rather than seal new values under a key that opens none of the old.
    const used = await sealedKeyIds(database.db);
    if (used.length && !config.ZHIBEN_FIELD_KEYS && !existsSync(path.join(config.DATA_DIR, KEY_FILE))) {
      throw new Error(`The database holds sealed fields (reporters' identities, certificate holders' ID numbers) but the key file ${path.join(config.DATA_DIR, KEY_FILE)} is missing. Restore it from where you kept it (or set ZHIBEN_FIELD_KEYS); without it those fields cannot be read.`);
    }
    const keys = loadKeyRing(config);
    const missing = used.filter((id) => !keys.keys.has(id));
    if (missing.length) throw new Error(`Sealed fields use key(s) ${missing.join(', ')}, which the key ring (${keys.source === 'env' ? 'ZHIBEN_FIELD_KEYS' : KEY_FILE}) does not hold. Add them back; a key that sealed values must be kept for as long as they are.`);
    if (keys.source === 'created') say(`Created the key file of sealed fields: ${path.join(config.DATA_DIR, KEY_FILE)} (owner-only). Keep a copy apart from the backups: without it sealed fields cannot be read.`);
    for (const warning of await databaseWarnings(database)) say(warning);
    const ctx = systemCtx({ db: database.db, dialect: database.dialect, config });
    const ref = await loadReferenceData(database.db, new Date().toISOString());
    if (ref.regions || ref.standards || ref.clauses) {
      say(`Loaded reference data: ${ref.regions} regions, ${ref.industries} industries, ${ref.standards} standards, ${ref.clauses} clauses`);
    }
    const admin = await ensureAdmin(ctx);
    if (admin.generatedPassword) {
      say('');
      say('  Created the administrator account. It is shown only this once:');
      say(`    username: admin    password: ${admin.generatedPassword}`);
      say('  (set ZHIBEN_ADMIN_PASSWORD to choose it yourself; you will be asked to change it at first login)');
      say('');
    } else if (admin.created) {
      say('Created the administrator account `admin` with the password from ZHIBEN_ADMIN_PASSWORD.');
    }
    if (opts.demo) {
      const demo = await loadDemoCity(ctx, { password: config.ZHIBEN_DEMO_PASSWORD, keys });
      if (demo.loaded) {
        say(`Loaded the demo city: ${demo.enterprises} enterprises, ${demo.hazards} hazards, departments and one account per role.`);
        say(`  Demo accounts: city, pudong, huangpu, lujiazui, yjj, inspector-pd, expert-1, ent-pd, ent-hp, custodian`);
        say(`  Demo password: ${config.ZHIBEN_DEMO_PASSWORD}${opts.env?.ZHIBEN_DEMO_PASSWORD || process.env.ZHIBEN_DEMO_PASSWORD ? ' (from ZHIBEN_DEMO_PASSWORD)' : ' (default; set ZHIBEN_DEMO_PASSWORD to change)'}`);
      }
    }
    // After the demo load, so a new demo database counts its hazards once.
    if (await ensureTallies(database.db, database.dialect, new Date())) say('Built the cockpit tallies from the hazard ledger.');
    return { config, database, keyRing: keys };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Opens a database another process has prepared (a worker of several): no migrations, no seeding. */
export async function attach(opts: StartOptions = {}): Promise<Prepared> {
  const config = configOf(opts);
  const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    return { config, database, keyRing: loadKeyRing(config) };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Marks the background jobs `which` names as interrupted (imports can then be resumed, exports run again). */
async function interruptJobs(db: Database['db'], now: Date, which: HeldBy): Promise<{ imports: number; exports: number }> {
  return { imports: await interruptImportJobs(db, now, which), exports: await interruptExports(db, now, which) };
}

export async function startZhiben(opts: StartOptions = {}): Promise<{ url: string; app: FastifyInstance; config: Config; database: Database; close(): Promise<void> }> {
  const { config, database, keyRing } = await (opts.attach ? attach(opts) : prepare(opts));
  const app = await buildApp({ config, database, keyRing, logger: opts.logger ?? false });
  const say = opts.announce ?? (() => {});
  // This process joins the others sharing the database; on each beat, the jobs of processes that
  // are gone (stopped beating: killed, crashed, or stopped long ago) are marked interrupted.
  let firstBeat = true;
  const instance = await joinInstances(database.db, {
    heartbeatMs: config.HEARTBEAT_MS,
    onBeat: async (alive, now) => {
      const n = await interruptJobs(database.db, now, { gone: { alive } });
      const line = `${n.imports} import job(s) and ${n.exports} export(s) were interrupted when the process running them stopped; they show as interrupted, and an import can be resumed.`;
      if (n.imports || n.exports) (firstBeat ? say : (l: string) => app.log.warn(l))(line);
      firstBeat = false;
    },
    onError: (err) => app.log.error({ err }, 'heartbeat failed'),
  });
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    await app.close();
    await instance.leave();
    await database.close();
    throw err;
  }
  // Periodic jobs, once per hour across every process sharing the database (workers/schedule.ts).
  const stopJobs = startSchedules(
    database.db,
    [
      { name: 'deadline-digest', everyMs: 3_600_000, run: (now) => runDeadlineDigest(database.db, now) },
      // Finished exports are kept for a day.
      { name: 'export-sweep', everyMs: 3_600_000, run: (now) => sweepExports(database.db, config, now) },
      // 自查记录: each schedule's round for the current period, for every enterprise it covers.
      { name: 'selfcheck-rounds', everyMs: 3_600_000, run: (now) => makeRounds(database, now) },
      // 自查提醒 to the enterprises, and a digest of overdue rounds to the officers, once a day (keyed by the day).
      { name: 'selfcheck-reminders', everyMs: 3_600_000, run: (now) => runSelfCheckReminders(database, now) },
      // 第三方机构资质到期提醒 (keyed by qualification and expiry date, so hourly runs add nothing new).
      { name: 'agency-qualifications', everyMs: 3_600_000, run: (now) => runQualificationWatch(database.db, now) },
      // 举报办理提醒 (keyed by tip, step and last day).
      { name: 'tip-reminders', everyMs: 3_600_000, run: (now) => runTipReminders(database.db, now) },
      // 实时数据: one reading a day of each bound task's figure (keyed by task and day).
      { name: 'plan-readings', everyMs: 3_600_000, run: (now) => runPlanReadings(database.db, now) },
      // 任务提醒: dates within a week or past, reports due for the period (keyed by task and date or period).
      { name: 'plan-reminders', everyMs: 3_600_000, run: (now) => runPlanReminders(database.db, now) },
      // 证书到期提醒, 无证上岗 hazards of lapsed certificates, standardization expiry (keyed by certificate and date; lapses once per certificate).
      { name: 'certificate-watch', everyMs: 3_600_000, run: (now) => runCertificateWatch(systemCtx({ db: database.db, dialect: database.dialect, config }), now) },
      // Photos sent through the tip door and never made part of a tip, a day on.
      { name: 'tip-uploads', everyMs: 3_600_000, run: (now) => sweepTipUploads(database.db, fileStore({ config }), now) },
    ],
    () => new Date(),
    (job, err) => app.log.error({ err, job }, 'periodic job failed'),
  );
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  return {
    url,
    app,
    config,
    database,
    close: () => stopGracefully({ app, database, config, stopJobs, leave: () => instance.leave(), id: instance.id }),
  };
}

/**
 * 平稳停止 (SIGTERM): stops accepting connections and lets the requests in flight finish (at most
 * STOP_GRACE_MS, then their connections are closed); meanwhile asks a running import commit to end
 * after the batch it is writing and ends previews and exports; waits for their bookkeeping and the periodic
 * jobs in progress; marks this process's unfinished jobs as interrupted by the stop (an import can
 * be resumed from its last batch); leaves the instances and closes the database.
 */
async function stopGracefully(s: { app: FastifyInstance; database: Database; config: Config; stopJobs: () => Promise<void>; leave: () => Promise<void>; id: string }): Promise<void> {
  const closing = s.app.close();
  // No worker starts any more; a commit ends after the batch it is writing, previews and exports at once.
  stopWorkers();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), s.config.STOP_GRACE_MS)));
  if ((await Promise.race([closing, late])) === 'late') {
    s.app.log.warn(`requests still in flight after ${s.config.STOP_GRACE_MS} ms; closing their connections`);
    s.app.server.closeAllConnections();
  }
  await closing;
  clearTimeout(timer);
  await backgroundSettled();
  await s.stopJobs();
  const n = await interruptJobs(s.database.db, new Date(), { holder: s.id });
  if (n.imports || n.exports) s.app.log.info(`stopped with ${n.imports} import job(s) and ${n.exports} export(s) interrupted; an import can be resumed`);
  await s.leave();
  await s.database.close();
}
