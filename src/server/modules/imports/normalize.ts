/**
 * 导入清洗: turns raw Excel cell values (as exceljs gives them) from district hazard ledgers
 * (隐患台账) and enterprise registries into clean values, or into an error a clerk understands.
 *
 * Pure: no I/O, no database, no exceljs import — only the cell shapes are handled:
 *   string | number | boolean | Date | null | undefined
 *   | { richText: [{ text }] } | { text, hyperlink } | { formula | sharedFormula, result } | { error }
 *
 * Conventions shared by every `parse*` function:
 * - They take the raw cell (`unknown`) and return `Parsed<T>`: `{ ok: true, value }` or
 *   `{ ok: false, message }`. Messages are Chinese and do NOT name the column or row; the caller
 *   prefixes them (e.g. `第5行「发现时间」：${message}`).
 * - Empty cells — and the placeholders clerks type for "nothing" (`/`, `-`, `—`, `无`, `暂无`,
 *   `N/A`) — give `{ ok: true, value: null }`, unless `{ required: true }` is passed, in which
 *   case they give `{ ok: false, message: '必填，不能为空' }` and the value type narrows to `T`.
 *   (Exception: `parseStandardizationLevel` reads `无` as the level `none`.)
 * - A formula error cell (`#N/A`, `#REF!` …) is always an error, never silently empty.
 * - Dates without an explicit offset are Shanghai calendar dates / local times (fixed UTC+8).
 */
import {
  GRADE_LABELS,
  HAZARD_GRADES,
  ENTERED_SOURCES,
  HAZARD_STATUSES,
  SOURCE_LABELS,
  STATUS_LABELS,
  type HazardGrade,
  type HazardSource,
  type HazardStatus,
} from '../../../shared/contracts/hazards';
import {
  RISK_CLASSES,
  RISK_CLASS_LABELS,
  STANDARDIZATION_LABELS,
  STANDARDIZATION_LEVELS,
  type RiskClass,
  type StandardizationLevel,
} from '../../../shared/roles';

// ---------------------------------------------------------------------------------------------
// Results

/** `unknownWord`: the cell holds a word no list value matches — one a mapping in the preview can settle. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; unknownWord?: true };
export interface ParseOptions {
  /** Empty cell (or placeholder like `/`) is an error instead of `value: null`. */
  required?: boolean;
}
type Req = { required: true };
type Fail = { ok: false; message: string };

const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
const fail = (message: string): Fail => ({ ok: false, message });

export const REQUIRED_MESSAGE = '必填，不能为空';

// ---------------------------------------------------------------------------------------------
// Text

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g;
// C0 controls except \t \n \r (and \v \f, whitespace to every rule below), plus DEL; and UTF-16
// halves without their pair, which no database stores alike.
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// What the preview reports as cleaned: the above, and \v \f (Word's soft line break pastes as \v).
const HAS_CONTROL = new RegExp(`[\\u000B\\u000C]|${CONTROL.source}`);
// OOXML writes a character XML cannot hold as `_xHHHH_` (Excel: `_x0007_` for a bell, `_x000D_` for a
// carriage return, `_x005F_` for the underscore of a literal "_x"); exceljs's streaming reader leaves them.
const XML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;
const unescapeXml = (s: string) => (s.includes('_x') ? s.replace(XML_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s);
const FULLWIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;

/**
 * Cleans free text: removes zero-width and control characters, turns full-width letters and
 * digits (ＡＢＣ１２３) into half-width, collapses every run of whitespace (incl. `\u3000` and
 * non-breaking spaces) to one space, and trims. Chinese punctuation (，（）：) is kept as is.
 * With `multiline`, line breaks survive as single `\n` (blank lines dropped).
 */
export function cleanText(s: string, opts: { multiline?: boolean } = {}): string {
  const t = unescapeXml(String(s))
    .replace(ZERO_WIDTH, '')
    .replace(CONTROL, '')
    .replace(FULLWIDTH_ALNUM, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (!opts.multiline) return t.replace(/\s+/g, ' ').trim();
  return t
    .split(/\r\n|[\r\n\u2028\u2029]/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** True when a cell's text holds characters `cleanText` removes (the preview says how many cells were cleaned). */
export function hasControlChars(v: unknown): boolean {
  const s = unwrap(v);
  return typeof s === 'string' && HAS_CONTROL.test(unescapeXml(s));
}

/** Cleans a code (credit code, hazard code, district code): NFKC, no whitespace at all, upper case. */
export function cleanCode(s: string): string {
  return unescapeXml(String(s)).normalize('NFKC').replace(ZERO_WIDTH, '').replace(CONTROL, '').replace(/\s+/g, '').toUpperCase();
}

type CellError = { error: string };
type Scalar = string | number | boolean | Date | null | CellError;

function isDate(v: unknown): v is Date {
  return v instanceof Date || Object.prototype.toString.call(v) === '[object Date]';
}

/** Reduces any exceljs cell shape to a scalar (or an error marker). */
function unwrap(v: unknown, depth = 0): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (isDate(v)) return v;
  if (typeof v !== 'object' || depth > 4) return null;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText)) {
    return o.richText.map((r) => (r && typeof r === 'object' && typeof (r as { text?: unknown }).text === 'string' ? (r as { text: string }).text : '')).join('');
  }
  if (typeof o.error === 'string') return { error: o.error };
  if ('formula' in o || 'sharedFormula' in o || 'result' in o) return unwrap(o.result, depth + 1);
  if ('text' in o) return unwrap(o.text, depth + 1);
  return null;
}

function isCellError(s: Scalar): s is CellError {
  return typeof s === 'object' && s !== null && !isDate(s);
}

/** The Excel error code of an error cell (also a formula whose result is an error), else null. */
export function cellError(v: unknown): string | null {
  const s = unwrap(v);
  return isCellError(s) ? s.error : null;
}

function errorCellMessage(code: string): string {
  return `单元格为错误值 ${code}（请检查公式，或改为直接填写数值）`;
}

/** A number as text without binary float noise (0.1+0.2 → "0.3"). */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  return String(Number(n.toPrecision(15)));
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad4 = (n: number) => String(n).padStart(4, '0');
const ymd = (y: number, m: number, d: number) => `${pad4(y)}-${pad2(m)}-${pad2(d)}`;

/** UTC components of a Date, rounded to the nearest second (exceljs dates carry ms noise). */
function dateParts(d: Date): Wall | null {
  const t = d.getTime();
  if (!Number.isFinite(t)) return null;
  const r = new Date(Math.round(t / 1000) * 1000);
  return {
    y: r.getUTCFullYear(),
    m: r.getUTCMonth() + 1,
    d: r.getUTCDate(),
    hh: r.getUTCHours(),
    mi: r.getUTCMinutes(),
    ss: r.getUTCSeconds(),
    offsetMin: null,
  };
}

/**
 * Any cell as clean text (see `cleanText`): rich text joined, hyperlink text, formula result,
 * numbers without float noise, booleans as `TRUE`/`FALSE` (as Excel shows them), a Date as
 * `YYYY-MM-DD` (its UTC calendar date; `YYYY-MM-DD HH:mm[:ss]` if it has a time of day).
 * Empty and error cells give `''` (use `cellError` to tell them apart).
 */
export function cellText(v: unknown, opts: { multiline?: boolean } = {}): string {
  const s = unwrap(v);
  if (s === null || isCellError(s)) return '';
  if (typeof s === 'string') return cleanText(s, opts);
  if (typeof s === 'number') return numberText(s);
  if (typeof s === 'boolean') return s ? 'TRUE' : 'FALSE';
  const p = dateParts(s);
  if (!p) return '';
  const date = ymd(p.y, p.m, p.d);
  if (p.hh === 0 && p.mi === 0 && p.ss === 0) return date;
  return `${date} ${pad2(p.hh)}:${pad2(p.mi)}${p.ss ? `:${pad2(p.ss)}` : ''}`;
}

const PLACEHOLDER = /^(?:[-/\\—–―_~]+|无|暂无|n\/?a|null)$/i;

/** True for an empty cell or a "nothing" placeholder (`/`, `-`, `—`, `无`, `暂无`, `N/A`). */
export function isBlankCell(v: unknown): boolean {
  const s = unwrap(v);
  if (isCellError(s) || isDate(s)) return false; // an invalid Date is bad data, not a blank
  const t = cellText(v).normalize('NFKC').replace(/\s+/g, '');
  return t === '' || PLACEHOLDER.test(t);
}

/** True when every cell of the row is empty (placeholders count as content here). */
export function isBlankRow(row: readonly unknown[] | null | undefined): boolean {
  if (!row) return true;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (cellError(v) !== null || cellText(v) !== '') return false;
  }
  return true;
}

