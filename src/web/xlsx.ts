/**
 * A minimal .xlsx writer for the small tables behind a chart: one sheet, inline strings, numbers as
 * numbers. Big ledgers are exported by the server (streamed); this is for a few hundred
 * cells made in the browser. jszip is loaded only when a file is made.
 */
import { colsXml, columnName, MAIN_NS, numberCell, packageParts, textCell, XML_HEAD } from '../shared/xlsx-parts';
import { saveBlob } from './api';

export { columnName };

export type Cell = string | number | null;

function cellXml(value: Cell, ref: string): string {
  if (value === null) return '';
  return typeof value === 'number' ? numberCell(ref, value) : textCell(ref, value);
}

// Wide enough for the longest cell of each column; a CJK character takes about two widths.
function columnWidths(rows: Cell[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((v, i) => {
      const text = v === null ? '' : String(v);
      const w = [...text].reduce((s, ch) => s + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
      widths[i] = Math.max(widths[i] ?? 8, Math.min(w + 2, 60));
    });
  }
  return widths;
}

function sheetXml(rows: Cell[][]): string {
  const body = rows
    .map((row, r) => `<row r="${r + 1}">${row.map((v, c) => cellXml(v, `${columnName(c)}${r + 1}`)).join('')}</row>`)
    .join('');
  return `${XML_HEAD}<worksheet xmlns="${MAIN_NS}">${colsXml(columnWidths(rows))}<sheetData>${body}</sheetData></worksheet>`;
}

/** The workbook's bytes: one sheet named `name` holding `rows` (the first row is usually the header). */
export async function xlsxBytes(name: string, rows: Cell[][]): Promise<Uint8Array> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  for (const part of packageParts({ sheet: name })) zip.file(part.name, part.xml);
  zip.file('xl/worksheets/sheet1.xml', sheetXml(rows));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Makes the workbook and hands it to the browser as a download named `fileName` (.xlsx added). */
export async function saveXlsx(fileName: string, sheet: string, rows: Cell[][]): Promise<void> {
  const bytes = await xlsxBytes(sheet, rows);
  saveBlob(new Blob([bytes as BlobPart], { type: XLSX_MIME }), fileName.endsWith('.xlsx') ? fileName : `${fileName}.xlsx`);
}
