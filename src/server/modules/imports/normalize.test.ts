import { describe, expect, it } from 'vitest';
import { HAZARD_GRADES, ENTERED_SOURCES, HAZARD_STATUSES } from '../../../shared/contracts/hazards';
import { RISK_CLASSES, STANDARDIZATION_LEVELS } from '../../../shared/roles';
import {
  ENTERPRISE_HEADERS,
  HAZARD_HEADERS,
  MAX_FEN,
  REQUIRED_MESSAGE,
  cellError,
  cellText,
  cleanCode,
  cleanText,
  hasControlChars,
  describeMissingHeaders,
  headerNotFoundMessage,
  isBlankCell,
  isBlankRow,
  matchHeaders,
  parseDate,
  parseDateTime,
  parseFen,
  parseGrade,
  parseHazardStatus,
  parsePhone,
  parseRiskClass,
  parseSource,
  parseStandardizationLevel,
  parseText,
  type HeaderSpec,
} from './normalize';

const DATE_HINT = '（支持 2024-05-31、2024/5/31、2024.5.31、2024年5月31日）';
const utc = (y: number, m: number, d: number, hh = 0, mi = 0, ss = 0, ms = 0) => new Date(Date.UTC(y, m - 1, d, hh, mi, ss, ms));

describe('cleanText / cleanCode', () => {
  it('trims, collapses whitespace incl. ideographic and non-breaking spaces, drops zero-width chars', () => {
    expect(cleanText('  上海市\u3000\u3000浦东新区\u00a0\u00a0张江镇 \t\n ')).toBe('上海市 浦东新区 张江镇');
    expect(cleanText('消防\u200b通道\u200d堵塞\ufeff')).toBe('消防通道堵塞');
    expect(cleanText('a_x000D_\nb\u0007')).toBe('a b');
  });

  it('turns full-width letters and digits half-width but keeps Chinese punctuation', () => {
    expect(cleanText('ＡＢＣ１２３ｘｙｚ，（）：')).toBe('ABC123xyz，（）：');
    expect(cleanText('配电箱（１号楼）未接地：见附件')).toBe('配电箱（1号楼）未接地：见附件');
  });

  it('keeps line breaks in multiline mode only', () => {
    expect(cleanText('1、灭火器过期\r\n\r\n  2、通道  堵塞 ', { multiline: true })).toBe('1、灭火器过期\n2、通道 堵塞');
    expect(cleanText('1、灭火器过期\r\n2、通道堵塞')).toBe('1、灭火器过期 2、通道堵塞');
  });

  it('cleans codes: NFKC, no whitespace at all, upper case', () => {
    expect(cleanCode(' ９１３１ ０１１５\u3000ｍａ１ｋ４ａｂｃ\u00a0Ｘ ')).toBe('91310115MA1K4ABCX');
    expect(cleanCode('yh－2024－001')).toBe('YH-2024-001');
    expect(cleanCode('310\u200b115')).toBe('310115');
  });
});

describe('cellText', () => {
  it('reads every exceljs cell shape', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText('  浦东新区 ')).toBe('浦东新区');
    expect(cellText({ richText: [{ text: '上海' }, { text: '某某' }, { text: '有限公司 ' }] })).toBe('上海某某有限公司');
    expect(cellText({ text: '某某公司', hyperlink: 'https://example.com' })).toBe('某某公司');
    expect(cellText({ text: { richText: [{ text: '富' }, { text: '文本链接' }] }, hyperlink: 'mailto:x' })).toBe('富文本链接');
    expect(cellText({ formula: 'A1&B1', result: ' 合并 结果 ' })).toBe('合并 结果');
    expect(cellText({ sharedFormula: 'C2', result: 42 })).toBe('42');
    expect(cellText({ formula: 'A1' })).toBe('');
    expect(cellText({ error: '#N/A' })).toBe('');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(false)).toBe('FALSE');
  });

  it('prints numbers without float noise', () => {
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText({ formula: 'A1*3', result: 1.1 * 3 })).toBe('3.3');
    expect(cellText(13812345678)).toBe('13812345678');
    expect(cellText(310115)).toBe('310115');
    expect(cellText(-0)).toBe('0');
    expect(cellText(Number.NaN)).toBe('');
  });

  it('prints dates as ISO dates (UTC calendar date), with the time only when there is one', () => {
    expect(cellText(utc(2024, 5, 31))).toBe('2024-05-31');
    expect(cellText(utc(2024, 5, 31, 14, 30))).toBe('2024-05-31 14:30');
    expect(cellText(utc(2024, 5, 30, 23, 59, 59, 999))).toBe('2024-05-31');
    expect(cellText({ formula: 'TODAY()', result: utc(2024, 1, 2) })).toBe('2024-01-02');
    expect(cellText(new Date(Number.NaN))).toBe('');
  });

  it('converts full-width letters/digits and stray spaces in rich text', () => {
    expect(cellText({ richText: [{ text: '\u3000ＡＢＣ' }, { text: '１２３，（一）\u00a0' }] })).toBe('ABC123，（一）');
  });

  it('tells error cells apart from empty ones', () => {
    expect(cellError({ error: '#REF!' })).toBe('#REF!');
    expect(cellError({ formula: 'VLOOKUP(A1,B:C,2,0)', result: { error: '#N/A' } })).toBe('#N/A');
    expect(cellError('')).toBeNull();
    expect(cellError(null)).toBeNull();
  });

  it('knows blank cells and rows', () => {
    for (const v of [null, undefined, '', '  \u3000', '/', '／', '-', '—', '——', '无', '暂无', 'N/A', { richText: [] }]) expect(isBlankCell(v)).toBe(true);
    for (const v of ['0', 0, '无锡', { error: '#N/A' }]) expect(isBlankCell(v)).toBe(false);
    expect(isBlankRow([])).toBe(true);
    expect(isBlankRow(undefined)).toBe(true);
    expect(isBlankRow([null, ' ', undefined, '\u200b'])).toBe(true);
    expect(isBlankRow([, , '/'])).toBe(false);
    expect(isBlankRow([null, { error: '#N/A' }])).toBe(false);
  });
});

