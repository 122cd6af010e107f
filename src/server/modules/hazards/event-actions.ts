import { sql, type SqlBool } from 'kysely';

/** The only actions the ledger's events are looked up by; each has a small partial index (migration 2026-12-06-29). */
export type IndexedAction = 'fix_on_spot' | 'transfer';

/**
 * "This event is a …", written with the literal of the partial index that holds those events: the
 * planner uses a partial index only for a condition worded as the index's own, and never for a
 * bound parameter. For a query on `hazard_events` (not aliased).
 */
export const eventIs = (action: IndexedAction) => sql<SqlBool>`hazard_events.action = ${sql.lit(action)}`;
