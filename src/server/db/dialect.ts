/**
 * Everything that differs between SQLite and PostgreSQL lives in this folder.
 * Modules ask for a capability (a column type, a text search, an error meaning) by name.
 */
import { sql, type Expression, type RawBuilder, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { DB } from './schema';
import { copyQuery } from './pg-copy';
import { batchQuery } from './sqlite-driver';

export type DialectName = 'sqlite' | 'postgres';

export interface ColumnTypes {
  text: 'text';
  integer: 'integer';
  real: 'real' | 'double precision';
  timestamp: 'text' | 'timestamptz';
  date: 'text' | 'date';
}

export function columnTypes(dialect: DialectName): ColumnTypes {
  return dialect === 'sqlite'
    ? { text: 'text', integer: 'integer', real: 'real', timestamp: 'text', date: 'text' }
    : { text: 'text', integer: 'integer', real: 'double precision', timestamp: 'timestamptz', date: 'date' };
}

/** An aggregate joining a (correlated) subquery's `column` values with commas, in no set order (sorting each group cost a temporary b-tree a row); null over no rows. */
export function joinedValues(dialect: DialectName, column: string): RawBuilder<string | null> {
  return dialect === 'sqlite' ? sql<string | null>`group_concat(${sql.ref(column)}, ',')` : sql<string | null>`string_agg(${sql.ref(column)}, ',')`;
}

/** Escapes LIKE wildcards so user input matches literally (ESCAPE '\'). */
export function likeContains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Chinese-aware "contains" search on an enterprise's name or credit code.
 * SQLite: FTS5 trigram index for 3+ characters, LIKE below that. PostgreSQL: pg_trgm GIN
 * indexes serve ILIKE directly.
 */
export function enterpriseTextMatch(
  dialect: DialectName,
  eb: ExpressionBuilder<DB, 'enterprises'>,
  q: string,
): Expression<SqlBool> {
  const pattern = likeContains(q);
  if (dialect === 'postgres') {
    return sql<SqlBool>`(enterprises.name ilike ${pattern} escape '\\' or enterprises.uscc ilike ${pattern} escape '\\')`;
  }
  if ([...q].length >= 3) {
    const phrase = `"${q.replace(/"/g, '""')}"`;
    return sql<SqlBool>`enterprises.rowid in (select rowid from enterprises_fts where enterprises_fts match ${phrase})`;
  }
  return eb.or([
    sql<SqlBool>`enterprises.name like ${pattern} escape '\\'`,
    sql<SqlBool>`enterprises.uscc like ${pattern} escape '\\'`,
  ]);
}

/**
 * What breaks ties in the ledger's orders, so pages never overlap. SQLite: the rowid — every index
 * of a rowid table ends with it, so an index on (district_code, found_at) serves "found_at, then the
 * tie" without carrying the 36-character id in each of its million entries (migration 32).
 * PostgreSQL: the id, which its indexes carry.
 */
export function tieBreaker(dialect: DialectName): RawBuilder<string> {
  return dialect === 'sqlite' ? sql<string>`hazards.rowid` : sql<string>`hazards.id`;
}

/**
 * Whether the database writes a listed row's API JSON itself (`rowJson`): one string a row instead of
 * ~30 values made into JavaScript strings, presented and serialised again. SQLite does. PostgreSQL's
 * JSON functions print timestamps in their own form (in the session's zone), not the ISO-8601 UTC
 * strings the API answers, so its rows are presented in JavaScript.
 */
export const writesRowJson = (dialect: DialectName): boolean => dialect === 'sqlite';

/**
 * A JSON value in a row's JSON: a column, a column holding JSON text, a column holding an instant
 * (`db/instants.ts`: milliseconds since the epoch, written as `isoInstant` writes it), a condition
 * as true/false, or the sorted values of a correlated subquery's column.
 */
export type JsonPart = { column: string } | { jsonText: string } | { instant: string } | { flag: Expression<SqlBool> } | { sortedValues: { column: string; from: string; where: Expression<SqlBool> } };

/** SQLite: one JSON object per row from (key, part) pairs (see `writesRowJson`). */
export function rowJson(pairs: readonly (readonly [string, JsonPart])[]): RawBuilder<string> {
  const value = (p: JsonPart) =>
    'column' in p
      ? sql.ref(p.column)
      : 'jsonText' in p
        ? sql`json(${sql.ref(p.jsonText)})`
        : 'instant' in p
          ? sqliteIsoInstant(sql.ref(p.instant))
        : 'flag' in p
          ? sql`json(case when ${p.flag} then 'true' else 'false' end)`
          : sql`(select json_group_array(${sql.ref(p.sortedValues.column)} order by ${sql.ref(p.sortedValues.column)}) from ${sql.raw(p.sortedValues.from)} where ${p.sortedValues.where})`;
  return sql<string>`json_object(${sql.join(pairs.map(([k, p]) => sql`${sql.lit(k)}, ${value(p)}`))})`;
}

/**
 * SQLite: an instant column (whole milliseconds since the epoch) as ISO-8601 in UTC with milliseconds,
 * exactly as `isoInstant` (`Date.prototype.toISOString`) writes it, for instants from 1970 to 9999;
 * null stays null. Integer arithmetic only (no floating-point seconds to round).
 */
export function sqliteIsoInstant(ms: Expression<number | null>): RawBuilder<string | null> {
  return sql<string | null>`strftime('%Y-%m-%dT%H:%M:%S', ${ms} / 1000, 'unixepoch') || printf('.%03dZ', ${ms} % 1000)`;
}

/**
 * What a hazard row's `search_tokens` column holds. PostgreSQL: the tokens (its GIN index reads the
 * column). SQLite: nothing — its FTS5 table is contentless and its triggers compute the tokens from
 * the row and the enterprise's name (`zb_hazard_tokens`, migration 31), so no copy is kept in the row
 * (210 bytes a hazard). A writer that stored them anyway would only waste space; search stays right.
 */
export function storedSearchTokens(dialect: DialectName, make: () => string): string {
  return dialect === 'postgres' ? make() : '';
}

/**
 * Full-text match on a table's `search_tokens` (bigram tokens, text/terms.ts): the query's terms
 * as a phrase, and every one of `alsoTokens` (e.g. a district's token, so the index narrows to
 * one district before any row is read). SQLite: its FTS5 table; PostgreSQL: a GIN index on
 * to_tsvector('simple', …).
 */
export function tokensMatch(dialect: DialectName, table: 'hazards', queryTerms: string[], alsoTokens: string[] = []): Expression<SqlBool> {
  const phrase = queryTerms.join(' ');
  if (dialect === 'postgres') {
    const extra = alsoTokens.length ? sql` && to_tsquery('simple', ${alsoTokens.join(' & ')})` : sql``;
    return sql<SqlBool>`to_tsvector('simple', ${sql.ref(`${table}.search_tokens`)}) @@ (phraseto_tsquery('simple', ${phrase})${extra})`;
  }
  const match = [`"${phrase.replace(/"/g, '""')}"`, ...alsoTokens.map((t) => `"${t}"`)].join(' AND ');
  return sql<SqlBool>`${sql.ref(`${table}.rowid`)} in (select rowid from ${sql.table(`${table}_fts`)} where ${sql.table(`${table}_fts`)} match ${match})`;
}

/**
 * Rows of `table` whose columns `a` and `b` equal a key's and whose instant `at` (milliseconds since
 * the epoch, `db/instants.ts`) falls within the key's [from, to): many keys in one statement, as one
 * JSON parameter of [a, b, from, to] arrays.
 * Each key is looked up through an index on (a, at) — the range keeps the lookup narrow without
 * an index over `b` (a long text, costly to keep up on every insert).
 */
export function keysWithin(dialect: DialectName, table: keyof DB & string, [a, b]: [string, string], at: string, keys: [string, string, number, number][]): Expression<SqlBool> {
  if (!keys.length) return sql<SqlBool>`1 = 0`;
  const json = JSON.stringify(keys);
  const [ta, tb, tat] = [a, b, at].map((c) => sql.ref(`m.${c}`));
  if (dialect === 'postgres') {
    return sql<SqlBool>`${sql.ref(`${table}.id`)} in (select m.id from json_array_elements(${json}::json) k join ${sql.table(table)} m on ${ta} = k ->> 0 and ${tat} >= (k ->> 2)::bigint and ${tat} < (k ->> 3)::bigint and ${tb} = k ->> 1)`;
  }
  return sql<SqlBool>`${sql.ref(`${table}.id`)} in (select m.id from json_each(${json}) k join ${sql.table(table)} m on ${ta} = k.value ->> 0 and ${tat} >= k.value ->> 2 and ${tat} < k.value ->> 3 and ${tb} = k.value ->> 1)`;
}

/** The Shanghai date of a stored timestamp, as SQL comparable with a date column. */
export function shanghaiDay(dialect: DialectName, column: string): RawBuilder<string> {
  return dialect === 'postgres' ? sql<string>`(${sql.ref(column)} at time zone 'Asia/Shanghai')::date` : sql<string>`date(${sql.ref(column)}, '+8 hours')`;
}

/** The Shanghai date of a stored instant (`db/instants.ts`: milliseconds since the epoch), as SQL comparable with a date column. */
export function shanghaiDayOfInstant(dialect: DialectName, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`(to_timestamp(${sql.ref(column)} / 1000.0) at time zone 'Asia/Shanghai')::date`
    : sql<string>`date(${sql.ref(column)} / 1000, 'unixepoch', '+8 hours')`;
}

/** Holds a row for the rest of the transaction on PostgreSQL (SQLite's writer already holds the database). */
export function forWrite<Q extends { forUpdate(): Q }>(dialect: DialectName, q: Q): Q {
  return dialect === 'postgres' ? q.forUpdate() : q;
}

/** Case-insensitive contains for small tables (clauses, users): plain LIKE is enough there. */
export function containsText(dialect: DialectName, column: string, q: string): Expression<SqlBool> {
  const op = dialect === 'postgres' ? sql`ilike` : sql`like`;
  return sql<SqlBool>`${sql.ref(column)} ${op} ${likeContains(q)} escape '\\'`;
}

export type DbErrorKind = { kind: 'unique'; constraint: string } | { kind: 'foreign_key' } | { kind: 'check' } | null;

/** Recognises constraint violations from either driver, so commands can answer with a clear code. */
export function classifyDbError(err: unknown): DbErrorKind {
  const e = err as { code?: string; message?: string; constraint?: string };
  if (!e || typeof e !== 'object') return null;
  if (e.code === '23505') return { kind: 'unique', constraint: e.constraint ?? '' };
  if (e.code === '23503') return { kind: 'foreign_key' };
  if (e.code === '23514') return { kind: 'check' };
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const m = /UNIQUE constraint failed: (.*)$/.exec(e.message ?? '');
    return { kind: 'unique', constraint: m ? m[1] : '' };
  }
  if (e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreign_key' };
  if (e.code === 'SQLITE_CONSTRAINT_CHECK') return { kind: 'check' };
  return null;
}

/**
 * The database's own code for an error (PostgreSQL's SQLSTATE such as `22021`, SQLite's
 * `SQLITE_…`), for the log of an unexpected failure; null for errors that are not the database's.
 */
export function databaseErrorCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  return /^[0-9A-Z]{5}$/.test(code) || code.startsWith('SQLITE_') ? code : null;
}