/** Common prelude: error cells fail, empty/placeholder cells give null or the required error. */
function prelude(v: unknown, opts: ParseOptions): Fail | { ok: true; value: null } | undefined {
  const e = cellError(v);
  if (e !== null) return fail(errorCellMessage(e));
  if (isBlankCell(v)) return opts.required ? fail(REQUIRED_MESSAGE) : ok(null);
  return undefined;
}

export interface TextOptions extends ParseOptions {
  /** Longest accepted text, in characters (code points). */
  maxLength?: number;
  /** Keep line breaks (descriptions); otherwise every whitespace run becomes one space. */
  multiline?: boolean;
}

/** A free-text cell (names, descriptions, locations) via `cellText`, with required/length checks. */
export function parseText(v: unknown, opts: TextOptions & Req): Parsed<string>;
export function parseText(v: unknown, opts?: TextOptions): Parsed<string | null>;
export function parseText(v: unknown, opts: TextOptions = {}): Parsed<string | null> {
  const pre = prelude(v, opts);
  if (pre) return pre;
  const t = cellText(v, { multiline: opts.multiline });
  const len = [...t].length;
  if (opts.maxLength !== undefined && len > opts.maxLength) return fail(`内容过长：最多 ${opts.maxLength} 个字，现为 ${len} 个字`);
  return ok(t);
}

// ---------------------------------------------------------------------------------------------
// Headers

export interface HeaderField {
  /** Accepted column titles; the first is the canonical one used in messages. */
  synonyms: readonly string[];
  required?: boolean;
}

export interface HeaderSpec<K extends string = string> {
  fields: Record<K, HeaderField>;
  /** Groups of which at least one field must be present (e.g. 单位名称 or 统一社会信用代码). */
  anyOf?: readonly (readonly K[])[];
  /** Titles that are neither imported nor reported as unknown (序号). */
  ignore?: readonly string[];
}

export interface HeaderMatch<K extends string = string> {
  /** Index (into `rows`) of the last header row; data starts at `headerRow + 1`. */
  headerRow: number;
  /** 1, or 2 for a two-level header (group titles above, sub-titles in `headerRow`). */
  headerRowCount: 1 | 2;
  /** Field → column index into the row arrays as given. */
  columns: Partial<Record<K, number>>;
  /** Required fields not found; an unmet `anyOf` group appears as `'a|b'`. */
  missing: string[];
  /** Titles of non-empty header cells that will not be imported (incl. a second column for a field already matched). */
  unknown: string[];
}

/** Normalises a header title for matching: NFKC, no whitespace/line breaks, no `*`, no (必填), no trailing colon. */
export function headerKey(text: string): string {
  return cleanCode(text)
    .replace(/\*/g, '')
    .replace(/[([【]\s*(?:必填|必选|选填|可选|非必填)\s*[)\]】]/g, '')
    .replace(/[:：]+$/, '');
}

