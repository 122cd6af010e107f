/**
 * How a file's columns feed Zhiben's fields, settled from what the file says and what the user
 * chose: titles first (hidden columns only where no visible one serves), then the user's mapping,
 * then content where no title says (a column of valid credit codes; a column of dates under a
 * title with 日期/时间). Pure: rows in, a layout out.
 */
import type { ColumnSource, ImportLayout, ImportMapping } from '../../../shared/contracts/imports';
import { isValidUscc } from '../../../shared/uscc';
import { cellText, cleanCode, headerKey, isBlankCell, matchHeaders, parseDateTime, type HeaderMatch, type HeaderSpec } from './normalize';
import type { SheetRow } from './reader';

export type Allowed = { value: string; label: string };

/** A list field's allowed values from its labels. */
export const allowedOf = <T extends string>(labels: Record<T, { zh: string }>): Allowed[] => (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value].zh }));

/** One kind of import: its header titles, its list fields, and which fields content can stand for. */
export interface ImportSpec<K extends string> {
  headers: HeaderSpec<K>;
  /** Fields whose values come from a list: a mapping can say what the file's own words mean. */
  values: Partial<Record<K, Allowed[]>>;
  /** The field a column of valid credit codes feeds, whatever its title. */
  usccField?: K;
  /** The date field an untitled column of dates under 日期/时间 feeds, when no title names it. */
  dateField?: K;
}

export const HEAD_ROWS = 10;
/** Rows read before the header is settled: the header rows and enough data rows to judge content. */
export const SAMPLE_ROWS = 40;

export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function fieldTitle<K extends string>(spec: ImportSpec<K>, field: string): string {
  return (spec.headers.fields as Record<string, { synonyms: readonly string[] }>)[field]?.synonyms[0] ?? field;
}

export interface Resolved<K extends string> {
  match: HeaderMatch<K>;
  columns: ImportLayout['columns'];
  signature: string;
}

function dense(rows: SheetRow[], blank: Set<number>): unknown[][] {
  const out: unknown[][] = [];
  for (const r of rows) if (r.rowNumber <= HEAD_ROWS) out[r.rowNumber - 1] = blank.size ? r.cells.map((c, i) => (blank.has(i) ? null : c)) : r.cells;
  for (let i = 0; i < out.length; i++) out[i] ??= [];
  return out;
}

/** Without a matching title row, the header is the first row with the most filled cells (at least two). */
function guessHeaderRow(rows: unknown[][]): number | null {
  let best = -1;
  let bestCount = 1;
  rows.forEach((r, i) => {
    const n = r.filter((c) => cellText(c) !== '').length;
    if (n > bestCount) {
      best = i;
      bestCount = n;
    }
  });
  return best < 0 ? null : best;
}

function requiredMissing<K extends string>(spec: HeaderSpec<K>, columns: Partial<Record<K, number>>): string[] {
  const missing: string[] = [];
  for (const field of Object.keys(spec.fields) as K[]) if (spec.fields[field].required && columns[field] === undefined) missing.push(field);
  for (const group of spec.anyOf ?? []) if (!group.some((f) => columns[f] !== undefined)) missing.push(group.join('|'));
  return missing;
}

const share = (values: string[], test: (v: string) => boolean) => values.length > 0 && values.filter(test).length / values.length >= 0.8;