/** Lists tables, columns and indexes in a dialect-neutral form (schema-parity test, diagnostics). */
export async function describeSchema(db: Kysely<DB>, dialect: DialectName) {
  const tables = await db.introspection.getTables();
  const normalizeType = (t: string) => {
    const s = t.toLowerCase();
    if (/int/.test(s)) return 'integer';
    if (/real|double|numeric|float/.test(s)) return 'real';
    return 'text';
  };
  // PostgreSQL: this installation's schema only (others in the same database, a bench's say, are not its tables).
  const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s : undefined;
  const own = tables.filter((t) => (schema === undefined || t.schema === schema) && !/^(kysely_|enterprises_fts|hazards_fts|sqlite_)/.test(t.name));
  const columns = own
    .flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}:${normalizeType(c.dataType)}:${c.isNullable ? 'null' : 'notnull'}`))
    .sort();
  let indexes: string[];
  if (dialect === 'sqlite') {
    const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name not like 'sqlite_%'`.execute(db);
    indexes = rows.rows.map((r) => r.name);
  } else {
    const rows = await sql<{ name: string }>`select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and not i.indisprimary`.execute(db);
    indexes = rows.rows.map((r) => r.name);
  }
  return { tables: own.map((t) => t.name).sort(), columns, indexes: indexes.filter((n) => !n.startsWith('kysely_')).sort() };
}


