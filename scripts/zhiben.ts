/**
 * `npm run zhiben -- <command>`: administrator tools against the configured database.
 *   import hazards|enterprises FILE --as USERNAME [--commit]   preview (default) or import a ledger or registry
 *   tallies rebuild                                             recount the cockpit's figures from the ledger
 *   compact [--force]                                           give an SQLite file's free pages back to the disk
 * Same scope and rules as the web: the import runs as USERNAME.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { actorFromUser } from '../src/server/auth/actor';
import { loadConfig } from '../src/server/config';
import { systemCtx } from '../src/server/context';
import { openDatabase, type Database } from '../src/server/db/database';
import { joinInstances, type Instance } from '../src/server/workers/instance';
import { migrateToLatest } from '../src/server/db/migrate';
import { commitImport, findJob, presentJob, startImport } from '../src/server/modules/imports/jobs';
import { MappingBody } from '../src/server/modules/imports/routes';
import { backupInstallation, BackupError, restoreInstallation } from '../src/server/ops/backup';
import { compactDatabase, CompactError } from '../src/server/ops/compact';
import { mappingOf, type ImportMapping } from '../src/shared/contracts/imports';
import { rebuildTallies } from '../src/server/modules/dashboard/tallies';
import { bumpLedgerVersion } from '../src/server/modules/hazards/cache';
import type { Kysely } from 'kysely';
import type { DB } from '../src/server/db/schema';

/** Cached cockpit answers are keyed on the ledger version: move every city's on. */
async function bumpAllLedgers(db: Kysely<DB>) {
  for (const c of await db.selectFrom('regions').select('code').where('level', '=', 'city').execute()) await bumpLedgerVersion(db, c.code);
}

const USAGE = [
  'usage: npm run zhiben -- import hazards|enterprises FILE --as USERNAME [--commit] [--mapping MAPPING.json] [--print-mapping]',
  '       npm run zhiben -- tallies rebuild',
  '       npm run zhiben -- backup DIR      a consistent backup of the configured installation (database, files, manifest)',
  '       npm run zhiben -- restore DIR     restore a backup into the configured, empty installation',
  '       npm run zhiben -- compact [--force]   SQLite: give free pages back to the disk (after migrations that drop or shrink data; --force even under 10 % free)',
  '  --mapping FILE     the sheet, columns and values as the preview page would set them (JSON; see --print-mapping)',
  '  --print-mapping    print the mapping the preview used, to edit and pass back with --mapping',
].join('\n');

