/**
 * Official-document typography for Word files: body in 仿宋 (FangSong), titles in 黑体 (SimHei,
 * where 方正小标宋 is not installed everywhere), East Asian font set explicitly so Word does not
 * fall back to a Latin font for Chinese text.
 */
import { AlignmentType, BorderStyle, Document, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type IParagraphOptions } from 'docx';
import type { HazardGrade, LedgerFinding } from '../../../shared/contracts/hazards';

export const BODY_FONT = '仿宋';
export const TITLE_FONT = '黑体';
const font = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, cs: name });

/** Half-points: 三号 16 pt, 四号 14 pt, 小四 12 pt, 二号 22 pt. */
export const SIZE = { title: 44, subtitle: 32, body: 32, small: 24, table: 21 } as const;

export function run(text: string, o: { bold?: boolean; size?: number; title?: boolean } = {}) {
  return new TextRun({ text, bold: o.bold, size: o.size ?? SIZE.body, font: font(o.title ? TITLE_FONT : BODY_FONT) });
}

export function title(text: string, size: number = SIZE.title) {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [run(text, { size, title: true })] });
}

export function para(text: string | TextRun[], o: Omit<IParagraphOptions, 'children'> & { indent?: boolean; size?: number } = {}) {
  const { indent, size, ...rest } = o;
  return new Paragraph({
    spacing: { line: 560, ...(rest.spacing ?? {}) },
    // 首行缩进两字: two characters of the body size.
    indent: indent === false ? undefined : { firstLine: (size ?? SIZE.body) * 20 },
    ...rest,
    children: typeof text === 'string' ? [run(text, { size })] : text,
  });
}

const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: '888888' };

export function table(header: string[], rows: (string | number)[][], widths?: number[]) {
  const cell = (v: string | number, bold = false) =>
    new TableCell({
      borders: { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER },
      children: [new Paragraph({ children: [run(String(v), { size: SIZE.table, bold })] })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: widths,
    rows: [new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) }))],
  });
}

/** 2026年11月29日 */
export function chineseDate(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** A section of an official document: a wide table goes on a landscape page of its own. */
export type DocPart = { children: (Paragraph | Table)[]; landscape?: boolean };

const MARGIN = { top: 2098, bottom: 1984, left: 1587, right: 1474 };

/** An official document (公文 margins) of one or more sections. */
export async function officialDocx(docTitle: string, parts: DocPart[]): Promise<Buffer> {
  const doc = new Document({
    creator: 'Zhiben 治本',
    title: docTitle,
    sections: parts.map((p) => ({
      properties: { page: { margin: MARGIN, ...(p.landscape ? { size: { orientation: PageOrientation.LANDSCAPE } } : {}) } },
      children: p.children,
    })),
  });
  return Packer.toBuffer(doc);
}

export const line = (text: string) => para(text, { indent: false });
export const field = (label: string, value: string) => line(`${label}：${value}`);
export const heading = (text: string) => para([run(text, { bold: true })], { indent: false });

const GRADE_SHORT: Record<HazardGrade, string> = { general: '一般', major: '重大' };

/** A finding's 整改期限: its date; without one a major hazard follows its rectification plan and a general one is rectified at once. */
export function deadlineText(f: Pick<LedgerFinding, 'deadline' | 'grade'>): string {
  if (f.deadline) return chineseDate(f.deadline);
  return f.grade === 'major' ? '按整改方案' : '立即整改';
}

/** The findings a record put on the ledger, as an official table. */
export function findingsTable(findings: readonly LedgerFinding[], opts: { deadlines?: boolean } = {}): Table {
  const withDeadline = opts.deadlines !== false;
  return table(
    ['序号', '隐患描述', '部位', '等级', '判定依据', ...(withDeadline ? ['整改期限'] : [])],
    findings.map((f, i) => [i + 1, f.description, f.location || '—', GRADE_SHORT[f.grade], f.clauseNos.join('、') || '—', ...(withDeadline ? [deadlineText(f)] : [])]),
  );
}
