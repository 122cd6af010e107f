/**
 * `npm run zhiben -- <command>`: administrator tools against the configured database.
 *   import hazards|enterprises FILE --as USERNAME [--commit]   preview (default) or import a ledger or registry
 *   tallies rebuild                                             recount the cockpit's figures from the ledger
 * Same scope and rules as the web: the import runs as USERNAME.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { actorFromUser } from '../src/server/auth/actor';
import { loadConfig } from '../src/server/config';
import { systemCtx } from '../src/server/context';
import { openDatabase } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { commitImport, findJob, presentJob, startImport } from '../src/server/modules/imports/jobs';
import { rebuildTallies } from '../src/server/modules/dashboard/tallies';
import { bumpLedgerVersion } from '../src/server/modules/hazards/cache';
import type { Kysely } from 'kysely';
import type { DB } from '../src/server/db/schema';

/** Cached cockpit answers are keyed on the ledger version: move every city's on. */
async function bumpAllLedgers(db: Kysely<DB>) {
  for (const c of await db.selectFrom('regions').select('code').where('level', '=', 'city').execute()) await bumpLedgerVersion(db, c.code);
}

const USAGE = 'usage: npm run zhiben -- import hazards|enterprises FILE --as USERNAME [--commit]\n       npm run zhiben -- tallies rebuild';

/** After a bulk load that bypassed the commands, or as a repair: the cockpit's tallies recounted in one transaction. */
async function rebuild(): Promise<number> {
  const config = loadConfig();
  const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrateToLatest(database);
    const t0 = performance.now();
    const r = await database.db.transaction().execute((trx) => rebuildTallies(trx, database.dialect, new Date()));
    await bumpAllLedgers(database.db);
    console.log(`Rebuilt the cockpit tallies from ${r.hazards} hazards: ${r.tallies} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
    return 0;
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, kind, file] = argv;
  if (command === 'tallies' && kind === 'rebuild') return rebuild();
  const asIndex = argv.indexOf('--as');
  const username = asIndex >= 0 ? argv[asIndex + 1] : undefined;
  if (command !== 'import' || !file || !username) {
    console.error(USAGE);
    return 2;
  }
  if (kind !== 'hazards' && kind !== 'enterprises') {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrateToLatest(database);
    const user = await database.db.selectFrom('users').selectAll().where('username', '=', username).where('status', '=', 'active').executeTakeFirst();
    if (!user) {
      console.error(`No active user "${username}".`);
      return 2;
    }
    const ctx = { ...systemCtx({ db: database.db, dialect: database.dialect, config }), actor: await actorFromUser(database.db, user, 'token') };
    const id = await startImport(ctx, kind, { name: path.basename(file), content: readFileSync(file) }, { wait: true, onError: (err) => console.error(err) });
    const job = presentJob(await findJob(ctx, id));
    if (job.status === 'failed') {
      console.error(`预览失败 Preview failed: ${job.message}`);
      return 1;
    }
    const c = job.counts!;
    console.log(`${job.fileName}: ${c.total} rows — create ${c.create}, update ${c.update}, unchanged ${c.unchanged}, errors ${c.error}`);
    for (const x of c.inferred) console.log(`  「${x.column}」${x.count} 行按${x.source}推断 (inferred), rows ${x.rows.join(', ')}${x.rows.length < x.count ? ' …' : ''}`);
    if (c.cleaned) console.log(`  ${c.cleaned} 个单元格中的控制字符已清除 (control characters removed from ${c.cleaned} cells), rows ${c.cleanedRows.join(', ')}${c.cleanedRows.length < c.cleaned ? ' …' : ''}`);
    const errors = await database.db.selectFrom('import_rows').select(['row_number', 'errors_json']).where('job_id', '=', id).where('action', '=', 'error').orderBy('row_number').execute();
    for (const e of errors) {
      for (const x of JSON.parse(e.errors_json ?? '[]') as { column: string; message: string }[]) console.log(`  第 ${e.row_number} 行「${x.column}」${x.message}`);
    }
    if (!argv.includes('--commit')) {
      console.log(`Preview only (job ${id}). Add --commit to import.`);
      return 0;
    }
    const done = presentJob(await commitImport(ctx, id, { wait: true, onError: (err) => console.error(err) }));
    if (done.status !== 'committed') {
      console.error(`提交失败 Commit failed: ${done.message} (${done.rowsWritten} rows written; run again to resume)`);
      return 1;
    }
    console.log(`Imported: ${done.rowsWritten} rows written (job ${id}).`);
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