/** Second-chance key: every bracketed hint removed (隐患级别（一般/重大） → 隐患级别). */
function looseHeaderKey(key: string): string {
  return key.replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|<[^>]*>|〔[^〕]*〕/g, '').replace(/[:：]+$/, '');
}

interface CompiledSpec<K extends string> {
  byKey: Map<string, { field: K; rank: number }>;
  ignore: Set<string>;
}
const compiled = new WeakMap<object, CompiledSpec<string>>();

function compile<K extends string>(spec: HeaderSpec<K>): CompiledSpec<K> {
  const hit = compiled.get(spec);
  if (hit) return hit as CompiledSpec<K>;
  const byKey = new Map<string, { field: K; rank: number }>();
  for (const field of Object.keys(spec.fields) as K[]) {
    spec.fields[field].synonyms.forEach((syn, rank) => {
      const key = headerKey(syn);
      const prev = byKey.get(key);
      if (prev && prev.field !== field) throw new Error(`header synonym ${syn} is claimed by both ${prev.field} and ${field}`);
      if (!prev) byKey.set(key, { field, rank });
    });
  }
  const c: CompiledSpec<K> = { byKey, ignore: new Set((spec.ignore ?? []).map(headerKey)) };
  compiled.set(spec, c as CompiledSpec<string>);
  return c;
}

interface HeaderCell<K extends string> {
  col: number;
  title: string;
  key: string;
  hit: { field: K; score: number } | null;
}

function readHeaderCell<K extends string>(c: CompiledSpec<K>, v: unknown, col: number): HeaderCell<K> {
  const title = cellText(v);
  const key = headerKey(title);
  let hit: HeaderCell<K>['hit'] = null;
  const exact = c.byKey.get(key);
  if (exact) hit = { field: exact.field, score: exact.rank };
  else {
    const loose = c.byKey.get(looseHeaderKey(key));
    if (loose) hit = { field: loose.field, score: 1000 + loose.rank };
  }
  return { col, title, key, hit };
}

function rowOf(rows: readonly unknown[], i: number): readonly unknown[] {
  const r = rows[i];
  return Array.isArray(r) ? r : [];
}

function assignColumns<K extends string>(c: CompiledSpec<K>, cells: HeaderCell<K>[]) {
  const best = new Map<K, HeaderCell<K>>();
  for (const cell of cells) {
    if (!cell.hit) continue;
    const prev = best.get(cell.hit.field);
    if (!prev || cell.hit.score < prev.hit!.score) best.set(cell.hit.field, cell);
  }
  const columns: Partial<Record<K, number>> = {};
  const used = new Set<number>();
  for (const [field, cell] of best) {
    columns[field] = cell.col;
    used.add(cell.col);
  }
  const unknown: string[] = [];
  for (const cell of cells) {
    if (used.has(cell.col) || cell.key === '' || c.ignore.has(cell.key) || c.ignore.has(looseHeaderKey(cell.key))) continue;
    unknown.push(cell.title);
  }
  return { columns, unknown, count: best.size };
}

/**
 * Finds the header row among the first `maxScan` rows (title rows such as
 * "2024年浦东新区隐患排查治理台账" above it are skipped) and maps each field to its column.
 * The row matching the most fields wins (ties: a single row over a two-level header, then the
 * earlier row). Titles match a field's synonyms exactly after normalisation (whitespace, line
 * breaks, `*`, （必填）, trailing colons ignored; full-width = half-width); failing that, with any
 * bracketed hint removed. Two-level headers are understood: a sub-title in the lower row wins,
 * an empty lower cell falls back to the group title above. Returns null when no row matches at
 * least two fields.
 */
export function matchHeaders<K extends string>(rows: readonly unknown[][], spec: HeaderSpec<K>, maxScan = 10): HeaderMatch<K> | null {
  const c = compile(spec);
  const limit = Math.min(maxScan, rows.length);
  const fieldCount = Object.keys(spec.fields).length;
  const minimum = Math.min(2, fieldCount);
  const singles: HeaderCell<K>[][] = [];
  for (let i = 0; i < limit; i++) singles.push(Array.from(rowOf(rows, i), (v, col) => readHeaderCell(c, v, col)));

  type Candidate = ReturnType<typeof assignColumns<K>> & { headerRow: number; headerRowCount: 1 | 2 };
  const candidates: Candidate[] = [];
  for (let i = 0; i < limit; i++) {
    candidates.push({ headerRow: i, headerRowCount: 1, ...assignColumns(c, singles[i]) });
    if (i + 1 < limit) {
      const top = singles[i];
      const bottom = singles[i + 1];
      const width = Math.max(top.length, bottom.length);
      const merged: HeaderCell<K>[] = [];
      for (let col = 0; col < width; col++) {
        const b = bottom[col];
        const t = top[col];
        if (b && b.key !== '') merged.push(b);
        else if (t) merged.push(t);
      }
      candidates.push({ headerRow: i + 1, headerRowCount: 2, ...assignColumns(c, merged) });
    }
  }
  let w: Candidate | null = null;
  for (const cand of candidates) {
    if (cand.count < minimum) continue;
    // most fields; then a single row over a two-level header; then the earlier row (candidates are in row order)
    if (!w || cand.count > w.count || (cand.count === w.count && cand.headerRowCount < w.headerRowCount)) w = cand;
  }
  if (!w) return null;
  const missing: string[] = [];
  for (const field of Object.keys(spec.fields) as K[]) {
    if (spec.fields[field].required && w.columns[field] === undefined) missing.push(field);
  }
  for (const group of spec.anyOf ?? []) {
    if (!group.some((f) => w.columns[f] !== undefined)) missing.push(group.join('|'));
  }
  return { headerRow: w.headerRow, headerRowCount: w.headerRowCount, columns: w.columns, missing, unknown: w.unknown };
}

