import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../../shared/uscc';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { runQualificationWatch } from './expiry';
import { contradictions, qualificationState, worstState, type DeliveredReport, type LaterFinding } from './watch';

const uscc = (seventeen: string) => seventeen + usccCheckChar(seventeen);

describe('what the registry watches for, on hand-built dates', () => {
  it('a qualification is expiring within the warning days, expired after its last day', () => {
    expect(qualificationState('2026-12-04', '2026-12-05', 60)).toBe('expired');
    expect(qualificationState('2026-12-05', '2026-12-05', 60)).toBe('expiring');
    expect(qualificationState('2027-02-03', '2026-12-05', 60)).toBe('expiring'); // the 60th day
    expect(qualificationState('2027-02-04', '2026-12-05', 60)).toBe('valid');
    expect(worstState(['valid', 'expiring'])).toBe('expiring');
    expect(worstState(['valid', 'expired', 'expiring'])).toBe('expired');
    expect(worstState([])).toBeNull();
  });

  it('an inspection contradicts a report without a major hazard when it finds one there within the window', () => {
    const report: DeliveredReport = { id: 'r', enterpriseId: 'e', serviceType: 'evaluation', concludedOn: '2026-03-01', majorFindings: 0 };
    const found = (id: string, foundOn: string, over: Partial<LaterFinding> = {}): LaterFinding => ({ id, enterpriseId: 'e', grade: 'major', source: 'enforcement_inspection', foundOn, ...over });
    const findings = [
      found('before', '2026-02-28'),
      found('same-day', '2026-03-01'),
      found('day-90', '2026-05-30'),
      found('day-91', '2026-05-31'),
      found('general', '2026-03-10', { grade: 'general' }),
      found('self-check', '2026-03-10', { source: 'self_check' }),
      found('tip', '2026-03-10', { source: 'tip' }),
      found('expert', '2026-04-01', { source: 'expert_inspection' }),
      found('elsewhere', '2026-03-10', { enterpriseId: 'other' }),
    ];
    expect(contradictions([report], findings, 90).map((c) => c.hazardId)).toEqual(['same-day', 'day-90', 'expert']);
    // A shorter window from the rule, the same dates.
    expect(contradictions([report], findings, 30).map((c) => c.hazardId)).toEqual(['same-day']);
    // A report that found a major hazard itself, training, an undelivered report: nothing to contradict.
    expect(contradictions([{ ...report, majorFindings: 1 }], findings, 90)).toEqual([]);
    expect(contradictions([{ ...report, serviceType: 'training' }], findings, 90)).toEqual([]);
    expect(contradictions([{ ...report, concludedOn: null }], findings, 90)).toEqual([]);
  });
});