describe('parseText', () => {
  it('returns clean text, null for empty/placeholder, errors for required, long and error cells', () => {
    expect(parseText(' 配电房 ')).toEqual({ ok: true, value: '配电房' });
    expect(parseText('/')).toEqual({ ok: true, value: null });
    expect(parseText('', { required: true })).toEqual({ ok: false, message: REQUIRED_MESSAGE });
    expect(parseText('一二三四五', { maxLength: 4 })).toEqual({ ok: false, message: '内容过长：最多 4 个字，现为 5 个字' });
    expect(parseText('1、甲\n2、乙', { multiline: true })).toEqual({ ok: true, value: '1、甲\n2、乙' });
    expect(parseText({ formula: 'A1', result: { error: '#REF!' } })).toEqual({ ok: false, message: '单元格为错误值 #REF!（请检查公式，或改为直接填写数值）' });
  });

  it('narrows the value type with required: true', () => {
    const r = parseText('x', { required: true });
    if (r.ok) {
      const s: string = r.value;
      expect(s).toBe('x');
    }
  });
});

describe('matchHeaders', () => {
  it('finds the header row below a merged title row and maps synonyms', () => {
    const rows = [
      ['2024年浦东新区隐患排查治理台账', '2024年浦东新区隐患排查治理台账', '2024年浦东新区隐患排查治理台账'],
      ['填报单位：浦东新区应急管理局', null, null, '填报日期：2024-06-01'],
      ['序号', '被检查单位', '社会信用代码', '存在问题', '部位', '级别', '发现途径', '检查日期', '整改时限', '整改情况', '责任人', '完成日期', '类别', '依据条款', '街镇', '行政区', '编号'],
      [1, '上海某某有限公司', '91310115MA1K4ABCXX', '消防通道堵塞', '仓库', '一般', '执法', 45443, 45473, '整改中', '张三', null, '消防', null, '张江镇', '浦东新区', 'YH-1'],
    ];
    const m = matchHeaders(rows, HAZARD_HEADERS);
    expect(m).not.toBeNull();
    expect(m!.headerRow).toBe(2);
    expect(m!.headerRowCount).toBe(1);
    expect(m!.columns).toEqual({
      enterpriseName: 1,
      uscc: 2,
      description: 3,
      location: 4,
      grade: 5,
      source: 6,
      foundAt: 7,
      deadline: 8,
      status: 9,
      responsibleName: 10,
      closedAt: 11,
      category: 12,
      clauses: 13,
      street: 14,
      district: 15,
      code: 16,
    });
    expect(m!.missing).toEqual([]);
    expect(m!.unknown).toEqual([]); // 序号 is ignored
  });

  it('ignores *, （必填）/(必填), line breaks, spaces, trailing colons and full-width forms', () => {
    const rows = [['*企业名称', '隐患\n描述（必填）', '发现 时间(必填)：', '统一社会信用代码*', '隐患级别【必填】', 'ｓｔａｔｕｓ', '整改\r\n期限:']];
    const m = matchHeaders(rows, HAZARD_HEADERS)!;
    expect(m.headerRow).toBe(0);
    expect(m.columns).toEqual({ enterpriseName: 0, description: 1, foundAt: 2, uscc: 3, grade: 4, deadline: 6 });
    expect(m.unknown).toEqual(['status']);
  });

  it('falls back to titles with their bracketed hints removed', () => {
    const m = matchHeaders([['单位名称', '隐患级别（一般/重大）', '发现日期(格式:2024-05-31)', '隐患描述']], HAZARD_HEADERS)!;
    expect(m.columns).toEqual({ enterpriseName: 0, grade: 1, foundAt: 2, description: 3 });
  });

  it('chooses the row matching the most fields', () => {
    const rows = [
      ['状态', '来源'], // a stray note that happens to match two fields
      [],
      ['单位名称', '隐患描述', '发现时间', '隐患来源', '整改状态'],
    ];
    expect(matchHeaders(rows, HAZARD_HEADERS)!.headerRow).toBe(2);
  });

  it('prefers the more specific synonym when two columns claim a field, and reports the other as unknown', () => {
    const m = matchHeaders([['编号', '单位名称', '隐患编号', '隐患描述', '发现时间', '备注']], HAZARD_HEADERS)!;
    expect(m.columns.code).toBe(2);
    expect(m.unknown).toEqual(['编号', '备注']);
  });

  it('lists missing required fields, the enterprise-name-or-credit-code pair as one entry', () => {
    const m = matchHeaders([['隐患编号', '隐患部位', '隐患级别', '整改期限']], HAZARD_HEADERS)!;
    expect(m.missing).toEqual(['description', 'foundAt', 'enterpriseName|uscc']);
    expect(describeMissingHeaders(HAZARD_HEADERS, m.missing)).toBe('缺少必填列：「隐患描述」、「发现时间」、「单位名称」或「统一社会信用代码」');
    expect(describeMissingHeaders(HAZARD_HEADERS, [])).toBe('');
    const withUscc = matchHeaders([['信用代码', '隐患内容', '排查日期']], HAZARD_HEADERS)!;
    expect(withUscc.missing).toEqual([]);
  });

  it('returns null when no row within maxScan looks like a header', () => {
    expect(matchHeaders([['2024年隐患台账'], ['随便', '什么']], HAZARD_HEADERS)).toBeNull();
    expect(matchHeaders([], HAZARD_HEADERS)).toBeNull();
    const late = [...Array.from({ length: 10 }, () => ['说明']), ['单位名称', '隐患描述', '发现时间']];
    expect(matchHeaders(late, HAZARD_HEADERS)).toBeNull();
    expect(matchHeaders(late, HAZARD_HEADERS, 11)!.headerRow).toBe(10);
    expect(headerNotFoundMessage(HAZARD_HEADERS)).toBe('未找到表头：前 10 行中没有一行包含「隐患描述」「发现时间」等列名，请使用导入模板或检查列名');
  });

  it('understands a two-level header whose lower cells are empty under vertical merges', () => {
    const rows = [
      ['隐患排查治理台账'],
      ['序号', '单位名称', '隐患描述', '发现日期', '整改情况', '整改情况', '整改情况', '备注'],
      [null, null, null, null, '整改期限', '责任人', '完成日期', null],
      [1, '某公司', '电线私拉乱接', '2024-05-31', '2024-06-30', '李四', null, null],
    ];
    const m = matchHeaders(rows, HAZARD_HEADERS)!;
    expect(m.headerRow).toBe(2);
    expect(m.headerRowCount).toBe(2);
    expect(m.columns).toEqual({ enterpriseName: 1, description: 2, foundAt: 3, deadline: 4, responsibleName: 5, closedAt: 6 });
    expect(m.unknown).toEqual(['备注']);
  });

  it('does not glue the first data row onto a one-row header', () => {
    const rows = [
      ['单位名称', '隐患描述', '发现时间', '整改状态'],
      ['某公司', null, null, null],
    ];
    const m = matchHeaders(rows, HAZARD_HEADERS)!;
    expect(m.headerRow).toBe(0);
    expect(m.headerRowCount).toBe(1);
  });

  it('keeps column indexes of the arrays as given (exceljs row.values is 1-based and sparse)', () => {
    const rows = [[, '单位名称', , '隐患描述', '发现时间']];
    expect(matchHeaders(rows as unknown[][], HAZARD_HEADERS)!.columns).toEqual({ enterpriseName: 1, description: 3, foundAt: 4 });
  });

  it('reads rich-text and formula header cells', () => {
    const rows = [[{ richText: [{ text: '单位' }, { text: '名称' }] }, { formula: '"隐患"&"描述"', result: '隐患描述' }, '发现时间']];
    expect(matchHeaders(rows, HAZARD_HEADERS)!.columns).toEqual({ enterpriseName: 0, description: 1, foundAt: 2 });
  });

  it('maps an enterprise registry', () => {
    const rows = [
      ['2024年闵行区企业基础信息表'],
      ['序号', '企业名称（必填）', '统一社会信用代码（必填）', '注册地址', '所属区', '所属街道', '国民经济行业', '法定代表人', '联系电话', '安全员', '安全员电话', '风险分级', '安全生产标准化'],
    ];
    const m = matchHeaders(rows, ENTERPRISE_HEADERS)!;
    expect(m.headerRow).toBe(1);
    expect(m.columns).toEqual({
      name: 1,
      uscc: 2,
      address: 3,
      district: 4,
      street: 5,
      industry: 6,
      principalName: 7,
      principalPhone: 8,
      safetyManagerName: 9,
      safetyManagerPhone: 10,
      riskClass: 11,
      standardizationLevel: 12,
    });
    expect(m.missing).toEqual([]);
    const partial = matchHeaders([['单位名称', '地址', '负责人']], ENTERPRISE_HEADERS)!;
    expect(partial.missing).toEqual(['uscc', 'industry']);
  });

  it('ships specs whose synonyms never collide and whose required fields are as documented', () => {
    for (const spec of [HAZARD_HEADERS, ENTERPRISE_HEADERS] as HeaderSpec[]) {
      const seen = new Map<string, string>();
      for (const [field, def] of Object.entries(spec.fields)) {
        for (const syn of def.synonyms) {
          const k = cleanCode(syn);
          expect(seen.get(k) ?? field, `${syn}`).toBe(field);
          seen.set(k, field);
        }
      }
    }
    const req = (s: HeaderSpec) => Object.entries(s.fields).filter(([, f]) => f.required).map(([k]) => k);
    expect(req(HAZARD_HEADERS as HeaderSpec)).toEqual(['description', 'foundAt']);
    expect(HAZARD_HEADERS.anyOf).toEqual([['enterpriseName', 'uscc']]);
    expect(req(ENTERPRISE_HEADERS as HeaderSpec).sort()).toEqual(['industry', 'name', 'principalName', 'uscc']);
  });

  it('refuses a custom spec whose fields share a synonym', () => {
    const bad: HeaderSpec = { fields: { a: { synonyms: ['名称'] }, b: { synonyms: ['名 称'] } } };
    expect(() => matchHeaders([['名称']], bad)).toThrow(/claimed by both/);
  });
});

