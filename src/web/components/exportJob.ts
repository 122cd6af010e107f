import type { ExportJob, ExportKind } from '../../shared/contracts/exports';

export type { ExportJob, ExportKind, ExportStatus } from '../../shared/contracts/exports';

export const startExportUrl = (kind: ExportKind) => `/api/${kind}/exports`;
export const exportJobUrl = (id: string) => `/api/exports/${encodeURIComponent(id)}`;
export const exportFileUrl = (id: string) => `${exportJobUrl(id)}/file`;

/** Rows written as a whole percentage; a finished export is 100 whatever its size (an empty one too). */
export function exportPercent(job: Pick<ExportJob, 'status' | 'rowsTotal' | 'rowsWritten'>): number {
  if (job.status === 'done') return 100;
  if (job.rowsTotal <= 0) return 0;
  return Math.min(99, Math.floor((job.rowsWritten / job.rowsTotal) * 100));
}

/**
 * The export a tab is waiting for, per user and kind, so that a reload picks its progress up
 * again. Session storage: another tab does not download the same file a second time.
 */
const slotKey = (userId: string, kind: ExportKind) => `zhiben.export.${userId}.${kind}`;

export function rememberedExport(userId: string, kind: ExportKind): string | null {
  try {
    return sessionStorage.getItem(slotKey(userId, kind));
  } catch {
    return null;
  }
}

export function rememberExport(userId: string, kind: ExportKind, id: string): void {
  try {
    sessionStorage.setItem(slotKey(userId, kind), id);
  } catch {
    // Storage refused (private mode): the progress still shows until the page is left.
  }
}

export function forgetExport(userId: string, kind: ExportKind): void {
  try {
    sessionStorage.removeItem(slotKey(userId, kind));
  } catch {
    // Nothing was kept.
  }
}