/**
 * Inserts many rows. SQLite: one prepared single-row statement run for each row, in one call into
 * the driver (`BatchQuery`) — measured several times faster than expanding a JSON parameter or a
 * multi-row VALUES list — except for full-text-indexed tables (below). PostgreSQL: COPY
 * (pg-copy.ts), measured several times cheaper for the server than expanding a JSON parameter.
 * `conflict`: when a row's key exists, the listed counter columns are added to it (tallies).
 * `indexedByWriter`: the caller writes the rows' full-text index itself (their triggers stand
 * aside), so they go in one statement a row like any other table's (hazard-search.ts insertHazards).
 * `inCallersTransaction`: in a transaction (`db`) that any failure rolls back whole, the rows need no
 * savepoint of their own (sqlite-driver.ts `batchQuery`: much faster for a table with triggers).
 * `set`: columns written with one value for every row, over the rows' own (no copy of each row).
 */
export async function insertMany(
  db: Kysely<DB>,
  dialect: DialectName,
  table: keyof DB & string,
  rows: readonly object[],
  conflict?: { keys: string[]; add: string[] },
  opts: { indexedByWriter?: boolean; inCallersTransaction?: boolean; set?: Record<string, unknown> } = {},
): Promise<void> {
  if (!rows.length) return;
  const set = opts.set ?? {};
  const columns = [...new Set([...Object.keys(rows[0]), ...Object.keys(set)])];
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const onConflict = conflict
    ? sql` on conflict (${sql.join(conflict.keys.map((k) => sql.ref(k)))}) do update set ${sql.join(conflict.add.map((c) => sql`${sql.ref(c)} = ${sql.ref(`${table}.${c}`)} + excluded.${sql.ref(c)}`))}`
    : sql``;
  if (dialect === 'sqlite') {
    const row = sql.raw(columns.map(() => '?').join(', '));
    // A row's values, in the one array every row of the batch is bound from.
    const fixed = columns.map((c) => Object.hasOwn(set, c));
    const bound: unknown[] = new Array(columns.length);
    const params = (r: object) => {
      for (let j = 0; j < columns.length; j++) bound[j] = sqliteValue(fixed[j] ? set[columns[j]] : (r as Record<string, unknown>)[columns[j]]);
      return bound;
    };
    if (!FULL_TEXT_INDEXED.has(table) || opts.indexedByWriter) {
      const inCallersTransaction = !!opts.inCallersTransaction && db.isTransaction;
      await db.executeQuery(batchQuery(sql`insert into ${sql.table(table)} (${cols}) values (${row})${onConflict}`.compile(db).sql, rows, { params, inCallersTransaction }));
      return;
    }
    // Full-text-indexed: all rows in one statement, expanded from a JSON parameter (arrays, not
    // objects: half the JSON; `where true` lets SQLite parse an upsert after a SELECT).
    const json = JSON.stringify(rows.map((r) => [...params(r)]));
    const values = sql.join(columns.map((_, j) => sql`value ->> ${sql.raw(String(j))}`));
    await sql`insert into ${sql.table(table)} (${cols}) select ${values} from json_each(${json}) where true${onConflict}`.execute(db);
    return;
  }
  const all = Object.keys(set).length ? rows.map((r) => ({ ...r, ...set })) : rows;
  if (!conflict) {
    await db.executeQuery(copyQuery(table, columns, all));
    return;
  }
  // COPY cannot upsert: the rows are copied into a temporary table emptied at commit, then upserted
  // from there in one statement — in the caller's transaction, or one of their own.
  const stage = `zhiben_stage_${table}`;
  const upsert = async (trx: Kysely<DB>) => {
    await sql`create temporary table if not exists ${sql.table(stage)} (like ${sql.table(table)}) on commit delete rows`.execute(trx);
    await sql`truncate ${sql.table(stage)}`.execute(trx);
    await trx.executeQuery(copyQuery(stage, columns, all));
    await sql`insert into ${sql.table(table)} (${cols}) select ${cols} from ${sql.table(stage)}${onConflict}`.execute(trx);
  };
  await (db.isTransaction ? upsert(db) : db.transaction().execute(upsert));
}

