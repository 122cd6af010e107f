/**
 * A test database migrated up to (not including) one migration, with reference data, the admin, ten
 * demo enterprises and a generated ledger (hazards and their events, not yet inserted): for tests that
 * write a ledger in an older shape and run the migration on it. `storedHazards`: the hazards as that
 * schema holds them (before migration 37: instants as ISO-8601 — SQLite text, PostgreSQL timestamptz).
 */
import { uuidv7 } from 'uuidv7';
import { loadConfig } from '../config';
import { systemCtx } from '../context';
import type { DialectName } from '../db/dialect';
import { MIGRATIONS } from '../db/migrations';
import { ensureAdmin } from '../seed/bootstrap';
import { applicableClauses, loadDemoCity } from '../seed/demo';
import { generateDemoHazards } from '../seed/demo-hazards';
import { loadReferenceData } from '../seed/reference';
import { openTestDatabase } from './harness';

export const LEDGER_BEFORE_NOW = new Date('2026-11-29T04:00:00Z');

export async function ledgerBefore(dialect: DialectName, migration: string, opts: { count: number; seed: number }) {
  const database = await openTestDatabase(dialect);
  const db = database.db;
  const upTo = MIGRATIONS.findIndex((m) => m.name === migration);
  if (upTo < 0) throw new Error(`no migration ${migration}`);
  for (const m of MIGRATIONS.slice(0, upTo)) await m.up(db, database.dialect, database);
  await loadReferenceData(db, LEDGER_BEFORE_NOW.toISOString());
  const config = loadConfig({ ZHIBEN_ADMIN_PASSWORD: 'Test-pass-2026', ZHIBEN_DEMO_PASSWORD: 'Test-pass-2026', LOG_LEVEL: 'silent' });
  const ctx = systemCtx({ db, dialect: database.dialect, config, now: () => LEDGER_BEFORE_NOW });
  await ensureAdmin(ctx);
  await loadDemoCity(ctx, { password: 'Test-pass-2026', count: 10, hazards: 0 });
  const enterprises = (await db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'name', 'safety_manager_name']).execute()).map((e) => ({
    id: e.id, cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, name: e.name, safetyManagerName: e.safety_manager_name,
  }));
  const nums = Array.from({ length: opts.count }, (_, i) => i + 1);
  const ledger = generateDemoHazards({ enterprises, clausesFor: await applicableClauses(db), count: opts.count, now: LEDGER_BEFORE_NOW, seed: opts.seed, newId: uuidv7, nums, seqs: new Map(), dialect: database.dialect });
  const isoInstants = upTo <= MIGRATIONS.findIndex((m) => m.name === '2026-12-07-37-hazard-instants');
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const storedHazards: { num: number }[] = isoInstants
    ? ledger.hazards.map((h) => ({ ...h, found_at: iso(h.found_at), closed_at: iso(h.closed_at), created_at: iso(h.created_at), updated_at: iso(h.updated_at) }))
    : ledger.hazards;
  return { database, db, upTo, ledger, storedHazards };
}
