/** Import jobs: upload → preview (background) → commit (background), with progress kept in the job row. */
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { audit, transact, type ActorCtx } from '../../context';
import { whileBulkWriting } from '../../db/database';
import type { DB } from '../../db/schema';
import { AppError, notFound } from '../../errors/app-error';
import { fileStore } from '../files/commands';
import type { CommitWorkerData, CommitWorkerMessage } from './commit-worker';
import { previewEnterpriseImport } from './enterprise-import';
import { previewHazardImport } from './hazard-import';
import type { ImportCounts } from '../../../shared/contracts/imports';
import type { ImportLayout, ImportMapping } from '../../../shared/contracts/imports';
import { recordJob } from '../../ops/metrics';
import { saveMapping } from './mappings';
import { ImportFileError, type CommitOptions } from './pipeline';
import { TooManyRowsError, UnreadableFileError } from './reader';
import { heldBy, INSTANCE_ID, type HeldBy } from '../../workers/instance';
import { background, isStopping, startWorker, workerCtxData, type WorkerCtxData } from '../../workers/thread';

export const IMPORT_MAX_ROWS = 200_000;
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

const IMPORTERS = new Set(['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer', 'inspector', 'expert', 'enterprise']);

export function presentJob(j: DB['import_jobs']) {
  return {
    id: j.id,
    kind: j.kind,
    fileName: j.file_name,
    sha256: j.sha256,
    status: j.status,
    rowsRead: j.rows_read,
    rowsWritten: j.rows_written,
    counts: j.counts_json ? ({ cleaned: 0, cleanedRows: [], inferred: [], ...(JSON.parse(j.counts_json) as Partial<ImportCounts>) } as ImportCounts) : null,
    message: j.message,
    layout: j.layout_json ? (JSON.parse(j.layout_json) as ImportLayout) : null,
    mapping: j.mapping_json ? (JSON.parse(j.mapping_json) as ImportMapping) : null,
    /** Previewed, but some required field has no column yet: the user maps it before committing. */
    needsMapping: j.status === 'previewed' && !!j.layout_json && (JSON.parse(j.layout_json) as ImportLayout).missing.length > 0,
    createdAt: j.created_at,
    updatedAt: j.updated_at,
  };
}

/** A user sees their own jobs; administrators see all. */
export async function findJob(ctx: ActorCtx, id: string) {
  let q = ctx.db.selectFrom('import_jobs').selectAll().where('id', '=', id);
  if (ctx.actor.role !== 'city_admin') q = q.where('user_id', '=', ctx.actor.userId);
  const job = await q.executeTakeFirst();
  if (!job) throw notFound('导入任务', 'import job');
  return job;
}

