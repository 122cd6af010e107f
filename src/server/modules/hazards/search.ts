import { storedSearchTokens, type DialectName } from '../../db/dialect';
import { hazardSearchTokens } from '../../text/terms';

/** A hazard's `search_tokens` column as stored: the tokens on PostgreSQL, empty on SQLite (its index derives them, migration 31). */
export function hazardSearchColumn(dialect: DialectName, h: Parameters<typeof hazardSearchTokens>[0]): string {
  return storedSearchTokens(dialect, () => hazardSearchTokens(h));
}