describe('parseDate', () => {
  it.each([
    ['2024-05-31'],
    ['2024/5/31'],
    ['2024/05/31'],
    ['2024.5.31'],
    ['2024年5月31日'],
    ['2024年05月31号'],
    ['2024 年 5 月 31 日'],
    ['2024-5-31 14:30'],
    ['2024/5/31 14:30:59'],
    ['2024年5月31日 14时30分'],
    ['2024-05-31T14:30:00'],
    ['20240531'],
    ['２０２４－０５－３１'],
    ['２０２４年５月３１日'],
    [' 2024-05-31\u3000'],
  ])('reads the text %j', (text) => {
    expect(parseDate(text)).toEqual({ ok: true, value: '2024-05-31' });
  });

  it('reads Date cells by their UTC calendar date', () => {
    expect(parseDate(utc(2024, 5, 31))).toEqual({ ok: true, value: '2024-05-31' });
    expect(parseDate(utc(2024, 5, 31, 23, 0))).toEqual({ ok: true, value: '2024-05-31' });
    expect(parseDate(utc(2024, 5, 30, 23, 59, 59, 999))).toEqual({ ok: true, value: '2024-05-31' }); // ms noise
    expect(parseDate({ formula: 'EDATE(A1,1)', result: utc(2024, 6, 30) })).toEqual({ ok: true, value: '2024-06-30' });
  });

  it('reads Excel serial numbers (1900 system)', () => {
    expect(parseDate(45443)).toEqual({ ok: true, value: '2024-05-31' });
    expect(parseDate(45443.75)).toEqual({ ok: true, value: '2024-05-31' });
    expect(parseDate(32874)).toEqual({ ok: true, value: '1990-01-01' });
    expect(parseDate(36526)).toEqual({ ok: true, value: '2000-01-01' });
    expect(parseDate(45351)).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDate(73415)).toEqual({ ok: true, value: '2100-12-31' });
    expect(parseDate({ formula: 'A1+30', result: 45413 })).toEqual({ ok: true, value: '2024-05-01' });
    expect(parseDate('45443')).toEqual({ ok: true, value: '2024-05-31' }); // serial in a text-formatted column
    expect(parseDate(20240531)).toEqual({ ok: true, value: '2024-05-31' });
  });

  it('takes the Shanghai date of a text with an explicit zone', () => {
    expect(parseDate('2024-05-31T20:00:00Z')).toEqual({ ok: true, value: '2024-06-01' });
    expect(parseDate('2024-05-31T20:00:00+08:00')).toEqual({ ok: true, value: '2024-05-31' });
  });

  it('refuses dates that do not exist', () => {
    expect(parseDate('2024-02-30')).toEqual({ ok: false, message: '日期不存在：2024-02-30' });
    expect(parseDate('2023-02-29')).toEqual({ ok: false, message: '日期不存在：2023-02-29' });
    expect(parseDate('2024年13月1日')).toEqual({ ok: false, message: '日期不存在：2024-13-01' });
    expect(parseDate('2024/4/31')).toEqual({ ok: false, message: '日期不存在：2024-04-31' });
    expect(parseDate('20240230')).toEqual({ ok: false, message: '日期不存在：2024-02-30' });
    expect(parseDate('2024-05-31 25:00')).toEqual({ ok: false, message: '时间不存在：25:00' });
  });

  it('refuses years before 1990 or after 2100', () => {
    expect(parseDate('1989-12-31')).toEqual({ ok: false, message: '日期超出范围（应在 1990 年至 2100 年之间）：1989-12-31' });
    expect(parseDate('2101-01-01')).toEqual({ ok: false, message: '日期超出范围（应在 1990 年至 2100 年之间）：2101-01-01' });
    expect(parseDate(utc(1900, 1, 1))).toEqual({ ok: false, message: '日期超出范围（应在 1990 年至 2100 年之间）：1900-01-01' });
    // small numbers are not dates a clerk meant
    expect(parseDate(2024)).toEqual({ ok: false, message: `无法识别的日期：2024${DATE_HINT}` });
    expect(parseDate(60)).toEqual({ ok: false, message: `无法识别的日期：60${DATE_HINT}` });
  });

  it('explains what it accepts when it cannot read the text', () => {
    for (const t of ['明天', '5/31/2024', '24-5-31', '2024-05', '2024年5月', '2024-05-31 下午']) {
      expect(parseDate(t)).toEqual({ ok: false, message: `无法识别的日期：${t}${DATE_HINT}` });
    }
    expect(parseDate(true)).toEqual({ ok: false, message: `无法识别的日期：TRUE${DATE_HINT}` });
    expect(parseDate(new Date(Number.NaN))).toEqual({ ok: false, message: '无法识别的日期：单元格中的日期无效' });
  });

  it('gives null for empty cells unless required, and fails on error cells', () => {
    expect(parseDate(null)).toEqual({ ok: true, value: null });
    expect(parseDate(' ')).toEqual({ ok: true, value: null });
    expect(parseDate('/')).toEqual({ ok: true, value: null });
    expect(parseDate('无')).toEqual({ ok: true, value: null });
    expect(parseDate(undefined, { required: true })).toEqual({ ok: false, message: REQUIRED_MESSAGE });
    expect(parseDate({ error: '#VALUE!' })).toEqual({ ok: false, message: '单元格为错误值 #VALUE!（请检查公式，或改为直接填写数值）' });
  });
});

