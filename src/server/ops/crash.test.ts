/**
 * Crash safety under load (#13): concurrent writers through HTTP — hazard reports, workflow steps
 * and an import commit — while the server is killed with SIGKILL, five times, each time restarted
 * on the same data. Every write answered 2xx must be there exactly once, nothing half-written may
 * exist, and the interrupted import is marked and resumed.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChains } from '../audit/audit';
import { rebuildTallies } from '../modules/dashboard/tallies';
import { DEMO_PASSWORD, DIALECTS, createTestApp, tallySnapshot, type TestApp } from '../test/harness';
import { Client, spawnServer, until, type ServerProcess } from '../test/process';

const KILLS = 5;
/** Bounds on every loop: requests per writer per round, and the wait for a commit to get going. */
const MAX_REQUESTS = 400;
const REPORT_PREFIX = '崩溃测试隐患';

async function workbook(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('隐患');
  ws.addRow(['单位名称', '隐患描述', '发现时间']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(DIALECTS)('a server killed under load on %s', (dialect) => {
  let t: TestApp;
  let env: Record<string, string>;
  let enterpriseId: string;
  let enterpriseName: string;
  // Several commit batches of 1,000 rows (IMPORT_BATCH_ROWS below).
  const importRows = 8_000;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40 });
    const user = await t.database.db.selectFrom('users').innerJoin('enterprises', 'enterprises.id', 'users.enterprise_id').select(['enterprises.id', 'enterprises.name']).where('users.username', '=', 'ent-pd').executeTakeFirstOrThrow();
    enterpriseId = user.id;
    enterpriseName = user.name;
    env = {
      ...(dialect === 'sqlite' ? t.database.env : { ...t.database.env, DATA_DIR: t.config.DATA_DIR }),
      ZHIBEN_DEMO_PASSWORD: DEMO_PASSWORD,
      // A killed process is found gone after three beats: 0.6 s here.
      HEARTBEAT_MS: '200',
      LOGIN_RATE_PER_MINUTE: '1000',
      IMPORT_BATCH_ROWS: '1000',
      LOG_LEVEL: 'error',
    };
  }, 120_000);
  afterAll(() => t?.close());

  it(`every write answered before a SIGKILL is there exactly once, nothing is half-written, and the interrupted import resumes (${KILLS} kills)`, async () => {
    const db = t.database.db;
    const reported = new Map<string, string>(); // hazard id → description, answered 201
    const assigned = new Map<string, number>(); // hazard id → version after an answered assign
    const imports: { id: string; prefix: string }[] = [];
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    let interrupted = 0;
    let sent = 0;
    const tally = { found: 0, lost: 0, duplicated: 0 };

    /** What a restarted server finds: nothing lost, nothing twice, nothing half-written. */
    const check = async () => {
      const found = await db.selectFrom('hazards').select(['id', 'description', 'version']).where('description', 'like', `${REPORT_PREFIX}%`).execute();
      const byId = new Map(found.map((h) => [h.id, h]));
      const lost = [...reported].filter(([id, d]) => byId.get(id)?.description !== d);
      tally.lost = Math.max(tally.lost, lost.length);
      expect(lost).toEqual([]);
      const twice = await db
        .selectFrom('hazards')
        .select(['description', (eb) => eb.fn.countAll<number>().as('n')])
        .where((eb) => eb.or([eb('description', 'like', `${REPORT_PREFIX}%`), eb('description', 'like', '崩溃测试导入%')]))
        .groupBy('description')
        .having((eb) => eb.fn.countAll(), '>', 1)
        .execute();
      tally.duplicated = Math.max(tally.duplicated, twice.length);
      expect(twice).toEqual([]);
      // Every answered step happened once: its event is there, once, and the hazard is at least at that version.
      const assignEvents = await db
        .selectFrom('hazard_events')
        .innerJoin('hazards', 'hazards.num', 'hazard_events.hazard_num')
        .select(['hazards.id as hazard_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('hazard_events.action', '=', 'assign')
        .groupBy('hazards.id')
        .execute();
      const assignsOf = new Map(assignEvents.map((e) => [e.hazard_id, Number(e.n)]));
      for (const [id, version] of assigned) {
        expect(byId.get(id)!.version).toBeGreaterThanOrEqual(version);
        expect(assignsOf.get(id), `the assign of ${id}`).toBe(1);
      }
      tally.found = reported.size - lost.length;
      // Every hazard has its whole timeline: events numbered 1…version, none missing.
      const broken = await sql<{ id: string }>`select h.id from hazards h left join (select hazard_num, count(*) as n, max(seq) as top from hazard_events group by hazard_num) e on e.hazard_num = h.num where e.n is null or e.n <> h.version or e.top <> h.version`.execute(db);
      expect(broken.rows).toEqual([]);
      // The cockpit's tallies equal a rebuild from the ledger (rebuilt in a transaction rolled back).
      const kept = await tallySnapshot(db);
      let rebuilt: Awaited<ReturnType<typeof tallySnapshot>> | null = null;
      await db
        .transaction()
        .execute(async (trx) => {
          await rebuildTallies(trx, dialect, new Date());
          rebuilt = await tallySnapshot(trx);
          throw new Error('roll back');
        })
        .catch((err: Error) => {
          if (err.message !== 'roll back') throw err;
        });
      expect(rebuilt).toEqual(kept);
      for (const chain of await verifyAuditChains(db)) expect(chain, chain.chain).toMatchObject({ ok: true });
      // Every import: exactly the rows it says it wrote.
      for (const job of imports) {
        const row = await db.selectFrom('import_jobs').select(['rows_written', 'status']).where('id', '=', job.id).executeTakeFirstOrThrow();
        const n = await db.selectFrom('hazards').select((eb) => eb.fn.countAll<number>().as('n')).where('description', 'like', `${job.prefix}%`).executeTakeFirstOrThrow();
        expect(Number(n.n), `import ${job.id} (${row.status})`).toBe(row.rows_written);
      }
    };

    const start = async (): Promise<{ server: ServerProcess; ent: Client; officer: Client }> => {
      const server = await spawnServer(env);
      const ent = new Client(server.url);
      const officer = new Client(server.url);
      expect((await ent.login('ent-pd', DEMO_PASSWORD)).status).toBe(200);
      expect((await officer.login('pudong', DEMO_PASSWORD)).status).toBe(200);
      return { server, ent, officer };
    };

    /** After a restart: the killed process's import is marked interrupted (its holder is gone), then resumed to the end. */
    const resume = async (officer: Client, id: string) => {
      const job = await until(async () => {
        const j = (await officer.get(`/api/imports/${id}`)).body;
        return j.status === 'failed' ? j : undefined;
      }, 'the interrupted import to be marked', 20_000);
      expect(job.message).toMatch(/已停止[\s\S]*可再次提交继续/);
      const r = await officer.post(`/api/imports/${id}/commit`);
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      const done = await until(async () => {
        const j = (await officer.get(`/api/imports/${id}`)).body;
        return j.status === 'committed' || j.status === 'failed' ? j : undefined;
      }, 'the resumed import', 120_000);
      expect(done).toMatchObject({ status: 'committed', rowsWritten: importRows });
    };

    for (let k = 0; k < KILLS; k++) {
      const { server, ent, officer } = await start();
      if (imports.length) await resume(officer, imports.at(-1)!.id);

      // The import: previewed, then committed under load, and the process killed once its first batch is in.
      const prefix = `崩溃测试导入 ${dialect} 第${k}轮 `;
      // Found on days spread over the rounds: re-import matching looks hazards up by enterprise and day.
      const day = (i: number) => new Date(Date.UTC(2024, 0, 1) + (k * 200 + (i % 200)) * 86_400_000).toISOString().slice(0, 10);
      const file = await workbook(Array.from({ length: importRows }, (_, i) => [enterpriseName, `${prefix}${i}`, day(i)]));
      const upload = await officer.upload('/api/imports?kind=hazards', 'crash.xlsx', file);
      expect(upload.status, JSON.stringify(upload.body)).toBeLessThan(300);
      const id = upload.body.id as string;
      imports.push({ id, prefix });
      let last: unknown = null;
      const previewed = await until(async () => {
        const j = (await officer.get(`/api/imports/${id}`)).body;
        last = j;
        return j.status === 'previewing' ? undefined : j;
      }, 'the preview', 120_000, 100).catch((err: Error) => {
        throw new Error(`${err.message}: ${JSON.stringify(last)}\n${server.output().slice(0, 4000)}`);
      });
      expect(previewed, JSON.stringify(previewed)).toMatchObject({ status: 'previewed', counts: { create: importRows, error: 0 } });
      // Load: three reporters, two officers stepping reported hazards on, all until the kill.
      let stop = false;
      const reporter = async (w: number) => {
        for (let i = 0; i < MAX_REQUESTS && !stop; i++) {
          const description = `${REPORT_PREFIX} ${dialect} 第${k}轮 ${w}-${i}`;
          sent++;
          const r = await ent.post('/api/hazards', { enterpriseId, description, location: '一号车间', grade: 'general', source: 'self_check', foundAt: new Date(Date.now() - 3_600_000).toISOString() }).catch(() => null);
          if (!r) return; // the server is gone
          if (r.status === 201) reported.set(r.body.id, description);
        }
      };
      const stepper = async (w: number) => {
        for (let i = 0; i < MAX_REQUESTS && !stop; i++) {
          const candidates = [...reported.keys()].filter((id) => !assigned.has(id));
          const id = candidates[(i * 7 + w) % Math.max(1, candidates.length)];
          if (!id) {
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          sent++;
          const r = await ent.post(`/api/hazards/${id}/actions/assign`, { version: 1, deadline, responsibleName: '张工' }).catch(() => null);
          if (!r) return;
          if (r.status === 200) assigned.set(id, r.body.version);
        }
      };
      const assignedBefore = assigned.size;
      const writers = [reporter(0), reporter(1), reporter(2), stepper(0), stepper(1)];

      // Some load first, so the kill lands among requests of every kind.
      await until(async () => (assigned.size > assignedBefore + 5 ? true : undefined), 'the load to get going', 30_000, 20);
      expect((await officer.post(`/api/imports/${id}/commit`)).status).toBeLessThan(300);
      await until(async () => {
        const j = await db.selectFrom('import_jobs').select('rows_written').where('id', '=', id).executeTakeFirstOrThrow();
        return j.rows_written > 0 ? true : undefined;
      }, 'the first committed batch', 60_000, 5);
      const exit = await server.kill('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      stop = true;
      await Promise.all(writers);

      const job = await db.selectFrom('import_jobs').select(['status', 'rows_written']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(job.status, 'the kill came mid-commit').toBe('committing');
      expect(job.rows_written).toBeLessThan(importRows);
      interrupted++;
      await check();
    }

    // The last restart resumes the last import; then a clean stop.
    const { server, officer } = await start();
    await resume(officer, imports.at(-1)!.id);
    expect((await server.kill('SIGTERM')).code).toBe(0);
    await check();
    for (const job of imports) expect(await db.selectFrom('import_jobs').select('status').where('id', '=', job.id).executeTakeFirstOrThrow()).toEqual({ status: 'committed' });

    console.log(
      `[crash ${dialect}] ${KILLS} kills; requests sent ${sent}; reports answered ${reported.size}, found ${tally.found}, lost ${tally.lost}, duplicated ${tally.duplicated}; ` +
        `steps answered ${assigned.size}, found ${assigned.size}; imports interrupted ${interrupted}, resumed ${imports.length}, rows ${imports.length * importRows} exactly once`,
    );
    expect(reported.size).toBeGreaterThan(KILLS * 5);
    expect(assigned.size).toBeGreaterThan(KILLS);
  }, 900_000);
});