function fieldTitle<K extends string>(spec: HeaderSpec<K>, field: string): string {
  return (spec.fields as Record<string, HeaderField>)[field]?.synonyms[0] ?? field;
}

/** "缺少必填列：单位名称或统一社会信用代码、隐患描述" for `HeaderMatch.missing`, or '' when nothing is missing. */
export function describeMissingHeaders<K extends string>(spec: HeaderSpec<K>, missing: readonly string[]): string {
  if (missing.length === 0) return '';
  const names = missing.map((m) => m.split('|').map((f) => `「${fieldTitle(spec, f)}」`).join('或'));
  return `缺少必填列：${names.join('、')}`;
}

/** Message for `matchHeaders(...) === null`. */
export function headerNotFoundMessage<K extends string>(spec: HeaderSpec<K>, maxScan = 10): string {
  const required = (Object.keys(spec.fields) as K[]).filter((f) => spec.fields[f].required).map((f) => `「${fieldTitle(spec, f)}」`);
  return `未找到表头：前 ${maxScan} 行中没有一行包含${required.join('')}等列名，请使用导入模板或检查列名`;
}

export type HazardColumn =
  | 'code'
  | 'enterpriseName'
  | 'uscc'
  | 'district'
  | 'street'
  | 'description'
  | 'location'
  | 'grade'
  | 'source'
  | 'foundAt'
  | 'deadline'
  | 'status'
  | 'responsibleName'
  | 'closedAt'
  | 'category'
  | 'clauses'
  | 'industry'
  | 'principalName'
  | 'address';

const USCC_SYNONYMS = ['统一社会信用代码', '信用代码', '社会信用代码', '统一信用代码'] as const;
const DISTRICT_SYNONYMS = ['所属区', '区', '行政区', '所在区', '所属区县'] as const;
const STREET_SYNONYMS = ['街道', '乡镇', '街镇', '所属街道', '所属街镇', '所属乡镇', '街道乡镇', '街道/乡镇', '街道(乡镇)'] as const;

export const HAZARD_HEADERS: HeaderSpec<HazardColumn> = {
  fields: {
    code: { synonyms: ['隐患编号', '编号', '隐患编码'] },
    enterpriseName: { synonyms: ['单位名称', '企业名称', '被检查单位', '被检查单位名称', '企业(单位)名称'] },
    uscc: { synonyms: USCC_SYNONYMS },
    district: { synonyms: DISTRICT_SYNONYMS },
    street: { synonyms: STREET_SYNONYMS },
    description: { synonyms: ['隐患描述', '隐患内容', '存在问题', '隐患情况', '隐患描述及存在问题', '存在的问题'], required: true },
    location: { synonyms: ['隐患部位', '具体位置', '部位', '位置', '隐患位置'] },
    grade: { synonyms: ['隐患级别', '隐患等级', '级别'] },
    source: { synonyms: ['隐患来源', '来源', '发现途径'] },
    foundAt: { synonyms: ['发现时间', '排查日期', '发现日期', '检查日期', '排查时间', '检查时间'], required: true },
    deadline: { synonyms: ['整改期限', '整改时限', '限期', '整改截止日期', '整改期限(截止日期)'] },
    status: { synonyms: ['整改状态', '状态', '整改情况', '隐患状态'] },
    responsibleName: { synonyms: ['整改责任人', '责任人'] },
    closedAt: { synonyms: ['销号日期', '完成日期', '整改完成时间', '销号时间', '整改完成日期'] },
    category: { synonyms: ['隐患类别', '类别', '隐患类型', '类型'] },
    clauses: { synonyms: ['判定依据', '依据条款', '依据', '违反条款'] },
    // Only for enterprises the ledger names that are not yet registered (created when the user asks).
    industry: { synonyms: ['行业', '所属行业', '行业代码', '国民经济行业', '行业类别', '行业大类', '国民经济行业分类'] },
    principalName: { synonyms: ['主要负责人', '法定代表人', '企业负责人', '法人代表'] },
    address: { synonyms: ['企业地址', '单位地址', '地址', '注册地址', '经营地址'] },
  },
  anyOf: [['enterpriseName', 'uscc']],
  ignore: ['序号'],
};

export type EnterpriseColumn =
  | 'uscc'
  | 'name'
  | 'address'
  | 'district'
  | 'street'
  | 'industry'
  | 'industrySection'
  | 'principalName'
  | 'principalPhone'
  | 'safetyManagerName'
  | 'safetyManagerPhone'
  | 'riskClass'
  | 'standardizationLevel';

export const ENTERPRISE_HEADERS: HeaderSpec<EnterpriseColumn> = {
  fields: {
    uscc: { synonyms: USCC_SYNONYMS, required: true },
    name: { synonyms: ['单位名称', '企业名称', '企业(单位)名称'], required: true },
    address: { synonyms: ['地址', '注册地址', '经营地址', '生产经营地址', '企业地址', '单位地址', '详细地址'] },
    // Optional: a district's own registry has none (see places.ts for what stands in for it).
    district: { synonyms: DISTRICT_SYNONYMS },
    street: { synonyms: STREET_SYNONYMS },
    industry: { synonyms: ['行业', '所属行业', '行业代码', '国民经济行业', '行业类别', '国民经济行业分类', '行业分类', '行业大类', '国民经济行业大类', '大类'], required: true },
    industrySection: { synonyms: ['行业门类', '门类', '国民经济行业门类'] },
    principalName: { synonyms: ['主要负责人', '法定代表人', '负责人', '法人代表', '法人'], required: true },
    principalPhone: { synonyms: ['负责人电话', '联系电话', '主要负责人电话', '负责人联系电话', '法定代表人电话'] },
    safetyManagerName: { synonyms: ['安全管理人员', '安全员', '安全负责人', '安全管理员'] },
    safetyManagerPhone: { synonyms: ['安全管理人员电话', '安全员电话', '安全负责人电话', '安全管理人员联系电话', '安全管理员电话'] },
    riskClass: { synonyms: ['风险等级', '风险分级', '安全风险等级', '风险级别'] },
    standardizationLevel: { synonyms: ['标准化等级', '安全生产标准化', '安全生产标准化等级', '标准化达标等级', '标准化级别'] },
  },
  ignore: ['序号'],
};

