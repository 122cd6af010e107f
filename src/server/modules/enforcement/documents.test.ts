import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { Bulletin, BulletinFigures, CaseDetail, InspectionDetail, InspectionFinding } from '../../../shared/contracts/enforcement';
import { bulletinDocx, deadlineText, inspectionRecordDocx, penaltyDecisionDocx, quarterName, rectificationOrderDocx, yuanInCapitals } from './documents';

async function docxText(buf: Buffer): Promise<{ xml: string; body: string }> {
  const xml = await (await JSZip.loadAsync(buf)).file('word/document.xml')!.async('string');
  return { xml, body: [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('') };
}

const finding = (over: Partial<InspectionFinding>): InspectionFinding => ({
  hazardId: 'h1',
  code: 'YH-310115-2026-0001',
  description: '疏散通道堆放纸箱',
  location: '一号仓库',
  grade: 'general',
  status: 'rectifying',
  deadline: '2026-10-20',
  clauseNos: [],
  itemId: null,
  attachmentIds: [],
  ...over,
});

const enterprise = { id: 'e1', name: '上海测试机械有限公司', uscc: '91310115MA1K000001', address: '浦东新区测试路1号', principalName: '王大明' };

function inspection(over: Partial<InspectionDetail> = {}): InspectionDetail {
  return {
    id: 'i1',
    code: 'JC-310115-2026-000007',
    enterpriseId: enterprise.id,
    enterpriseName: enterprise.name,
    districtCode: '310115',
    streetCode: null,
    industryCode: 'C34',
    type: 'random',
    status: 'finished',
    unannounced: true,
    date: '2026-10-09',
    inspectorIds: ['u1', 'u2'],
    inspectorNames: ['李执法', '赵执法'],
    findings: 2,
    majorFindings: 1,
    drawId: null,
    finishedAt: '2026-10-09T08:00:00Z',
    version: 3,
    enterprise: { ...enterprise, riskClass: 'high', standardizationLevel: 'level3', openHazards: 2, openMajorHazards: 1 },
    checklist: {
      id: 'c1',
      title: '机械制造企业执法检查表',
      version: 1,
      items: [
        { id: 'it2', seq: 2, text: '除尘系统是否设置泄爆装置', clauseId: 'k1', clauseNo: '第3.2条' },
        { id: 'it1', seq: 1, text: '疏散通道是否畅通', clauseId: null, clauseNo: null },
        { id: 'it3', seq: 3, text: '叉车是否定期检验', clauseId: null, clauseNo: null },
      ],
    },
    results: [
      { itemId: 'it1', result: 'hazard', note: '堆放纸箱' },
      { itemId: 'it2', result: 'hazard', note: null },
      { itemId: 'it3', result: 'na', note: '未使用叉车' },
    ],
    findingsList: [
      finding({ itemId: 'it1' }),
      finding({ hazardId: 'h2', code: 'YH-310115-2026-0002', description: '除尘系统未设置泄爆装置', location: '二号车间', grade: 'major', deadline: '2026-12-31', clauseNos: ['第3.2条', '第4.1条'], itemId: 'it2' }),
    ],
    follows: null,
    pastInspections: [],
    signature: { signedBy: '王大明', refused: false, note: null },
    note: null,
    cases: [],
    events: [],
    allowedActions: [],
    mayRecord: false,
    ...over,
  };
}

const decidedCase: CaseDetail = {
  id: 'k1',
  code: 'AJ-310115-2026-000003',
  status: 'decided',
  enterpriseId: enterprise.id,
  enterpriseName: enterprise.name,
  districtCode: '310115',
  inspectionId: 'i1',
  violation: '未按规定在除尘系统设置泄爆装置，存在粉尘爆炸重大事故隐患',
  provisions: [{ id: 'p1', law: '中华人民共和国安全生产法', article: '第一百零二条', title: '未采取措施消除事故隐患的处罚' }],
  hazardIds: ['h2'],
  decision: 'fine',
  circumstance: 'B2',
  discretion: { label: '一般违法情形（首次发现，及时改正）', minYuan: 10000, maxYuan: 50000 },
  fineYuan: 12000,
  paidYuan: 0,
  decidedOn: '2026-11-02',
  paidOn: null,
  closedOn: null,
  documentNo: '浦应急罚〔2026〕15号',
  appealStatus: 'none',
  filedOn: '2026-10-15',
  version: 2,
  events: [],
  allowedActions: ['record_payment', 'record_appeal'],
};

const penaltyOpts = { districtName: '浦东新区', issuingBody: '上海市浦东新区应急管理局', enterprise };

describe('inspection record (现场检查记录)', () => {
  it('holds the enterprise, date, type, 四不两直, inspectors, checklist results, findings and both signatures', async () => {
    const { body, xml } = await docxText(await inspectionRecordDocx(inspection(), { districtName: '浦东新区' }));
    expect(body).toContain('浦东新区安全生产现场检查记录');
    expect(body).toContain('编号：JC-310115-2026-000007');
    for (const s of ['被检查单位：上海测试机械有限公司', '统一社会信用代码：91310115MA1K000001', '地址：浦东新区测试路1号', '主要负责人：王大明']) expect(body).toContain(s);
    expect(body).toContain('检查时间：2026年10月9日');
    expect(body).toContain('检查类型：双随机抽查');
    expect(body).toContain('“四不两直”检查：是');
    expect(body).toContain('执法人员：李执法、赵执法');
    // Checklist items in their order, each with its result.
    expect(body).toContain('1疏散通道是否畅通—发现隐患堆放纸箱2除尘系统是否设置泄爆装置第3.2条发现隐患3叉车是否定期检验—不适用未使用叉车');
    expect(body).toContain('1疏散通道堆放纸箱一号仓库一般—2026年10月20日');
    expect(body).toContain('2除尘系统未设置泄爆装置二号车间重大第3.2条、第4.1条2026年12月31日');
    expect(body).toContain('被检查单位负责人签字：王大明');
    expect(body).toMatch(/执法人员：李执法\s+签字：.*执法人员：赵执法\s+签字：/);
    expect(xml).toContain('w:eastAsia="仿宋"');
    expect(xml).toContain('w:eastAsia="黑体"');
  });

  it('records a refusal to sign, the names given, and an inspection without checklist or findings', async () => {
    const d = inspection({ checklist: null, results: [], findingsList: [], unannounced: false, type: 'follow_up', signature: { signedBy: null, refused: true, note: '负责人拒绝签字，现场录像' } });
    const { body } = await docxText(await inspectionRecordDocx(d, { districtName: '浦东新区', inspectorNames: ['钱一', '孙二'] }));
    expect(body).toContain('检查类型：复查');
    expect(body).toContain('“四不两直”检查：否');
    expect(body).toContain('执法人员：钱一、孙二');
    expect(body).not.toContain('检查内容及结果');
    expect(body).toContain('本次检查未发现事故隐患。');
    expect(body).toContain('被检查单位负责人：拒绝签字（执法人员注明：负责人拒绝签字，现场录像）');
  });
});

describe('rectification order (责令限期整改指令书)', () => {
  it('lists every finding with its deadline, orders the rectification, states the remedies, issuer, date and receipt', async () => {
    const d = inspection({ findingsList: [...inspection().findingsList, finding({ hazardId: 'h3', description: '配电箱未接地', location: '', deadline: null })] });
    const { body } = await docxText(await rectificationOrderDocx(d, { districtName: '浦东新区', issuingBody: '上海市浦东新区应急管理局', documentNo: '浦应急责改〔2026〕88号' }));
    expect(body).toContain('上海市浦东新区应急管理局责令限期整改指令书浦应急责改〔2026〕88号');
    expect(body).toContain('上海测试机械有限公司：');
    expect(body).toContain('经查，你单位存在下列问题：');
    expect(body).toContain('1疏散通道堆放纸箱一号仓库一般—2026年10月20日');
    expect(body).toContain('2除尘系统未设置泄爆装置二号车间重大第3.2条、第4.1条2026年12月31日');
    expect(body).toContain('3配电箱未接地—一般—立即整改');
    expect(body).toContain('其中重大事故隐患应当制定并落实治理方案');
    expect(body).toContain('如不服本指令，可以依法申请行政复议或者提起行政诉讼。');
    expect(body).not.toMatch(/第[一二三四五六七八九十百零]+条/);
    expect(body).toContain('上海市浦东新区应急管理局（印章）2026年10月9日');
    expect(body).toContain('被检查单位负责人签收：');
    expect(body).not.toContain('当事人');
  });

  it('leaves the number blank when none is given, and refuses an inspection without findings', async () => {
    const { body } = await docxText(await rectificationOrderDocx(inspection(), { districtName: '浦东新区', issuingBody: '浦东新区应急管理局' }));
    expect(body).toMatch(/责令限期整改指令书〔\s+〕\s+号/);
    await expect(rectificationOrderDocx(inspection({ findingsList: [] }), { districtName: '浦东新区', issuingBody: '浦东新区应急管理局' })).rejects.toThrow('未发现事故隐患');
  });

  it('gives a finding without a deadline the plan (major) or at once (general)', () => {
    expect(deadlineText({ grade: 'major', deadline: null })).toBe('按整改方案');
    expect(deadlineText({ grade: 'general', deadline: null })).toBe('立即整改');
    expect(deadlineText({ grade: 'general', deadline: '2026-03-05' })).toBe('2026年3月5日');
  });
});

describe('penalty decision (行政处罚决定书)', () => {
  it('names the party, violation, provision as catalogued, discretion, the fine in figures and capitals, payment, remedies, issuer and date', async () => {
    const { body } = await docxText(await penaltyDecisionDocx(decidedCase, penaltyOpts));
    expect(body).toContain('上海市浦东新区应急管理局行政处罚决定书浦应急罚〔2026〕15号');
    expect(body).toContain('当事人：上海测试机械有限公司');
    expect(body).toContain('法定代表人（主要负责人）：王大明');
    expect(body).toContain(decidedCase.violation);
    expect(body).toContain('《中华人民共和国安全生产法》第一百零二条　未采取措施消除事故隐患的处罚');
    expect(body).toContain('裁量情形：一般违法情形（首次发现，及时改正）');
    expect(body).toContain('罚款人民币12,000.00元（大写：壹万贰仟元整）');
    expect(body).toContain('十五日内');
    expect(body).toContain('如不服本决定，可以依法申请行政复议或者提起行政诉讼。');
    expect(body).toContain('上海市浦东新区应急管理局（印章）2026年11月2日');
    expect(body).toContain('当事人签收：');
    // The only article cited is the one the case holds.
    expect(body.match(/第[一二三四五六七八九十百零]+条/g)).toEqual(['第一百零二条']);
  });

  it('writes a warning without payment wording, and a blank number when the case has none', async () => {
    const { body } = await docxText(await penaltyDecisionDocx({ ...decidedCase, decision: 'warning', fineYuan: null, documentNo: null, discretion: null }, penaltyOpts));
    expect(body).toContain('本机关决定对你单位给予如下行政处罚：警告。');
    expect(body).toContain('裁量情形：B2');
    expect(body).not.toContain('十五日内');
    expect(body).toMatch(/行政处罚决定书〔\s+〕\s+号/);
  });

  it('refuses a case without a decision, or a fine without an amount', async () => {
    await expect(penaltyDecisionDocx({ ...decidedCase, status: 'filed', decision: null, decidedOn: null, fineYuan: null }, penaltyOpts)).rejects.toThrow('尚未作出处罚决定');
    await expect(penaltyDecisionDocx({ ...decidedCase, fineYuan: null }, penaltyOpts)).rejects.toThrow('未载明罚款金额');
  });

  it('writes amounts in Chinese capitals', () => {
    expect([12000, 100.05, 0.5, 0, 10010, 100_000_000, 1_000_010.3, 20_500.07].map(yuanInCapitals)).toEqual([
      '壹万贰仟元整',
      '壹佰元零伍分',
      '伍角',
      '零元整',
      '壹万零壹拾元整',
      '壹亿元整',
      '壹佰万零壹拾元叁角',
      '贰万零伍佰元零柒分',
    ]);
  });
});

describe('quarterly bulletin (季度执法通报)', () => {
  const figures = (over: Partial<BulletinFigures>): BulletinFigures => ({
    inspections: 200,
    inspectionsLastYear: 160,
    change: 0.25,
    planned: 150,
    triggered: 50,
    unannounced: 80,
    hazards: 310,
    majorHazards: 12,
    hazardsPer100: 155,
    majorPer100: 6,
    findingsClosed: 279,
    rectificationRate: 0.9,
    cases: 9,
    decisions: 7,
    fines: 6,
    fineYuan: 185000,
    keyUnits: 40,
    keyUnitsCovered: 37,
    ...over,
  });
  const pudong = figures({ inspections: 120, inspectionsLastYear: 100, change: 0.2, planned: 90, triggered: 30, unannounced: 50, hazards: 200, majorHazards: 8, hazardsPer100: 166.6667, majorPer100: 6.6667, findingsClosed: 180, rectificationRate: 0.9, cases: 5, decisions: 4, fines: 3, fineYuan: 95000, keyUnits: 25, keyUnitsCovered: 23 });
  const huangpu = figures({ inspections: 80, inspectionsLastYear: 60, change: 0.333333, planned: 60, triggered: 20, unannounced: 30, hazards: 110, majorHazards: 4, hazardsPer100: 137.5, majorPer100: 5, findingsClosed: 99, rectificationRate: 0.9, cases: 4, decisions: 3, fines: 3, fineYuan: 90000, keyUnits: 15, keyUnitsCovered: 14 });
  const city: Bulletin = {
    quarter: '2026Q3',
    from: '2026-07-01',
    to: '2026-09-30',
    districtCode: null,
    name: '上海市',
    totals: figures({}),
    rows: [
      { ...pudong, districtCode: '310115', name: '浦东新区' },
      { ...huangpu, districtCode: '310101', name: '黄浦区' },
    ],
  };

  it('titles the quarter and writes the totals in words, with shares, rates and the district table', async () => {
    const { body, xml } = await docxText(await bulletinDocx(city));
    expect(body).toContain('上海市2026年第三季度安全生产执法检查情况通报');
    expect(body).toContain('（2026年7月1日至2026年9月30日），上海市共开展安全生产执法检查200次，上年同期160次，同比增长25.0%。');
    expect(body).toContain('计划检查（含双随机抽查）150次，占75.0%；触发式检查50次，占25.0%；“四不两直”检查80次，占40.0%。');
    expect(body).toContain('检查发现事故隐患310项，其中重大事故隐患12项；每百次检查发现隐患155.0项、重大事故隐患6.0项；已整改销号279项，整改率90.0%。');
    expect(body).toContain('立案查处9起，作出行政处罚决定7起，其中罚款6起，罚款金额185,000.00元。');
    expect(body).toContain('重点单位40家，已检查37家，覆盖率92.5%。');
    expect(body).toContain('地区检查次数同比计划检查');
    expect(body).toContain('浦东新区120+20.0%9030502008166.790.0%54395,000.0023/25');
    expect(body).toContain('黄浦区80+33.3%6020301104137.590.0%43390,000.0014/15');
    expect(body).toContain('合计200+25.0%');
    expect(xml).toContain('w:orient="landscape"');
  });

  it('writes a district’s bulletin without a table, and a dash for ratios that cannot be had', async () => {
    const empty = figures({ inspections: 0, inspectionsLastYear: 0, change: null, planned: 0, triggered: 0, unannounced: 0, hazards: 0, majorHazards: 0, hazardsPer100: null, majorPer100: null, findingsClosed: 0, rectificationRate: null, cases: 0, decisions: 0, fines: 0, fineYuan: 0, keyUnits: 0, keyUnitsCovered: 0 });
    const district: Bulletin = { ...city, quarter: '2026Q4', from: '2026-10-01', to: '2026-12-31', districtCode: '310101', name: '黄浦区', totals: empty, rows: [{ ...empty, districtCode: '310101', name: '黄浦区' }] };
    const { body } = await docxText(await bulletinDocx(district));
    expect(body).toContain('黄浦区2026年第四季度安全生产执法检查情况通报');
    expect(body).toContain('共开展安全生产执法检查0次，上年同期0次，同比—。');
    expect(body).toContain('计划检查（含双随机抽查）0次，占—');
    expect(body).toContain('每百次检查发现隐患—项');
    expect(body).toContain('整改率—。');
    expect(body).toContain('覆盖率—。');
    expect(body).not.toContain('附表');
    expect(quarterName('2026-Q1')).toBe('2026年第一季度');
  });
});