describe('parseDateTime', () => {
  it('reads a date without time as 00:00 Shanghai time', () => {
    expect(parseDateTime('2024-05-31')).toEqual({ ok: true, value: '2024-05-30T16:00:00.000Z' });
    expect(parseDateTime(45443)).toEqual({ ok: true, value: '2024-05-30T16:00:00.000Z' });
    expect(parseDateTime(utc(2024, 5, 31))).toEqual({ ok: true, value: '2024-05-30T16:00:00.000Z' });
    expect(parseDateTime('2024年5月31日')).toEqual({ ok: true, value: '2024-05-30T16:00:00.000Z' });
  });

  it('reads a time as Shanghai local time', () => {
    expect(parseDateTime('2024-05-31 14:30')).toEqual({ ok: true, value: '2024-05-31T06:30:00.000Z' });
    expect(parseDateTime('2024/5/31 08:05:09')).toEqual({ ok: true, value: '2024-05-31T00:05:09.000Z' });
    expect(parseDateTime('2024年5月31日 7时')).toEqual({ ok: false, message: `无法识别的日期：2024年5月31日 7时${DATE_HINT}` });
    expect(parseDateTime(45443 + 14.5 / 24)).toEqual({ ok: true, value: '2024-05-31T06:30:00.000Z' });
    expect(parseDateTime(utc(2024, 5, 31, 14, 29, 59, 999))).toEqual({ ok: true, value: '2024-05-31T06:30:00.000Z' });
    expect(parseDateTime('2024-06-01 03:00')).toEqual({ ok: true, value: '2024-05-31T19:00:00.000Z' });
  });

  it('honours an explicit zone', () => {
    expect(parseDateTime('2024-05-31T06:30:00Z')).toEqual({ ok: true, value: '2024-05-31T06:30:00.000Z' });
    expect(parseDateTime('2024-05-31T14:30:00+08:00')).toEqual({ ok: true, value: '2024-05-31T06:30:00.000Z' });
  });

  it('shares the date errors', () => {
    expect(parseDateTime('2024-02-30 10:00')).toEqual({ ok: false, message: '日期不存在：2024-02-30' });
    expect(parseDateTime('', { required: true })).toEqual({ ok: false, message: REQUIRED_MESSAGE });
    expect(parseDateTime('')).toEqual({ ok: true, value: null });
  });
});

