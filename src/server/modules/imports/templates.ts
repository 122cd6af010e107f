/**
 * 导入模板: downloadable .xlsx templates with Chinese headers, an instructions sheet and drop-down
 * lists (district, street, grade, source, status …) so clerks fill them without guessing codes.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { GRADE_LABELS, HAZARD_GRADES, ENTERED_SOURCES, SOURCE_LABELS } from '../../../shared/contracts/hazards';
import { RISK_CLASSES, RISK_CLASS_LABELS, STANDARDIZATION_LABELS, STANDARDIZATION_LEVELS } from '../../../shared/roles';
import type { DB } from '../../db/schema';

export type TemplateKind = 'hazards' | 'enterprises';

interface Column {
  header: string;
  width: number;
  required?: boolean;
  list?: string;
  note: string;
}

const STATUS_WORDS = ['已上报', '整改中', '待验收', '已销号', '已作废'];

const HAZARD_COLUMNS: Column[] = [
  { header: '隐患编号', width: 24, note: '选填。已有编号的隐患再次导入时按编号更新，不会重复。' },
  { header: '单位名称', width: 30, required: true, note: '企业名称，须与系统中的企业一致（或填写统一社会信用代码）。' },
  { header: '统一社会信用代码', width: 22, note: '18位，优先按此匹配企业。' },
  { header: '所属区', width: 12, list: 'districts', note: '从下拉列表选择。' },
  { header: '街道/乡镇', width: 16, list: 'streets', note: '从下拉列表选择。' },
  { header: '隐患描述', width: 40, required: true, note: '必填。' },
  { header: '隐患部位', width: 16, note: '如：二号车间、配电房。' },
  { header: '隐患级别', width: 10, required: true, list: 'grades', note: '一般 / 重大。重大隐患须填写判定依据。' },
  { header: '判定依据', width: 30, note: '重大隐患引用的判定标准条款，如“工贸企业重大事故隐患判定标准 第三条第（一）项”。' },
  { header: '隐患来源', width: 14, list: 'sources', note: '从下拉列表选择。' },
  { header: '发现时间', width: 14, required: true, note: '日期，如 2024-05-31、2024/5/31、2024年5月31日。' },
  { header: '整改期限', width: 14, note: '日期。' },
  { header: '整改状态', width: 12, list: 'statuses', note: '已上报 / 整改中 / 待验收 / 已销号 / 已作废。' },
  { header: '整改责任人', width: 12, note: '' },
  { header: '销号日期', width: 14, note: '已销号的隐患填写。' },
];

const ENTERPRISE_COLUMNS: Column[] = [
  { header: '统一社会信用代码', width: 22, required: true, note: '18位，校验位须正确；再次导入时按此更新。' },
  { header: '企业名称', width: 30, required: true, note: '' },
  { header: '地址', width: 36, required: true, note: '' },
  { header: '所属区', width: 12, list: 'districts', note: '从下拉列表选择。不填时按街道/乡镇、导入人所在区或信用代码中的行政区划推断，并在预览中说明。' },
  { header: '街道/乡镇', width: 16, list: 'streets', note: '从下拉列表选择。' },
  { header: '行业代码', width: 10, required: true, note: 'GB/T 4754-2017 两位大类代码，如 34。' },
  { header: '主要负责人', width: 12, required: true, note: '' },
  { header: '负责人电话', width: 16, note: '' },
  { header: '安全管理人员', width: 12, note: '' },
  { header: '安全管理人员电话', width: 16, note: '' },
  { header: '风险等级', width: 16, list: 'risks', note: '重大 / 较大 / 一般 / 低。' },
  { header: '标准化等级', width: 12, list: 'levels', note: '一级 / 二级 / 三级 / 未达标。' },
];

const ROWS_WITH_LISTS = 5000;

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export async function buildTemplate(db: Kysely<DB>, kind: TemplateKind): Promise<Buffer> {
  const districts = await db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'district').orderBy('sort').execute();
  const streets = await db
    .selectFrom('regions as s')
    .innerJoin('regions as d', 'd.code', 's.parent_code')
    .select(['s.name as street', 'd.name as district'])
    .where('s.level', '=', 'street')
    .orderBy('d.sort')
    .orderBy('s.sort')
    .execute();
  const lists: Record<string, string[]> = {
    districts: districts.map((d) => d.name),
    streets: streets.map((s) => s.street),
    grades: HAZARD_GRADES.map((g) => GRADE_LABELS[g].zh.replace('隐患', '')),
    sources: ENTERED_SOURCES.map((s) => SOURCE_LABELS[s].zh),
    statuses: STATUS_WORDS,
    risks: RISK_CLASSES.map((r) => RISK_CLASS_LABELS[r].zh),
    levels: STANDARDIZATION_LEVELS.map((l) => STANDARDIZATION_LABELS[l].zh),
  };
  const columns = kind === 'hazards' ? HAZARD_COLUMNS : ENTERPRISE_COLUMNS;

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhiben 治本';
  const sheet = wb.addWorksheet(kind === 'hazards' ? '隐患台账' : '企业名录', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.required ? `${c.header}*` : c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FF' } };

  // The drop-down lists live on a hidden sheet so they can be longer than Excel's 255-character inline limit.
  const listSheet = wb.addWorksheet('lists', { state: 'veryHidden' });
  const listRanges: Record<string, string> = {};
  Object.entries(lists).forEach(([name, values], i) => {
    const col = columnLetter(i + 1);
    listSheet.getCell(`${col}1`).value = name;
    values.forEach((v, j) => (listSheet.getCell(`${col}${j + 2}`).value = v));
    listRanges[name] = `lists!$${col}$2:$${col}$${values.length + 1}`;
  });
  const validations = (sheet as unknown as { dataValidations: { add(address: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  columns.forEach((c, i) => {
    if (!c.list) return;
    const col = columnLetter(i + 1);
    validations.add(`${col}2:${col}${ROWS_WITH_LISTS}`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [listRanges[c.list]],
      showErrorMessage: true,
      errorTitle: '请从列表选择',
      error: `“${c.header}”请从下拉列表中选择`,
    });
  });

  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列', width: 18 },
    { header: '是否必填', width: 10 },
    { header: '说明', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of columns) help.addRow([c.header, c.required ? '必填' : '选填', c.note]);
  help.addRow([]);
  help.addRow(['说明', '', '导入时先预览：系统列出将新增、更新、不变和有错误的行，确认后再提交。错误行可下载，修改后重新导入，不会产生重复数据。']);
  help.addRow(['说明', '', `单个文件最多 200,000 行、50 MB。只导入第一个工作表。`]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
