/**
 * Reads the files offices keep: .xlsx (streamed row by row, so 200,000-row ledgers never load
 * whole), legacy .xls (BIFF8, as WPS and old Excel save — and the HTML or XML tables some
 * systems export under that name), and .csv in UTF-8 (with or without BOM), UTF-16 or
 * GB18030/GBK. The format is told by the content, never by the name.
 *
 * Every format comes out the same way: sheets in workbook order, each with its rows as arrays
 * of raw cell values (index 0 = column A), formulas as their cached values, the hidden rows
 * flagged and the hidden columns listed, and a vertically merged cell's value repeated on every
 * row it spans (a ledger merges the enterprise over its hazards; each row must still name it).
 */
import { open, readFile, stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJS from 'exceljs';
import type * as SheetJS from '@e965/xlsx';
import { zipEntries, zipEntryStream, zipEntryText, type ZipEntry } from './zip';

export type SheetRow = { rowNumber: number; cells: unknown[]; hidden?: boolean };
export type FileFormat = 'xlsx' | 'xls' | 'csv';

export interface SheetInfo {
  name: string;
  /** Position in the workbook, from 0. */
  index: number;
  hidden: boolean;
  /** Hidden columns, from 0. */
  hiddenColumns: number[];
}

/** A sheet as it is read; a sheet left unread is closed with `skip`. */
export interface OpenedSheet extends SheetInfo {
  rows: AsyncIterable<SheetRow>;
  /** Releases what reading the sheet holds open (a streamed sheet's file handle). */
  close?: () => void;
}

export interface OpenedWorkbook {
  format: FileFormat;
  /** The text encoding a .csv was read in (`utf-8`, `gb18030`, `utf-16le`), else null. */
  encoding: string | null;
  sheetNames: string[];
  sheets: AsyncIterable<OpenedSheet>;
}

/** The largest legacy (.xls, or HTML table) file read; larger ones are asked for as .xlsx. */
export const LEGACY_MAX_BYTES = 8 * 1024 * 1024;

export class TooManyRowsError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} rows`);
  }
}

/** A file that cannot be read as a table at all; the message is for the user. */
export class UnreadableFileError extends Error {}

export function detectFormat(head: Buffer): FileFormat {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'xls';
  // An "xls" that is an HTML or SpreadsheetML table (exported by many government systems).
  const text = head.subarray(0, 512).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  if (text.startsWith('<html') || text.startsWith('<!doctype html') || text.startsWith('<table') || (text.startsWith('<?xml') && text.includes('urn:schemas-microsoft-com:office:spreadsheet'))) return 'xls';
  return 'csv';
}

/**
 * Opens a stored file; `name` is the name the user's computer gave it, used only to say what is
 * wrong with a file whose name promises a workbook its content is not.
 */
export async function openWorkbook(file: string, maxRows: number, name = ''): Promise<OpenedWorkbook> {
  const fh = await open(file, 'r');
  const head = Buffer.alloc(4096);
  try {
    await fh.read(head, 0, 4096, 0);
  } finally {
    await fh.close();
  }
  const format = detectFormat(head);
  if (format === 'xlsx') return openXlsx(file, maxRows);
  if (format === 'xls') {
    // SheetJS holds a legacy workbook whole, at some 18 bytes of memory per byte of file: past this
    // size it would not fit the preview's bounded heap. Said plainly, before it is read.
    if ((await stat(file)).size > LEGACY_MAX_BYTES) throw new UnreadableFileError(`旧版 Excel 文件（.xls）超过 ${LEGACY_MAX_BYTES / 1024 / 1024} MB：请在 Excel 或 WPS 中另存为 .xlsx（可达 50 MB、20 万行）或 CSV 后再导入`);
    return openLegacy(await readFile(file), maxRows);
  }
  if (/\.xls[xm]?$/i.test(name)) throw new UnreadableFileError(`无法读取文件：「${name}」的内容不是 Excel 工作簿（文件可能已损坏，或并非由表格软件保存）`);
  return openCsv(await readFile(file), maxRows);
}

/** The first sheet's rows (tests and tools that need no sheet choice). */
export async function* readRows(file: string, maxRows: number): AsyncGenerator<SheetRow> {
  const wb = await openWorkbook(file, maxRows);
  let first = true;
  for await (const sheet of wb.sheets) {
    if (first) yield* sheet.rows;
    else await skip(sheet);
    first = false;
  }
}

/** Leaves a sheet unread (or read in part). */
export async function skip(sheet: OpenedSheet): Promise<void> {
  sheet.close?.();
}

// ---------------------------------------------------------------------------------------------
// Merged cells and hidden rows, the same for every format

interface Range {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function parseRef(ref: string): Range | null {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(ref.toUpperCase());
  if (!m) return null;
  const c1 = columnIndex(m[1]);
  const r1 = Number(m[2]);
  return { r1, c1, r2: m[4] ? Number(m[4]) : r1, c2: m[3] ? columnIndex(m[3]) : c1 };
}

/**
 * Repeats each vertically merged cell's value (its first column) on the rows below it, and flags
 * hidden rows — applied to each row as it is read. Horizontal merges keep their value in the first
 * cell only: spreading a description into the next column would put it where it does not belong.
 */
function decorator(merges: Range[], hiddenRows: Set<number>): (row: SheetRow) => SheetRow {
  const startsAt = new Map<number, Range[]>();
  for (const m of merges) if (m.r2 > m.r1) startsAt.set(m.r1, [...(startsAt.get(m.r1) ?? []), m]);
  if (!startsAt.size && !hiddenRows.size) return (row) => row;
  /** Open merges: column → the value to repeat and the last row it reaches. */
  const open = new Map<number, { value: unknown; through: number }>();
  return (row) => {
    for (const [col, fill] of open) {
      if (fill.through < row.rowNumber) open.delete(col);
      else if (row.cells[col] === null || row.cells[col] === undefined || row.cells[col] === '') row.cells[col] = fill.value;
    }
    for (const m of startsAt.get(row.rowNumber) ?? []) open.set(m.c1, { value: row.cells[m.c1], through: m.r2 });
    if (hiddenRows.has(row.rowNumber)) row.hidden = true;
    return row;
  };
}

async function* decorate(rows: Iterable<SheetRow>, merges: Range[], hiddenRows: Set<number>): AsyncGenerator<SheetRow> {
  const apply = decorator(merges, hiddenRows);
  for (const row of rows) yield apply(row);
}

// ---------------------------------------------------------------------------------------------
// .xlsx, streamed by exceljs

/**
 * exceljs 4.4's streaming reader decodes each inflated chunk on its own, so a Chinese character
 * split across two chunks turns into U+FFFD (upstream issues #2063, #2084, #2316; PRs #1665,
 * #2081 unmerged). Until a release fixes it, hand its XML parser text decoded across chunk
 * boundaries: shared strings by setting the entry's encoding, worksheets by wrapping their chunks.
 */
type ReaderParts = {
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
};
type ReaderInternals = {
  _parseSharedStrings(entry: { setEncoding(e: string): void }): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string> | NodeJS.ReadableStream, sheetNo: string): Generator<unknown>;
  __utf8Patched?: boolean;
};
async function* utf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const c of chunks) {
    const text = typeof c === 'string' ? c : decoder.write(c);
    if (text) yield text;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}
/**
 * exceljs, loaded when a workbook is first read: it takes ~0.3 s to load, and the modules that
 * share this reader — an import commit's worker among them — mostly never open a file.
 */
let excel: Promise<typeof ExcelJS> | null = null;
const loadExcelJS = () =>
  (excel ??= import('exceljs').then(({ default: lib }) => {
    const proto = lib.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;
    if (!proto.__utf8Patched) {
      const sharedStrings = proto._parseSharedStrings;
      const worksheet = proto._parseWorksheet;
      proto._parseSharedStrings = function (entry) {
        entry.setEncoding('utf8');
        return sharedStrings.call(this, entry);
      };
      proto._parseWorksheet = function (iterator, sheetNo) {
        return worksheet.call(this, utf8(iterator), sheetNo);
      };
      proto.__utf8Patched = true;
    }
    return lib;
  }));

const xmlDecode = (s: string) => s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
  const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
  if (named[e.toLowerCase()]) return named[e.toLowerCase()];
  return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
});
const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

interface XlsxSheetMeta {
  name: string;
  /** The sheet's part in the package (xl/worksheets/sheet1.xml). */
  part: string;
  hidden: boolean;
  hiddenRows: Set<number>;
  hiddenColumns: number[];
  merges: Range[];
}

/**
 * What exceljs's streaming reader does not give: sheet names and visibility, hidden rows and
 * columns, merged ranges (which the sheet lists after its rows, too late for a stream). Read
 * from the raw XML with plain string search, a chunk at a time; keyed by the sheet file's number.
 */
async function xlsxMeta(file: string): Promise<{ order: string[]; bySheetNo: Map<string, XlsxSheetMeta>; entries: Map<string, ZipEntry> }> {
  const entries = await zipEntries(file);
  const workbook = entries.get('xl/workbook.xml');
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  const targets = new Map<string, string>();
  if (rels) {
    for (const m of (await zipEntryText(file, rels)).matchAll(/<Relationship\b[^>]*>/g)) {
      const id = attr(m[0], 'Id');
      const target = attr(m[0], 'Target');
      if (id && target) targets.set(id, target.replace(/^\/?xl\//, '').replace(/^\//, ''));
    }
  }
  const order: string[] = [];
  const bySheetNo = new Map<string, XlsxSheetMeta>();
  const sheetTags = workbook ? [...(await zipEntryText(file, workbook)).matchAll(/<sheet\b[^>]*>/g)].map((m) => m[0]) : [];
  for (const tag of sheetTags) {
    const name = xmlDecode(attr(tag, 'name') ?? '');
    const target = targets.get(attr(tag, 'r:id') ?? '') ?? '';
    if (!entries.has(`xl/${target}`)) continue;
    const no = /worksheets\/sheet(\d+)\.xml$/.exec(target)?.[1] ?? String(1000 + order.length);
    order.push(no);
    const meta: XlsxSheetMeta = { name, part: `xl/${target}`, hidden: /^(hidden|veryHidden)$/.test(attr(tag, 'state') ?? ''), hiddenRows: new Set(), hiddenColumns: [], merges: [] };
    bySheetNo.set(no, meta);
    await scanSheetXml(file, entries.get(`xl/${target}`)!, meta);
  }
  return { order, bySheetNo, entries };
}

async function scanSheetXml(file: string, entry: Parameters<typeof zipEntryStream>[1], meta: XlsxSheetMeta) {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  const scan = (text: string) => {
    for (let i = text.indexOf('hidden="'); i >= 0; i = text.indexOf('hidden="', i + 8)) {
      const value = text.slice(i + 8, i + 13);
      if (!value.startsWith('1"') && !value.startsWith('true"')) continue;
      const open = text.lastIndexOf('<', i);
      if (open < 0 || text.lastIndexOf('>', i) > open) continue;
      const tagEnd = text.indexOf('>', i);
      const tag = text.slice(open, tagEnd + 1);
      if (tag.startsWith('<row ')) {
        const r = Number(attr(tag, 'r'));
        if (r) meta.hiddenRows.add(r);
      } else if (tag.startsWith('<col ')) {
        const min = Number(attr(tag, 'min'));
        const max = Number(attr(tag, 'max'));
        for (let c = min; c <= Math.min(max, min + 200); c++) meta.hiddenColumns.push(c - 1);
      }
    }
    for (let i = text.indexOf('<mergeCell '); i >= 0; i = text.indexOf('<mergeCell ', i + 11)) {
      const tag = text.slice(i, text.indexOf('>', i) + 1);
      const range = parseRef(attr(tag, 'ref') ?? '');
      if (range) meta.merges.push(range);
    }
  };
  for await (const chunk of await zipEntryStream(file, entry)) {
    const text = carry + decoder.write(chunk as Buffer);
    const cut = text.lastIndexOf('>') + 1;
    scan(text.slice(0, cut));
    carry = text.slice(cut);
  }
  scan(carry + decoder.end());
}

async function openXlsx(file: string, maxRows: number): Promise<OpenedWorkbook> {
  let meta: Awaited<ReturnType<typeof xlsxMeta>>;
  try {
    meta = await xlsxMeta(file);
  } catch {
    throw new UnreadableFileError('无法读取文件：文件已损坏或不是有效的 Excel 工作簿（.xlsx）');
  }
  const sheetNames = meta.order.map((no) => meta.bySheetNo.get(no)!.name);
  async function* sheets(): AsyncGenerator<OpenedSheet> {
    // exceljs's reader walks the package in stored order, and when the sheets come before the
    // workbook part (as SheetJS and others write them) it loses the race to read them later. So its
    // parts are handed over here in the order it needs: relations, workbook, shared strings,
    // styles, then each sheet as a stream.
    const reader = new (await loadExcelJS()).stream.xlsx.WorkbookReader(file as never, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' }) as unknown as ReaderInternals & ReaderParts;
    const part = async (name: string) => (meta.entries.has(name) ? zipEntryStream(file, meta.entries.get(name)!) : null);
    const rels = await part('xl/_rels/workbook.xml.rels');
    if (rels) await reader._parseRels(rels);
    const workbook = await part('xl/workbook.xml');
    if (workbook) await reader._parseWorkbook(workbook);
    const strings = await part('xl/sharedStrings.xml');
    if (strings) for await (const _ of reader._parseSharedStrings(strings as never)) void _;
    const styles = await part('xl/styles.xml');
    if (styles) await reader._parseStyles(styles);
    for (const [index, no] of meta.order.entries()) {
      const m = meta.bySheetNo.get(no)!;
      let ws: AsyncIterable<ExcelJS.Row> | null = null;
      const stream = (await part(m.part))!;
      for (const ev of reader._parseWorksheet(stream, no) as Iterable<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>) if (ev.eventType === 'worksheet') ws = ev.value;
      const apply = decorator(m.merges, m.hiddenRows);
      async function* rows(): AsyncGenerator<SheetRow> {
        let count = 0;
        for await (const row of ws!) {
          if (++count > maxRows) throw new TooManyRowsError(maxRows);
          const values = row.values as unknown[];
          yield apply({ rowNumber: row.number, cells: Array.isArray(values) ? values.slice(1) : [] });
        }
      }
      yield { name: m.name, index, hidden: m.hidden, hiddenColumns: m.hiddenColumns, rows: rows(), close: () => (stream as unknown as { destroy(): void }).destroy() };
    }
  }
  return { format: 'xlsx', encoding: null, sheetNames, sheets: sheets() };
}

// ---------------------------------------------------------------------------------------------
// .xls (and HTML / XML tables saved as .xls), read whole by SheetJS — legacy files are small

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** The error values a BIFF8 cell holds by number (read without formatted text). */
const BIFF_ERRORS: Record<number, string> = { 0: '#NULL!', 7: '#DIV/0!', 15: '#VALUE!', 23: '#REF!', 29: '#NAME?', 36: '#NUM!', 42: '#N/A' };
const DAY_MS = 86_400_000;

function legacyCell(XLSX: typeof SheetJS, cell: SheetJS.CellObject | undefined, date1904: boolean): unknown {
  if (!cell) return null;
  switch (cell.t) {
    case 's':
      return cell.v;
    case 'b':
      return cell.v;
    case 'e':
      return { error: cell.w ?? BIFF_ERRORS[cell.v as number] ?? '#VALUE!' };
    case 'd':
      return cell.v;
    case 'n': {
      const n = cell.v as number;
      if (cell.z && typeof cell.z === 'string' && XLSX.SSF.is_date(cell.z) && n >= 0) {
        // The same reading as exceljs gives an .xlsx: the wall-clock date and time, as UTC.
        return new Date(Math.round((EXCEL_EPOCH_MS + (n + (date1904 ? 1462 : 0)) * DAY_MS) / 1000) * 1000);
      }
      return n;
    }
    default:
      return null;
  }
}

async function openLegacy(content: Buffer, maxRows: number): Promise<OpenedWorkbook> {
  // Loaded when a legacy file comes: most imports are .xlsx, and every worker would carry it.
  const XLSX = await import('@e965/xlsx');
  let wb: SheetJS.WorkBook;
  try {
    wb = XLSX.read(content, { type: 'buffer', dense: true, cellNF: true, cellText: false, cellHTML: false, cellFormula: false, sheetRows: maxRows + 1 });
  } catch (err) {
    const encrypted = err instanceof Error && /password|encrypt/i.test(err.message);
    throw new UnreadableFileError(encrypted ? '无法读取文件：文件设有打开密码，请取消密码后再导入' : '无法读取文件：文件已损坏或不是有效的 Excel 97-2003 工作簿（.xls）');
  }
  const date1904 = !!wb.Workbook?.WBProps?.date1904;
  const sheetNames = wb.SheetNames;
  async function* sheets(): AsyncGenerator<OpenedSheet> {
    for (let index = 0; index < sheetNames.length; index++) {
      const ws = wb.Sheets[sheetNames[index]];
      const data = ((ws as unknown as { '!data'?: (SheetJS.CellObject | undefined)[][] })['!data'] ?? []) as (SheetJS.CellObject | undefined)[][];
      const fullRows = ws['!fullref'] ? XLSX.utils.decode_range(ws['!fullref']).e.r + 1 : data.length;
      if (fullRows > maxRows) throw new TooManyRowsError(maxRows);
      const hiddenRows = new Set<number>();
      (ws['!rows'] ?? []).forEach((r, i) => r?.hidden && hiddenRows.add(i + 1));
      const hiddenColumns: number[] = [];
      (ws['!cols'] ?? []).forEach((c, i) => c?.hidden && hiddenColumns.push(i));
      const merges = (ws['!merges'] ?? []).map((m) => ({ r1: m.s.r + 1, c1: m.s.c, r2: m.e.r + 1, c2: m.e.c }));
      const rows: SheetRow[] = [];
      data.forEach((row, i) => {
        if (!row) return;
        const cells = Array.from(row, (c) => legacyCell(XLSX, c, date1904));
        if (cells.some((c) => c !== null)) rows.push({ rowNumber: i + 1, cells });
      });
      const state = wb.Workbook?.Sheets?.[index]?.Hidden ?? 0;
      yield { name: sheetNames[index], index, hidden: state !== 0, hiddenColumns, rows: decorate(rows, merges, hiddenRows) };
    }
  }
  return { format: 'xls', encoding: null, sheetNames, sheets: sheets() };
}

// ---------------------------------------------------------------------------------------------
// .csv in UTF-8, UTF-16 or GB18030, detected

/**
 * The encoding of a CSV file by its bytes: a BOM if there is one; else UTF-8 if every byte
 * sequence is valid UTF-8 (GBK-encoded Chinese practically never is); else GB18030 (a superset of
 * GBK and GB2312) when it decodes without a single invalid sequence. Anything else is refused
 * rather than shown as mojibake.
 */
export function decodeCsv(content: Buffer): { text: string; encoding: string } {
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) return { text: content.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (content[0] === 0xff && content[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(content.subarray(2)), encoding: 'utf-16le' };
  if (content[0] === 0xfe && content[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(content.subarray(2)), encoding: 'utf-16be' };
  if (isUtf8(content)) return { text: content.toString('utf8'), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('gb18030', { fatal: true }).decode(content), encoding: 'gb18030' };
  } catch {
    throw new UnreadableFileError('无法识别文件编码：请将 CSV 另存为“UTF-8”或“GBK（ANSI）”编码后再导入，或改用 Excel 文件');
  }
}

function delimiterOf(text: string): string {
  const firstLines = text.slice(0, 8192).split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 5);
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';', '|']) {
    const count = Math.min(...firstLines.map((l) => l.split(d).length - 1));
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** RFC 4180 rows: quoted fields may hold the delimiter, quotes ("") and line breaks. */
export function* parseCsv(text: string, delimiter = delimiterOf(text)): Generator<string[]> {
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '"' && field === '') {
      // a quoted field
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          field += text.slice(i);
          i = n;
          break;
        }
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      continue;
    }
    if (ch === delimiter) {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      yield row;
      row = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      // plain run up to the next special character
      let j = i + 1;
      while (j < n) {
        const c = text[j];
        if (c === delimiter || c === '\n' || c === '\r') break;
        j++;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || row.length) {
    row.push(field);
    yield row;
  }
}

/** `="0123"` is how spreadsheets export a number that must stay text (a credit code): keep the text. */
const csvCell = (s: string) => (s.length > 3 && s.startsWith('="') && s.endsWith('"') ? s.slice(2, -1) : s);

function openCsv(content: Buffer, maxRows: number): OpenedWorkbook {
  const { text, encoding } = decodeCsv(content);
  if (text.includes('\u0000')) throw new UnreadableFileError('无法读取文件：请上传 .xlsx、.xls 或 .csv 文件');
  async function* rows(): AsyncGenerator<SheetRow> {
    let rowNumber = 0;
    for (const fields of parseCsv(text)) {
      if (++rowNumber > maxRows) throw new TooManyRowsError(maxRows);
      yield { rowNumber, cells: fields.map((f) => (f === '' ? null : csvCell(f))) };
    }
  }
  async function* sheets(): AsyncGenerator<OpenedSheet> {
    yield { name: 'CSV', index: 0, hidden: false, hiddenColumns: [], rows: rows() };
  }
  return { format: 'csv', encoding, sheetNames: ['CSV'], sheets: sheets() };
}