function failure(err: unknown): string {
  if (err instanceof ImportFileError || err instanceof UnreadableFileError) return err.message;
  if (err instanceof TooManyRowsError) return `文件超过 ${(err.limit - 10).toLocaleString()} 行，请拆分后分批导入`;
  if ((err as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') return '文件过大，读取时内存不足：请拆分文件，或另存为 .xlsx 后分批导入';
  if (err instanceof Error && /zip|central directory|signature|end of data/i.test(err.message)) return '无法读取文件：请上传 Excel 工作簿（.xlsx 或 .xls）或 CSV 文件';
  return '导入失败：服务器内部错误，请稍后重试';
}

/** Ends this process's commit of a job, unless the job has since been marked interrupted (and perhaps resumed elsewhere). */
async function endCommit(db: Kysely<DB>, id: string, status: 'committed' | 'failed', now: string, message: string | null = null) {
  await db.updateTable('import_jobs').set({ status, message, updated_at: now }).where('id', '=', id).where('status', '=', 'committing').where('holder', '=', INSTANCE_ID).execute();
}

export type ImportKind = 'hazards' | 'enterprises';
const KINDS = {
  hazards: { preview: previewHazardImport, roles: IMPORTERS },
  enterprises: { preview: previewEnterpriseImport, roles: new Set(['city_admin', 'city_officer', 'district_officer', 'street_officer', 'dept_officer']) },
} as const;

export const startHazardImport = (ctx: ActorCtx, file: { name: string; content: Buffer }, opts: { wait?: boolean; onError?: (err: unknown) => void } = {}) => startImport(ctx, 'hazards', file, opts);

/** Stores the upload, creates the job and runs its preview in a worker thread; answers the job id at once (`wait` for tests and the CLI). */
export async function startImport(ctx: ActorCtx, kind: ImportKind, file: { name: string; content: Buffer }, opts: { wait?: boolean; onError?: (err: unknown) => void; maxRows?: number; mapping?: ImportMapping } = {}) {
  if (!KINDS[kind].roles.has(ctx.actor.role)) throw new AppError('FORBIDDEN', kind === 'hazards' ? '当前角色不能导入隐患' : '当前角色不能导入企业名录', `Your role cannot import ${kind}`);
  if (file.content.length > IMPORT_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', '文件过大：导入文件不超过 50 MB', 'The file is too large: at most 50 MB');
  const worker = workerCtxData(ctx);
  const sha256 = fileStore(ctx).put(file.content);
  const now = ctx.now().toISOString();
  const id = uuidv7();
  await transact(ctx, async (tx) => {
    await tx.db
      .insertInto('import_jobs')
      .values({ id, city_code: ctx.actor.cityCode, user_id: ctx.actor.userId, kind, file_name: file.name.slice(0, 200), sha256, status: 'previewing', rows_read: 0, rows_written: 0, applied_through: 0, counts_json: null, message: null, layout_json: null, mapping_json: opts.mapping ? JSON.stringify(opts.mapping) : null, holder: INSTANCE_ID, created_at: now, updated_at: now })
      .execute();
    await audit(tx, { action: 'import.started', entityType: 'import_job', entityId: id, after: { kind, file: file.name, sha256, size: file.content.length } });
  });
  await runPreviewWorker(ctx, { ...worker, kind, jobId: id, file: path.resolve(fileStore(ctx).pathFor(sha256)), maxRows: opts.maxRows ?? IMPORT_MAX_ROWS }, opts);
  return id;
}

function runPreviewWorker(ctx: ActorCtx, data: PreviewWorkerData, opts: { wait?: boolean; onError?: (err: unknown) => void }) {
  const id = data.jobId;
  const run = background(
    startWorker(PREVIEW_WORKER, data, () => undefined).catch(async (err) => {
      // A stopping server marks the job itself (interruptImportJobs), as stopped rather than failed.
      if (isStopping()) return;
      // A worker that died without a word (out of memory) leaves the job previewing: it failed.
      await ctx.db.deleteFrom('import_rows').where('job_id', '=', id).execute();
      await ctx.db.updateTable('import_jobs').set({ status: 'failed', counts_json: null, message: failure(err), updated_at: ctx.now().toISOString() }).where('id', '=', id).where('status', '=', 'previewing').execute();
      opts.onError?.(err);
    }),
  );
  return opts.wait ? run : undefined;
}

/**
 * Previews a job again with the user's mapping (columns, values, sheet), from the file already
 * stored; `saveAs` also keeps the mapping for the organisation, offered for the next file with
 * the same header row.
 */
export async function repreviewImport(ctx: ActorCtx, id: string, mapping: ImportMapping, opts: { saveAs?: string; wait?: boolean; onError?: (err: unknown) => void } = {}) {
  const job = await findJob(ctx, id);
  if (job.user_id !== ctx.actor.userId) throw new AppError('FORBIDDEN', '只能修改自己发起的导入', 'You can only change your own imports');
  const again = job.status === 'previewed' || (job.status === 'failed' && job.rows_written === 0);
  if (!again) throw new AppError('INVALID_TRANSITION', `导入任务当前状态（${job.status}）不能重新预览`, `An import that is ${job.status} cannot be previewed again`);
  const layout = job.layout_json ? (JSON.parse(job.layout_json) as ImportLayout) : null;
  const now = ctx.now().toISOString();
  await transact(ctx, async (tx) => {
    await tx.db.deleteFrom('import_rows').where('job_id', '=', id).execute();
    await tx.db.updateTable('import_jobs').set({ status: 'previewing', rows_read: 0, counts_json: null, message: null, mapping_json: JSON.stringify(mapping), holder: INSTANCE_ID, updated_at: now }).where('id', '=', id).execute();
    if (opts.saveAs && layout) await saveMapping(tx, job.kind, layout.signature, opts.saveAs, mapping);
    await audit(tx, { action: 'import.mapped', entityType: 'import_job', entityId: id, after: { mapping, saveAs: opts.saveAs ?? null } });
  });
  await runPreviewWorker(ctx, { ...workerCtxData(ctx), kind: job.kind, jobId: id, file: path.resolve(fileStore(ctx).pathFor(job.sha256)), maxRows: IMPORT_MAX_ROWS }, opts);
  return findJob(ctx, id);
}

export interface PreviewWorkerData extends WorkerCtxData {
  kind: ImportKind;
  jobId: string;
  file: string;
  maxRows: number;
}

const PREVIEW_WORKER = new URL('./preview-worker.ts', import.meta.url);

/**
 * In the preview worker: reads the stored file and classifies every row into the job. A file that
 * cannot be imported fails the job with the reason; anything else also fails it, and is thrown for
 * the log.
 */
export async function previewJob(ctx: ActorCtx, kind: ImportKind, id: string, file: string, maxRows: number): Promise<void> {
  try {
    const job = await ctx.db.selectFrom('import_jobs').select(['mapping_json', 'file_name']).where('id', '=', id).executeTakeFirstOrThrow();
    const mapping = job.mapping_json ? (JSON.parse(job.mapping_json) as ImportMapping) : null;
    await KINDS[kind].preview(ctx, id, { file, name: job.file_name, maxRows: maxRows + 10, mapping, kind });
  } catch (err) {
    // A preview that did not finish cannot be committed: no rows, no counts.
    await ctx.db.deleteFrom('import_rows').where('job_id', '=', id).execute();
    await ctx.db.updateTable('import_jobs').set({ status: 'failed', counts_json: null, message: failure(err), updated_at: ctx.now().toISOString() }).where('id', '=', id).execute();
    if (!(err instanceof ImportFileError || err instanceof TooManyRowsError || err instanceof UnreadableFileError)) throw err;
  }
}

/** Commits a previewed (or interrupted) job; answers at once unless `wait`. */
export async function commitImport(ctx: ActorCtx, id: string, opts: CommitOptions & { wait?: boolean; onError?: (err: unknown) => void } = {}) {
  const job = await findJob(ctx, id);
  if (job.user_id !== ctx.actor.userId) throw new AppError('FORBIDDEN', '只能提交自己发起的导入', 'You can only commit your own imports');
  const resumable = job.status === 'previewed' || (job.status === 'failed' && job.counts_json !== null);
  if (!resumable) throw new AppError('INVALID_TRANSITION', `导入任务当前状态（${job.status}）不能提交`, `An import that is ${job.status} cannot be committed`);
  const missing = job.layout_json ? (JSON.parse(job.layout_json) as ImportLayout).missing : [];
  if (missing.length) throw new AppError('MAPPING_REQUIRED', job.message ?? '请先在预览中指定缺少的列', 'Map the missing columns in the preview first');
  const data: CommitWorkerData = { ...workerCtxData(ctx), kind: job.kind, jobId: id, batch: opts.batch ?? ctx.config.IMPORT_BATCH_ROWS, part: opts.part, handshake: !!opts.afterBatch };
  // Taken in one statement: of two commits sent at once, one starts and the other is refused.
  const taken = await ctx.db
    .updateTable('import_jobs')
    .set({ status: 'committing', message: null, holder: INSTANCE_ID, updated_at: ctx.now().toISOString() })
    .where('id', '=', id)
    .where('status', '=', job.status)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) throw new AppError('INVALID_TRANSITION', '该导入任务正在提交或已被修改，请刷新后查看', 'The import is being committed or changed; reload it');
  const started = performance.now();
  const took = () => (performance.now() - started) / 1000;
  const run = background(
    commitInWorker(ctx, data, opts.afterBatch)
      .then(async () => {
        await endCommit(ctx.db, id, 'committed', ctx.now().toISOString());
        recordJob('import-commit', 'ran', took());
      })
      .catch(async (err) => {
        // Stopped between batches by a stopping server, which marks the job itself (interruptImportJobs).
        if (isStopping()) return recordJob('import-commit', 'interrupted', took());
        recordJob('import-commit', 'failed', took());
        await endCommit(ctx.db, id, 'failed', ctx.now().toISOString(), '提交中断，已写入的批次完整保留；可再次提交继续，不会重复或遗漏');
        opts.onError?.(err);
      }),
  );
  if (opts.wait) await run;
  return findJob(ctx, id);
}

const COMMIT_WORKER = new URL('./commit-worker.ts', import.meta.url);

/** Runs the commit in a worker thread with its own connection (the server's thread stays free). */
function commitInWorker(ctx: ActorCtx, data: CommitWorkerData, afterBatch: CommitOptions['afterBatch']): Promise<void> {
  return whileBulkWriting(ctx.db, ctx.dialect, () =>
    startWorker<CommitWorkerMessage>(
      COMMIT_WORKER,
      data,
      async (m, worker) => {
        if (!afterBatch) return;
        await afterBatch(m.written);
        worker.postMessage('go');
      },
      { onStop: 'ask' },
    ),
  );
}

const INTERRUPTED = {
  gone: {
    committing: '处理该导入的服务进程已停止（重启或故障）：已写入的批次完整保留，可再次提交继续，不会重复或遗漏',
    previewing: '处理该导入的服务进程已停止（重启或故障），预览中断，请重新上传文件',
  },
  stopped: {
    committing: '服务停止时提交暂停：已写入的批次完整保留，可再次提交继续，不会重复或遗漏',
    previewing: '服务停止时预览中断，请重新上传文件',
  },
} as const;

/**
 * Marks the jobs `which` names that are still committing or previewing as interrupted: those of
 * processes that are gone (any live process does this on its heartbeat), or this process's own as
 * it stops. An interrupted commit can be resumed; an interrupted preview has classified only some
 * rows, so it is uploaded again.
 */
export async function interruptImportJobs(db: Kysely<DB>, now: Date, which: HeldBy): Promise<number> {
  const at = now.toISOString();
  const why = INTERRUPTED['holder' in which ? 'stopped' : 'gone'];
  const committing = await db.updateTable('import_jobs').set({ status: 'failed', message: why.committing, updated_at: at }).where('status', '=', 'committing').where(heldBy(which)).executeTakeFirst();
  const previewing = await db.updateTable('import_jobs').set({ status: 'failed', counts_json: null, message: why.previewing, updated_at: at }).where('status', '=', 'previewing').where(heldBy(which)).executeTakeFirst();
  return Number(committing.numUpdatedRows) + Number(previewing.numUpdatedRows);
}

/** The rows in error, with row number, column, message and the original cells. */
export async function listImportErrors(ctx: ActorCtx, id: string, page: { page: number; pageSize: number }) {
  await findJob(ctx, id);
  const base = ctx.db.selectFrom('import_rows').where('job_id', '=', id).where('action', '=', 'error');
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await base.select(['row_number', 'errors_json', 'raw_json']).orderBy('row_number').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute();
  return {
    items: rows.map((r) => ({ rowNumber: r.row_number, errors: JSON.parse(r.errors_json ?? '[]') as { column: string; message: string }[], raw: JSON.parse(r.raw_json) as Record<string, string> })),
    total: Number(n),
    page: page.page,
    pageSize: page.pageSize,
  };
}

/** The rows in error as a workbook to fix and import again: original row number, the original cells, and what is wrong. */
export async function importErrorsWorkbook(ctx: ActorCtx, id: string): Promise<{ file: Buffer; name: string }> {
  const job = await findJob(ctx, id);
  const rows = await ctx.db.selectFrom('import_rows').select(['row_number', 'errors_json', 'raw_json']).where('job_id', '=', job.id).where('action', '=', 'error').orderBy('row_number').execute();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('错误行', { views: [{ state: 'frozen', ySplit: 1 }] });
  const columns = rows.length ? Object.keys(JSON.parse(rows[0].raw_json) as Record<string, string>) : [];
  ws.columns = [{ header: '原行号', width: 8 }, ...columns.map((c) => ({ header: c, width: 18 })), { header: '错误说明', width: 60 }];
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const raw = JSON.parse(r.raw_json) as Record<string, string>;
    const errors = JSON.parse(r.errors_json ?? '[]') as { column: string; message: string }[];
    ws.addRow([r.row_number, ...columns.map((c) => raw[c] ?? ''), errors.map((e) => `「${e.column}」${e.message}`).join('；')]);
  }
  return { file: Buffer.from(await wb.xlsx.writeBuffer()), name: `导入错误-${job.file_name}` };
}
