/**
 * 执法文书 (#15): the official Word documents of an inspection and a case — 现场检查记录,
 * 责令限期整改指令书, 行政处罚决定书 — and the quarterly 执法检查情况通报. Pure builders: they take
 * the contract shapes the API answers and write .docx in the typography of the other official
 * documents. No law article is quoted beyond the provisions a case holds, and those are written
 * as the catalogue gives them.
 */
import { AlignmentType, Paragraph, type Table } from 'docx';
import {
  DECISION_LABELS,
  INSPECTION_TYPE_LABELS,
  type Bulletin,
  type BulletinFigures,
  type CaseDetail,
  type DecisionKind,
  type InspectionDetail,
  type InspectionFinding,
} from '../../../shared/contracts/enforcement';
import { AppError } from '../../errors/app-error';
import { chineseDate, type DocPart, field, findingsTable, heading, line, officialDocx, para, run, SIZE, table, title } from '../reports/docx-kit';

export { deadlineText } from '../reports/docx-kit';

type Block = Paragraph | Table;
type Party = { name: string; uscc: string; address: string; principalName: string };

// ─── Shared pieces ────────────────────────────────────────────────────────────

/** Left blank for the office to fill in by hand when the system holds no number. */
const BLANK_DOCUMENT_NO = '〔      〕      号';
const BLANK_DATE = '      年    月    日';

const right = (text: string) => new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(text)] });
const centred = (text: string) => new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 300 }, children: [run(text)] });

function documentHead(issuingBody: string, docName: string, documentNo: string | null | undefined): Block[] {
  return [title(issuingBody), title(docName), centred(documentNo || BLANK_DOCUMENT_NO)];
}

function partyFields(p: Party, nameLabel: string, principalLabel: string): Block[] {
  return [field(nameLabel, p.name), field('统一社会信用代码', p.uscc), field('地址', p.address || '—'), field(principalLabel, p.principalName)];
}

/** Generic wording on purpose: the periods and articles of the remedies are the office's to state, not ours to invent. */
const remedies = (what: string) => para(`如不服${what}，可以依法申请行政复议或者提起行政诉讼。`);

function issuedAndReceived(issuingBody: string, date: string, receiver: string): Block[] {
  return [
    para(''),
    right(`${issuingBody}（印章）`),
    right(chineseDate(date)),
    para(''),
    para(`${receiver}签收：              签收日期：${BLANK_DATE}`, { indent: false, size: SIZE.small }),
  ];
}

// ─── Findings ─────────────────────────────────────────────────────────────────

const RESULT_LABELS = { ok: '符合', na: '不适用', hazard: '发现隐患' } as const;

// ─── 现场检查记录 ──────────────────────────────────────────────────────────────

function checklistBlocks(d: InspectionDetail): Block[] {
  if (!d.checklist) return [];
  const results = new Map(d.results.map((r) => [r.itemId, r]));
  const items = [...d.checklist.items].sort((a, b) => a.seq - b.seq);
  return [
    heading(`检查内容及结果（${d.checklist.title}）：`),
    table(
      ['序号', '检查内容', '依据条款', '检查结果', '说明'],
      items.map((item) => {
        const r = results.get(item.id);
        return [item.seq, item.text, item.clauseNo ?? '—', r ? RESULT_LABELS[r.result] : '未检查', r?.note ?? ''];
      }),
    ),
  ];
}

function enterpriseSignature(s: InspectionDetail['signature']): Paragraph {
  if (s?.refused) return line(`被检查单位负责人：拒绝签字${s.note ? `（执法人员注明：${s.note}）` : ''}`);
  if (s?.signedBy) return line(`被检查单位负责人签字：${s.signedBy}`);
  return line(`被检查单位负责人签字：              ${BLANK_DATE}`);
}

export async function inspectionRecordDocx(d: InspectionDetail, opts: { districtName: string; inspectorNames?: string[] }): Promise<Buffer> {
  const inspectors = opts.inspectorNames ?? d.inspectorNames;
  return officialDocx(`现场检查记录 ${d.code}`, [
    {
      children: [
        title(`${opts.districtName}安全生产现场检查记录`),
        centred(`编号：${d.code}`),
        ...partyFields(d.enterprise, '被检查单位', '主要负责人'),
        field('检查时间', chineseDate(d.date)),
        field('检查类型', INSPECTION_TYPE_LABELS[d.type].zh),
        field('“四不两直”检查', d.unannounced ? '是' : '否'),
        field('执法人员', inspectors.join('、')),
        ...(d.follows ? [field('复查的原检查', `${d.follows.code}（${chineseDate(d.follows.date)}）`)] : []),
        ...checklistBlocks(d),
        heading('发现的事故隐患：'),
        d.findingsList.length ? findingsTable(d.findingsList) : para('本次检查未发现事故隐患。'),
        ...(d.note ? [field('其他情况', d.note)] : []),
        para(''),
        enterpriseSignature(d.signature),
        ...inspectors.map((name) => line(`执法人员：${name}    签字：              ${BLANK_DATE}`)),
      ],
    },
  ]);
}