describe('enumerations', () => {
  it('parses hazard grades', () => {
    const cases: [unknown, string][] = [
      ['一般', 'general'],
      ['一般隐患', 'general'],
      ['一般事故隐患', 'general'],
      [' 一 般 ', 'general'],
      ['general', 'general'],
      ['GENERAL', 'general'],
      ['重大', 'major'],
      ['重大隐患', 'major'],
      ['重大事故隐患', 'major'],
      ['major', 'major'],
      ['重大级', 'major'],
      [{ richText: [{ text: '重大' }, { text: '隐患' }] }, 'major'],
      [{ formula: 'IF(A1,"重大","一般")', result: '一般' }, 'general'],
    ];
    for (const [v, want] of cases) expect(parseGrade(v), JSON.stringify(v)).toEqual({ ok: true, value: want });
    expect(parseGrade('较大')).toEqual({ ok: false, unknownWord: true, message: '无法识别的隐患级别：较大（可填：一般隐患、一般、一般事故隐患、重大隐患、重大、重大事故隐患）' });
  });

  it('parses hazard statuses, including the English codes', () => {
    const cases: Record<string, string> = {
      已上报: 'reported',
      待整改: 'reported',
      未整改: 'reported',
      新发现: 'reported',
      整改中: 'rectifying',
      正在整改: 'rectifying',
      限期整改: 'rectifying',
      待验收: 'pending_acceptance',
      已整改待验收: 'pending_acceptance',
      整改完成待验收: 'pending_acceptance',
      已整改: 'closed',
      已销号: 'closed',
      已完成: 'closed',
      已闭环: 'closed',
      整改完毕: 'closed',
      销号: 'closed',
      作废: 'voided',
      已作废: 'voided',
      ' 整改 中 ': 'rectifying',
      'Pending_Acceptance': 'pending_acceptance',
      closed: 'closed',
    };
    for (const [text, want] of Object.entries(cases)) expect(parseHazardStatus(text), text).toEqual({ ok: true, value: want });
    for (const s of HAZARD_STATUSES) expect(parseHazardStatus(s)).toEqual({ ok: true, value: s });
    const bad = parseHazardStatus('搁置');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.message).toMatch(/^无法识别的整改状态：搁置（可填：已上报、待整改、未整改、新发现/);
      expect(bad.message).toContain('整改中');
      expect(bad.message).toContain('已作废');
    }
  });

  it('parses hazard sources', () => {
    const cases: Record<string, string> = {
      企业自查: 'self_check',
      自查: 'self_check',
      自查自改: 'self_check',
      日常检查: 'routine_inspection',
      日常巡查: 'routine_inspection',
      巡查: 'routine_inspection',
      执法检查: 'enforcement_inspection',
      行政执法: 'enforcement_inspection',
      执法: 'enforcement_inspection',
      专家检查: 'expert_inspection',
      啄木鸟: 'expert_inspection',
      专家: 'expert_inspection',
      '专家检查（啄木鸟）': 'expert_inspection',
      举报: 'tip',
      群众举报: 'tip',
      投诉举报: 'tip',
      第三方: 'third_party',
      第三方服务: 'third_party',
      第三方机构: 'third_party',
      事故调查: 'accident_investigation',
      移交: 'transfer',
      其他: 'other',
      其它: 'other',
      routine_inspection: 'routine_inspection',
    };
    for (const [text, want] of Object.entries(cases)) expect(parseSource(text), text).toEqual({ ok: true, value: want });
    // `system` is the platform's own (a lapsed certificate): an import cannot claim it.
    expect(parseSource('system').ok).toBe(false);
    for (const s of ENTERED_SOURCES) expect(parseSource(s)).toEqual({ ok: true, value: s });
    const bad = parseSource('路过');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/^无法识别的隐患来源：路过（可填：企业自查、自查、.*其他、其它）$/);
  });

  it('reads grade, status and source by their key words when a cell says more than one word', () => {
    const sources: Record<string, string> = {
      举报核查: 'tip',
      群众举报: 'tip',
      '12350投诉': 'tip',
      专项检查: 'enforcement_inspection',
      联合检查: 'enforcement_inspection',
      双随机抽查: 'enforcement_inspection',
      区执法大队执法检查: 'enforcement_inspection',
      企业自检: 'self_check',
      日常安全巡查: 'routine_inspection',
      专家会诊: 'expert_inspection',
      第三方机构评估: 'third_party',
      事故调查发现: 'accident_investigation',
      上级转办: 'transfer',
    };
    for (const [text, want] of Object.entries(sources)) expect(parseSource(text), text).toEqual({ ok: true, value: want });
    const statuses: Record<string, string> = {
      '已销号（2024-06-20）': 'closed',
      已整改到位: 'closed',
      已验收合格: 'closed',
      隐患已消除: 'closed',
      整改中未完成: 'rectifying',
      尚未整改: 'reported',
      待复查验收: 'pending_acceptance',
      已撤销: 'voided',
    };
    for (const [text, want] of Object.entries(statuses)) expect(parseHazardStatus(text), text).toEqual({ ok: true, value: want });
    expect(parseGrade('重大事故隐患（挂牌）')).toEqual({ ok: true, value: 'major' });
    expect(parseGrade('一般问题')).toEqual({ ok: true, value: 'general' });
    // Key words of two values, equally long: refused rather than guessed.
    expect(parseSource('日常巡查转执法').ok).toBe(false);
    expect(parseGrade('一般或重大').ok).toBe(false);
    expect(parseSource('路过看到').ok).toBe(false);
  });

  it('parses risk classes', () => {
    const cases: Record<string, string> = {
      重大风险: 'major',
      红: 'major',
      红色: 'major',
      '重大风险（红）': 'major',
      '红色（重大风险）': 'major',
      较大: 'high',
      较大风险: 'high',
      橙: 'high',
      橙色: 'high',
      一般: 'general',
      一般风险: 'general',
      黄: 'general',
      低: 'low',
      低风险: 'low',
      蓝: 'low',
      蓝色: 'low',
      HIGH: 'high',
    };
    for (const [text, want] of Object.entries(cases)) expect(parseRiskClass(text), text).toEqual({ ok: true, value: want });
    for (const s of RISK_CLASSES) expect(parseRiskClass(s)).toEqual({ ok: true, value: s });
    expect(parseRiskClass('无')).toEqual({ ok: true, value: null });
    expect(parseRiskClass('紫')).toMatchObject({ ok: false, message: expect.stringMatching(/^无法识别的风险等级：紫（可填：重大风险、重大、红/) });
  });

  it('parses standardization levels', () => {
    const cases: [unknown, string][] = [
      ['一级', 'level1'],
      ['1级', 'level1'],
      ['１级', 'level1'],
      [1, 'level1'],
      ['Ⅰ级', 'level1'],
      ['二级', 'level2'],
      ['二级达标企业', 'level2'],
      ['安全生产标准化二级', 'level2'],
      [3, 'level3'],
      ['三 级', 'level3'],
      ['未达标', 'none'],
      ['无', 'none'],
      ['不达标', 'none'],
      ['level2', 'level2'],
    ];
    for (const [v, want] of cases) expect(parseStandardizationLevel(v), String(v)).toEqual({ ok: true, value: want });
    for (const s of STANDARDIZATION_LEVELS) expect(parseStandardizationLevel(s)).toEqual({ ok: true, value: s });
    expect(parseStandardizationLevel('/')).toEqual({ ok: true, value: null });
    expect(parseStandardizationLevel('四级')).toMatchObject({ ok: false, message: expect.stringMatching(/^无法识别的标准化等级：四级（可填：一级、/) });
  });

  it('handles empty, required and error cells alike', () => {
    for (const p of [parseGrade, parseHazardStatus, parseSource, parseRiskClass, parseStandardizationLevel]) {
      expect(p(null)).toEqual({ ok: true, value: null });
      expect(p('  ')).toEqual({ ok: true, value: null });
      expect(p(undefined, { required: true })).toEqual({ ok: false, message: REQUIRED_MESSAGE });
      expect(p({ error: '#N/A' })).toEqual({ ok: false, message: '单元格为错误值 #N/A（请检查公式，或改为直接填写数值）' });
    }
    const g = parseGrade('重大', { required: true });
    if (g.ok) {
      const grade: (typeof HAZARD_GRADES)[number] = g.value; // narrowed: no null
      expect(grade).toBe('major');
    }
  });
});