/** The configured database, brought up to date, for `fn`; closed after. */
async function withDatabase(fn: (database: Database) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrateToLatest(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

/** After a bulk load that bypassed the commands, or as a repair: the cockpit's tallies recounted in one transaction. */
const rebuild = () =>
  withDatabase(async (database) => {
    const t0 = performance.now();
    const r = await database.db.transaction().execute((trx) => rebuildTallies(trx, database.dialect, new Date()));
    await bumpAllLedgers(database.db);
    console.log(`Rebuilt the cockpit tallies from ${r.hazards} hazards: ${r.tallies} rows in ${seconds(t0)} s.`);
    return 0;
  });

/** `compact`: see src/server/ops/compact.ts. */
const compact = (force: boolean) =>
  withDatabase(async (database) => {
    const t0 = performance.now();
    try {
      const r = await compactDatabase(database, { minFreeShare: force ? 0 : 0.1, onStart: () => console.log('压缩中，期间写入将等待… Compacting; writes wait until it is done…') });
      console.log(`${r.message}${r.ran ? ` (${seconds(t0)} s)` : ''}`);
      return 0;
    } catch (err) {
      if (!(err instanceof CompactError)) throw err;
      console.error(err.message);
      return 2;
    }
  });

/** `backup DIR` / `restore DIR`: see src/server/ops/backup.ts. */
async function backupOrRestore(command: 'backup' | 'restore', dir: string | undefined): Promise<number> {
  if (!dir) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const t0 = performance.now();
  try {
    if (command === 'backup') {
      const m = await backupInstallation(config, path.resolve(dir));
      const rows = Object.values(m.counts).reduce((a, b) => a + b, 0);
      console.log(`备份完成 Backup written to ${path.resolve(dir)} in ${seconds(t0)} s: ${m.dialect}, ${rows.toLocaleString()} rows in ${Object.keys(m.counts).length} tables (hazards ${m.counts.hazards ?? 0}), ${m.files.count} files (${(m.files.bytes / 1e6).toFixed(1)} MB), audit heads ${m.audit.map((a) => `${a.chain}#${a.seq}`).join(', ') || '—'}.`);
    } else {
      const { manifest, counts } = await restoreInstallation(config, path.resolve(dir));
      console.log(`恢复完成 Restored the backup of ${manifest.createdAt} in ${seconds(t0)} s: ${Object.keys(counts).length} tables, counts as in the manifest (hazards ${counts.hazards ?? 0}). Check it with: npm run audit:verify`);
    }
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, kind, file] = argv;
  if (command === 'tallies' && kind === 'rebuild') return rebuild();
  if (command === 'backup' || command === 'restore') return backupOrRestore(command, kind);
  if (command === 'compact') return compact(argv.includes('--force'));
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
  let instance: Instance | null = null;
  try {
    await migrateToLatest(database);
    // The jobs this process runs name it; beating tells the servers sharing the database it is alive.
    instance = await joinInstances(database.db, { heartbeatMs: config.HEARTBEAT_MS });
    const user = await database.db.selectFrom('users').selectAll().where('username', '=', username).where('status', '=', 'active').executeTakeFirst();
    if (!user) {
      console.error(`No active user "${username}".`);
      return 2;
    }
    const ctx = { ...systemCtx({ db: database.db, dialect: database.dialect, config }), actor: await actorFromUser(database.db, user, 'token') };
    const mappingIndex = argv.indexOf('--mapping');
    let mapping: ImportMapping | undefined;
    if (mappingIndex >= 0) {
      const parsed = MappingBody.safeParse((() => {
        try {
          return JSON.parse(readFileSync(argv[mappingIndex + 1] ?? '', 'utf8')) as unknown;
        } catch (err) {
          return { invalid: String(err) };
        }
      })());
      if (!parsed.success) {
        console.error(`映射文件无效 Invalid mapping file: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
        return 2;
      }
      mapping = parsed.data;
    }
    const id = await startImport(ctx, kind, { name: path.basename(file), content: readFileSync(file) }, { wait: true, mapping, onError: (err) => console.error(err) });
    const job = presentJob(await findJob(ctx, id));
    if (job.status === 'failed') {
      console.error(`预览失败 Preview failed: ${job.message}`);
      return 1;
    }
    const layout = job.layout!;
    if (argv.includes('--print-mapping')) console.log(JSON.stringify(mappingOf(layout, job.mapping), null, 2));
    const encoding = layout.encoding ? `, ${layout.encoding}` : '';
    console.log(`${layout.format}${encoding}; 工作表 sheet「${layout.sheet}」${layout.sheets.length > 1 ? ` (of ${layout.sheets.length}, chosen by ${layout.sheetChosenBy})` : ''}; 表头 header row ${layout.headerRow}${layout.savedMapping ? `; 已套用映射 saved mapping「${layout.savedMapping.name}」` : ''}`);
    for (const c of layout.columns.filter((x) => x.by && x.by !== 'title')) console.log(`  ${c.letter}「${c.title}」→ ${c.field} (by ${c.by})`);
    if (job.needsMapping) {
      console.error(`需要映射 Mapping needed: ${job.message}`);
      console.error(`  列 columns: ${layout.columns.map((c) => `${c.letter}「${c.title}」`).join(' ')}`);
      console.error(`  Write a mapping (see --print-mapping) and pass it with --mapping FILE.`);
      return 1;
    }
    const c = job.counts!;
    console.log(`${job.fileName}: ${c.total} rows — create ${c.create}, update ${c.update}, unchanged ${c.unchanged}, errors ${c.error}`);
    for (const x of c.inferred) console.log(`  「${x.column}」${x.count} 行按${x.source}推断 (inferred), rows ${x.rows.join(', ')}${x.rows.length < x.count ? ' …' : ''}`);
    if (layout.skipped.totals) console.log(`  ${layout.skipped.totals} 个合计行已跳过 (totals rows skipped), rows ${layout.skipped.totalsRows.join(', ')}`);
    if (layout.hiddenRows) console.log(`  ${layout.hiddenRows} 个隐藏行已一并读取 (hidden rows read like the others)`);
    for (const u of layout.unknownValues) console.log(`  「${u.column}」无法识别的取值 unknown values: ${u.values.slice(0, 10).map((v) => `${v.value}×${v.count}`).join('、')}`);
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
    await instance?.leave();
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
