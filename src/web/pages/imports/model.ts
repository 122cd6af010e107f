import type { ImportCounts } from '../../../shared/contracts/imports';
import type { Me } from '../../../shared/contracts/users';
import { canReport } from '../hazards/access';

/** What GET /api/imports/:id answers (the server's Job; no shared contract yet). */
export type ImportKind = 'hazards' | 'enterprises';
export type ImportStatus = 'previewing' | 'previewed' | 'committing' | 'committed' | 'failed';
export type { ImportCounts };
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

export const jobUrl = (id: string) => `/api/imports/${encodeURIComponent(id)}`;
