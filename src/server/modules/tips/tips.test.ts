import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { loadKeyRing, rotateKeyFile } from '../../crypto/sealed';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { runTipReminders } from './deadlines';
import { stripImageMetadata } from './metadata';
import { sweepTipUploads } from './public';
import { rebuildTipTallies } from './tallies';
import { up as tipsMigration } from '../../db/migrations/2026-12-05-21-tips';
import { migrateToLatest } from '../../db/migrate';
import { openTestDatabase } from '../../test/harness';
import { loadReferenceData } from '../../seed/reference';

/** A JPEG whose EXIF names a place and a phone: the door must keep the picture and drop that. */
function jpegWithExif(marker: string): Buffer {
  const seg = (m: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, m, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xe1, Buffer.from(`Exif\0\0${marker}`, 'latin1')),
    seg(0xdb, Buffer.alloc(65, 1)),
    seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]),
  ]);
}

describe('photo metadata', () => {
  it('drops EXIF from a JPEG and text chunks from a PNG, keeping the image; refuses what it cannot walk', () => {
    const jpeg = jpegWithExif('GPS 31.2N 121.5E iPhone');
    const clean = stripImageMetadata(jpeg, 'image/jpeg')!;
    expect(clean.includes('GPS')).toBe(false);
    expect(clean.includes('JFIF')).toBe(true);
    expect(clean.subarray(-5)).toEqual(Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]));
    const text = Buffer.concat([Buffer.from([0, 0, 0, 9]), Buffer.from('tEXtAuthor\0Me', 'latin1').subarray(0, 13), Buffer.alloc(4)]);
    const png = Buffer.concat([PNG_1x1.subarray(0, 33), text, PNG_1x1.subarray(33)]);
    const cleanPng = stripImageMetadata(png, 'image/png')!;
    expect(cleanPng).toEqual(PNG_1x1);
    expect(stripImageMetadata(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), 'image/jpeg')).toBeNull();
  });

  it('keeps a JPEG’s colour profile, drops MPF images and segments between scans, and cuts what follows its end', () => {
    const seg = (m: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, m, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
    const scan = (data: number[]) => Buffer.concat([seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])), Buffer.from(data)]);
    const icc = seg(0xe2, Buffer.from('ICC_PROFILE\0\x01\x01sRGB', 'latin1'));
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      icc,
      seg(0xe2, Buffer.from('MPF\0 GPS-MPF', 'latin1')),
      seg(0xdb, Buffer.alloc(65, 1)),
      scan([0x11, 0xff, 0x00, 0x22, 0xff, 0xd0, 0x33]),
      seg(0xe1, Buffer.from('Exif\0\0GPS-BETWEEN', 'latin1')),
      scan([0x44, 0x55]),
      Buffer.from([0xff, 0xd9]),
      Buffer.from('ftypmp42 GPS-TRAILER', 'latin1'),
    ]);
    const clean = stripImageMetadata(jpeg, 'image/jpeg')!;
    for (const gone of ['GPS-MPF', 'GPS-BETWEEN', 'GPS-TRAILER']) expect(clean.includes(gone), gone).toBe(false);
    expect(clean.includes(icc)).toBe(true);
    // The coded data is kept whole, stuffing and restart markers included, and the file ends at its end marker.
    expect(clean.includes(Buffer.from([0x11, 0xff, 0x00, 0x22, 0xff, 0xd0, 0x33]))).toBe(true);
    expect(clean.subarray(-4)).toEqual(Buffer.from([0x44, 0x55, 0xff, 0xd9]));
    // No end marker: refused rather than kept with whatever it carries.
    expect(stripImageMetadata(jpeg.subarray(0, jpeg.indexOf(Buffer.from([0x44, 0x55])) + 2), 'image/jpeg')).toBeNull();
  });
});

describe.each(DIALECTS)('the tips migration on %s', (dialect) => {
  it('runs again over itself without harm (a run stopped half-way is run again) and widens the roles once', async () => {
    const database = await openTestDatabase(dialect);
    try {
      await migrateToLatest(database);
      await tipsMigration(database.db, database.dialect, database);
      const role = (r: string) => sql`insert into users (id, username, display_name, role, region_code, city_code, password_hash, status, must_change_password, failed_logins, version, created_at, updated_at) values (${r}, ${r}, ${r}, ${r}, '310000', '310000', 'x', 'active', 0, 0, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`.execute(database.db);
      await loadReferenceData(database.db, new Date().toISOString());
      await role('tip_custodian');
      await expect(role('janitor')).rejects.toThrow();
    } finally {
      await database.drop();
    }
  });
});

