import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { loadConfig, type Config } from './config';
import { systemCtx } from './context';
import { databaseWarnings, openDatabase, type Database } from './db/database';
import { migrateToLatest } from './db/migrate';
import { ensureAdmin } from './seed/bootstrap';
import { loadDemoCity } from './seed/demo';
import { loadReferenceData } from './seed/reference';
import { runDeadlineDigest } from './modules/notifications/deadlines';
import { startSchedules } from './workers/schedule';
import { recoverImportJobs } from './modules/imports/jobs';
import { ensureTallies } from './modules/dashboard/tallies';
import { sweepExports } from './modules/exports/jobs';

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
}

export interface Prepared {
  config: Config;
  database: Database;
}

/** Migrates, loads reference data, creates `admin` and (optionally) the demo city. Safe to run on every start. */
export async function prepare(opts: StartOptions = {}): Promise<Prepared> {
  const overrides: Partial<Config> = {};
  if (opts.dataDir) overrides.DATA_DIR = opts.dataDir;
  if (opts.databaseUrl) overrides.DATABASE_URL = opts.databaseUrl;
  if (opts.port !== undefined) overrides.PORT = opts.port;
  if (opts.host) overrides.HOST = opts.host;
  const config = loadConfig(opts.env ?? process.env, overrides);
  const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const say = opts.announce ?? (() => {});
  try {
    const applied = await migrateToLatest(database);
    if (applied.length) say(`Migrated ${database.dialect} database (${database.location}): ${applied.join(', ')}`);
    for (const warning of await databaseWarnings(database)) say(warning);
    const ctx = systemCtx({ db: database.db, dialect: database.dialect, config });
    const ref = await loadReferenceData(database.db, new Date().toISOString());
    if (ref.regions || ref.standards || ref.clauses) {
      say(`Loaded reference data: ${ref.regions} regions, ${ref.industries} industries, ${ref.standards} standards, ${ref.clauses} clauses`);
    }
    const exportsSwept = await sweepExports(database.db, config, new Date(), { atStart: true });
    if (exportsSwept.interrupted) say(`${exportsSwept.interrupted} export(s) were interrupted by the last stop; they show as failed.`);
    const interrupted = await recoverImportJobs(database.db, new Date());
    if (interrupted) say(`${interrupted} import job(s) were interrupted by the last stop; they show as failed and a commit can be resumed.`);
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
      const demo = await loadDemoCity(ctx, { password: config.ZHIBEN_DEMO_PASSWORD });
      if (demo.loaded) {
        say(`Loaded the demo city: ${demo.enterprises} enterprises, ${demo.hazards} hazards, departments and one account per role.`);
        say(`  Demo accounts: city, pudong, huangpu, lujiazui, yjj, inspector-pd, expert-1, ent-pd, ent-hp`);
        say(`  Demo password: ${config.ZHIBEN_DEMO_PASSWORD}${opts.env?.ZHIBEN_DEMO_PASSWORD || process.env.ZHIBEN_DEMO_PASSWORD ? ' (from ZHIBEN_DEMO_PASSWORD)' : ' (default; set ZHIBEN_DEMO_PASSWORD to change)'}`);
      }
    }
    // After the demo load, so a new demo database counts its hazards once.
    if (await ensureTallies(database.db, database.dialect, new Date())) say('Built the cockpit tallies from the hazard ledger.');
    return { config, database };
  } catch (err) {
    await database.close();
    throw err;
  }
}

export async function startZhiben(opts: StartOptions = {}): Promise<{ url: string; app: FastifyInstance; config: Config; database: Database; close(): Promise<void> }> {
  const { config, database } = await prepare(opts);
  const app = await buildApp({ config, database, logger: opts.logger ?? false });
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    await app.close();
    await database.close();
    throw err;
  }
  // Periodic jobs, once per hour across every process sharing the database (workers/schedule.ts).
  const stopJobs = startSchedules(
    database.db,
    [
      { name: 'deadline-digest', everyMs: 3_600_000, run: (now) => runDeadlineDigest(database.db, now) },
      // Finished exports are kept for a day.
      { name: 'export-sweep', everyMs: 3_600_000, run: (now) => sweepExports(database.db, config, now, { atStart: false }) },
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
    async close() {
      await stopJobs();
      await app.close();
      await database.close();
    },
  };
}
