/**
 * 台账读缓存: answers to ledger reads (lists, counts, stats), kept per scope and query until the
 * city's ledger version moves. Every command that changes what the ledger shows bumps the
 * version in its own transaction, so a cached answer is never served after a change — in this
 * process or any other sharing the database. The check costs one primary-key read.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../scope/scope';

export async function ledgerVersion(db: Kysely<DB>, cityCode: string): Promise<number> {
  const r = await db.selectFrom('ledger_versions').select('version').where('city_code', '=', cityCode).executeTakeFirst();
  return r?.version ?? 0;
}

export async function bumpLedgerVersion(db: Kysely<DB>, cityCode: string): Promise<void> {
  await db
    .insertInto('ledger_versions')
    .values({ city_code: cityCode, version: 1 })
    .onConflict((oc) => oc.column('city_code').doUpdateSet((eb) => ({ version: eb('ledger_versions.version', '+', 1) })))
    .execute();
}

/** Everything about an actor that decides which hazards they see. */
export function scopeKey(a: Actor): string {
  return [a.role, a.cityCode, a.districtCode ?? '', a.streetCode ?? '', a.departmentId ?? '', a.enterpriseId ?? '', a.industryCodes.join('.')].join('|');
}

export class LedgerCache {
  private readonly entries = new Map<string, { version: number; body: string }>();

  constructor(private readonly capacity = 2000) {}

  get(key: string, version: number): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.version !== version) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh its place: the map's order is the eviction order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.body;
  }

  set(key: string, version: number, body: string): void {
    this.entries.set(key, { version, body });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
