import { sql, type Kysely } from 'kysely';
import { hazardSearchTokens } from '../text/terms';
import { insertMany, type DialectName } from './dialect';
import type { DB } from './schema';

// SQLite's hazard search index (migrations 31, 34): contentless FTS5, kept by triggers through zb_hazard_tokens
// (database.ts), except for rows a bulk writer indexes itself (`insertHazards`).

/**
 * Whether the index holds exactly the hazards' rows (by rowid); if not, it is made again from the rows.
 * The index knows hazards by rowid — the hazard's number since migration 37 (an INTEGER PRIMARY KEY,
 * which `VACUUM` keeps); `ops/compact.ts` checks it after every run all the same.
 */
export async function ensureHazardSearchIndex(db: Kysely<DB>): Promise<{ rebuilt: boolean }> {
  const { rows } = await sql<{ missing: number; extra: number }>`select
    (select count(*) from hazards h where not exists (select 1 from hazards_fts_docsize d where d.id = h.rowid)) as missing,
    (select count(*) from hazards_fts_docsize d where not exists (select 1 from hazards h where h.rowid = d.id)) as extra`.execute(db);
  if (Number(rows[0].missing) === 0 && Number(rows[0].extra) === 0) return { rebuilt: false };
  await db.transaction().execute(async (trx) => {
    await sql`delete from hazards_fts`.execute(trx);
    await sql`insert into hazards_fts (rowid, search_tokens) select h.rowid, zb_hazard_tokens(h.code, h.description, h.location, e.name, h.district_code) from hazards h join enterprises e on e.id = h.enterprise_id`.execute(trx);
  });
  return { rebuilt: true };
}

/**
 * What an SQLite hazard row's `search_tokens` holds when its writer put it in the search index
 * itself (`insertHazards`): the insert trigger stands aside for it (migration 34). Other rows hold ''
 * and the trigger indexes them. Never tokens: the index derives those. Migration 34 spells it out
 * in the trigger as the databases have it; a new marker needs a migration of its own.
 */
export const SEARCH_INDEXED_BY_WRITER = '-';

/**
 * Inserts new hazards in bulk, in the caller's transaction (or one of its own). PostgreSQL:
 * `insertMany` (the rows carry their tokens for the GIN index). SQLite: the rows go in under
 * their numbers (the rowid since migration 37), one prepared statement a row (`insertMany`), marked so the
 * insert trigger stands aside, and their tokens — made here from each row and its enterprise's name —
 * go into the search index in one statement. Through the trigger each row cost a trigger program, an
 * enterprise lookup and a call into JavaScript, and the rows had to be one statement expanded from a
 * JSON parameter (the index writes its pending terms at every statement's end). Measured with 100,000
 * import-like hazards in a bare insert loop: ~7.0 s that way; ~4.4 s a statement a row (no savepoint,
 * see sqlite-driver.ts `batchQuery`) plus ~0.6 s for the index. The whole 100k import commit, runs
 * alternated: 13.7–13.9 s before, 13.2–13.3 s after. From `TRIGGER_ASIDE_ROWS` rows the insert
 * trigger is also set aside inside the transaction (`withoutInsertTrigger`): the whole commit in-process,
 * runs alternated, 11.2–12.5 s with it, 10.5–10.8 s without.
 */
export async function insertHazards(db: Kysely<DB>, dialect: DialectName, rows: readonly DB['hazards'][], enterpriseName: (row: DB['hazards'], index: number) => string): Promise<void> {
  if (!rows.length) return;
  if (dialect === 'postgres') return insertMany(db, dialect, 'hazards', rows);
  const write = async (trx: Kysely<DB>) => {
    // A hazard's number is its rowid on SQLite (migration 37), given by the writer (`db/hazard-numbers.ts`).
    const insert = () => insertMany(trx, dialect, 'hazards', rows, undefined, { indexedByWriter: true, inCallersTransaction: true, set: { search_tokens: SEARCH_INDEXED_BY_WRITER } });
    if (rows.length >= TRIGGER_ASIDE_ROWS) await withoutInsertTrigger(trx, insert);
    else await insert();
    const tokens = JSON.stringify(rows.map((r, i) => [r.num, hazardSearchTokens({ code: r.code, description: r.description, location: r.location, enterpriseName: enterpriseName(r, i), district_code: r.district_code })]));
    await sql`insert into hazards_fts (rowid, search_tokens) select value ->> 0, value ->> 1 from json_each(${tokens})`.execute(trx);
  };
  await (db.isTransaction ? write(db) : db.transaction().execute(write));
}

/**
 * Rows from which a bulk insert sets the insert trigger aside (`withoutInsertTrigger`): a schema
 * change makes every other connection read the schema again after the commit, so small writes keep it.
 */
export const TRIGGER_ASIDE_ROWS = 500;

/**
 * Runs `fn` (inserts of rows indexed by their writer) with the search index's insert trigger
 * dropped, in the caller's transaction, and puts it back as it was before the transaction goes on:
 * no other connection ever sees it missing (SQLite's DDL is transactional, and the write lock is
 * held), and a failure that rolls the transaction back restores it too. The trigger stands aside for
 * such rows anyway (its WHEN), but merely having one makes every single-row insert statement open a
 * statement journal and call the trigger program: ~0.8–1 s of ~4.5 s for 100,000 import rows.
 */
async function withoutInsertTrigger(trx: Kysely<DB>, fn: () => Promise<void>): Promise<void> {
  const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and name = 'hazards_fts_ai'`.execute(trx);
  if (!rows.length) return fn();
  await sql`drop trigger hazards_fts_ai`.execute(trx);
  try {
    await fn();
  } finally {
    await sql.raw(rows[0].sql).execute(trx);
  }
}