/** 举报 (#17) on both databases: the public door, the protected reporter, deadlines, duplicates, rewards, figures. */
describe.each(DIALECTS)('tips on %s', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-03-02T02:00:00Z'); // 10:00 on Monday 2 March in Shanghai
  const who = { admin: 'admin', city: 'city', pudong: 'pudong', huangpu: 'huangpu', yjj: 'yjj', lujiazui: 'lujiazui', 'ent-pd': 'ent-pd', e1: 'expert-1', custodian: 'custodian' } as const;
  type Who = keyof typeof who;
  const c = {} as Record<Who, string>;
  let entPd: { id: string; name: string; industry: string };
  const NAME = '柏青瑶';
  const PHONE = '13987654321';
  const CLAIM_ID = '310101199001011234';

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 1_000_000, SESSION_ABSOLUTE_HOURS: 100_000, TIP_SUBMIT_PER_HOUR: 1_000, TIP_LOOKUP_MAX_FAILURES: 3 } });
    for (const k of Object.keys(who) as Who[]) c[k] = await t.login(who[k]);
    const u = await t.database.db.selectFrom('users as u').innerJoin('enterprises as e', 'e.id', 'u.enterprise_id').select(['e.id', 'e.name', 'e.industry_code']).where('u.username', '=', 'ent-pd').executeTakeFirstOrThrow();
    entPd = { id: u.id, name: u.name, industry: u.industry_code };
  });
  afterAll(() => t?.close());

  const get = (k: Who, url: string) => t.as(c[k], { method: 'GET', url });
  const post = (k: Who, url: string, payload: unknown = {}) => t.as(c[k], { method: 'POST', url, payload: payload as object });
  const pub = (method: 'GET' | 'POST', url: string, payload?: unknown, secret?: string, ip = '127.0.0.1') =>
    t.app.inject({ method, url, remoteAddress: ip, ...(payload ? { payload: payload as object } : {}), headers: secret ? { 'x-tip-secret': secret } : {} });
  const tipOf = async (receipt: string) => t.database.db.selectFrom('tips').selectAll().where('receipt', '=', receipt.replace(/-/g, '')).executeTakeFirstOrThrow();
  const send = async (over: object = {}, ip?: string) => {
    const res = await pub('POST', '/api/public/tips', { category: 'major_hazard', description: '仓库里堆放大量液化气钢瓶，消防通道被堵死，晚上还有人住在里面', districtCode: '310115', anonymous: true, ...over }, undefined, ip);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { receipt: string; secret: string; acceptBy: string };
  };
  const count = async (table: 'tips' | 'audit_log' | 'hazards') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  /** Every row of every table, as text: where a reporter's identity must never be found. */
  async function everyRow(): Promise<string> {
    const tables = (await t.database.db.introspection.getTables()).filter((x) => !/^(kysely_|sqlite_)/.test(x.name));
    const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.database.db)).rows[0].s : undefined;
    let out = '';
    for (const tb of tables.filter((x) => schema === undefined || x.schema === schema)) {
      const rows = await sql`select * from ${sql.table(tb.name)}`.execute(t.database.db);
      out += JSON.stringify(rows.rows);
    }
    return out;
  }

  it('a tip through the door: no session, a receipt and a secret, routed to the district and the supervising department', async () => {
    const photo = await t.app.inject({ method: 'POST', url: '/api/public/files', ...multipart('file', 'IMG_0001.jpg', jpegWithExif('GPS-LOCATION-31.2N'), 'image/jpeg') });
    expect(photo.statusCode, photo.body).toBe(201);
    const res = await pub('POST', '/api/public/tips', { category: 'major_hazard', description: '车间里的有限空间没有通风检测就让人下去作业', enterpriseId: entPd.id, anonymous: true, attachmentIds: [photo.json().id] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['set-cookie']).toBeUndefined();
    const r = res.json();
    expect(r.receipt).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(r.secret).toMatch(/^([A-Z2-9]{4}-){3}[A-Z2-9]{4}$/);
    expect(r.acceptBy).toBe('2026-03-09');
    const row = await tipOf(r.receipt);
    expect(row).toMatchObject({ district_code: '310115', street_code: '310115005', enterprise_id: entPd.id, channel: 'web', status: 'received', anonymous: 1, has_identity: 0 });
    expect(row.secret_hash).not.toContain(r.secret.replace(/-/g, ''));
    // The department supervising the enterprise's industry (division or section): Pudong's own before the city's.
    const section = (await t.database.db.selectFrom('industries').select('parent_code').where('code', '=', entPd.industry).executeTakeFirstOrThrow()).parent_code!;
    const covers = await t.database.db.selectFrom('department_industries as di').innerJoin('departments as d', 'd.id', 'di.department_id').select(['d.id', 'd.region_code']).where('di.industry_code', 'in', [entPd.industry, section]).execute();
    const pudongs = covers.filter((x) => x.region_code === '310115');
    expect(covers.length).toBeGreaterThan(0);
    expect((pudongs.length ? pudongs : covers).map((x) => x.id)).toContain(row.department_id);
    // The photo is kept without its metadata, and shown to the handlers through the tip.
    const stored = await t.database.db.selectFrom('tip_uploads').selectAll().where('tip_id', '=', row.id).executeTakeFirstOrThrow();
    const file = readFileSync(path.join(t.config.DATA_DIR, 'files', stored.sha256.slice(0, 2), stored.sha256));
    expect(file.includes('GPS-LOCATION')).toBe(false);
    const shown = await get('pudong', `/api/tips/${row.id}/photos/${stored.id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.rawPayload.equals(file)).toBe(true);
    expect((await get('huangpu', `/api/tips/${row.id}/photos/${stored.id}`)).statusCode).toBe(404);
    // A photo is used once.
    const again = await pub('POST', '/api/public/tips', { category: 'other', description: '同一张照片再用一次试试看能不能成功', districtCode: '310115', anonymous: true, attachmentIds: [stored.id] });
    expect(again.statusCode).toBe(400);
    // The reporter's page: status only.
    const page = await pub('GET', `/api/public/tips/${r.receipt.toLowerCase()}`, undefined, r.secret);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toEqual({ receipt: r.receipt, category: 'major_hazard', receivedOn: '2026-03-02', status: 'received', statusLabel: '待受理', feedback: null, feedbackOn: null, reward: null });
  });

  it('who sees a tip: the place’s district, street and department, the city, the custodian — never the enterprise, an expert or another district', async () => {
    const { receipt } = await send({ enterpriseId: entPd.id, description: '叉车司机无证驾驶，还在厂区里超速，已经撞坏过货架' });
    const id = (await tipOf(receipt)).id;
    for (const k of ['pudong', 'lujiazui', 'yjj', 'city', 'custodian'] as const) expect((await get(k, `/api/tips/${id}`)).statusCode, k).toBe(200);
    for (const k of ['huangpu', 'ent-pd', 'e1'] as const) {
      expect((await get(k, `/api/tips/${id}`)).statusCode, k).toBe(404);
      const list = (await get(k, '/api/tips')).json();
      expect(list.items.map((x: { id: string }) => x.id), k).not.toContain(id);
    }
    // The custodian keeps identities, and sees no business row: not the ledger, not the enterprises.
    expect((await get('custodian', '/api/hazards?pageSize=1')).json().total).toBe(0);
    expect((await get('custodian', '/api/enterprises?pageSize=1')).json().total).toBe(0);
    // The custodian reads but takes no step.
    const seen = (await get('custodian', `/api/tips/${id}`)).json();
    expect(seen).toMatchObject({ actions: [], rewardActions: [], mayReveal: true, findings: [], reward: null, duplicateCandidates: [] });
    expect((await get('custodian', `/api/tips/${id}/inspectors`)).statusCode).toBe(403);
    expect((await post('custodian', `/api/tips/${id}/actions/accept`, { version: 1 })).statusCode).toBe(403);
    expect((await get('pudong', `/api/tips/${id}`)).json()).toMatchObject({ actions: ['accept', 'decline', 'link_duplicate'], mayReveal: false });
  });

  it('the reporter’s identity: sealed in every row and file, in no answer, log, audit value or notice; revealed only by the custodian with a reason', async () => {
    const lines: string[] = [];
    const logged = await buildApp({ config: { ...t.config, LOG_LEVEL: 'info' }, database: t.database, serveWeb: false, now: () => new Date(clock), logStream: { write: (l: string) => void lines.push(l) } });
    const res = await logged.inject({ method: 'POST', url: '/api/public/tips', remoteAddress: '10.9.8.7', payload: { category: 'illegal_production', description: '老板让我们晚上偷偷开工生产，白天把门锁上应付检查', districtCode: '310115', anonymous: false, name: NAME, phone: PHONE } });
    expect(res.statusCode, res.body).toBe(201);
    const { receipt } = res.json();
    // The page, the session check and a lookup from the same reporter: none ties the address (or the receipt) to the tip.
    for (const url of ['/report', '/api/me', `/api/public/tips/${receipt}`]) await logged.inject({ method: 'GET', url, remoteAddress: '10.9.8.7' });
    expect(lines.some((l) => l.includes('/api/me'))).toBe(true);
    expect(lines.join('\n').includes(receipt), 'the receipt in a logged URL').toBe(false);
    const tip = await tipOf(receipt);
    expect(tip.has_identity).toBe(1);
    const sealed = await t.database.db.selectFrom('tip_sealed').selectAll().where('tip_id', '=', tip.id).executeTakeFirstOrThrow();
    expect(sealed.key_id).toBe(loadKeyRing(t.config).currentId);

    // Refused: another role (a handler), and the custodian without a reason — each refusal kept.
    const refusalsBefore = Number((await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'tip.identity_refused').executeTakeFirstOrThrow()).n);
    const byHandler = await post('pudong', `/api/tips/${tip.id}/identity`, { reason: '需要联系举报人核实情况' });
    expect(byHandler.statusCode).toBe(403);
    const noReason = await post('custodian', `/api/tips/${tip.id}/identity`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().code).toBe('VALIDATION_FAILED');
    const refusals = await t.database.db.selectFrom('audit_log').select(['action', 'actor_name']).where('action', '=', 'tip.identity_refused').orderBy('seq').execute();
    expect(refusals.length - refusalsBefore).toBe(2);
    expect(refusals.slice(-2).map((r) => r.actor_name)).toEqual(['pudong', 'custodian']);

    // Everything an officer can read about it, and every row and log line, before the reveal.
    const answers = [
      (await get('pudong', `/api/tips/${tip.id}`)).body,
      (await get('pudong', '/api/tips?pageSize=100')).body,
      (await get('city', `/api/tips/${tip.id}`)).body,
      (await get('custodian', `/api/tips/${tip.id}`)).body,
      (await get('admin', '/api/audit?pageSize=200')).body,
      (await get('pudong', '/api/notifications?pageSize=100')).body,
      (await pub('GET', `/api/public/tips/${receipt}`, undefined, res.json().secret)).body,
    ];
    expect(JSON.parse(answers[0])).toMatchObject({ anonymous: false, hasIdentity: true });

    const revealed = await logged.inject({ method: 'POST', url: `/api/tips/${tip.id}/identity`, headers: { cookie: c.custodian, 'x-requested-with': 'zhiben' }, payload: { reason: '举报人反映遭到打击报复，需核实身份予以保护' } });
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toEqual({ anonymous: false, name: NAME, phone: PHONE, claim: null });
    await logged.close();
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', tip.id).where('action', '=', 'tip.identity_revealed').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_name).toBe('custodian');
    // The handlers are told it happened (and why), not what it said.
    const told = (await get('pudong', '/api/notifications?pageSize=100')).json().items.filter((n: { kind: string }) => n.kind === 'tip.identity_revealed');
    expect(told).toHaveLength(1);
    answers.push(JSON.stringify(told), (await get('pudong', `/api/tips/${tip.id}`)).body, (await get('admin', '/api/audit?pageSize=200')).body);

    for (const s of [NAME, PHONE]) {
      for (const a of answers) expect(a.includes(s)).toBe(false);
      expect(lines.join('\n').includes(s), 'logs').toBe(false);
      expect((await everyRow()).includes(s), 'rows').toBe(false);
    }
    expect(lines.some((l) => l.includes('/api/public/tips'))).toBe(true);
    expect(lines.join('\n').includes('10.9.8.7'), 'the reporter’s address').toBe(false);
    if (dialect === 'sqlite') {
      const dir = t.database.env.DATA_DIR;
      const bytes = Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('zhiben.db')).map((f) => readFileSync(path.join(dir, f))));
      for (const s of [NAME, PHONE]) expect(bytes.includes(Buffer.from(s, 'utf8')), `database file: ${s}`).toBe(false);
    }
  });

  it('a rotated key seals new reporters, and the old ones still open; a lost key stops nothing but its own values', async () => {
    const { receipt } = await send({ anonymous: false, name: '旧钥匙举报人', phone: '13700000001', description: '旧密钥加密的举报人信息，轮换以后也必须能打开' });
    const old = await tipOf(receipt);
    const oldKey = loadKeyRing(t.config).currentId;
    const newKey = rotateKeyFile(t.config.DATA_DIR, new Date(clock));
    const rotated = await buildApp({ config: t.config, database: t.database, serveWeb: false, logger: false, now: () => new Date(clock) });
    try {
      const again = await rotated.inject({ method: 'POST', url: '/api/public/tips', payload: { category: 'other', description: '新密钥加密的举报人信息，应当用新的密钥编号', districtCode: '310115', anonymous: false, phone: '13700000002' } });
      const fresh = await tipOf(again.json().receipt);
      const keys = await t.database.db.selectFrom('tip_sealed').select(['tip_id', 'key_id']).where('tip_id', 'in', [old.id, fresh.id]).execute();
      expect(Object.fromEntries(keys.map((k) => [k.tip_id, k.key_id]))).toEqual({ [old.id]: oldKey, [fresh.id]: newKey });
      const reveal = (id: string) => rotated.inject({ method: 'POST', url: `/api/tips/${id}/identity`, headers: { cookie: c.custodian, 'x-requested-with': 'zhiben' }, payload: { reason: '轮换密钥后核对旧记录' } });
      expect((await reveal(old.id)).json()).toMatchObject({ name: '旧钥匙举报人', phone: '13700000001' });
      expect((await reveal(fresh.id)).json()).toMatchObject({ name: null, phone: '13700000002' });
      // A ciphertext moved onto another tip does not open there.
      const stolen = await t.database.db.selectFrom('tip_sealed').selectAll().where('tip_id', '=', old.id).executeTakeFirstOrThrow();
      await t.database.db.updateTable('tip_sealed').set({ sealed: stolen.sealed, key_id: stolen.key_id }).where('tip_id', '=', fresh.id).execute();
      const moved = await reveal(fresh.id);
      expect(moved.statusCode).toBe(500);
      expect(moved.body.includes('旧钥匙举报人')).toBe(false);
    } finally {
      await rotated.close();
    }
  });

  it('the door’s lookups: an unknown receipt and a wrong secret answer alike; wrong secrets hold the receipt, then it opens again', async () => {
    const { receipt, secret } = await send();
    const unknown = await pub('GET', '/api/public/tips/ABCD-EFGH-JKMN', undefined, secret);
    const wrong = await pub('GET', `/api/public/tips/${receipt}`, undefined, 'AAAA-BBBB-CCCC-DDDD');
    const none = await pub('GET', `/api/public/tips/${receipt}`);
    const strip = (r: { statusCode: number; json(): Record<string, unknown> }) => {
      const { instance: _i, requestId: _r, ...rest } = r.json();
      return { status: r.statusCode, ...rest };
    };
    expect(strip(unknown)).toEqual(strip(wrong));
    expect(strip(none)).toEqual(strip(wrong));
    expect(unknown.statusCode).toBe(404);
    // Three wrong (TIP_LOOKUP_MAX_FAILURES in this test): even the right secret is held, with the same answer.
    await pub('GET', `/api/public/tips/${receipt}`, undefined, 'AAAA-BBBB-CCCC-DDDE');
    expect((await tipOf(receipt)).lookup_failures).toBe(3);
    const held = await pub('GET', `/api/public/tips/${receipt}`, undefined, secret);
    expect(strip(held)).toEqual(strip(wrong));
    clock += 16 * 60_000;
    expect((await pub('GET', `/api/public/tips/${receipt}`, undefined, secret)).statusCode).toBe(200);
    expect((await tipOf(receipt)).lookup_failures).toBe(0);
  });

  it('the door’s limits per address, its bots’ field, its validation', async () => {
    // Lookups: 20 a minute from one address (bounded loop, loopback addresses only).
    const ip = '127.0.0.9';
    let limited = 0;
    for (let k = 0; k < 22; k++) if ((await pub('GET', '/api/public/tips/ABCD-EFGH-JKMN', undefined, 'X', ip)).statusCode === 429) limited++;
    expect(limited).toBe(2);
    expect((await pub('GET', '/api/public/tips/ABCD-EFGH-JKMN', undefined, 'X', '127.0.0.10')).statusCode).toBe(404);
    // A bot fills the hidden field: answered like a person, nothing kept.
    const real = await send();
    const before = await count('tips');
    const bot = await pub('POST', '/api/public/tips', { category: 'other', description: '这是机器人自动填写的内容，不应当被保存', districtCode: '310115', anonymous: true, website: 'http://spam.example' });
    expect(bot.statusCode).toBe(201);
    expect(bot.json().receipt).toMatch(/^[A-Z2-9]{4}-/);
    expect(bot.json().acceptBy).toBe(real.acceptBy);
    expect(await count('tips')).toBe(before);
    expect((await pub('GET', `/api/public/tips/${bot.json().receipt}`, undefined, bot.json().secret)).statusCode).toBe(404);
    // Validation: Chinese messages; no district nor enterprise; anonymous with a name; not a photo.
    const bad = await pub('POST', '/api/public/tips', { category: 'major_hazard', description: '太短', anonymous: true, name: '某某' });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['anonymous', 'description', 'districtCode']);
    const pdf = await t.app.inject({ method: 'POST', url: '/api/public/files', ...multipart('file', 'a.pdf', Buffer.from('%PDF-1.4\n%%EOF'), 'application/pdf') });
    expect(pdf.statusCode).toBe(415);
    // The enterprise search: names and districts only.
    const found = (await pub('GET', `/api/public/enterprises?q=${encodeURIComponent(entPd.name.slice(0, 4))}`)).json();
    expect(found.items.length).toBeGreaterThan(0);
    expect(Object.keys(found.items[0]).sort()).toEqual(['districtName', 'id', 'name']);
  });

  it('deadlines in Shanghai days: accept by its day, verify in 60 extended once by 30 with the city’s approval, feedback in 10; overdue and reminders', async () => {
    clock = Date.parse('2026-04-01T15:59:00Z'); // 23:59 on 1 April in Shanghai
    const late = await send({ description: '夜里十一点五十九分收到的举报，受理期限从四月一日起算' });
    clock = Date.parse('2026-04-01T16:01:00Z'); // 00:01 on 2 April
    const next = await send({ description: '零点过后收到的举报，受理期限从四月二日起算，相差一天' });
    expect([late.acceptBy, next.acceptBy]).toEqual(['2026-04-08', '2026-04-09']);
    const a = await tipOf(late.receipt);
    const b = await tipOf(next.receipt);
    // 9 April in Shanghai: the first is overdue, the second due today.
    clock = Date.parse('2026-04-09T03:00:00Z');
    const overdue = (await get('pudong', '/api/tips?overdue=true&pageSize=100')).json().items.map((x: { id: string }) => x.id);
    expect(overdue).toContain(a.id);
    expect(overdue).not.toContain(b.id);
    const notices = async () => Number((await t.database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const n0 = await notices();
    expect((await runTipReminders(t.database.db, new Date(clock))).deliveries).toBeGreaterThan(0);
    const n1 = await notices();
    expect(n1).toBeGreaterThan(n0);
    await runTipReminders(t.database.db, new Date(clock));
    expect(await notices()).toBe(n1);
    const kinds = (await get('pudong', '/api/notifications?pageSize=100')).json().items.filter((n: { link: string }) => n.link === `/tips/${a.id}` || n.link === `/tips/${b.id}`).map((n: { kind: string; link: string }) => `${n.link === `/tips/${a.id}` ? 'a' : 'b'}:${n.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['a:tip.overdue', 'b:tip.due_soon']));
    // Accepted late (a) and on its last day (b).
    const acc = await post('pudong', `/api/tips/${a.id}/actions/accept`, { version: 1 });
    expect(acc.statusCode, acc.body).toBe(200);
    expect(acc.json()).toMatchObject({ status: 'accepted', verifyBy: '2026-06-08', overdue: false });
    await post('pudong', `/api/tips/${b.id}/actions/accept`, { version: 1 });
    expect((await tipOf(late.receipt)).answered_on_time).toBe(0);
    expect((await tipOf(next.receipt)).answered_on_time).toBe(1);
    // Extension: asked with a reason, approved by the city (not the district), once.
    expect((await post('pudong', `/api/tips/${a.id}/actions/extend`, { version: 2 })).statusCode).toBe(400);
    expect((await post('pudong', `/api/tips/${a.id}/actions/extend`, { version: 2, note: '涉及多个部门，需调取监控' })).json()).toMatchObject({ extension: 'requested', verifyBy: '2026-06-08' });
    expect((await post('pudong', `/api/tips/${a.id}/actions/approve_extension`, { version: 3 })).statusCode).toBe(403);
    expect((await post('city', `/api/tips/${a.id}/actions/approve_extension`, { version: 3 })).json()).toMatchObject({ extension: 'approved', verifyBy: '2026-07-08' });
    // Whoever asked does not decide it (the city's own request goes to another city officer), and a refusal lets it be asked again.
    const bv = (await get('pudong', `/api/tips/${b.id}`)).json().version as number;
    expect((await post('city', `/api/tips/${b.id}/actions/extend`, { version: bv, note: '需调取市级部门资料' })).statusCode).toBe(200);
    expect((await post('city', `/api/tips/${b.id}/actions/approve_extension`, { version: bv + 1 })).statusCode).toBe(403);
    expect((await post('admin', `/api/tips/${b.id}/actions/refuse_extension`, { version: bv + 1 })).statusCode).toBe(400);
    expect((await post('admin', `/api/tips/${b.id}/actions/refuse_extension`, { version: bv + 1, note: '理由不充分，请按期办结' })).json()).toMatchObject({ extension: 'none', verifyBy: '2026-06-08' });
    expect((await get('pudong', `/api/tips/${b.id}`)).json().actions).toContain('extend');
    const twice = await post('pudong', `/api/tips/${a.id}/actions/extend`, { version: 4, note: '再延一次' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toContain('只能延长一次');
    // Verified on its last day (8 July, 23:30 Shanghai), then feedback due in 10 days.
    clock = Date.parse('2026-07-08T15:30:00Z');
    const v = await post('pudong', `/api/tips/${a.id}/actions/verify`, { version: 4, substantiated: false, note: '现场核查未发现所述情况' });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toEqual({ hazardIds: [], version: 5 });
    expect(await tipOf(late.receipt)).toMatchObject({ verified_on_time: 1, feedback_by: '2026-07-18', status: 'verified' });
    const fb = await post('pudong', `/api/tips/${a.id}/actions/feedback`, { version: 5, note: '经现场核查，未发现您反映的情况。感谢您的监督。' });
    expect(fb.json()).toMatchObject({ status: 'closed', overdue: false });
    const page = (await pub('GET', `/api/public/tips/${late.receipt}`, undefined, late.secret)).json();
    expect(page).toMatchObject({ status: 'closed', statusLabel: '已办结', feedback: '经现场核查，未发现您反映的情况。感谢您的监督。', feedbackOn: '2026-07-08' });
    // Version conflict and a wrong-state step.
    expect((await post('pudong', `/api/tips/${b.id}/actions/verify`, { version: 1, substantiated: false, note: '旧版本' })).statusCode).toBe(409);
    expect((await post('pudong', `/api/tips/${a.id}/actions/accept`, { version: 6 })).statusCode).toBe(409);
  });

  it('verification puts what was found on the ledger (source 举报, linked to the tip); the reporter reads the feedback; a decline tells its reason', async () => {
    clock = Date.parse('2026-08-03T02:00:00Z');
    const { receipt, secret } = await send({ enterpriseId: entPd.id, description: '配电房门口堆满纸箱，灭火器全部过期，配电箱也没有门' });
    const tip = await tipOf(receipt);
    await post('lujiazui', `/api/tips/${tip.id}/actions/accept`, { version: 1 });
    const hazardsBefore = await count('hazards');
    // Found while verifying: onto the ledger at once, the tip still being verified.
    const found = await post('lujiazui', `/api/tips/${tip.id}/findings`, { version: 2, findings: [{ description: '配电箱箱门缺失，带电部位外露', grade: 'general', deadline: '2026-08-05' }] });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toMatchObject({ version: 3 });
    expect((await get('pudong', `/api/tips/${tip.id}`)).json()).toMatchObject({ status: 'accepted', hazards: 1 });
    const unsub = await post('lujiazui', `/api/tips/${tip.id}/actions/verify`, { version: 3, substantiated: false, note: '不属实' });
    expect(unsub.statusCode).toBe(400);
    const v = await post('lujiazui', `/api/tips/${tip.id}/actions/verify`, { version: 3, substantiated: true, note: '情况属实，已责令整改', hazards: [{ description: '配电房门口堆放可燃物，灭火器过期', grade: 'general', deadline: '2026-08-10' }] });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json().hazardIds).toHaveLength(1);
    expect(await count('hazards')).toBe(hazardsBefore + 2);
    const h = (await get('pudong', `/api/hazards/${v.json().hazardIds[0]}`)).json();
    expect(h).toMatchObject({ source: 'tip', enterpriseId: entPd.id, status: 'rectifying', deadline: '2026-08-10' });
    const origin = await t.database.db.selectFrom('hazard_origins').selectAll().where('hazard_id', '=', h.id).executeTakeFirstOrThrow();
    expect(origin).toMatchObject({ origin_type: 'tip', origin_id: tip.id });
    expect(h.origin).toMatchObject({ type: 'tip', id: tip.id });
    // The enterprise sees its hazard, and not the tip it came from.
    const seen = await get('ent-pd', `/api/hazards/${h.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().origin).toBeNull();
    expect(seen.body.includes(tip.code)).toBe(false);
    const d = (await get('pudong', `/api/tips/${tip.id}`)).json();
    expect(d).toMatchObject({ status: 'verified', substantiated: true, hazards: 2, majorHazards: 0 });
    expect(d.findings.map((f: { hazardId: string }) => f.hazardId)).toEqual([...found.json().hazardIds, ...v.json().hazardIds]);
    await post('lujiazui', `/api/tips/${tip.id}/actions/feedback`, { version: 4, note: '您反映的问题属实，已责令企业限期整改。' });
    expect((await pub('GET', `/api/public/tips/${receipt}`, undefined, secret)).json()).toMatchObject({ status: 'closed', feedback: '您反映的问题属实，已责令企业限期整改。' });

    const other = await send({ description: '隔壁小区有人遛狗不牵绳，不属于安全生产的问题' });
    const o = await tipOf(other.receipt);
    expect((await post('pudong', `/api/tips/${o.id}/actions/decline`, { version: 1 })).statusCode).toBe(400);
    expect((await post('pudong', `/api/tips/${o.id}/actions/decline`, { version: 1, note: '不属于安全生产举报受理范围，请拨打 12345 反映' })).json()).toMatchObject({ status: 'declined', declineReason: '不属于安全生产举报受理范围，请拨打 12345 反映' });
    expect((await pub('GET', `/api/public/tips/${other.receipt}`, undefined, other.secret)).json()).toMatchObject({ status: 'declined', feedback: '不属于安全生产举报受理范围，请拨打 12345 反映' });
    // A declined tip is no first report of a matter: nothing is linked to it.
    const later = await tipOf((await send({ description: '隔壁小区有人遛狗不牵绳，再反映一次这个问题' })).receipt);
    const linked = await post('pudong', `/api/tips/${later.id}/actions/link_duplicate`, { version: 1, duplicateOf: o.id });
    expect(linked.statusCode).toBe(400);
    expect(linked.json().detail).toContain('不能作为首次举报');
  });

  it('duplicates: a tip like an open one about the same enterprise is flagged; linked, it earns no reward — the first reporter’s does', async () => {
    clock = Date.parse('2026-09-01T02:00:00Z');
    const first = await send({ enterpriseId: entPd.id, category: 'illegal_production', description: '企业在没有危险化学品经营许可证的情况下储存和销售甲醇' });
    clock += 3 * 86_400_000;
    const second = await send({ enterpriseId: entPd.id, category: 'illegal_production', description: '该企业没有危险化学品经营许可证，却在储存和销售甲醇' });
    const a = await tipOf(first.receipt);
    const b = await tipOf(second.receipt);
    expect(b.suspected_duplicate_of).toBe(a.id);
    const db = (await get('pudong', `/api/tips/${b.id}`)).json();
    expect(db.duplicateCandidates.map((x: { id: string }) => x.id)).toContain(a.id);
    // Linking runs from the later to the earlier only.
    const wrongWay = await post('pudong', `/api/tips/${a.id}/actions/link_duplicate`, { version: 1, duplicateOf: b.id });
    expect(wrongWay.statusCode).toBe(400);
    expect((await post('pudong', `/api/tips/${b.id}/actions/link_duplicate`, { version: 1, duplicateOf: a.id })).json()).toMatchObject({ duplicateOf: a.id });
    for (const [x, v] of [[a, 1], [b, 2]] as const) {
      await post('pudong', `/api/tips/${x.id}/actions/accept`, { version: v });
      await post('pudong', `/api/tips/${x.id}/actions/verify`, { version: v + 1, substantiated: true, note: '属实，已立案查处' });
    }
    const refused = await post('pudong', `/api/tips/${b.id}/reward/actions/propose`, { version: 4, kind: 'fine_share', fineYuan: 50_000 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('首位举报人');
    const proposed = await post('pudong', `/api/tips/${a.id}/reward/actions/propose`, { version: 3, kind: 'fine_share', fineYuan: 50_000 });
    expect(proposed.statusCode, proposed.body).toBe(200);
    expect(proposed.json().reward).toMatchObject({ status: 'proposed', amountYuan: 7_500, steps: ['罚款 ¥50,000 × 15% = ¥7,500', '奖励金额 ¥7,500'] });
  });

  it('rewards by the rule set in force on the receipt date, at the bounds; approved by another officer, paid; the reporter claims it (sealed)', async () => {
    clock = Date.parse('2026-10-01T02:00:00Z');
    const before = await send({ enterpriseId: entPd.id, description: '生产车间的防爆电气被换成普通电气，粉尘很大' });
    // From 1 November a city rule: 10%, 2,000–100,000.
    const set = await post('admin', '/api/reward-rules', { effectiveFrom: '2026-11-01', sourceNote: '沪应急规〔2026〕测试号', value: { fineShare: { percent: 10, min: 2_000, max: 100_000 }, concealedAccident: { perDeath: { general: 30_000, larger: 40_000, major: 50_000, especially_major: 60_000 }, cap: 300_000 }, employeeBonusPercent: 20 } });
    expect(set.statusCode, set.body).toBe(201);
    expect(set.json().items.map((v: { effectiveFrom: string }) => v.effectiveFrom)).toEqual(['2026-11-01', '1949-01-01']);
    expect((await post('pudong', '/api/reward-rules', { effectiveFrom: '2026-11-02', sourceNote: 'x', value: {} })).statusCode).toBe(403);
    clock = Date.parse('2026-11-02T02:00:00Z');
    const after = await send({ enterpriseId: entPd.id, category: 'concealed_accident', description: '上个月厂里有人从高处坠落死亡，企业没有上报，私下赔钱了事' });
    const tb = await tipOf(before.receipt);
    const ta = await tipOf(after.receipt);
    for (const x of [tb, ta]) {
      await post('pudong', `/api/tips/${x.id}/actions/accept`, { version: 1 });
      await post('pudong', `/api/tips/${x.id}/actions/verify`, { version: 2, substantiated: true, note: '属实' });
    }
    const propose = (id: string, version: number, body: object) => post('pudong', `/api/tips/${id}/reward/actions/propose`, { version, ...body });
    // Received in October: the national default (15%, 3,000–300,000), at its minimum and maximum.
    expect((await propose(tb.id, 3, { kind: 'fine_share', fineYuan: 10_000 })).json().reward).toMatchObject({ amountYuan: 3_000, ruleEffectiveFrom: '1949-01-01', steps: ['罚款 ¥10,000 × 15% = ¥1,500', '不足最低奖励额，按 ¥3,000 计', '奖励金额 ¥3,000'] });
    expect((await propose(tb.id, 4, { kind: 'fine_share', fineYuan: 3_000_000 })).json().reward).toMatchObject({ amountYuan: 300_000 });
    expect((await propose(tb.id, 5, { kind: 'concealed_accident', deaths: 1, grade: 'general' })).statusCode).toBe(400);
    // Received in November: the city's rule; per death by grade, capped, with the employee surcharge.
    expect((await propose(ta.id, 3, { kind: 'fine_share', fineYuan: 10_000 })).statusCode).toBe(400);
    const capped = (await propose(ta.id, 3, { kind: 'concealed_accident', deaths: 7, grade: 'major' })).json().reward;
    expect(capped).toMatchObject({ amountYuan: 300_000, ruleEffectiveFrom: '2026-11-01' });
    expect(capped.steps).toEqual(['重大事故，瞒报死亡 7 人 × ¥50,000 = ¥350,000', '超过总额上限，按 ¥300,000 计', '奖励金额 ¥300,000']);
    const p = (await propose(ta.id, 4, { kind: 'concealed_accident', deaths: 1, grade: 'larger', reporterIsEmployee: true })).json();
    expect(p.reward).toMatchObject({ amountYuan: 48_000 });
    // Approval: not by its proposer; by another officer. Then the reporter sees it and claims it.
    expect((await post('pudong', `/api/tips/${ta.id}/reward/actions/approve`, { version: 5 })).statusCode).toBe(403);
    expect((await post('lujiazui', `/api/tips/${ta.id}/reward/actions/approve`, { version: 5 })).statusCode).toBe(403);
    expect((await post('pudong', `/api/tips/${ta.id}/reward/actions/pay`, { version: 5, paidOn: '2026-11-02', paymentRef: 'JL-001' })).statusCode).toBe(409);
    expect((await post('city', `/api/tips/${ta.id}/reward/actions/approve`, { version: 5 })).json().reward).toMatchObject({ status: 'approved', amountYuan: 48_000 });
    const page = (await pub('GET', `/api/public/tips/${after.receipt}`, undefined, after.secret)).json();
    expect(page.reward).toMatchObject({ status: 'ready', amountYuan: 48_000 });
    const claim = await pub('POST', `/api/public/tips/${after.receipt}/claim`, { name: '领奖人', phone: '13811112222', idNumber: CLAIM_ID }, after.secret);
    expect(claim.statusCode, claim.body).toBe(200);
    expect(claim.json().reward.status).toBe('claimed');
    expect((await everyRow()).includes(CLAIM_ID)).toBe(false);
    expect((await post('custodian', `/api/tips/${ta.id}/identity`, { reason: '核对领奖人身份以便发放' })).json().claim).toMatchObject({ idNumber: CLAIM_ID });
    // The claim moved the tip's version: an officer's page from before it is told to reload.
    expect((await post('pudong', `/api/tips/${ta.id}/reward/actions/pay`, { version: 6, paidOn: '2026-11-02', paymentRef: 'JL-2026-001' })).statusCode).toBe(409);
    const paid = await post('pudong', `/api/tips/${ta.id}/reward/actions/pay`, { version: 7, paidOn: '2026-11-02', paymentRef: 'JL-2026-001' });
    expect(paid.json().reward).toMatchObject({ status: 'paid', paidOn: '2026-11-02', paymentRef: 'JL-2026-001' });
    expect((await pub('GET', `/api/public/tips/${after.receipt}`, undefined, after.secret)).json().reward).toMatchObject({ status: 'paid', amountYuan: 48_000 });
    // Paid: no claim any more.
    expect((await pub('POST', `/api/public/tips/${after.receipt}/claim`, { name: '领奖人', phone: '13811112222' }, after.secret)).statusCode).toBe(409);
  });

  it('a tip about an enterprise triggers an enforcement inspection (type 举报, unannounced), noted on the tip', async () => {
    clock = Date.parse('2026-11-10T02:00:00Z');
    const { receipt } = await send({ enterpriseId: entPd.id, description: '夜间偷偷使用未经检验的压力容器，已经漏气好几次' });
    const tip = await tipOf(receipt);
    await post('pudong', `/api/tips/${tip.id}/actions/accept`, { version: 1 });
    expect((await get('pudong', `/api/tips/${tip.id}`)).json().actions).toContain('inspect');
    const inspectors = (await get('pudong', `/api/tips/${tip.id}/inspectors`)).json().items as { id: string }[];
    expect(inspectors.length).toBeGreaterThanOrEqual(2);
    expect((await post('pudong', `/api/tips/${tip.id}/inspection`, { version: 2, date: '2026-11-11', inspectorIds: [inspectors[0].id] })).statusCode).toBe(400);
    const res = await post('pudong', `/api/tips/${tip.id}/inspection`, { version: 2, date: '2026-11-11', inspectorIds: inspectors.slice(0, 2).map((i) => i.id) });
    expect(res.statusCode, res.body).toBe(201);
    const ins = await t.database.db.selectFrom('inspections').selectAll().where('id', '=', res.json().inspectionId).executeTakeFirstOrThrow();
    expect(ins).toMatchObject({ enterprise_id: entPd.id, type: 'tip', unannounced: 1, date: '2026-11-11' });
    // What the enterprise can read of its inspection carries nothing of the tip.
    expect(JSON.stringify(ins).includes(tip.code)).toBe(false);
    const d = (await get('pudong', `/api/tips/${tip.id}`)).json();
    expect(d.version).toBe(3);
    expect(d.events.find((e: { action: string }) => e.action === 'inspect').data).toMatchObject({ inspectionCode: res.json().inspectionCode });
    // A tip without a registered enterprise has no inspection to arrange.
    const loose = await tipOf((await send({ description: '某个没有登记的小作坊里在生产烟花爆竹配件' })).receipt);
    await post('pudong', `/api/tips/${loose.id}/actions/accept`, { version: 1 });
    expect((await get('pudong', `/api/tips/${loose.id}`)).json().actions).not.toContain('inspect');
    expect((await post('pudong', `/api/tips/${loose.id}/inspection`, { version: 2, date: '2026-11-11', inspectorIds: inspectors.slice(0, 2).map((i) => i.id) })).statusCode).toBe(403);
  });

  it('photos sent through the door and never made part of a tip are removed a day on, content and all', async () => {
    clock = Date.parse('2026-11-15T02:00:00Z');
    const a = (await t.app.inject({ method: 'POST', url: '/api/public/files', ...multipart('file', 'left.png', Buffer.concat([PNG_1x1.subarray(0, 33), Buffer.from([0, 0, 0, 0]), Buffer.from('abCD', 'latin1'), Buffer.alloc(4), PNG_1x1.subarray(33)]), 'image/png') })).json();
    const kept = (await t.app.inject({ method: 'POST', url: '/api/public/files', ...multipart('file', 'used.jpg', jpegWithExif('kept'), 'image/jpeg') })).json();
    await send({ attachmentIds: [kept.id] });
    const row = await t.database.db.selectFrom('tip_uploads').select('sha256').where('id', '=', a.id).executeTakeFirstOrThrow();
    const file = path.join(t.config.DATA_DIR, 'files', row.sha256.slice(0, 2), row.sha256);
    expect(existsSync(file)).toBe(true);
    const store = { remove: (h: string) => rmSync(path.join(t.config.DATA_DIR, 'files', h.slice(0, 2), h), { force: true }) };
    expect((await sweepTipUploads(t.database.db, store, new Date(clock + 3_600_000))).removed).toBe(0);
    expect((await sweepTipUploads(t.database.db, store, new Date(clock + 25 * 3_600_000))).removed).toBeGreaterThanOrEqual(1);
    expect(await t.database.db.selectFrom('tip_uploads').select('id').where('id', 'in', [a.id, kept.id]).execute()).toEqual([{ id: kept.id }]);
    expect(existsSync(file)).toBe(false);
    expect((await sweepTipUploads(t.database.db, store, new Date(clock + 25 * 3_600_000))).removed).toBe(0);
  });

  it('an office registers a phone tip; figures by month, channel, category and district match the lists and a rebuild', async () => {
    clock = Date.parse('2026-11-20T02:00:00Z');
    const phone = await post('pudong', '/api/tips', { channel: 'phone', category: 'major_hazard', description: '来电反映某工地塔吊没有安装限位装置，司机也没有证', districtCode: '310115', anonymous: false, phone: '13600000000', receivedOn: '2026-11-19' });
    expect(phone.statusCode, phone.body).toBe(201);
    expect(phone.json().code).toMatch(/^JB-310115-2026-\d{6}$/);
    expect((await post('ent-pd', '/api/tips', { channel: 'phone', category: 'other', description: '企业不能登记举报，这条应当被拒绝', districtCode: '310115', anonymous: true })).statusCode).toBe(403);
    expect((await get('pudong', '/api/tips/stats')).statusCode).toBe(200);
    expect((await get('yjj', '/api/tips/stats')).statusCode).toBe(403);
    expect((await get('lujiazui', '/api/tips/stats')).statusCode).toBe(403); // kept by district; a street reads its list
    expect((await post('pudong', '/api/tips', { channel: 'letter', category: 'other', description: '来信实名举报但没有留下姓名和电话的情况', districtCode: '310115', anonymous: false })).statusCode).toBe(400);
    const stats = (await get('city', '/api/tips/stats?from=2026-01&to=2026-12')).json();
    const total = async (q: string) => (await get('city', `/api/tips?pageSize=1&from=2026-01&to=2026-12${q}`)).json().total;
    expect(stats.totals.received).toBe(await total(''));
    expect(stats.totals.substantiated).toBe(await total('&substantiated=true'));
    expect(stats.totals.acceptedOnTime).toBe(await total('&acceptedOnTime=true'));
    expect(stats.totals.verifiedOnTime).toBe(await total('&verifiedOnTime=true'));
    expect(stats.totals.rewardsPaid).toBe(await total('&rewardStatus=paid'));
    expect(stats.totals.withHazards).toBe(await total('&withHazards=true'));
    expect(stats.totals.withHazards).toBe(1);
    const phoneLine = stats.byChannel.find((x: { channel: string }) => x.channel === 'phone');
    expect(phoneLine.received).toBe(await total('&channel=phone'));
    const march = stats.byMonth.find((x: { month: string }) => x.month === '2026-03');
    expect(march.received).toBe((await get('city', '/api/tips?pageSize=1&from=2026-03&to=2026-03')).json().total);
    expect(stats.totals).toMatchObject({ rewardsPaid: 1, rewardsPaidYuan: 48_000, hazards: 2 });
    // Kept in each step's transaction: the same as recomputed from the tips.
    const kept = await t.database.db.selectFrom('tip_tallies').selectAll().orderBy('month').orderBy('district_code').orderBy('channel').orderBy('category').execute();
    await t.database.db.transaction().execute((trx) => rebuildTipTallies(trx, t.database.dialect));
    const rebuilt = await t.database.db.selectFrom('tip_tallies').selectAll().orderBy('month').orderBy('district_code').orderBy('channel').orderBy('category').execute();
    const norm = (rows: typeof kept) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v])));
    expect(norm(rebuilt)).toEqual(norm(kept));
  });
});

describe.each(DIALECTS)('the demo city’s tips on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 80, demoHazards: 1_500, demoTips: true });
  });
  afterAll(() => t?.close());

  it('a hundred-odd tips over two years with every outcome, a few rewards, one duplicate pair; figures as the rows say', async () => {
    const db = t.database.db;
    const tips = await db.selectFrom('tips').selectAll().execute();
    expect(tips.length).toBeGreaterThanOrEqual(100);
    expect(new Set(tips.map((x) => x.status))).toEqual(new Set(['received', 'accepted', 'declined', 'verified', 'closed']));
    expect(new Set(tips.map((x) => x.channel)).size).toBeGreaterThanOrEqual(4);
    expect(tips.filter((x) => x.reward_status === 'paid')).toHaveLength(2);
    expect(tips.filter((x) => x.reward_status === 'approved' && x.claimed === 1)).toHaveLength(1);
    const dupes = tips.filter((x) => x.duplicate_of);
    expect(dupes).toHaveLength(1);
    expect(tips.find((x) => x.id === dupes[0].duplicate_of)!.enterprise_id).toBe(dupes[0].enterprise_id);
    expect(tips.some((x) => x.extension === 'approved')).toBe(true);
    const days = tips.map((x) => x.received_at).sort();
    expect(Date.parse(days[days.length - 1]) - Date.parse(days[0])).toBeGreaterThan(600 * 86_400_000);
    // Substantiated tips are the origin of the ledger's tip hazards they found.
    const origins = await db.selectFrom('hazard_origins as o').innerJoin('hazards as h', 'h.id', 'o.hazard_id').select(['h.source']).where('o.origin_type', '=', 'tip').execute();
    expect(origins.length).toBeGreaterThan(10);
    expect(origins.every((o) => o.source === 'tip')).toBe(true);
    // The custodian opens a named demo reporter; the city's figures equal its list.
    const custodian = await t.login('custodian');
    const named = tips.find((x) => x.has_identity === 1)!;
    const shown = await t.as(custodian, { method: 'POST', url: `/api/tips/${named.id}/identity`, payload: { reason: '演示：核对举报人身份' } });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json().name).toMatch(/^\p{Script=Han}{2,3}$/u);
    const city = await t.login('city');
    const stats = (await t.as(city, { method: 'GET', url: '/api/tips/stats?from=2000-01&to=2100-12' })).json();
    expect(stats.totals.received).toBe(tips.length);
    expect(stats.totals.rewardsPaid).toBe(2);
    const overdue = (await t.as(city, { method: 'GET', url: '/api/tips?overdue=true&pageSize=1' })).json().total;
    expect(overdue).toBeGreaterThan(0);
  });
});