describe('parsePhone', () => {
  it('normalises mobile numbers', () => {
    for (const v of ['13812345678', '138 1234 5678', '138-1234-5678', '+86 138 1234 5678', '+86-13812345678', '0086 13812345678', '１３８１２３４５６７８', 13812345678, '手机：13812345678']) {
      expect(parsePhone(v), String(v)).toEqual({ ok: true, value: '13812345678' });
    }
  });

  it('normalises landlines, extensions and service numbers', () => {
    const cases: [unknown, string][] = [
      ['021-12345678', '021-12345678'],
      ['(021)12345678', '021-12345678'],
      ['（021）12345678', '021-12345678'],
      ['021 1234 5678', '021-12345678'],
      ['02112345678', '021-12345678'],
      ['021-12345678转123', '021-12345678-123'],
      ['021-12345678-123', '021-12345678-123'],
      ['021-12345678 分机 8', '021-12345678-8'],
      ['010-1234567', '010-1234567'],
      ['0512-12345678', '0512-12345678'],
      ['12345678', '12345678'],
      [12345678, '12345678'],
      [2112345678, '021-12345678'], // number cell lost the leading 0
      ['400-820-8820', '4008208820'],
      ['13812345678/021-87654321', '13812345678'],
      ['021-87654321、13812345678', '021-87654321'],
    ];
    for (const [v, want] of cases) expect(parsePhone(v), String(v)).toEqual({ ok: true, value: want });
  });

  it('refuses what is not a phone number', () => {
    for (const t of ['abc', '1381234567', '138123456789', '123', '021-123']) {
      expect(parsePhone(t), t).toEqual({ ok: false, message: `无法识别的电话号码：${t}（应为11位手机号，或固定电话如 021-12345678）` });
    }
    expect(parsePhone('')).toEqual({ ok: true, value: null });
    expect(parsePhone('—', { required: true })).toEqual({ ok: false, message: REQUIRED_MESSAGE });
  });
});

