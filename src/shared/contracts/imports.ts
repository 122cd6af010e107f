/** What an import's preview counted: its verdicts, and the cells it cleaned (control characters removed) with the first rows they are in. */
export interface ImportCounts {
  create: number;
  update: number;
  unchanged: number;
  error: number;
  total: number;
  cleaned: number;
  cleanedRows: number[];
  /** Values the file does not state, inferred per column and source (e.g. the district from the street), with the first rows. */
  inferred: { column: string; source: string; count: number; rows: number[] }[];
}

/**
 * What the user settles in an import's preview (and what a saved mapping holds): the sheet, which
 * column feeds which field, and what the file's own words mean.
 */
export interface ImportMapping {
  /** The sheet to read, by name; unset: the one whose header matches best. */
  sheet?: string;
  /** A column title as the file writes it → the field it feeds, or '' to leave the column out. */
  columns?: Record<string, string>;
  /** A field → a value as the file writes it → the value it means (an allowed value's key). */
  values?: Record<string, Record<string, string>>;
  /** Hazard ledgers: create the enterprises rows name that are not yet registered. */
  createEnterprises?: boolean;
}

export type ColumnSource = 'title' | 'content' | 'mapping';

/** How the preview read the file: the sheet, the header row, each column's field and why. */
export interface ImportLayout {
  format: 'xlsx' | 'xls' | 'csv';
  /** A .csv's text encoding as detected. */
  encoding: string | null;
  sheet: string;
  sheets: string[];
  /** How the sheet was chosen: the only one, the user's choice, or the best-matching header. */
  sheetChosenBy: 'only' | 'user' | 'header';
  /** The (last) header row, as the sheet numbers it. */
  headerRow: number;
  /** The header titles joined: the same header finds the same saved mapping. */
  signature: string;
  columns: { index: number; letter: string; title: string; field: string | null; by: ColumnSource | null; hidden: boolean; samples: string[] }[];
  /** Required fields no column feeds (`a|b`: one of them); while any is missing nothing can be committed. */
  missing: string[];
  /** Zhiben's fields for this kind of file, for the column drop-downs. */
  fields: { key: string; title: string; required: boolean }[];
  /** The saved mapping applied without asking, if any. */
  savedMapping: { id: string; name: string } | null;
  /** Totals rows (合计/小计/总计) skipped, and hidden rows read like the others. */
  skipped: { totals: number; totalsRows: number[] };
  hiddenRows: number;
  /** Values of list fields that match no allowed value: the most frequent (at most 200) per field, with what they could mean. */
  unknownValues: { field: string; column: string; values: { value: string; count: number }[]; allowed: { value: string; label: string }[] }[];
  /** Ledger imports: enterprises rows name that are not registered yet (valid credit code, place and industry known, in scope) — the import creates them when `createEnterprises` is ticked. */
  unregistered: number;
  /** Ledger imports with `createEnterprises`: the enterprises the commit registers (the first 200 listed). */
  newEnterprises: { count: number; items: { uscc: string; name: string }[] };
}

/** The mapping a preview settled (sheet and every column that feeds a field), as the user would write it. */
export function mappingOf(layout: ImportLayout, previous: ImportMapping | null = null): ImportMapping {
  const columns: Record<string, string> = {};
  for (const c of layout.columns) if (c.title) columns[c.title] = c.field ?? '';
  return { sheet: layout.sheet, columns, ...(previous?.values ? { values: previous.values } : {}), ...(previous?.createEnterprises ? { createEnterprises: true } : {}) };
}