/**
 * Updates many rows, each to values of its own, in one statement: the rows travel as one JSON
 * parameter and are joined on `key` (a statement per row costs a round trip each on PostgreSQL —
 * 10,000 changed rows of a re-imported ledger took ~5 s more). Every row has the same columns;
 * a key appearing twice is the caller's error (which of them applies is not defined).
 */
export async function updateMany(db: Kysely<DB>, dialect: DialectName, table: keyof DB & string, key: string, rows: readonly object[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]).filter((c) => c !== key);
  if (dialect === 'sqlite') {
    // Arrays, not objects: half the JSON. `->>` answers SQL values (text, integer, real, null).
    const json = JSON.stringify(rows.map((r) => [key, ...columns].map((c) => sqliteValue((r as Record<string, unknown>)[c]))));
    const set = sql.join(columns.map((c, j) => sql`${sql.ref(c)} = v.value ->> ${sql.raw(String(j + 1))}`));
    await sql`update ${sql.table(table)} set ${set} from json_each(${json}) v where ${sql.ref(`${table}.${key}`)} = v.value ->> 0`.execute(db);
    return;
  }
  // The table's own row type converts each value to its column's type (dates, timestamps, numbers).
  const set = sql.join(columns.map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`));
  await sql`update ${sql.table(table)} set ${set} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json) v where ${sql.ref(`${table}.${key}`)} = v.${sql.ref(key)}`.execute(db);
}

/**
 * SQLite tables whose inserts feed an FTS5 index through a trigger. FTS5 writes its pending terms
 * out at every statement boundary, so one row per statement costs ~3× more there: their rows go
 * in one statement. (Staging them in a temporary table first measured no faster.)
 */
const FULL_TEXT_INDEXED: ReadonlySet<string> = new Set(['hazards', 'enterprises']);

/** What better-sqlite3 binds: no booleans or undefined. */
const sqliteValue = (v: unknown) => (v === undefined ? null : typeof v === 'boolean' ? Number(v) : v);

/**
 * Rows per transaction for bulk writes (import commits, in a worker with a connection of its own).
 * Readers do not wait for it (SQLite's WAL, PostgreSQL's MVCC). A transaction takes its rows a part
 * at a time (`bulkPartRows`): what it holds in memory is a part's, what it writes once per
 * transaction (the commit, the tally cells it touched — nearly all of the ledger's for 5,000
 * hazards — and the audit record) is shared by its parts. On SQLite a write request waits for the
 * transaction in progress, so a write waiting ends the transaction after the part in hand
 * (database.ts `aWriteIsWaiting`, `letWaitingWritesIn`): it waits for one part, whatever the batch.
 * Measured on the 100k import (ledger-files bench): 10,000 rows in one part made the commit ~1 s
 * shorter than 5,000 but the process's peak 20–40 MB higher, past the GBK .csv commit's 500 MB;
 * 20,000 in one part was no shorter again and made writes wait 2 s.
 */
export function bulkBatchRows(_dialect: DialectName): number {
  return 20_000;
}

/**
 * Rows a bulk transaction reads and applies at once (at most; its parts are equal): the rows held
 * in memory together. SQLite 5,000 (see `bulkBatchRows`); PostgreSQL its whole batch (its lookups
 * are round trips, and it streams the statements in chunks of its own: `bulkChunkRows`).
 */
export function bulkPartRows(dialect: DialectName): number {
  return dialect === 'sqlite' ? 5000 : 20_000;
}

/**
 * Whether a bulk writer gains by reading its next batch while it writes this one: PostgreSQL reads
 * it on another connection of the pool meanwhile; SQLite has one connection, so nothing would
 * overlap, and reading after holds one batch's rows at a time.
 */
export function readsOverlapWrites(dialect: DialectName): boolean {
  return dialect === 'postgres';
}

/**
 * Rows per statement within a bulk batch, for rows built while the statement before is written.
 * SQLite: large (its full-text index writes its pending terms at every statement end; 1,000
 * measured ~1 s slower per 100,000 hazards than 5,000). PostgreSQL: small, so the server starts
 * sooner and works while the next rows are built (1,000 measured ~6% faster than 5,000).
 */
export function bulkChunkRows(dialect: DialectName): number {
  return dialect === 'sqlite' ? 5000 : 1000;
}