/** Settles the header row and each column's field; null when no row looks like a header at all. */
export function resolveLayout<K extends string>(spec: ImportSpec<K>, head: SheetRow[], hiddenColumns: readonly number[], mapping: ImportMapping | null): Resolved<K> | null {
  const hidden = new Set(hiddenColumns);
  const all = dense(head, new Set());
  const visible = matchHeaders(dense(head, hidden), spec.headers, HEAD_ROWS);
  const withHidden = matchHeaders(all, spec.headers, HEAD_ROWS);
  let headerRow: number;
  let headerRowCount: 1 | 2 = 1;
  const bound = new Map<K, { col: number; by: ColumnSource }>();
  const base = visible ?? withHidden;
  if (base) {
    headerRow = base.headerRow;
    headerRowCount = base.headerRowCount;
    for (const [f, col] of Object.entries(base.columns) as [K, number][]) bound.set(f, { col, by: 'title' });
    // A hidden column stands in only for a field no visible column gives.
    if (visible && withHidden && withHidden.headerRow === visible.headerRow) {
      const used = new Set([...bound.values()].map((b) => b.col));
      for (const [f, col] of Object.entries(withHidden.columns) as [K, number][]) if (!bound.has(f) && !used.has(col)) bound.set(f, { col, by: 'title' });
    }
  } else {
    const guessed = guessHeaderRow(all);
    if (guessed === null) return null;
    headerRow = guessed;
  }
  const bottom = all[headerRow] ?? [];
  const top = headerRowCount === 2 ? (all[headerRow - 1] ?? []) : [];
  const width = Math.max(bottom.length, top.length);
  const titles = Array.from({ length: width }, (_, i) => cellText(bottom[i]) || cellText(top[i]));
  const keys = titles.map(headerKey);
  const data = head.filter((r) => r.rowNumber > headerRow + 1);
  const samplesOf = (col: number) => data.map((r) => r.cells[col]).filter((c) => !isBlankCell(c)).map((c) => cellText(c));

  // The user's (or a saved) mapping: by title, whitespace and full-width forms aside.
  const chosen = new Map<string, string>();
  for (const [title, field] of Object.entries(mapping?.columns ?? {})) chosen.set(headerKey(title), field);
  for (let col = 0; col < width; col++) {
    const field = chosen.get(keys[col]);
    if (field === undefined || keys[col] === '') continue;
    for (const [f, b] of bound) if (b.col === col) bound.delete(f);
    if (field !== '' && field in spec.headers.fields) bound.set(field as K, { col, by: 'mapping' });
  }

  // Content, where no title or choice says.
  const used = () => new Set([...bound.values()].map((b) => b.col));
  const ignored = new Set((spec.headers.ignore ?? []).map(headerKey));
  const free = (col: number) => !used().has(col) && !ignored.has(keys[col]) && !(chosen.get(keys[col]) === '');
  if (spec.usccField && !bound.has(spec.usccField)) {
    for (let col = 0; col < width; col++) {
      const s = samplesOf(col);
      if (free(col) && s.length >= 2 && share(s, (v) => isValidUscc(cleanCode(v)))) {
        bound.set(spec.usccField, { col, by: 'content' });
        break;
      }
    }
  }
  if (spec.dateField && !bound.has(spec.dateField)) {
    const dated = [];
    for (let col = 0; col < width; col++) {
      const s = data.map((r) => r.cells[col]).filter((c) => !isBlankCell(c));
      const dates = s.filter((c) => {
        const p = parseDateTime(c);
        return p.ok && p.value !== null;
      });
      if (free(col) && /日期|时间/.test(titles[col]) && s.length > 0 && dates.length / s.length >= 0.8) dated.push(col);
    }
    if (dated.length === 1) bound.set(spec.dateField, { col: dated[0], by: 'content' });
  }

  const columnsByField: Partial<Record<K, number>> = {};
  for (const [f, b] of bound) columnsByField[f] = b.col;
  const fieldAt = new Map([...bound].map(([f, b]) => [b.col, { field: f as string, by: b.by }]));
  const missing = requiredMissing(spec.headers, columnsByField);
  const columns: ImportLayout['columns'] = [];
  for (let col = 0; col < width; col++) {
    if (keys[col] === '' && !fieldAt.has(col)) continue;
    columns.push({ index: col, letter: columnLetter(col), title: titles[col], field: fieldAt.get(col)?.field ?? null, by: fieldAt.get(col)?.by ?? null, hidden: hidden.has(col), samples: samplesOf(col).slice(0, 3) });
  }
  const unknown = columns.filter((c) => c.field === null && !ignored.has(headerKey(c.title))).map((c) => c.title);
  let last = keys.length;
  while (last > 0 && keys[last - 1] === '') last--;
  return {
    match: { headerRow, headerRowCount, columns: columnsByField, missing, unknown },
    columns,
    signature: keys.slice(0, last).join('|'),
  };
}

/** How well a sheet's first rows fit: fields found, and whether nothing required is missing. */
export function headerScore<K extends string>(spec: ImportSpec<K>, head: SheetRow[]): { found: number; complete: boolean } {
  const m = matchHeaders(dense(head, new Set()), spec.headers, HEAD_ROWS);
  if (!m) return { found: 0, complete: false };
  return { found: Object.keys(m.columns).length, complete: m.missing.length === 0 };
}

/** The mapping's value choices as a cell rewrite per column: the file's word → the allowed value. */
export function valueRewrites<K extends string>(spec: ImportSpec<K>, match: HeaderMatch<K>, mapping: ImportMapping | null): Map<number, Map<string, string>> {
  const out = new Map<number, Map<string, string>>();
  for (const [field, words] of Object.entries(mapping?.values ?? {})) {
    const col = match.columns[field as K];
    if (col === undefined || !(field in spec.values)) continue;
    out.set(col, new Map(Object.entries(words).map(([from, to]) => [cellText(from), to])));
  }
  return out;
}
