/**
 * Official-document typography for Word files: body in 仿宋 (FangSong), titles in 黑体 (SimHei,
 * where 方正小标宋 is not installed everywhere), East Asian font set explicitly so Word does not
 * fall back to a Latin font for Chinese text.
 */
import { AlignmentType, BorderStyle, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type IParagraphOptions } from 'docx';

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