describe('parseFen', () => {
  it('reads numbers of 元', () => {
    expect(parseFen(1250.5)).toEqual({ ok: true, value: 125050 });
    expect(parseFen(0)).toEqual({ ok: true, value: 0 });
    expect(parseFen(0.1 + 0.2)).toEqual({ ok: true, value: 30 });
    expect(parseFen(1.005)).toEqual({ ok: true, value: 101 });
    expect(parseFen(333.333333333333)).toEqual({ ok: true, value: 33333 });
    expect(parseFen({ formula: 'SUM(A1:A3)', result: 19.99 })).toEqual({ ok: true, value: 1999 });
  });

  it('reads text with separators, currency signs and units', () => {
    const cases: [string, number][] = [
      ['1250.50', 125050],
      ['1,250.50元', 125050],
      ['1，250.50 元', 125050],
      ['¥1,250.50', 125050],
      ['￥３００', 30000],
      ['人民币500元整', 50000],
      ['RMB 12', 1200],
      ['1.2万元', 1200000],
      ['1.2万', 1200000],
      ['0.35万元', 350000],
      ['1亿元', 10000000000],
      ['.5', 50],
      ['12.345', 1235],
    ];
    for (const [t, want] of cases) expect(parseFen(t), t).toEqual({ ok: true, value: want });
  });

  it('refuses negatives, garbage and huge amounts', () => {
    expect(parseFen(-5)).toEqual({ ok: false, message: '金额不能为负数：-5' });
    expect(parseFen('-1,250.50元')).toEqual({ ok: false, message: '金额不能为负数：-1,250.50元' });
    expect(parseFen('－5元')).toEqual({ ok: false, message: '金额不能为负数：－5元' });
    for (const t of ['abc', '一千元', '1,25', '1.2.3', '元', '12万元多']) {
      expect(parseFen(t), t).toEqual({ ok: false, message: `无法识别的金额：${t}（请填写数字，如 1250.50、1,250.50元 或 1.2万元）` });
    }
    expect(parseFen(true)).toMatchObject({ ok: false });
    expect(parseFen('2000亿元')).toEqual({ ok: false, message: '金额过大：2000亿元' });
    expect(parseFen(MAX_FEN)).toEqual({ ok: false, message: `金额过大：${MAX_FEN}` });
    expect(parseFen({ error: '#DIV/0!' })).toEqual({ ok: false, message: '单元格为错误值 #DIV/0!（请检查公式，或改为直接填写数值）' });
  });

  it('gives null for empty cells unless required', () => {
    expect(parseFen(null)).toEqual({ ok: true, value: null });
    expect(parseFen('/')).toEqual({ ok: true, value: null });
    expect(parseFen('', { required: true })).toEqual({ ok: false, message: REQUIRED_MESSAGE });
  });
});

describe('cell text from other writers', () => {
  it('reads OOXML `_xHHHH_` escapes as their characters, then cleans what is not text', () => {
    expect(cleanText('响铃_x0007_字符')).toBe('响铃字符');
    expect(cleanText('a_x000D_\nb')).toBe('a b');
    expect(cleanText('下划线_x005F_x0041_保留')).toBe('下划线_x0041_保留');
    expect(cleanText('张_xD800_三')).toBe('张三');
    expect(cleanText('软换行_x000B_之后', { multiline: true })).toBe('软换行 之后');
    expect(cleanCode('9131_x0000_0115')).toBe('91310115');
  });

  it('tells which cells hold characters it removes, so the preview can say so', () => {
    expect(hasControlChars('正常的文字\t和换行\n')).toBe(false);
    expect(hasControlChars('空字符\u0000')).toBe(true);
    expect(hasControlChars('转义_x0007_')).toBe(true);
    expect(hasControlChars('残缺\ud800')).toBe(true);
    expect(hasControlChars('完整的😀')).toBe(false);
    expect(hasControlChars('_x000B_')).toBe(true);
    expect(hasControlChars(42)).toBe(false);
    expect(hasControlChars({ richText: [{ text: 'a\u0001' }] })).toBe(true);
  });
});