// ─── 责令限期整改指令书 ────────────────────────────────────────────────────────

function orderText(findings: readonly InspectionFinding[]): string {
  const major = findings.some((f) => f.grade === 'major');
  return (
    '现责令你单位对上述问题按照所列期限完成整改' +
    (major ? '，其中重大事故隐患应当制定并落实治理方案' : '') +
    '。整改期间应当采取有效的防范措施，确保安全；整改完成后，应当将整改情况书面报告本机关。'
  );
}

export async function rectificationOrderDocx(d: InspectionDetail, opts: { districtName: string; issuingBody: string; documentNo?: string }): Promise<Buffer> {
  if (!d.findingsList.length) {
    throw new AppError('INVALID_TRANSITION', '本次检查未发现事故隐患，不出具责令限期整改指令书', 'An inspection without findings has no rectification order');
  }
  return officialDocx(`${opts.districtName}责令限期整改指令书 ${d.code}`, [
    {
      children: [
        ...documentHead(opts.issuingBody, '责令限期整改指令书', opts.documentNo),
        line(`${d.enterprise.name}：`),
        para(`${chineseDate(d.date)}，本机关执法人员对你单位进行了现场检查（检查编号：${d.code}）。`),
        para('经查，你单位存在下列问题：'),
        findingsTable(d.findingsList),
        para(orderText(d.findingsList)),
        remedies('本指令'),
        ...issuedAndReceived(opts.issuingBody, d.date, '被检查单位负责人'),
      ],
    },
  ]);
}

// ─── 行政处罚决定书 ────────────────────────────────────────────────────────────

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const PLACES = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿'];

function integerInCapitals(n: number): string {
  const s = String(n);
  let out = '';
  let zero = false;
  for (let i = 0; i < s.length; i++) {
    const power = s.length - 1 - i;
    const d = Number(s[i]);
    if (d) {
      out += (zero ? '零' : '') + DIGITS[d] + PLACES[power % 4];
      zero = false;
    } else zero = out !== '';
    // A group of four digits that are all zero takes no 万/亿.
    if (power % 4 === 0 && power > 0 && /[1-9]/.test(s.slice(Math.max(0, i - 3), i + 1))) out += GROUPS[power / 4];
  }
  return out || '零';
}

/** 人民币大写金额: 12000 → 壹万贰仟元整, 100.05 → 壹佰元零伍分, 0.5 → 伍角. */
export function yuanInCapitals(amount: number): string {
  const cents = Math.round(amount * 100);
  const [yuan, jiao, fen] = [Math.floor(cents / 100), Math.floor(cents / 10) % 10, cents % 10];
  const head = yuan || !cents ? `${integerInCapitals(yuan)}元` : '';
  if (!jiao && !fen) return `${head}整`;
  return head + (jiao ? `${DIGITS[jiao]}角` : head ? '零' : '') + (fen ? `${DIGITS[fen]}分` : '');
}

const yuanFormat = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const formatYuan = (amount: number) => yuanFormat.format(amount);

/** 书名号 around the law's name unless the catalogue already wrote them. */
const lawName = (law: string) => (law.startsWith('《') ? law : `《${law}》`);

function decisionText(decision: DecisionKind, fineYuan: number | null): string {
  if (decision === 'other') return '其他行政处罚。';
  if (decision !== 'fine') return `${DECISION_LABELS[decision].zh}。`;
  if (fineYuan === null) throw new AppError('INVALID_TRANSITION', '罚款决定未载明罚款金额，不能出具行政处罚决定书', 'A fine decision without an amount has no decision document');
  return `罚款人民币${formatYuan(fineYuan)}元（大写：${yuanInCapitals(fineYuan)}）。`;
}

function paymentBlocks(c: CaseDetail): Block[] {
  if (c.decision !== 'fine') return [];
  return [para('罚款应当自收到本决定书之日起十五日内缴纳至指定银行或者通过电子支付系统缴纳。逾期不缴纳的，将依法加处罚款。')];
}

