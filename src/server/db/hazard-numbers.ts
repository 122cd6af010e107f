import { sql, type Kysely } from 'kysely';
import type { DialectName } from './dialect';
import type { DB } from './schema';

/**
 * Numbers for `count` new hazards (`hazards.num`, migration 35: their events are keyed by it), in the
 * caller's writing transaction. PostgreSQL: the table's sequence. SQLite: after the table's largest —
 * the write lock is held (our transactions begin IMMEDIATE), so no other writer takes them; take one
 * transaction's numbers in one call, before its rows are inserted (a second call before then would
 * hand out the same numbers, and the unique index would refuse the second row).
 */
export async function reserveHazardNums(db: Kysely<DB>, dialect: DialectName, count: number): Promise<number[]> {
  if (count <= 0) return [];
  if (dialect === 'postgres') {
    const { rows } = await sql<{ n: number }>`select nextval('hazards_num_seq')::integer as n from generate_series(1, ${count})`.execute(db);
    return rows.map((r) => Number(r.n));
  }
  const last = Number((await sql<{ last: number | null }>`select max(num) as last from hazards`.execute(db)).rows[0].last ?? 0);
  return Array.from({ length: count }, (_, i) => last + 1 + i);
}
