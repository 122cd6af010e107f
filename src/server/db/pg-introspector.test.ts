import { PostgresIntrospector, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate';
import { OwnSchemaIntrospector } from './pg-introspector';
import { DIALECTS, openTestDatabase } from '../test/harness';

describe.runIf(DIALECTS.includes('postgres'))('PostgreSQL introspection of its own schema', () => {
  let opened: Awaited<ReturnType<typeof openTestDatabase>>;
  let admin: pg.Client;
  const other = `zt_${process.pid}_other`;
  beforeAll(async () => {
    opened = await openTestDatabase('postgres');
    await migrateToLatest(opened);
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema "${other}"; create table "${other}".hazards (id text)`);
  });
  afterAll(async () => {
    await admin?.query(`drop schema if exists "${other}" cascade`);
    await admin?.end();
    await opened?.drop();
  });

  it('lists this schema’s tables as Kysely’s introspector does, and no other schema’s', async () => {
    const own = (await sql<{ s: string }>`select current_schema() as s`.execute(opened.db)).rows[0].s;
    const ours = await opened.db.introspection.getTables({ withInternalKyselyTables: true });
    expect(opened.db.introspection).toBeInstanceOf(OwnSchemaIntrospector);
    expect(new Set(ours.map((t) => t.schema))).toEqual(new Set([own]));
    expect(ours.some((t) => t.name === 'hazards')).toBe(true);
    expect(ours.some((t) => t.name === 'kysely_migration')).toBe(true);
    expect((await opened.db.introspection.getTables()).some((t) => t.name === 'kysely_migration')).toBe(false);
    const kysely = (await new PostgresIntrospector(opened.db).getTables({ withInternalKyselyTables: true })).filter((t) => t.schema === own);
    const byName = <T extends { name: string }>(a: T[]) => [...a].sort((x, y) => x.name.localeCompare(y.name));
    expect(byName(ours)).toEqual(byName(kysely));
  });

  it('is not failed by other schemas dropped meanwhile (another test file’s clean-up, another installation)', async () => {
    // Another connection makes and drops schemas as fast as it can while this one introspects and
    // migrates (Kysely's migrator introspects first). Kysely's own introspector looks every schema
    // up by name and can fail with "schema … does not exist" here.
    let stop = false;
    let churned = 0;
    const churn = (async () => {
      for (let i = 0; !stop; i++) {
        const name = `zt_${process.pid}_churn${i}`;
        // Each its own transaction (one query string would be one transaction, never seen half-way).
        await admin.query(`create schema "${name}"`);
        await admin.query(`create table "${name}".t (id int)`);
        await admin.query(`drop schema "${name}" cascade`);
        churned++;
      }
    })();
    try {
      for (let i = 0; i < 40; i++) {
        expect((await opened.db.introspection.getTables()).length).toBeGreaterThan(10);
        expect(await migrateToLatest(opened)).toEqual([]);
      }
    } finally {
      stop = true;
      await churn;
    }
    expect(churned).toBeGreaterThan(0);
  });
});
