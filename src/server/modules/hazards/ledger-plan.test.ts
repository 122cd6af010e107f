import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HazardQuery } from '../../../shared/contracts/hazards';
import { openSqlite, type Database } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import type { Actor } from '../../scope/scope';
import { testActor } from '../../test/actors';
import { eventIs } from './event-actions';
import { ledgerPageQuery } from './repository';

// SQLite keeps no statistics here, so its plan for a query is the same on an empty ledger as on a
// million rows: checking the plan shows which index a page is read through. One migrated file for all.
const dir = mkdtempSync(path.join(tmpdir(), 'zhiben-plan-'));
let database: Database;
beforeAll(async () => {
  database = openSqlite(path.join(dir, 'zhiben.db'));
  await migrateToLatest(database);
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});
const explain = async (q: { sql: string; parameters: readonly unknown[] }) =>
  (await database.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]))).rows.map((r) => r.detail).join(' / ');

describe('ledger pages read through an index (SQLite plans)', () => {

  const plan = (a: Actor) => explain(ledgerPageQuery(database.db, 'sqlite', a, HazardQuery.parse({}), new Date()).limit(20).compile());

  it('an enterprise’s page, newest first, comes from its own found-at index with no sort', async () => {
    const p = await plan(testActor('enterprise', { regionCode: '310115', districtCode: '310115', enterpriseId: 'e1' }));
    expect(p).toMatch(/hazards_enterprise_found_idx/);
    expect(p).not.toMatch(/TEMP B-TREE/);
  });

  it('the city’s and a district’s pages search their found-at indexes (a district also reads the hazards handed to it)', async () => {
    const city = await plan(testActor('city_officer'));
    expect(city).toMatch(/USING (COVERING )?INDEX hazards_city_found_id_idx/);
    expect(city).not.toMatch(/TEMP B-TREE/);
    expect(await plan(testActor('district_officer', { regionCode: '310115', districtCode: '310115' }))).toMatch(/SEARCH hazards USING (COVERING )?INDEX hazards_district_found_idx/);
  });
});

describe('动态清零 working list: open hazards by deadline (SQLite plans)', () => {

  const plan = (a: Actor, qs: string) => explain(ledgerPageQuery(database.db, 'sqlite', a, HazardQuery.parse(Object.fromEntries(new URLSearchParams(qs))), new Date()).limit(20).compile());

  it('a district’s open major hazards, nearest deadline first, come from the open-hazards index with no sort — the statuses in any order', async () => {
    const city = testActor('city_officer');
    for (const status of ['reported,rectifying,pending_acceptance', 'pending_acceptance,reported,rectifying']) {
      const p = await plan(city, `districtCode=310115&grade=major&status=${status}&sort=deadline`);
      expect(p).toMatch(/hazards_open_deadline_idx/);
      expect(p).not.toMatch(/TEMP B-TREE/);
    }
    // A district officer asking for their own district: the grants (hazards handed on, now in
    // other districts) add nothing, so the scope has no OR and the index serves the order.
    const pudong = testActor('district_officer', { regionCode: '310115', districtCode: '310115' });
    const own = await plan(pudong, 'districtCode=310115&grade=major&status=reported,rectifying,pending_acceptance&sort=deadline');
    expect(own).toMatch(/hazards_open_deadline_idx/);
    expect(own).not.toMatch(/TEMP B-TREE|hazard_access/);
    // Without the district filter the grants are read as before.
    expect(await plan(pudong, 'grade=major&status=reported,rectifying,pending_acceptance&sort=deadline')).toMatch(/hazard_access/);
  });

  it('a status list that is not the open set does not use it (the index holds open hazards only)', async () => {
    expect(await plan(testActor('city_officer'), 'districtCode=310115&status=rectifying,closed&sort=deadline')).not.toMatch(/hazards_open_deadline_idx/);
  });
});

describe('events looked up by action read small partial indexes (SQLite plans)', () => {
  it('the ledger’s 即查即改 filter, a re-import’s lookup and the month’s fixes use the on-spot index; transfers their own; the index on every event is gone', async () => {
    const onSpot = await explain(ledgerPageQuery(database.db, 'sqlite', testActor('city_officer'), HazardQuery.parse({ onSpot: 'true' }), new Date()).limit(20).compile());
    expect(onSpot).toMatch(/hazard_events_spot_idx/);
    const events = () => database.db.selectFrom('hazard_events').select('hazard_num');
    expect(await explain(events().where(eventIs('fix_on_spot')).where('hazard_num', 'in', [1, 2]).compile())).toMatch(/COVERING INDEX hazard_events_spot_idx \(hazard_num=\?\)/);
    expect(await explain(events().where(eventIs('fix_on_spot')).where('at', '>=', Date.UTC(2026, 10)).where('at', '<', Date.UTC(2026, 11)).compile())).toMatch(/hazard_events_spot_idx/);
    expect(await explain(events().where(eventIs('transfer')).where('at', '>=', Date.UTC(2026, 11)).compile())).toMatch(/COVERING INDEX hazard_events_transfer_idx \(at>\?\)/);
    const indexes = await database.db.selectFrom('sqlite_master' as never).select('name' as never).where('tbl_name' as never, '=', 'hazard_events' as never).execute();
    expect(indexes.map((i) => (i as { name: string }).name)).not.toContain('hazard_events_action_idx');
  });
});

describe('indexes that keep only the rows they answer for (migration 38, SQLite plans)', () => {
  const plan = (a: Actor, qs: string) => explain(ledgerPageQuery(database.db, 'sqlite', a, HazardQuery.parse(Object.fromEntries(new URLSearchParams(qs))), new Date()).limit(20).compile());

  it('a department officer’s hazards are read through the department’s index, not by scanning the city’s', async () => {
    // A department regulates industries: it sees their hazards, and those handed to it.
    const p = await plan(testActor('dept_officer', { departmentId: 'dept-1', industryCodes: ['26', '34'] }), '');
    expect(p).toMatch(/SEARCH hazards USING (COVERING )?INDEX hazards_department_idx \(department_id=\?\)/);
    expect(p).not.toMatch(/INDEX \w+ \(city_code=\?\)/);
  });

  it('the closed-from/to filter and the month’s closures read the closing-time indexes', async () => {
    expect(await plan(testActor('city_officer'), 'closedFrom=2026-11-01&closedTo=2026-11-30')).toMatch(/hazards_city_closed_idx \(city_code=\? AND closed_at>\? AND closed_at<\?\)/);
    const pudong = testActor('district_officer', { regionCode: '310115', districtCode: '310115' });
    expect(await plan(pudong, 'districtCode=310115&closedFrom=2026-11-01&closedTo=2026-11-30')).toMatch(/hazards_district_closed_idx \(district_code=\? AND closed_at>\? AND closed_at<\?\)/);
    const month = database.db.selectFrom('hazards').select((eb) => eb.fn.countAll().as('n')).where('city_code', '=', '310000').where('closed_at', '>=', Date.UTC(2026, 10)).where('closed_at', '<', Date.UTC(2026, 11));
    expect(await explain(month.compile())).toMatch(/COVERING INDEX hazards_city_closed_idx \(city_code=\? AND closed_at>\? AND closed_at<\?\)/);
  });
});