// ---------------------------------------------------------------------------------------------
// Dates

const MIN_YEAR = 1990;
const MAX_YEAR = 2100;
const SHANGHAI_OFFSET_MIN = 8 * 60;
const DAY_MS = 86_400_000;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30); // serial 0 for serials ≥ 61 (absorbs Lotus' 1900-02-29)

const DATE_FORMS = '支持 2024-05-31、2024/5/31、2024.5.31、2024年5月31日';

/** A wall-clock reading; `offsetMin` null = no zone given (read as Shanghai). */
interface Wall {
  y: number;
  m: number;
  d: number;
  hh: number;
  mi: number;
  ss: number;
  offsetMin: number | null;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number) => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;

function unrecognizedDate(text: string): Fail {
  return fail(`无法识别的日期：${text}（${DATE_FORMS}）`);
}

function checkWall(w: Wall): Fail | null {
  if (w.m < 1 || w.m > 12 || w.d < 1 || w.d > daysInMonth(w.y, w.m)) return fail(`日期不存在：${ymd(w.y, w.m, w.d)}`);
  if (w.hh > 23 || w.mi > 59 || w.ss > 59) return fail(`时间不存在：${pad2(w.hh)}:${pad2(w.mi)}${w.ss ? `:${pad2(w.ss)}` : ''}`);
  return null;
}

function checkYear(y: number, shown: string): Fail | null {
  if (y < MIN_YEAR || y > MAX_YEAR) return fail(`日期超出范围（应在 ${MIN_YEAR} 年至 ${MAX_YEAR} 年之间）：${shown}`);
  return null;
}

/** Excel 1900-system serial (days, fraction = time of day) → wall clock, or null if not a serial. */
function serialToWall(n: number): Wall | null {
  if (!Number.isFinite(n) || n < 1 || n >= 2958466) return null;
  const secs = Math.round(n * 86400);
  const days = Math.floor(secs / 86400);
  const rest = secs - days * 86400;
  if (days === 60) return { y: 1900, m: 2, d: 29, hh: 0, mi: 0, ss: 0, offsetMin: null }; // Lotus' phantom day
  const base = days > 60 ? EXCEL_EPOCH : EXCEL_EPOCH + DAY_MS;
  const dt = new Date(base + days * DAY_MS + rest * 1000);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate(), hh: dt.getUTCHours(), mi: dt.getUTCMinutes(), ss: dt.getUTCSeconds(), offsetMin: null };
}

const DATE_HEAD = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*(?:日|号)?/;
const TIME_TAIL = /^(?:T|\s)*(\d{1,2})\s*[:时点]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d{1,9})?)?\s*[分秒]?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

