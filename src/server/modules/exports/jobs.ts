/**
 * Export jobs: the filtered ledger (or enterprise registry) is written to a file in the background,
 * its progress (rows written of the total) kept in the job row so a progress bar survives a page
 * reload; the finished file is downloaded by its owner and removed after a day.
 */
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { EnterpriseQuery } from '../../../shared/contracts/enterprises';
import type { ExportJob } from '../../../shared/contracts/exports';
import type { HazardQuery } from '../../../shared/contracts/hazards';
import type { ActorCtx, Ctx } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, notFound } from '../../errors/app-error';
import { listEnterprises } from '../enterprises/repository';
import { exportEnterprises } from '../enterprises/export';
import { EXPORT_MAX_ROWS, exportHazards } from '../hazards/export';
import { listHazards } from '../hazards/repository';
import { shanghaiDate } from '../hazards/workflow';
import { recordJob } from '../../ops/metrics';
import { heldBy, INSTANCE_ID, type HeldBy } from '../../workers/instance';
import { background, isStopping, startWorker, workerCtxData, type WorkerCtxData } from '../../workers/thread';

const EXPORT_WORKER = new URL('./export-worker.ts', import.meta.url);

const KEEP_MS = 24 * 3_600_000;
/** Progress is written at most this often (each write is a small update). */
const PROGRESS_EVERY_MS = 500;

const dirOf = (ctx: Pick<Ctx, 'config'>) => path.join(ctx.config.DATA_DIR, 'exports');
const fileOf = (ctx: Pick<Ctx, 'config'>, id: string) => path.join(dirOf(ctx), `${id}.xlsx`);

export function presentExport(j: DB['export_jobs']): ExportJob {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    rowsTotal: j.rows_total,
    rowsWritten: j.rows_written,
    fileName: j.file_name,
    size: j.size,
    message: j.message,
    createdAt: j.created_at,
    updatedAt: j.updated_at,
    expiresAt: j.expires_at,
  };
}

/** Only the one who started an export sees it (the file holds what their scope allowed). */
export async function findExport(ctx: ActorCtx, id: string) {
  const job = await ctx.db.selectFrom('export_jobs').selectAll().where('id', '=', id).where('user_id', '=', ctx.actor.userId).executeTakeFirst();
  if (!job) throw notFound('导出任务', 'export job');
  return job;
}

export type Filters = { kind: 'hazards'; filters: Omit<HazardQuery, 'page' | 'pageSize'> } | { kind: 'enterprises'; filters: Omit<EnterpriseQuery, 'page' | 'pageSize'> };

async function countRows(ctx: ActorCtx, f: Filters): Promise<number> {
  if (f.kind === 'hazards') return (await listHazards(ctx.db, ctx.dialect, ctx.actor, { ...f.filters, page: 1, pageSize: 1 }, ctx.now())).total;
  return (await listEnterprises(ctx.db, ctx.dialect, ctx.actor, { ...f.filters, page: 1, pageSize: 1 })).total;
}

/** What an export reports as it goes: the rows its filters select, rows written so far, and all written at the end. */
export type ExportMessage = { total: number } | { rows: number } | { done: number };

/**
 * In the export worker: counts what the filters select and, within `maxRows`, writes them to
 * `file`, posting the total first, then the rows written after each batch, then all written.
 */
export async function produceExport(ctx: ActorCtx, f: Filters, file: string, maxRows: number, post: (m: ExportMessage) => void): Promise<void> {
  const total = await countRows(ctx, f);
  post({ total });
  if (total > maxRows) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const progress = (rows: number) => post({ rows });
  const written = f.kind === 'hazards' ? await exportHazards(ctx, f.filters as HazardQuery, out, progress) : await exportEnterprises(ctx, f.filters as EnterpriseQuery, out, progress);
  await finished(out);
  post({ done: written });
}

export interface ExportWorkerData extends WorkerCtxData {
  filters: Filters;
  file: string;
  maxRows: number;
}

type ExportOptions = { wait?: boolean; onError?: (err: unknown) => void; maxRows?: number; progressEveryMs?: number; afterProgress?: (rows: number) => Promise<void> };

/**
 * Counts what the filters select (refusing more than the limit before any file is written), creates
 * the job and writes the file in the background: all in a worker thread with its own connection, so
 * neither the count nor the writing holds the server's thread; answers the job as soon as the
 * count is known (`wait`: when the file is done, for tests and the CLI).
 */
