import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test/harness';
import { appendAudit, verifyAuditChains } from './audit';

/** Tampering needs the append-only guard lifted first, as an attacker with database access would. */
async function tamper(t: TestApp, statement: ReturnType<typeof sql>) {
  if (t.database.dialect === 'sqlite') {
    await sql`drop trigger if exists audit_log_no_update`.execute(t.database.db);
    await sql`drop trigger if exists audit_log_no_delete`.execute(t.database.db);
    await statement.execute(t.database.db);
  } else {
    await sql`alter table audit_log disable trigger audit_log_no_change`.execute(t.database.db);
    await statement.execute(t.database.db);
    await sql`alter table audit_log enable trigger audit_log_no_change`.execute(t.database.db);
  }
}

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 30 });
  });
  afterAll(() => t?.close());

  it('chains every record to the previous one and verifies clean', async () => {
    const reports = await verifyAuditChains(t.database.db, 3);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ chain: '310000', ok: true });
    expect(reports[0].records).toBeGreaterThan(10);
  });

  it('keeps one unbroken chain under concurrent writers', async () => {
    const write = (i: number) =>
      t.database.db.transaction().execute((trx) =>
        appendAudit(trx, { chain: '310000', at: new Date().toISOString(), actorId: null, actorName: 'test', action: 'test.concurrent', entityType: 'test', entityId: String(i) }),
      );
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => write(i)));
    expect(new Set(results.map((r) => r.seq)).size).toBe(20);
    expect((await verifyAuditChains(t.database.db))[0].ok).toBe(true);
  });

  it('is shown to administrators newest first, filterable', async () => {
    const admin = await t.login('admin');
    const res = await t.as(admin, { method: 'GET', url: '/api/audit?action=auth.login&pageSize=5' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((r: { action: string }) => r.action === 'auth.login')).toBe(true);
    expect(body.items[0]).toMatchObject({ actorName: 'admin', entityType: 'user', requestId: expect.any(String), ip: expect.any(String) });
    const all = (await t.as(admin, { method: 'GET', url: '/api/audit?pageSize=50' })).json();
    const seqs = all.items.map((r: { seq: number }) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => b - a));
  });

  it('refuses updates and deletes in the database itself', async () => {
    await expect(sql`update audit_log set action = 'x'`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  /** Runs `npm run audit:verify`'s script against this test database; answers exit status and output. */
  const verifyCli = () => {
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], { env: { PATH: process.env.PATH, ...t.database.env }, encoding: 'utf8' });
      return { status: 0, out };
    } catch (err) {
      const e = err as { status: number; stdout: string };
      return { status: e.status, out: e.stdout };
    }
  };

  it('`npm run audit:verify` reports an intact chain', () => {
    const r = verifyCli();
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/chain 310000: \d+ records, intact/);
  });

  it('names the first altered record, in code and on the command line', async () => {
    const target = await t.database.db.selectFrom('audit_log').select(['id', 'seq']).where('seq', '=', 5).executeTakeFirstOrThrow();
    await tamper(t, sql`update audit_log set actor_name = 'mallory' where id = ${target.id}`);
    const [report] = await verifyAuditChains(t.database.db, 2);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: 5, id: target.id, reason: expect.stringMatching(/altered/) });
    const r = verifyCli();
    expect(r.status).toBe(1);
    expect(r.out).toContain(`BROKEN at seq 5 (record ${target.id})`);
  });

  it('notices records removed from the end', async () => {
    const last = await t.database.db.selectFrom('audit_log').select(['id', 'seq']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    await tamper(t, sql`delete from audit_log where id = ${last.id}`);
    // Undo the earlier alteration so only the missing tail remains to be found.
    const original = await t.database.db.selectFrom('audit_log').select('prev_hash').where('seq', '=', 6).executeTakeFirstOrThrow();
    await tamper(t, sql`update audit_log set actor_name = ${'system'} where seq = 5`);
    expect(original.prev_hash).toBe((await t.database.db.selectFrom('audit_log').select('hash').where('seq', '=', 5).executeTakeFirstOrThrow()).hash);
    const [report] = await verifyAuditChains(t.database.db);
    expect(report.ok).toBe(false);
    expect(report.firstBroken?.reason).toMatch(/removed at the end/);
  });
});
