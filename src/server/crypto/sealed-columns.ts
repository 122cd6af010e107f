/**
 * Where sealed values live (crypto/sealed.ts): each table and column that holds a key id. At start the
 * server checks every key id used is in the ring, or refuses to start (a lost key loses those values).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export async function sealedKeyIds(db: Kysely<DB>): Promise<string[]> {
  const tips = await db.selectFrom('tip_sealed').select('key_id').distinct().execute();
  const certificates = await db.selectFrom('certificates').select('id_key_id as key_id').distinct().execute();
  return [...new Set([...tips, ...certificates].map((r) => r.key_id))];
}
