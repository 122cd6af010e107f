import { sql, type Kysely } from 'kysely';

/**
 * The events are looked up by action for two actions only — fixed on the spot (即查即改: the ledger's
 * filter, the tallies, the monthly report, re-imports) and transfers (the monthly report's ledger as
 * it stood) — yet the index on (action, hazard_id) held every event: 195 MB of a 1M-hazard SQLite
 * file (3.4M events), ~7 % of it. Two partial indexes hold just those events (~10 %), worded as
 * `modules/hazards/event-actions.ts` asks.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists hazard_events_spot_idx on hazard_events (hazard_id, at) where action = 'fix_on_spot'`.execute(db);
  await sql`create index if not exists hazard_events_transfer_idx on hazard_events (at, hazard_id) where action = 'transfer'`.execute(db);
  await sql`drop index if exists hazard_events_action_idx`.execute(db);
}