function offsetOf(z: string | undefined): number | null {
  if (!z) return null;
  if (z.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

type WallResult = { ok: true; wall: Wall; shown: string } | Fail;

/** Reads a non-empty, non-error cell as a wall-clock reading (not yet range-checked). */
function readWall(v: unknown): WallResult {
  const s = unwrap(v);
  if (isDate(s)) {
    const w = dateParts(s);
    if (!w) return fail('无法识别的日期：单元格中的日期无效');
    return { ok: true, wall: w, shown: ymd(w.y, w.m, w.d) };
  }
  const text = cellText(v);
  if (typeof s === 'number') {
    if (Number.isInteger(s) && COMPACT.test(String(s))) return readWall(String(s));
    const w = serialToWall(s);
    if (!w || w.y < MIN_YEAR || w.y > MAX_YEAR) return unrecognizedDate(text);
    return { ok: true, wall: w, shown: ymd(w.y, w.m, w.d) };
  }
  const t = text.normalize('NFKC').trim();
  const compact = COMPACT.exec(t);
  if (compact) {
    const w: Wall = { y: Number(compact[1]), m: Number(compact[2]), d: Number(compact[3]), hh: 0, mi: 0, ss: 0, offsetMin: null };
    return { ok: true, wall: w, shown: ymd(w.y, w.m, w.d) };
  }
  if (/^\d{5}(?:\.\d+)?$/.test(t)) {
    // a serial that lost its date format (column formatted as text)
    const w = serialToWall(Number(t));
    if (w && w.y >= MIN_YEAR && w.y <= MAX_YEAR) return { ok: true, wall: w, shown: ymd(w.y, w.m, w.d) };
    return unrecognizedDate(text);
  }
  const head = DATE_HEAD.exec(t);
  if (!head) return unrecognizedDate(text);
  const w: Wall = { y: Number(head[1]), m: Number(head[2]), d: Number(head[3]), hh: 0, mi: 0, ss: 0, offsetMin: null };
  const rest = t.slice(head[0].length).trim();
  if (rest !== '') {
    const tm = TIME_TAIL.exec(rest);
    if (!tm) return unrecognizedDate(text);
    w.hh = Number(tm[1]);
    w.mi = Number(tm[2]);
    w.ss = tm[3] ? Number(tm[3]) : 0;
    w.offsetMin = offsetOf(tm[4]);
  }
  return { ok: true, wall: w, shown: ymd(w.y, w.m, w.d) };
}

/** The instant (ms since epoch) of a validated wall reading; no zone = Shanghai. */
function instantOf(w: Wall): number {
  return Date.UTC(w.y, w.m - 1, w.d, w.hh, w.mi, w.ss) - (w.offsetMin ?? SHANGHAI_OFFSET_MIN) * 60_000;
}

function validWall(v: unknown): { ok: true; wall: Wall } | Fail {
  const r = readWall(v);
  if (!r.ok) return r;
  const bad = checkWall(r.wall) ?? checkYear(r.wall.y, r.shown);
  return bad ?? { ok: true, wall: r.wall };
}

/**
 * A calendar date `YYYY-MM-DD`. Accepts Date cells (their UTC calendar date — exceljs gives
 * dates at UTC midnight), Excel serials (45443 → 2024-05-31; 1900 system incl. the Lotus
 * leap-year bug), `20240531` (number or text), and text `2024-05-31`, `2024/5/31`, `2024.5.31`,
 * `2024年5月31日`, optionally followed by a time (ignored; with an explicit `Z`/`+hh:mm` the
 * Shanghai date of that instant is taken). Years outside 1990–2100 are refused.
 */
export function parseDate(v: unknown, opts: Req): Parsed<string>;
export function parseDate(v: unknown, opts?: ParseOptions): Parsed<string | null>;
export function parseDate(v: unknown, opts: ParseOptions = {}): Parsed<string | null> {
  const pre = prelude(v, opts);
  if (pre) return pre;
  const r = validWall(v);
  if (!r.ok) return r;
  const w = r.wall;
  if (w.offsetMin === null) return ok(ymd(w.y, w.m, w.d));
  const local = new Date(instantOf(w) + SHANGHAI_OFFSET_MIN * 60_000);
  const y = local.getUTCFullYear();
  return checkYear(y, String(y)) ?? ok(ymd(y, local.getUTCMonth() + 1, local.getUTCDate()));
}

/**
 * An instant as a UTC ISO string (`2024-05-30T16:00:00.000Z`). Everything `parseDate` accepts;
 * a date without time is 00:00 Shanghai time (UTC+8), a time without zone is Shanghai local time
 * (Date cells included: their UTC reading is the wall clock shown in Excel), an explicit
 * `Z`/`+hh:mm` is honoured. Seconds are rounded (no milliseconds).
 */
export function parseDateTime(v: unknown, opts: Req): Parsed<string>;
export function parseDateTime(v: unknown, opts?: ParseOptions): Parsed<string | null>;
export function parseDateTime(v: unknown, opts: ParseOptions = {}): Parsed<string | null> {
  const pre = prelude(v, opts);
  if (pre) return pre;
  const r = validWall(v);
  if (!r.ok) return r;
  return ok(new Date(instantOf(r.wall)).toISOString());
}

// ---------------------------------------------------------------------------------------------
// Enumerations

/** Callable with `{ required: true }` to narrow the value to `T`. */
export interface EnumParser<T extends string> {
  (v: unknown, opts: Req): Parsed<T>;
  (v: unknown, opts?: ParseOptions): Parsed<T | null>;
  /** The Chinese words listed in error messages, per value. */
  readonly words: Readonly<Record<T, readonly string[]>>;
}

function wordKey(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').replace(/[。.,，;；!！]+$/, '').toLowerCase();
}

function makeEnumParser<T extends string>(def: {
  what: string;
  values: readonly T[];
  words: Record<T, readonly string[]>;
  labels: Record<T, { zh: string; en: string }>;
  /** Trailing character(s) that may be dropped, e.g. /[级类]$/. */
  suffix?: RegExp;
  /**
   * Key words a longer cell may contain (举报核查 → 举报 → tip). Used when no word matches whole: the
   * longest key found decides; two values found by keys of the same length are refused as ambiguous.
   */
  keys?: Partial<Record<T, readonly string[]>>;
}): EnumParser<T> {
  const map = new Map<string, T>();
  const add = (word: string, value: T) => {
    const k = wordKey(word);
    const prev = map.get(k);
    if (prev !== undefined && prev !== value) throw new Error(`${def.what}: ${word} maps to both ${prev} and ${value}`);
    map.set(k, value);
  };
  for (const value of def.values) {
    const all = [...def.words[value], def.labels[value].zh, def.labels[value].en, value, value.replace(/_/g, '')];
    for (const w of all) add(w, value);
  }
  if (def.suffix) {
    // Stripped forms only where they stay unambiguous.
    for (const [k, value] of [...map]) {
      const s = k.replace(def.suffix, '');
      if (s !== k && s !== '' && !map.has(s)) map.set(s, value);
    }
  }
  const listed = def.values.flatMap((v) => def.words[v].filter((w) => /[\u4e00-\u9fff]/.test(w)));
  const keys = (Object.entries(def.keys ?? {}) as [T, readonly string[]][]).flatMap(([value, ks]) => ks.map((k) => ({ key: wordKey(k), value })));
  /** The value the longest key word inside the text names, unless keys of that length name two values. */
  const byKey = (k: string): T | undefined => {
    let best: { len: number; values: Set<T> } = { len: 0, values: new Set() };
    for (const { key, value } of keys) {
      if (!k.includes(key) || key.length < best.len) continue;
      if (key.length > best.len) best = { len: key.length, values: new Set([value]) };
      else best.values.add(value);
    }
    return best.values.size === 1 ? [...best.values][0] : undefined;
  };
  const lookup = (k: string): T | undefined => {
    const direct = map.get(k) ?? (def.suffix ? map.get(k.replace(def.suffix, '')) : undefined);
    if (direct !== undefined) return direct;
    const bare = k.replace(/\([^)]*\)|【[^】]*】|\[[^\]]*\]/g, '');
    if (bare !== k && bare !== '') {
      const found = map.get(bare) ?? (def.suffix ? map.get(bare.replace(def.suffix, '')) : undefined);
      if (found !== undefined) return found;
    }
    return byKey(k);
  };
  const parse = (v: unknown, opts: ParseOptions = {}): Parsed<T | null> => {
    const text = cellText(v);
    const found = cellError(v) === null ? lookup(wordKey(text)) : undefined;
    if (found !== undefined) return ok(found); // before the placeholder check: 无 may be a value
    const pre = prelude(v, opts);
    if (pre) return pre;
    return { ok: false, message: `无法识别的${def.what}：${text}（可填：${listed.join('、')}）`, unknownWord: true };
  };
  return Object.assign(parse, { words: def.words }) as EnumParser<T>;
}