/** 第三方服务机构 (#16) on both databases: the registry, listings, engagements, findings on the ledger, the record, reminders. */
describe.each(DIALECTS)('agencies on %s', (dialect) => {
  let t: TestApp;
  const clock = Date.parse('2026-11-16T02:00:00Z'); // 10:00 on Monday 16 November in Shanghai
  const who = { city: 'city', pudong: 'pudong', huangpu: 'huangpu', 'ent-pd': 'ent-pd', 'ent-hp': 'ent-hp', e1: 'expert-1' } as const;
  type Who = keyof typeof who;
  const c = {} as Record<Who, string>;
  let entPd: string;
  let otherPd: string;
  let clauseId: string;
  const id = {} as Record<'trusted' | 'lapsed' | 'evaluator' | 'expiring', string>;
  let engagementId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 100_000, SESSION_ABSOLUTE_HOURS: 10_000 } });
    for (const k of Object.keys(who) as Who[]) c[k] = await t.login(who[k]);
    entPd = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    otherPd = (await t.database.db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').where('id', '<>', entPd).orderBy('id').executeTakeFirstOrThrow()).id;
    clauseId = (await t.database.db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('is_lead_in', '=', 0).orderBy('sort').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t?.close());

  const get = (k: Who, url: string) => t.as(c[k], { method: 'GET', url });
  const send = (k: Who, method: 'POST' | 'PATCH', url: string, payload: unknown) => t.as(c[k], { method, url, payload: payload as object });
  const post = (k: Who, url: string, payload: unknown = {}) => send(k, 'POST', url, payload);
  const count = async (table: 'hazards' | 'hazard_origins' | 'audit_log' | 'record_events' | 'agency_engagements' | 'notifications') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const upload = async (k: Who, name = 'report.png') => (await t.as(c[k], { method: 'POST', url: '/api/files', ...multipart('file', name, PNG_1x1, 'image/png') })).json().id as string;
  const agency = (name: string, code: string, over: object = {}) => ({
    name,
    uscc: uscc(code),
    serviceTypes: ['evaluation', 'consulting'],
    approvedBy: '上海市应急管理局',
    qualifications: [{ name: '安全评价机构资质', issuer: '上海市应急管理局', number: `APJ-(沪)-${code.slice(-3)}`, expiresOn: '2028-06-30' }],
    staff: [{ name: '张工', certificate: '安全评价师', certificateNo: 'S-0001' }],
    ...over,
  });

  it('the registry: an office registers agencies under itself; every account of the city reads it; a bad credit code or a second entry is refused', async () => {
    const made = await post('pudong', '/api/agencies', agency('上海安评咨询有限公司', '91310115MA1K00001'));
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ districtCode: '310115', qualificationState: 'valid', listed: false, warnings: [], engagements: 0, mayEdit: true });
    id.trusted = made.json().id;
    const lapsed = await post('pudong', '/api/agencies', agency('上海某检测技术有限公司', '91310115MA1K00002', { serviceTypes: ['testing'], qualifications: [{ name: '检验检测机构资质认定', issuer: '上海市市场监督管理局', number: 'CMA-2020-01', expiresOn: '2026-10-31' }] }));
    expect(lapsed.statusCode, lapsed.body).toBe(201);
    expect(lapsed.json()).toMatchObject({ qualificationState: 'expired', warnings: ['资质“检验检测机构资质认定”（CMA-2020-01）已于 2026-10-31 过期'] });
    id.lapsed = lapsed.json().id;
    id.evaluator = (await post('city', '/api/agencies', agency('上海市安全评价中心', '12310000MB0000003', { serviceTypes: ['evaluation', 'training'] }))).json().id;

    const bad = await post('pudong', '/api/agencies', agency('校验位错误', '91310115MA1K00004', { uscc: '91310115MA1K000049' }));
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'INVALID_USCC']);
    const twice = await post('huangpu', '/api/agencies', agency('重复登记', '91310115MA1K00001'));
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'DUPLICATE_USCC']);
    expect((await post('ent-pd', '/api/agencies', agency('企业不能登记', '91310115MA1K00005'))).statusCode).toBe(403);
    expect((await post('huangpu', '/api/agencies', agency('越区登记', '91310115MA1K00006', { districtCode: '310115' }))).statusCode).toBe(403);
    const noService = await post('pudong', '/api/agencies', agency('没有服务', '91310115MA1K00007', { serviceTypes: [] }));
    expect(noService.statusCode).toBe(400);
    expect(noService.json().errors[0].message).toContain('服务类型');

    // Huangpu reads Pudong's entry but does not keep it.
    const seen = (await get('huangpu', `/api/agencies/${id.trusted}`)).json();
    expect(seen.mayEdit).toBe(false);
    expect((await send('huangpu', 'PATCH', `/api/agencies/${id.trusted}`, { version: seen.version, name: '改名' })).statusCode).toBe(403);
    const renamed = await send('pudong', 'PATCH', `/api/agencies/${id.trusted}`, { version: seen.version, contactPhone: '021-50001234', staff: [{ name: '张工', certificate: '安全评价师', certificateNo: 'S-0001' }, { name: '李工', certificate: '注册安全工程师', certificateNo: 'ZA-2020-18', certificateExpiresOn: '2026-01-01' }] });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().staff.map((s: { expired: boolean }) => s.expired)).toEqual([false, true]);
    expect((await send('pudong', 'PATCH', `/api/agencies/${id.trusted}`, { version: seen.version, name: '旧版本' })).statusCode).toBe(409);

    const list = (await get('ent-pd', '/api/agencies?pageSize=50')).json();
    expect(list.total).toBe(3);
    expect((await get('ent-pd', '/api/agencies?qualification=expired')).json().items.map((a: { id: string }) => a.id)).toEqual([id.lapsed]);
    expect((await get('e1', '/api/agencies?q=安全评价中心')).json().items.map((a: { id: string }) => a.id)).toEqual([id.evaluator]);
    expect((await get('pudong', '/api/agencies?serviceType=testing')).json().total).toBe(1);
    const audited = await t.database.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'agency').where('entity_id', '=', id.trusted).orderBy('seq').execute();
    expect(audited.map((a) => a.action)).toEqual(['agency.registered', 'agency.updated']);
  });

  it('a district lists an agency as untrustworthy (audited, once); only it lifts the listing', async () => {
    expect((await post('huangpu', `/api/agencies/${id.trusted}/listings`, { reason: '短' })).statusCode).toBe(400);
    expect((await post('ent-hp', `/api/agencies/${id.trusted}/listings`, { reason: '企业不能列入失信名单' })).statusCode).toBe(403);
    // Sent twice at once (a double click): one listing, one refusal.
    const both = await Promise.all([1, 2].map(() => post('huangpu', `/api/agencies/${id.trusted}/listings`, { reason: '出具虚假安全评价报告，已被立案调查' })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const listed = both.find((r) => r.statusCode === 201)!;
    expect(listed.json()).toMatchObject({ listed: true, warnings: ['黄浦区已将该机构列入失信名单：出具虚假安全评价报告，已被立案调查'] });
    expect((await post('huangpu', `/api/agencies/${id.trusted}/listings`, { reason: '同一单位再次列入' })).statusCode).toBe(409);
    const listingId = listed.json().listings[0].id;
    expect(listed.json().listings[0].mayLift).toBe(true);
    expect((await get('pudong', `/api/agencies/${id.trusted}`)).json().listings[0].mayLift).toBe(false);
    expect((await post('pudong', `/api/agencies/${id.trusted}/listings/${listingId}/lift`, { reason: '不是本区列入的' })).statusCode).toBe(403);
    expect((await get('ent-pd', '/api/agencies?listed=true')).json().items.map((a: { id: string }) => a.id)).toEqual([id.trusted]);
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'after_json']).where('entity_type', '=', 'agency').where('action', '=', 'agency.listed').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].after_json).toContain('出具虚假安全评价报告');
  });

  it('an enterprise engages an agency only having acknowledged its warnings, for itself, for a service the agency offers', async () => {
    const base = { enterpriseId: entPd, agencyId: id.trusted, serviceType: 'evaluation', from: '2026-10-01', to: '2026-12-31' };
    const warned = await post('ent-pd', '/api/agency-engagements', base);
    expect(warned.statusCode).toBe(400);
    expect(warned.json().errors[0].path).toBe('acknowledgeWarnings');
    expect(warned.json().detail).toContain('出具虚假安全评价报告');
    expect((await post('ent-pd', '/api/agency-engagements', { ...base, acknowledgeWarnings: true, serviceType: 'testing' })).json().errors[0].path).toBe('serviceType');
    const foreign = await post('ent-pd', '/api/agency-engagements', { ...base, acknowledgeWarnings: true, enterpriseId: otherPd });
    expect([foreign.statusCode, foreign.json().code]).toEqual([400, 'UNKNOWN_ENTERPRISE']);
    expect((await post('e1', '/api/agency-engagements', { ...base, acknowledgeWarnings: true })).statusCode).toBe(403);
    expect(await count('agency_engagements')).toBe(0);

    const contract = await upload('ent-pd', 'contract.png');
    const made = await post('ent-pd', '/api/agency-engagements', { ...base, acknowledgeWarnings: true, fileIds: [contract] });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ status: 'in_service', agencyName: '上海安评咨询有限公司', mayRecord: true, files: [{ fileId: contract, kind: 'contract' }] });
    expect(made.json().warningsAcknowledged[0]).toContain('黄浦区');
    engagementId = made.json().id;
    expect((await get('pudong', `/api/agencies/${id.trusted}`)).json().engagements).toBe(1);
    // Its district sees it; another district and an enterprise elsewhere do not; nor the contract.
    expect((await get('pudong', '/api/agency-engagements')).json().items.map((e: { id: string }) => e.id)).toEqual([engagementId]);
    expect((await get('huangpu', `/api/agency-engagements/${engagementId}`)).statusCode).toBe(404);
    expect((await get('ent-hp', '/api/agency-engagements')).json().total).toBe(0);
    expect((await get('pudong', `/api/files/${contract}`)).statusCode).toBe(200);
    expect((await get('huangpu', `/api/files/${contract}`)).statusCode).toBe(404);
  });

  it('the agency’s findings land on the ledger with the engagement in one transaction; a failing one writes nothing', async () => {
    const url = `/api/agency-engagements/${engagementId}`;
    const before = { hazards: await count('hazards'), origins: await count('hazard_origins'), audit: await count('audit_log'), events: await count('record_events') };
    const failing = await post('ent-pd', `${url}/findings`, { version: 1, findings: [{ description: '消防通道堆放杂物', grade: 'general' }, { description: '重大隐患但未引用条款', grade: 'major' }] });
    expect(failing.statusCode).toBe(400);
    expect(failing.json().errors[0].path).toBe('findings.1.clauseIds');
    expect({ hazards: await count('hazards'), origins: await count('hazard_origins'), audit: await count('audit_log'), events: await count('record_events') }).toEqual(before);

    const photo = await upload('ent-pd', 'finding.png');
    const ok = await post('ent-pd', `${url}/findings`, { version: 1, findings: [{ description: '消防通道堆放杂物', grade: 'general', attachmentIds: [photo] }, { description: '粉尘爆炸危险场所未按规定设置泄爆装置', grade: 'major', clauseIds: [clauseId] }] });
    expect(ok.statusCode, ok.body).toBe(200);
    const { hazardIds, version } = ok.json();
    expect(version).toBe(2);
    const rows = await t.database.db.selectFrom('hazards').select(['id', 'source', 'grade', 'enterprise_id', 'found_by_name']).where('id', 'in', hazardIds).execute();
    expect(rows.map((h) => [h.source, h.enterprise_id, h.found_by_name]).sort()).toEqual([
      ['third_party', entPd, '上海安评咨询有限公司'],
      ['third_party', entPd, '上海安评咨询有限公司'],
    ]);
    const origins = await t.database.db.selectFrom('hazard_origins').select(['hazard_id', 'origin_type', 'origin_id']).where('hazard_id', 'in', hazardIds).execute();
    expect(origins.every((o) => o.origin_type === 'agency_engagement' && o.origin_id === engagementId)).toBe(true);
    expect(origins).toHaveLength(2);
    const detail = (await get('pudong', url)).json();
    expect(detail).toMatchObject({ findings: 2, majorFindings: 1 });
    expect(detail.findingsList.map((f: { hazardId: string }) => f.hazardId).sort()).toEqual([...hazardIds].sort());
    expect((await get('pudong', `/api/agencies/${id.trusted}`)).json()).toMatchObject({ findings: 2, majorFindings: 1 });
    // The hazards route itself still takes only an enterprise's self-check.
    const direct = await post('ent-pd', '/api/hazards', { enterpriseId: entPd, description: '自称第三方发现的隐患', location: '仓库', grade: 'general', source: 'third_party', foundAt: new Date(clock - 60_000).toISOString() });
    expect(direct.statusCode).toBe(400);
  });

  it('filing the report needs its files, closes the engagement, and its files are read by whoever sees the engagement', async () => {
    const url = `/api/agency-engagements/${engagementId}`;
    expect((await post('ent-pd', `${url}/actions/conclude`, { version: 2, concludedOn: '2026-11-10', conclusion: '存在重大事故隐患1项', fileIds: [] })).statusCode).toBe(400);
    expect((await post('ent-pd', `${url}/actions/conclude`, { version: 2, concludedOn: '2026-11-20', conclusion: '未来日期', fileIds: [await upload('ent-pd')] })).statusCode).toBe(400);
    const report = await upload('ent-pd', 'evaluation-report.png');
    const done = await post('ent-pd', `${url}/actions/conclude`, { version: 2, concludedOn: '2026-11-10', conclusion: '存在重大事故隐患1项', fileIds: [report] });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'concluded', concludedOn: '2026-11-10', mayRecord: false, contradictedBy: [] });
    expect(done.json().events.map((e: { action: string }) => e.action)).toEqual(['engage', 'findings', 'conclude']);
    expect((await get('pudong', `/api/files/${report}`)).statusCode).toBe(200);
    expect((await get('ent-hp', `/api/files/${report}`)).statusCode).toBe(404);
    expect((await post('ent-pd', `${url}/findings`, { version: 3, findings: [{ description: '报告之后再补的隐患', grade: 'general' }] })).statusCode).toBe(409);
  });

  it('an inspection that finds a major hazard within the window contradicts a report without one; the record names it only to those in scope', async () => {
    const made = await post('pudong', '/api/agency-engagements', { enterpriseId: otherPd, agencyId: id.evaluator, serviceType: 'evaluation', from: '2026-08-01', to: '2026-09-30' });
    expect(made.statusCode, made.body).toBe(201);
    const report = await upload('pudong');
    const concluded = await post('pudong', `/api/agency-engagements/${made.json().id}/actions/conclude`, { version: 1, concludedOn: '2026-09-20', conclusion: '未发现重大事故隐患', fileIds: [report] });
    expect(concluded.statusCode, concluded.body).toBe(200);
    const hazard = (source: string, grade: 'major' | 'general', daysAgo: number) =>
      post('pudong', '/api/hazards', { enterpriseId: otherPd, description: `检查发现的隐患（${source}）`, location: '车间', grade, clauseIds: grade === 'major' ? [clauseId] : [], source, foundAt: new Date(clock - daysAgo * 86_400_000).toISOString() });
    const hit = await hazard('enforcement_inspection', 'major', 10); // 2026-11-06: day 47 after the report
    expect(hit.statusCode, hit.body).toBe(201);
    await hazard('enforcement_inspection', 'general', 10);
    await hazard('tip', 'major', 10);
    await hazard('enforcement_inspection', 'major', 60); // 2026-09-17: before the report

    const seen = (await get('pudong', `/api/agencies/${id.evaluator}`)).json();
    expect(seen.contradictedCount).toBe(1);
    expect(seen.contradicted).toEqual([expect.objectContaining({ engagementId: made.json().id, hazardId: hit.json().id, concludedOn: '2026-09-20', foundOn: '2026-11-06' })]);
    expect((await get('pudong', `/api/agency-engagements/${made.json().id}`)).json().contradictedBy.map((x: { hazardId: string }) => x.hazardId)).toEqual([hit.json().id]);
    // Another district's officer and an enterprise see the count, not whose report or which hazard.
    for (const k of ['huangpu', 'ent-pd'] as const) {
      const other = (await get(k, `/api/agencies/${id.evaluator}`)).json();
      expect([other.contradictedCount, other.contradicted]).toEqual([1, []]);
    }
    // A shorter window set as the rule, from today: the same report is no longer contradicted.
    const admin = await t.login('admin');
    const rule = await t.as(admin, { method: 'PUT', url: '/api/rules/agencies.watch', payload: { value: { contradictionDays: 30, expiryWarningDays: 60 }, effectiveFrom: '2026-11-16', sourceNote: '测试：缩短窗口' } });
    expect(rule.statusCode, rule.body).toBe(200);
    expect((await get('pudong', `/api/agencies/${id.evaluator}`)).json().contradictedCount).toBe(0);
  });

  it('complaints from an enterprise that engaged the agency; penalties from an office', async () => {
    expect((await post('ent-pd', `/api/agencies/${id.trusted}/records`, { kind: 'penalty', occurredOn: '2026-11-01', summary: '企业不能登记处罚' })).statusCode).toBe(403);
    expect((await post('ent-pd', `/api/agencies/${id.lapsed}/records`, { kind: 'complaint', occurredOn: '2026-11-01', summary: '从未委托过的机构' })).statusCode).toBe(403);
    const complained = await post('ent-pd', `/api/agencies/${id.trusted}/records`, { kind: 'complaint', occurredOn: '2026-11-12', summary: '评价人员未到现场即出具报告' });
    expect(complained.statusCode, complained.body).toBe(201);
    const fined = await post('pudong', `/api/agencies/${id.trusted}/records`, { kind: 'penalty', occurredOn: '2026-11-14', summary: '出具失实报告，罚款并没收违法所得' });
    expect(fined.statusCode, fined.body).toBe(201);
    expect(fined.json()).toMatchObject({ complaints: 1, penalties: 1 });
    expect((await post('pudong', `/api/agencies/${id.trusted}/records`, { kind: 'penalty', occurredOn: '2026-12-01', summary: '未来日期的处罚' })).statusCode).toBe(400);
  });

  it('the office that listed an agency lifts the listing with a reason; the warning goes, the record stays', async () => {
    const before = (await get('huangpu', `/api/agencies/${id.trusted}`)).json();
    const listingId = before.listings[0].id;
    expect((await post('huangpu', `/api/agencies/${id.trusted}/listings/${listingId}/lift`, {})).statusCode).toBe(400);
    const lifted = await post('huangpu', `/api/agencies/${id.trusted}/listings/${listingId}/lift`, { reason: '经复查已整改，处罚已执行完毕' });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(lifted.json()).toMatchObject({ listed: false, warnings: [] });
    expect(lifted.json().listings[0]).toMatchObject({ liftReason: '经复查已整改，处罚已执行完毕', mayLift: false });
    expect((await post('huangpu', `/api/agencies/${id.trusted}/listings/${listingId}/lift`, { reason: '再次移出' })).statusCode).toBe(409);
    expect((await get('ent-pd', '/api/agencies?listed=true')).json().total).toBe(0);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'agency').where('entity_id', '=', id.trusted).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['agency.registered', 'agency.updated', 'agency.listed', 'agency.complaint', 'agency.penalty', 'agency.listing_lifted']);
  });

  it('qualifications expiring within the warning days are told to the keeping office and the enterprises served, once', async () => {
    const made = await post('pudong', '/api/agencies', agency('上海某安全托管服务有限公司', '91310115MA1K00008', {
      serviceTypes: ['hosting'],
      qualifications: [
        { name: '安全生产托管服务备案', issuer: '浦东新区应急管理局', number: 'TG-01', expiresOn: '2026-12-16' },
        { name: '远期资质', issuer: '浦东新区应急管理局', number: 'TG-02', expiresOn: '2027-06-30' },
      ],
    }));
    expect(made.json().qualificationState).toBe('expiring');
    id.expiring = made.json().id;
    expect((await post('ent-pd', '/api/agency-engagements', { enterpriseId: entPd, agencyId: id.expiring, serviceType: 'hosting', from: '2026-11-01', to: '2027-10-31' })).statusCode).toBe(201);
    const notices = () => t.database.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').select(['u.username', 'n.title', 'n.link']).where('n.kind', '=', 'agency.qualification_expiring').orderBy('u.username').execute();
    await runQualificationWatch(t.database.db, new Date(clock));
    const first = await notices();
    // The expired one is flagged, not reminded of; the far one is not due yet; CMA-2020-01 expired already.
    expect(first.every((n) => n.title.includes('TG-01'))).toBe(true);
    expect(first.map((n) => n.username)).toEqual(expect.arrayContaining(['pudong', 'ent-pd']));
    expect(first.some((n) => n.username === 'huangpu')).toBe(false);
    expect(first[0].link).toBe(`/agencies?id=${id.expiring}`);
    const total = await count('notifications');
    await runQualificationWatch(t.database.db, new Date(clock));
    await runQualificationWatch(t.database.db, new Date(clock + 86_400_000));
    expect(await count('notifications')).toBe(total);
  });
});

