import type { ImportCounts, ImportLayout, ImportMapping } from '../../../shared/contracts/imports';
import type { Me } from '../../../shared/contracts/users';
import type { Lang } from '../../i18n';
import { canReport } from '../hazards/access';

/** What GET /api/imports/:id answers (the server's Job; no shared contract yet). */
export type ImportKind = 'hazards' | 'enterprises';
export type ImportStatus = 'previewing' | 'previewed' | 'committing' | 'committed' | 'failed';
export type { ImportCounts, ImportLayout, ImportMapping };
export interface ImportJob {
  id: string;
  kind: ImportKind;
  fileName: string;
  sha256: string;
  status: ImportStatus;
  rowsRead: number;
  rowsWritten: number;
  counts: ImportCounts | null;
  message: string | null;
  /** How the preview read the file; null until it has read the header. */
  layout: ImportLayout | null;
  /** The mapping the user chose for this job (a saved one applied automatically is not here). */
  mapping: ImportMapping | null;
  /** Previewed, but a required field has no column yet: nothing can be committed until it is mapped. */
  needsMapping: boolean;
  createdAt: string;
  updatedAt: string;
}
export interface ImportRowError {
  rowNumber: number;
  errors: { column: string; message: string }[];
  raw: Record<string, string>;
}

export const IMPORT_KINDS: ImportKind[] = ['hazards', 'enterprises'];
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

/**
 * Who may import what (the server decides; this only hides what would fail): a hazard ledger
 * whoever may report hazards, an enterprise registry whoever may register enterprises.
 */
export function importKinds(me: Me): ImportKind[] {
  return IMPORT_KINDS.filter((k) => (k === 'hazards' ? canReport(me) : me.permissions.includes('enterprises.create')));
}

/** Whether 数据导入 is offered at all. */
export const canImport = (me: Me) => importKinds(me).length > 0;

/** Rows the commit writes: the new and the changed ones. */
export const toWrite = (c: ImportCounts | null) => (c ? c.create + c.update : 0);

/** A job still moving at the server, to be polled. */
export const isRunning = (s: ImportStatus) => s === 'previewing' || s === 'committing';

/** A failed job that had been previewed can be committed again: the commit resumes where it stopped. */
export const canResume = (j: ImportJob) => j.status === 'failed' && j.counts !== null;

/** The files the server reads: Excel workbooks (.xls also as an HTML table saved by other systems) and CSV text. */
export const IMPORT_ACCEPT = '.xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,text/csv';
export const isImportable = (name: string) => /\.(xlsx|xls|csv)$/i.test(name);

/**
 * Required fields (an `a|b` entry: one of them) that no column feeds under the columns chosen so
 * far: what the server said was missing, and any required field the user has since left out.
 */
export function stillMissing(layout: ImportLayout, columns: Record<string, string>): string[] {
  const fed = new Set(Object.values(columns).filter(Boolean));
  // Untitled columns cannot be chosen by title: what the preview found in them stays.
  for (const c of layout.columns) if (!c.title && c.field) fed.add(c.field);
  const required = [...layout.missing, ...layout.fields.filter((f) => f.required).map((f) => f.key)];
  return [...new Set(required)].filter((entry) => !entry.split('|').some((f) => fed.has(f)));
}

/** The columns with `field` fed by the column titled `title` alone: a field comes from one column. */
export function assignColumn(columns: Record<string, string>, title: string, field: string): Record<string, string> {
  const next: Record<string, string> = {};
  for (const [t, f] of Object.entries(columns)) next[t] = field !== '' && f === field ? '' : f;
  next[title] = field;
  return next;
}

/** A field → the file's word → its meaning, without the words left unset (they stay errors). */
export function setValue(values: ImportMapping['values'], field: string, word: string, meaning: string | undefined): NonNullable<ImportMapping['values']> {
  const words = { ...values?.[field] };
  if (meaning) words[word] = meaning;
  else delete words[word];
  const next = { ...values, [field]: words };
  if (!Object.keys(words).length) delete next[field];
  return next;
}

/** The first rows of `n` (the server keeps a few), with an ellipsis when there are more. */
export const rowList = (rows: number[], n: number, lang: Lang) => rows.join(lang === 'zh' ? '、' : ', ') + (rows.length < n ? '…' : '');

export const jobUrl = (id: string) => `/api/imports/${encodeURIComponent(id)}`;
