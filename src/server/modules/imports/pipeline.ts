/**
 * The shared shape of every import: find the header row, classify data rows a batch at a time
 * (storing each row's verdict with its original cells), then apply the pending rows in row order,
 * in atomic batches that also move the job's `applied_through` mark — so an interrupted commit
 * resumes after the last whole batch, without loss or repeats (and no per-row bookkeeping writes).
 */
import type { ImportCounts } from '../../../shared/contracts/imports';
import type { ActorCtx } from '../../context';
import { audit, transact } from '../../context';
import type { DB } from '../../db/schema';
import { bulkBatchRows, insertMany } from '../../db/dialect';
import { describeMissingHeaders, hasControlChars, headerNotFoundMessage, matchHeaders, type HeaderMatch, type HeaderSpec } from './normalize';

export interface RowError {
  column: string;
  message: string;
}

export interface Classified {
  rowNumber: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  targetId: string | null;
  data: unknown;
  errors: RowError[];
  raw: Record<string, string>;
  /** Values of this row the file does not state, and where they came from (shown in the preview). */
  inferred?: { column: string; source: string }[];
}

export class ImportFileError extends Error {}

const CLEANED_ROWS_SHOWN = 20;

function noteInferred(counts: ImportCounts, c: Classified) {
  for (const { column, source } of c.inferred ?? []) {
    let entry = counts.inferred.find((x) => x.column === column && x.source === source);
    if (!entry) counts.inferred.push((entry = { column, source, count: 0, rows: [] }));
    entry.count++;
    if (entry.rows.length < CLEANED_ROWS_SHOWN) entry.rows.push(c.rowNumber);
  }
}

function noteCleaned(counts: ImportCounts, rows: SheetRow[]) {
  for (const row of rows) {
    let n = 0;
    for (const cell of row.cells) if (hasControlChars(cell)) n++;
    if (!n) continue;
    counts.cleaned += n;
    if (counts.cleanedRows.length < CLEANED_ROWS_SHOWN) counts.cleanedRows.push(row.rowNumber);
  }
}

/** How a commit runs: rows per batch, and a hook after each batch (tests stop a commit midway with it). */
export interface CommitOptions {
  batch?: number;
  afterBatch?: (written: number) => Promise<void> | void;
}

export type SheetRow = { rowNumber: number; cells: unknown[] };

const BATCH = 1000;

export function findHeader<K extends string>(spec: HeaderSpec<K>, head: SheetRow[]): HeaderMatch<K> {
  // matchHeaders works on a dense array of rows; its index is the sheet row number minus one.
  const dense: unknown[][] = [];
  for (const r of head) dense[r.rowNumber - 1] = r.cells;
  for (let i = 0; i < dense.length; i++) dense[i] ??= [];
  const m = matchHeaders(dense, spec, 10);
  if (!m) throw new ImportFileError(headerNotFoundMessage(spec, 10));
  if (m.missing.length) throw new ImportFileError(describeMissingHeaders(spec, m.missing));
  return m;
}

export async function runPreview<K extends string>(
  ctx: ActorCtx,
  jobId: string,
  rows: AsyncIterable<SheetRow>,
  spec: HeaderSpec<K>,
  classify: (header: HeaderMatch<K>, batch: SheetRow[]) => Promise<Classified[]>,
): Promise<void> {
  const db = ctx.db;
  const head: SheetRow[] = [];
  let header: HeaderMatch<K> | null = null;
  let batch: SheetRow[] = [];
  const counts: ImportCounts = { create: 0, update: 0, unchanged: 0, error: 0, total: 0, cleaned: 0, cleanedRows: [], inferred: [] };

  const flush = async () => {
    if (!batch.length) return;
    noteCleaned(counts, batch);
    const classified = await classify(header!, batch);
    for (const c of classified) {
      counts[c.action]++;
      noteInferred(counts, c);
    }
    counts.total += classified.length;
    await insertMany(
      db,
      ctx.dialect,
      'import_rows',
      classified.map((c) => ({
        job_id: jobId,
        row_number: c.rowNumber,
        action: c.action,
        target_id: c.targetId,
        data_json: c.data ? JSON.stringify(c.data) : null,
        errors_json: c.errors.length ? JSON.stringify(c.errors) : null,
        raw_json: JSON.stringify(c.raw),
      })),
    );
    await db.updateTable('import_jobs').set({ rows_read: counts.total, counts_json: JSON.stringify(counts), updated_at: ctx.now().toISOString() }).where('id', '=', jobId).execute();
    batch = [];
  };

  for await (const row of rows) {
    if (header) {
      batch.push(row);
      if (batch.length >= BATCH) await flush();
      continue;
    }
    head.push(row);
    if (head.length < 10) continue;
    header = findHeader(spec, head);
    batch = head.filter((r) => r.rowNumber > header!.headerRow + 1);
  }
  if (!header) {
    header = findHeader(spec, head);
    batch = head.filter((r) => r.rowNumber > header!.headerRow + 1);
  }
  await flush();
  await db.updateTable('import_jobs').set({ status: 'previewed', rows_read: counts.total, counts_json: JSON.stringify(counts), updated_at: ctx.now().toISOString() }).where('id', '=', jobId).execute();
}

/** Applies the previewed rows not yet applied, batch by batch; `apply` answers the ids of the records it wrote. */
export async function runCommit(
  ctx: ActorCtx,
  jobId: string,
  apply: (tx: ActorCtx, job: DB['import_jobs'], rows: { rowNumber: number; data: unknown }[]) => Promise<string[]>,
  afterEachBatch: (tx: ActorCtx) => Promise<void>,
  opts: CommitOptions = {},
): Promise<{ written: number }> {
  const job = await ctx.db.selectFrom('import_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
  let written = job.rows_written;
  const size = opts.batch ?? bulkBatchRows(ctx.dialect);
  const pendingAfter = async (after: number) =>
    (
      await ctx.db
        .selectFrom('import_rows')
        .select(['row_number', 'data_json'])
        .where('job_id', '=', jobId)
        .where('action', 'in', ['create', 'update'])
        .where('row_number', '>', after)
        .orderBy('row_number')
        .limit(size)
        .execute()
    ).map((p) => ({ rowNumber: p.row_number, data: JSON.parse(p.data_json!) as unknown }));
  let next = pendingAfter(job.applied_through);
  for (;;) {
    const pending = await next;
    if (!pending.length) break;
    // The batch after this one is read while this one is written (on PostgreSQL, by another
    // connection of the pool): the previewed rows never change, so it is read the same either way.
    const through = pending[pending.length - 1].rowNumber;
    next = pendingAfter(through);
    next.catch(() => undefined); // a failed read surfaces when awaited, not as an unhandled rejection
    await transact(ctx, async (tx) => {
      const touched = await apply(tx, job, pending);
      written += pending.length;
      await tx.db.updateTable('import_jobs').set({ rows_written: written, applied_through: through, updated_at: ctx.now().toISOString() }).where('id', '=', jobId).execute();
      await afterEachBatch(tx);
      await audit(tx, { action: `${job.kind === 'hazards' ? 'hazard' : 'enterprise'}.imported`, entityType: 'import_job', entityId: jobId, after: { file: job.file_name, sha256: job.sha256, rows: pending.map((p) => p.rowNumber), ids: touched } });
    });
    await opts.afterBatch?.(written);
  }
  return { written };
}