/** 隐患级别: 一般/一般隐患/一般事故隐患 → general; 重大/重大隐患/重大事故隐患 → major. */
export const parseGrade: EnumParser<HazardGrade> = makeEnumParser({
  what: '隐患级别',
  values: HAZARD_GRADES,
  labels: GRADE_LABELS,
  suffix: /[级类]$/,
  words: {
    general: ['一般隐患', '一般', '一般事故隐患', 'general'],
    major: ['重大隐患', '重大', '重大事故隐患', 'major'],
  },
  keys: { general: ['一般'], major: ['重大'] },
});

/** 整改状态, in ledger words or the English codes. */
export const parseHazardStatus: EnumParser<HazardStatus> = makeEnumParser({
  what: '整改状态',
  values: HAZARD_STATUSES,
  labels: STATUS_LABELS,
  words: {
    reported: ['已上报', '待整改', '未整改', '新发现', '上报'],
    rectifying: ['整改中', '正在整改', '限期整改'],
    pending_acceptance: ['待验收', '已整改待验收', '整改完成待验收', '待销号'],
    closed: ['已整改', '已销号', '已完成', '已闭环', '整改完毕', '销号', '已验收', '验收通过', '完成', '闭环'],
    voided: ['作废', '已作废'],
  },
  keys: {
    reported: ['未整改', '待整改', '新发现', '未处理', '待处理'],
    rectifying: ['整改中', '正在整改', '限期整改', '未完成', '推进中'],
    pending_acceptance: ['待验收', '待销号', '申请验收', '待复查'],
    closed: ['已销号', '已整改', '已验收', '验收通过', '已完成', '闭环', '销号', '整改完毕', '完成整改', '已消除'],
    voided: ['作废', '撤销'],
  },
});

/** 隐患来源. */
export const parseSource: EnumParser<Exclude<HazardSource, 'system'>> = makeEnumParser({
  what: '隐患来源',
  values: ENTERED_SOURCES,
  labels: SOURCE_LABELS,
  words: {
    self_check: ['企业自查', '自查', '自查自改'],
    routine_inspection: ['日常检查', '日常巡查', '巡查'],
    enforcement_inspection: ['执法检查', '行政执法', '执法'],
    expert_inspection: ['专家检查', '啄木鸟', '专家', '专家检查(啄木鸟)'],
    tip: ['举报', '群众举报', '投诉举报'],
    third_party: ['第三方', '第三方服务', '第三方机构'],
    accident_investigation: ['事故调查'],
    transfer: ['移交'],
    other: ['其他', '其它'],
  },
  keys: {
    self_check: ['自查', '自检'],
    routine_inspection: ['日常', '巡查', '例行'],
    enforcement_inspection: ['执法', '专项检查', '联合检查', '专项', '联合', '双随机', '督查'],
    expert_inspection: ['专家', '啄木鸟'],
    tip: ['举报', '投诉', '信访'],
    third_party: ['第三方', '中介机构'],
    accident_investigation: ['事故'],
    transfer: ['移交', '转办', '转交'],
  },
});

/** 风险等级 (红橙黄蓝). */
export const parseRiskClass: EnumParser<RiskClass> = makeEnumParser({
  what: '风险等级',
  values: RISK_CLASSES,
  labels: RISK_CLASS_LABELS,
  suffix: /级$/,
  words: {
    major: ['重大风险', '重大', '红', '红色', '红色风险'],
    high: ['较大风险', '较大', '橙', '橙色', '橙色风险'],
    general: ['一般风险', '一般', '黄', '黄色', '黄色风险'],
    low: ['低风险', '低', '蓝', '蓝色', '蓝色风险', '较低风险', '较低'],
  },
});

/** 安全生产标准化等级: 一级/二级/三级 (also 1/2/3, Ⅰ/Ⅱ/Ⅲ级), 未达标/无 → none. */
export const parseStandardizationLevel: EnumParser<StandardizationLevel> = makeEnumParser({
  what: '标准化等级',
  values: STANDARDIZATION_LEVELS,
  labels: STANDARDIZATION_LABELS,
  suffix: /(?:级|级企业|级达标|级达标企业)$/,
  words: {
    level1: ['一级', '1级', 'Ⅰ级', '一级达标', '一级企业', '标准化一级', '安全生产标准化一级'],
    level2: ['二级', '2级', 'Ⅱ级', '二级达标', '二级企业', '标准化二级', '安全生产标准化二级'],
    level3: ['三级', '3级', 'Ⅲ级', '三级达标', '三级企业', '标准化三级', '安全生产标准化三级'],
    none: ['未达标', '无', '不达标', '未评级', '未评定', '未定级', '未创建', '未开展', '否'],
  },
});

// ---------------------------------------------------------------------------------------------
// Phone numbers and money

