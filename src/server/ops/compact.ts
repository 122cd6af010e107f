/**
 * `npm run zhiben -- compact`: gives an SQLite database's free pages back to the disk.
 *
 * SQLite reuses the pages a migration frees (a dropped index, a rebuilt table, a column emptied)
 * for later writes but never shrinks the file by itself: after migrations 29–31 a 1M-hazard file
 * keeps ~1.3 GB it no longer uses. `VACUUM` writes the database again, compactly; it needs free disk
 * about the size of the data in use and holds the write lock throughout (readers go on; writes wait),
 * so run it when few people are writing. PostgreSQL reclaims space itself (autovacuum); there this
 * only refreshes the planner's statistics.
 */
import { statfsSync } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database';
import type { DB } from '../db/schema';
import { ensureHazardSearchIndex } from '../db/hazard-search';

export interface CompactReport {
  dialect: 'sqlite' | 'postgres';
  /** SQLite: bytes of the database before and after, and the part that was free pages. */
  before?: { bytes: number; freeBytes: number };
  after?: { bytes: number; freeBytes: number };
  ran: boolean;
  /** SQLite: the hazard search index did not match the rows after VACUUM and was made again. */
  rebuiltSearch?: boolean;
  message: string;
}

export class CompactError extends Error {}

async function pages(db: Kysely<DB>) {
  const one = async (pragma: string) => Number(Object.values((await sql.raw(`pragma ${pragma}`).execute(db)).rows[0] as Record<string, number>)[0]);
  const size = await one('page_size');
  return { bytes: (await one('page_count')) * size, freeBytes: (await one('freelist_count')) * size };
}

const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;

/** Compacts the database if at least `minFreeShare` of it is free pages (or always, with 0). */
export async function compactDatabase(database: Database, opts: { minFreeShare?: number; freeDiskBytes?: (dir: string) => number; onStart?: () => void } = {}): Promise<CompactReport> {
  if (database.dialect === 'postgres') {
    await sql`analyze`.execute(database.db);
    return { dialect: 'postgres', ran: false, message: 'PostgreSQL 自行回收空间（autovacuum），已更新统计信息。 PostgreSQL reclaims space itself (autovacuum); statistics refreshed.' };
  }
  const before = await pages(database.db);
  const share = before.bytes ? before.freeBytes / before.bytes : 0;
  if (share < (opts.minFreeShare ?? 0.1)) {
    return { dialect: 'sqlite', before, ran: false, message: `空闲页仅占 ${(share * 100).toFixed(1)}%（${mb(before.freeBytes)}），无需压缩。 Only ${(share * 100).toFixed(1)} % free (${mb(before.freeBytes)}): nothing worth compacting.` };
  }
  const dir = path.dirname(database.location);
  const free = (opts.freeDiskBytes ?? ((d) => Number(statfsSync(d).bavail) * Number(statfsSync(d).bsize)))(dir);
  const needed = before.bytes - before.freeBytes;
  if (free < needed * 1.1) {
    throw new CompactError(`磁盘空间不足：压缩需要约 ${mb(needed * 1.1)}，${dir} 只剩 ${mb(free)}。 Not enough disk: compacting needs about ${mb(needed * 1.1)} free, ${dir} has ${mb(free)}.`);
  }
  opts.onStart?.();
  await sql`vacuum`.execute(database.db);
  // The hazard search index knows rows by rowid, which VACUUM keeps for tables with an index; checked, and made again if not.
  const { rebuilt } = await ensureHazardSearchIndex(database.db);
  await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
  const after = await pages(database.db);
  const note = rebuilt ? ' 检索索引已重建 (the search index was rebuilt).' : '';
  return { dialect: 'sqlite', before, after, ran: true, rebuiltSearch: rebuilt, message: `已压缩：${mb(before.bytes)} → ${mb(after.bytes)}。 Compacted: ${mb(before.bytes)} → ${mb(after.bytes)}.${note}` };
}