export async function penaltyDecisionDocx(c: CaseDetail, opts: { districtName: string; issuingBody: string; enterprise: Party }): Promise<Buffer> {
  const { decision, decidedOn } = c;
  if (!decision || !decidedOn) {
    throw new AppError('INVALID_TRANSITION', '案件尚未作出处罚决定，不能出具行政处罚决定书', 'The case has no decision yet');
  }
  const circumstance = c.discretion?.label ?? c.circumstance;
  return officialDocx(`${opts.districtName}行政处罚决定书 ${c.code}`, [
    {
      children: [
        ...documentHead(opts.issuingBody, '行政处罚决定书', c.documentNo),
        ...partyFields(opts.enterprise, '当事人', '法定代表人（主要负责人）'),
        field('案件编号', c.code),
        heading('违法事实：'),
        para(c.violation),
        heading('法律依据：'),
        ...c.provisions.map((p) => para(`${lawName(p.law)}${p.article}　${p.title}`)),
        ...(circumstance ? [field('裁量情形', circumstance)] : []),
        heading('处罚决定：'),
        para(`本机关决定对你单位给予如下行政处罚：${decisionText(decision, c.fineYuan)}`),
        ...paymentBlocks(c),
        remedies('本决定'),
        ...issuedAndReceived(opts.issuingBody, decidedOn, '当事人'),
      ],
    },
  ]);
}

// ─── 季度执法检查情况通报 ──────────────────────────────────────────────────────

const QUARTER_NAMES = ['一', '二', '三', '四'];

/** A share as people read it, one decimal; a ratio that cannot be had (nothing to divide by) is a dash. */
export const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const share = (part: number, whole: number) => percent(whole ? part / whole : null);
const oneDecimal = (x: number | null) => (x === null ? '—' : x.toFixed(1));

function changeText(change: number | null): string {
  if (change === null) return '—';
  if (change === 0) return '持平';
  return `${change > 0 ? '增长' : '下降'}${percent(Math.abs(change))}`;
}

/** 2026Q3 (or 2026-Q3) → 2026年第三季度 */
export function quarterName(quarter: string): string {
  const m = /^(\d{4})-?Q([1-4])$/.exec(quarter);
  return m ? `${m[1]}年第${QUARTER_NAMES[Number(m[2]) - 1]}季度` : quarter;
}

function bulletinOpening(b: Bulletin): string {
  const f = b.totals;
  return (
    `${quarterName(b.quarter)}（${chineseDate(b.from)}至${chineseDate(b.to)}），${b.name}共开展安全生产执法检查${f.inspections}次，上年同期${f.inspectionsLastYear}次，同比${changeText(f.change)}。` +
    `其中计划检查（含双随机抽查）${f.planned}次，占${share(f.planned, f.inspections)}；触发式检查${f.triggered}次，占${share(f.triggered, f.inspections)}；“四不两直”检查${f.unannounced}次，占${share(f.unannounced, f.inspections)}。` +
    `检查发现事故隐患${f.hazards}项，其中重大事故隐患${f.majorHazards}项；每百次检查发现隐患${oneDecimal(f.hazardsPer100)}项、重大事故隐患${oneDecimal(f.majorPer100)}项；已整改销号${f.findingsClosed}项，整改率${percent(f.rectificationRate)}。` +
    `立案查处${f.cases}起，作出行政处罚决定${f.decisions}起，其中罚款${f.fines}起，罚款金额${formatYuan(f.fineYuan)}元。` +
    `重点单位${f.keyUnits}家，已检查${f.keyUnitsCovered}家，覆盖率${share(f.keyUnitsCovered, f.keyUnits)}。`
  );
}

const signedPercent = (x: number | null) => (x !== null && x > 0 ? `+${percent(x)}` : percent(x));

function figuresRow(name: string, f: BulletinFigures): (string | number)[] {
  return [
    name,
    f.inspections,
    signedPercent(f.change),
    f.planned,
    f.triggered,
    f.unannounced,
    f.hazards,
    f.majorHazards,
    oneDecimal(f.hazardsPer100),
    percent(f.rectificationRate),
    f.cases,
    f.decisions,
    f.fines,
    formatYuan(f.fineYuan),
    `${f.keyUnitsCovered}/${f.keyUnits}`,
  ];
}

const FIGURES_HEADER = ['地区', '检查次数', '同比', '计划检查', '触发检查', '四不两直', '发现隐患', '重大隐患', '每百次检查隐患', '整改率', '立案', '处罚决定', '罚款（起）', '罚款金额（元）', '重点单位已查/总数'];

export async function bulletinDocx(b: Bulletin): Promise<Buffer> {
  const docTitle = `${b.name}${quarterName(b.quarter)}安全生产执法检查情况通报`;
  const parts: DocPart[] = [{ children: [title(docTitle), para(bulletinOpening(b))] }];
  if (b.rows.length > 1) {
    parts.push({
      landscape: true,
      children: [title('附表：各区执法检查情况', SIZE.subtitle), table(FIGURES_HEADER, [...b.rows.map((r) => figuresRow(r.name, r)), figuresRow('合计', b.totals)])],
    });
  }
  return officialDocx(docTitle, parts);
}
