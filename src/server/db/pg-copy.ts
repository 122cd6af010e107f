/**
 * Bulk inserts into PostgreSQL with COPY: measured several times cheaper for the server than
 * expanding the same rows from a JSON parameter (json_populate_recordset parses and converts every
 * field through a record), which dominated an import commit's time.
 *
 * Kysely sends a query's text and parameters to the pool client's `query`. `copyQuery` makes a
 * query whose one parameter carries the rows; clients of a pool passed through `withCopy` run such
 * a query as `COPY … FROM STDIN` (text format) on the same connection, so it belongs to the
 * caller's transaction like any other statement.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

class CopyRows {
  constructor(
    readonly columns: readonly string[],
    readonly rows: readonly object[],
  ) {}
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A query that COPYs `rows` (their `columns`, in that order) into `table`. */
export function copyQuery(table: string, columns: readonly string[], rows: readonly object[]): CompiledQuery {
  return CompiledQuery.raw(`copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from stdin`, [new CopyRows(columns, rows)]);
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field in COPY's text format: \N for null, backslash escapes for the delimiter, line ends and backslash. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : s;
}

/** The rows as COPY text, in pieces of about a megabyte (the stream sends each as it is made). */
function* copyText(c: CopyRows): Generator<string> {
  let chunk = '';
  for (const r of c.rows) {
    const row = r as Record<string, unknown>;
    let line = '';
    for (let i = 0; i < c.columns.length; i++) line += (i ? '\t' : '') + field(row[c.columns[i]]);
    chunk += `${line}\n`;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function copy(client: pg.PoolClient, text: string, rows: CopyRows) {
  const stream = client.query(copyFrom(text));
  await pipeline(Readable.from(copyText(rows)), stream);
  return { command: 'COPY', rowCount: stream.rowCount, rows: [] };
}

/** Lets the pool's clients run `copyQuery` queries. */
export function withCopy(pool: pg.Pool): pg.Pool {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((text: unknown, values?: unknown, ...rest: unknown[]) => {
      if (Array.isArray(values) && values.length === 1 && values[0] instanceof CopyRows) return copy(client as pg.PoolClient, text as string, values[0]);
      return query(text, values, ...rest);
    }) as typeof client.query;
  });
  return pool;
}
