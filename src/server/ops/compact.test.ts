import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../db/migrate';
import { loadConfig } from '../config';
import { systemCtx } from '../context';
import { ensureAdmin } from '../seed/bootstrap';
import { loadDemoCity } from '../seed/demo';
import { loadReferenceData } from '../seed/reference';
import { DIALECTS, openTestDatabase } from '../test/harness';
import { compactDatabase, CompactError } from './compact';

type Opened = Awaited<ReturnType<typeof openTestDatabase>>;

/** Fills a scratch table with ~8 MB and drops it: the pages stay in the file (checkpointed) as free pages. */
async function freeSomePages(database: Opened) {
  await sql`create table scratch (v text not null)`.execute(database.db);
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000) insert into scratch select printf('%.400c', 'x') || i from n`.execute(database.db);
  await sql`drop table scratch`.execute(database.db);
  await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
}

describe.each(DIALECTS)('compact (`npm run zhiben -- compact`) on %s', (dialect) => {
  let opened: Opened | null = null;
  afterEach(async () => {
    await opened?.drop();
    opened = null;
  });

  it(dialect === 'sqlite' ? 'gives free pages back to the disk, only when worth it, and refuses without the disk for it' : 'leaves space to autovacuum and refreshes statistics', async () => {
    opened = await openTestDatabase(dialect);
    await migrateToLatest(opened);
    if (dialect === 'postgres') {
      const r = await compactDatabase(opened);
      expect(r).toMatchObject({ dialect: 'postgres', ran: false });
      expect(r.message).toMatch(/autovacuum/);
      return;
    }
    await freeSomePages(opened);
    await expect(compactDatabase(opened, { freeDiskBytes: () => 1_000_000 })).rejects.toThrow(CompactError);
    const r = await compactDatabase(opened);
    expect(r.ran).toBe(true);
    expect(r.before!.freeBytes).toBeGreaterThan(8_000_000);
    expect(r.after!.freeBytes).toBe(0);
    expect(r.after!.bytes).toBeLessThan(r.before!.bytes - 8_000_000);
    expect(statSync(opened.location).size).toBe(r.after!.bytes);
    expect(await compactDatabase(opened)).toMatchObject({ ran: false, message: expect.stringMatching(/无需压缩/) });
    // The data is all there: the schema still answers.
    expect(await migrateToLatest(opened)).toEqual([]);
  });
});

/** SQLite only: the search index after VACUUM, and the command line. */
describe('compact on sqlite', () => {
  const dialect = 'sqlite' as const;
  let opened: Opened | null = null;
  afterEach(async () => {
    await opened?.drop();
    opened = null;
  });

  it('the hazard search index still finds every hazard after compacting, and is made again if it ever did not match', async () => {
    opened = await openTestDatabase(dialect);
    await migrateToLatest(opened);
    const now = new Date('2026-11-29T04:00:00Z');
    await loadReferenceData(opened.db, now.toISOString());
    const ctx = systemCtx({ db: opened.db, dialect: opened.dialect, config: loadConfig({ ZHIBEN_ADMIN_PASSWORD: 'Test-pass-2026', LOG_LEVEL: 'silent' }), now: () => now });
    await ensureAdmin(ctx);
    await loadDemoCity(ctx, { password: 'Test-pass-2026', count: 10, hazards: 40, selfChecks: false, enforcement: false, experts: false, agencies: false, tips: false, tasks: false, assessment: false, risks: false });
    const hazards = await opened.db.selectFrom('hazards').select([sql<number>`rowid`.as('rowid'), 'code', 'district_code']).execute();
    expect(hazards.length).toBe(40);
    // By code and district, as the ledger's search asks the index.
    const found = async (h: (typeof hazards)[number]) => {
      const match = [...h.code.toLowerCase().split('-').slice(1), `zd${h.district_code}`].map((t) => `"${t}"`).join(' AND ');
      return (await sql<{ rowid: number }>`select rowid from hazards_fts where hazards_fts match ${match}`.execute(opened!.db)).rows.map((r) => Number(r.rowid));
    };
    await freeSomePages(opened);
    expect(await compactDatabase(opened)).toMatchObject({ ran: true, rebuiltSearch: false });
    for (const h of hazards) expect(await found(h)).toContain(h.rowid);
    await sql`delete from hazards_fts where rowid = ${hazards[7].rowid}`.execute(opened.db);
    expect(await found(hazards[7])).toEqual([]);
    expect(await compactDatabase(opened, { minFreeShare: 0 })).toMatchObject({ ran: true, rebuiltSearch: true });
    for (const h of hazards) expect(await found(h)).toContain(h.rowid);
  });

  it('runs from the command line against the configured data directory', async () => {
    opened = await openTestDatabase(dialect);
    await migrateToLatest(opened);
    await freeSomePages(opened);
    const before = statSync(opened.location).size;
    const cli = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../../../scripts/zhiben.ts'), 'compact'], {
      env: { PATH: process.env.PATH, ...opened.env, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/已压缩.*Compacted/s);
    expect(statSync(opened.location).size).toBeLessThan(before - 8_000_000);
  });
});