/** Chinese area codes: 010 and 02X have three digits, the rest four. */
const AREA = '0(?:10|2\\d)|0[3-9]\\d{2}';
const LANDLINE = new RegExp(`^(?:\\+?86-?|0086-?)?(?:\\(?(${AREA})\\)?-?)?(\\d{7,8})(?:-(\\d{1,6}))?$`);
const GLUED = new RegExp(`^(?:\\+?86-?|0086-?)?(${AREA})(\\d{7,8})$`);
const PHONE_HINT = '应为11位手机号，或固定电话如 021-12345678';

function readOnePhone(raw: string): string | null {
  let s = raw.replace(/^[^\d+(]*/, ''); // labels such as 手机: / Tel:
  let ext = '';
  const e = /(?:转|分机|ext\.?|x)\s*(\d{1,6})$/i.exec(s);
  if (e) {
    ext = e[1];
    s = s.slice(0, e.index);
  }
  s = s.replace(/[\s.]/g, '').replace(/-+$/, '');
  const mobile = /^(?:\+?86-?|0086-?)?(1[3-9]\d{9})$/.exec(s.replace(/-/g, ''));
  if (mobile && !ext) return mobile[1];
  const toll = /^([48]00)-?(\d{3})-?(\d{4})$/.exec(s);
  if (toll && !ext) return toll[1] + toll[2] + toll[3];
  const land = LANDLINE.exec(s);
  if (land) {
    if (land[3] && ext) return null;
    return [land[1], land[2], land[3] ?? ext].filter(Boolean).join('-');
  }
  const glued = GLUED.exec(s.replace(/[-()]/g, ''));
  if (glued) return `${glued[1]}-${glued[2]}${ext ? `-${ext}` : ''}`;
  return null;
}

/**
 * A phone number: mobile → `13812345678` (+86, spaces and dashes dropped); landline →
 * `021-12345678`, with extension `021-12345678-123` (转/分机/-123); 8-digit local numbers stay as
 * written; 400/800 numbers → 10 digits. When a cell holds several numbers (`/`, `、`, `，`, `或`),
 * the first is taken. A number cell that lost its leading 0 (2112345678) is repaired.
 */
export function parsePhone(v: unknown, opts: Req): Parsed<string>;
export function parsePhone(v: unknown, opts?: ParseOptions): Parsed<string | null>;
export function parsePhone(v: unknown, opts: ParseOptions = {}): Parsed<string | null> {
  const pre = prelude(v, opts);
  if (pre) return pre;
  const text = cellText(v);
  const first = text
    .normalize('NFKC')
    .split(/[/、,;|\\]|或/)
    .map((p) => p.trim())
    .filter((p) => p !== '')[0];
  let out = first ? readOnePhone(first) : null;
  // a number cell drops the leading 0 of 02112345678
  if (!out && typeof unwrap(v) === 'number' && /^[1-9]\d{8,10}$/.test(text)) out = readOnePhone(`0${text}`);
  if (!out) return fail(`无法识别的电话号码：${text}（${PHONE_HINT}）`);
  return ok(out);
}

/** Largest amount accepted, in 分 (matches the contract's fundsFen bound). */
export const MAX_FEN = 1e13;
const MONEY_FORMS = '请填写数字，如 1250.50、1,250.50元 或 1.2万元';

/** "123.456" shifted left by `shift` decimal places, rounded half up, as a bigint. */
function scaleDecimal(intPart: string, frac: string, shift: number): bigint {
  const digits = BigInt(`${intPart || '0'}${frac}`);
  const exp = shift - frac.length;
  if (exp >= 0) return digits * 10n ** BigInt(exp);
  const div = 10n ** BigInt(-exp);
  return (digits * 2n + div) / (2n * div);
}

/**
 * Money given in 元 → integer 分. Number cells are 元; text may carry ¥/￥/RMB/人民币, thousands
 * separators (properly grouped), and a unit 元/万元/万/亿元/亿 (and a trailing 整). Fractions of a
 * 分 are rounded half up. Negative amounts, garbage and amounts over MAX_FEN are errors.
 */
export function parseFen(v: unknown, opts: Req): Parsed<number>;
export function parseFen(v: unknown, opts?: ParseOptions): Parsed<number | null>;
export function parseFen(v: unknown, opts: ParseOptions = {}): Parsed<number | null> {
  const pre = prelude(v, opts);
  if (pre) return pre;
  const raw = unwrap(v);
  const text = cellText(v);
  let intPart: string;
  let frac: string;
  let shift = 2;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return fail(`无法识别的金额：${text}（${MONEY_FORMS}）`);
    if (raw < 0) return fail(`金额不能为负数：${text}`);
    if (raw * 100 > MAX_FEN) return fail(`金额过大：${text}`);
    [intPart, frac = ''] = raw.toFixed(6).split('.');
  } else if (typeof raw === 'string') {
    let t = text.normalize('NFKC').replace(/\s+/g, '');
    t = t.replace(/^(?:¥|rmb|cny|人民币)/i, '').replace(/整$/, '');
    const unit = /(万元|万|亿元|亿|元|圆)$/.exec(t);
    if (unit) {
      t = t.slice(0, unit.index);
      if (unit[1].startsWith('万')) shift = 6;
      else if (unit[1].startsWith('亿')) shift = 10;
    }
    const negative = /^[-−]/.test(t);
    if (negative) t = t.slice(1);
    const m = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/.exec(t);
    if (!m || (m[1] === undefined && m[2] === undefined)) return fail(`无法识别的金额：${text}（${MONEY_FORMS}）`);
    if (negative) return fail(`金额不能为负数：${text}`);
    intPart = (m[1] ?? '0').replace(/,/g, '');
    frac = m[2] ?? '';
  } else {
    return fail(`无法识别的金额：${text}（${MONEY_FORMS}）`);
  }
  const fen = scaleDecimal(intPart, frac, shift);
  if (fen > BigInt(MAX_FEN)) return fail(`金额过大：${text}`);
  return ok(Number(fen));
}