/** The demo city's agencies (#16): a dozen, the ledger's third-party hazards on their engagements, one expired, one contradicted, one listed. */
describe.each(DIALECTS)('the demo agencies on %s', (dialect) => {
  let t: TestApp;
  const clock = Date.parse('2026-11-16T02:00:00Z');
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 200, demoHazards: 2000, demoAgencies: true, now: () => new Date(clock) });
  });
  afterAll(() => t?.close());

  it('every third-party hazard since the start of last year belongs to an engagement; the agencies’ figures equal their engagements', async () => {
    const db = t.database.db;
    const hazards = await db.selectFrom('hazards').select('id').where('source', '=', 'third_party').where('found_at', '>=', Date.parse('2025-01-01T00:00:00.000Z')).execute();
    expect(hazards.length).toBeGreaterThan(0);
    const linked = await db.selectFrom('hazard_origins').select('hazard_id').where('origin_type', '=', 'agency_engagement').execute();
    expect(new Set(linked.map((l) => l.hazard_id))).toEqual(new Set(hazards.map((h) => h.id)));
    const sums = await db
      .selectFrom('agency_engagements')
      .select(['agency_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('findings').as('f'), (eb) => eb.fn.sum<number>('major_findings').as('m')])
      .groupBy('agency_id')
      .execute();
    const rows = await db.selectFrom('agencies').select(['id', 'engagements', 'findings', 'major_findings']).execute();
    expect(rows).toHaveLength(12);
    for (const a of rows) {
      const s = sums.find((x) => x.agency_id === a.id);
      expect([a.engagements, a.findings, a.major_findings]).toEqual([Number(s?.n ?? 0), Number(s?.f ?? 0), Number(s?.m ?? 0)]);
    }
  });

  it('shows one expired qualification, one listing, a contradicted report, and reminds ent-pd of the expiring one', async () => {
    const pudong = await t.login('pudong');
    const get = (url: string, who = pudong) => t.as(who, { method: 'GET', url });
    expect((await get('/api/agencies?qualification=expired')).json().total).toBe(1);
    const listed = (await get('/api/agencies?listed=true')).json();
    expect(listed.total).toBe(1);
    expect(listed.items[0].warnings[0]).toContain('浦东新区已将该机构列入失信名单');
    const first = (await get('/api/agencies?q=浦安安全评价')).json().items[0];
    const detail = (await get(`/api/agencies/${first.id}`)).json();
    expect(detail.contradictedCount).toBeGreaterThanOrEqual(1);
    expect(detail.contradicted.length).toBeGreaterThanOrEqual(1);
    await runQualificationWatch(t.database.db, new Date(clock));
    const entPd = await t.login('ent-pd');
    const inbox = (await get('/api/notifications', entPd)).json();
    expect(inbox.items.some((n: { title: string }) => n.title.includes('上海东岸安全技术咨询有限公司'))).toBe(true);
    expect((await get('/api/agency-engagements?status=in_service', entPd)).json().items.map((e: { agencyName: string }) => e.agencyName)).toContain('上海东岸安全技术咨询有限公司');
  });
});