export async function startExport(ctx: ActorCtx, f: Filters, opts: ExportOptions = {}) {
  const max = opts.maxRows ?? EXPORT_MAX_ROWS;
  const now = ctx.now();
  const stamp = shanghaiDate(now).replaceAll('-', '');
  const id = uuidv7();
  const part = `${fileOf(ctx, id)}.part`;
  const job: DB['export_jobs'] = {
    id,
    city_code: ctx.actor.cityCode,
    user_id: ctx.actor.userId,
    kind: f.kind,
    filters_json: JSON.stringify(f.filters),
    status: 'running',
    rows_total: 0,
    rows_written: 0,
    file_name: f.kind === 'hazards' ? `隐患台账-${stamp}.xlsx` : `企业名录-${stamp}.xlsx`,
    size: null,
    message: null,
    holder: INSTANCE_ID,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    expires_at: new Date(now.getTime() + KEEP_MS).toISOString(),
  };

  // The job row exists once the total is known and within the limit; progress waits for it.
  let counted!: (total: number) => void;
  const total = new Promise<number>((resolve) => (counted = resolve));
  let created!: () => void;
  const jobCreated = new Promise<void>((resolve) => (created = resolve));
  let last = 0;
  let written = 0;
  const onMessage = async (m: ExportMessage) => {
    if ('total' in m) {
      counted(m.total);
      return jobCreated;
    }
    if ('done' in m) {
      written = m.done;
      return;
    }
    if (Date.now() - last < (opts.progressEveryMs ?? PROGRESS_EVERY_MS)) return;
    last = Date.now();
    await ctx.db.updateTable('export_jobs').set({ rows_written: m.rows, updated_at: ctx.now().toISOString() }).where('id', '=', id).execute();
    await opts.afterProgress?.(m.rows);
  };
  const produced = startWorker<ExportMessage>(EXPORT_WORKER, { ...workerCtxData(ctx), filters: f, file: part, maxRows: max } satisfies ExportWorkerData, onMessage);
  const rows = await Promise.race([total, produced.then(() => null)]);
  if (rows === null) throw new Error('export ended before counting its rows');
  if (rows > max) {
    created(); // nothing to wait for: the worker stops after counting
    await produced;
    throw new AppError('EXPORT_TOO_LARGE', `筛选结果共 ${rows.toLocaleString('zh-CN')} 行，超过单次导出上限 ${max.toLocaleString('zh-CN')} 行，请缩小筛选范围后分批导出`, `${rows} rows selected; an export holds at most ${max}. Narrow the filters.`);
  }
  job.rows_total = rows;
  await ctx.db.insertInto('export_jobs').values(job).execute();
  created();
  const started = performance.now();
  const took = () => (performance.now() - started) / 1000;
  const run = background(
    produced
      .then(async () => {
        recordJob('export', 'ran', took());
        // The file appears under its final name only when complete.
        renameSync(part, fileOf(ctx, id));
        await ctx.db
          .updateTable('export_jobs')
          .set({ status: 'done', rows_written: written, rows_total: written, size: statSync(fileOf(ctx, id)).size, updated_at: ctx.now().toISOString() })
          .where('id', '=', id)
          .execute();
      })
      .catch(async (err) => {
        rmSync(part, { force: true });
        // A stopping server marks the job itself (interruptExports), as stopped rather than failed.
        if (isStopping()) return recordJob('export', 'interrupted', took());
        recordJob('export', 'failed', took());
        await ctx.db.updateTable('export_jobs').set({ status: 'failed', message: '导出失败：服务器内部错误，请稍后重试', updated_at: ctx.now().toISOString() }).where('id', '=', id).execute();
        opts.onError?.(err);
      }),
  );
  if (opts.wait) await run;
  return presentExport(opts.wait ? await findExport(ctx, id) : job);
}

/** The finished file, for its owner. */
export async function exportFile(ctx: ActorCtx, id: string) {
  const job = await findExport(ctx, id);
  if (job.status !== 'done') throw new AppError('EXPORT_NOT_READY', job.status === 'running' ? '导出尚未完成，请稍候' : '该导出失败，请重新导出', `The export is ${job.status}`);
  return { job, stream: createReadStream(fileOf(ctx, id)) };
}

/**
 * Marks the exports `which` names that are still running as interrupted: those of processes that
 * are gone (any live process does this on its heartbeat), or this process's own as it stops.
 */
export async function interruptExports(db: Kysely<DB>, now: Date, which: HeldBy): Promise<number> {
  const message = 'holder' in which ? '服务停止时导出中断，请重新导出' : '处理该导出的服务进程已停止（重启或故障），请重新导出';
  const r = await db.updateTable('export_jobs').set({ status: 'failed', message, updated_at: now.toISOString() }).where('status', '=', 'running').where(heldBy(which)).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Hourly: finished exports are kept for a day; expired files and jobs are removed. */
export async function sweepExports(db: Kysely<DB>, config: Ctx['config'], now: Date): Promise<{ removed: number }> {
  const expired = await db.selectFrom('export_jobs').select('id').where('expires_at', '<', now.toISOString()).execute();
  for (const e of expired) {
    rmSync(fileOf({ config }, e.id), { force: true });
    rmSync(`${fileOf({ config }, e.id)}.part`, { force: true });
  }
  if (expired.length) await db.deleteFrom('export_jobs').where('id', 'in', expired.map((e) => e.id)).execute();
  return { removed: expired.length };
}
