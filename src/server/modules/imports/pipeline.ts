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
import { aWriteIsWaiting, letWaitingWritesIn } from '../../db/database';
import { bulkBatchRows, bulkPartRows, insertMany, readsOverlapWrites } from '../../db/dialect';
import type { ImportLayout, ImportMapping } from '../../../shared/contracts/imports';
import { fieldTitle, HEAD_ROWS, headerScore, resolveLayout, SAMPLE_ROWS, valueRewrites, type ImportSpec } from './layout';
import { cellError, cellText, describeMissingHeaders, hasControlChars, headerNotFoundMessage, type HeaderMatch, type Parsed } from './normalize';
import { savedMappingFor } from './mappings';
import { openWorkbook, skip, type OpenedSheet, type OpenedWorkbook, type SheetRow } from './reader';

export interface RowError {
  column: string;
  message: string;
  /** A list value the preview did not understand (offered for mapping). */
  unknownWord?: boolean;
}

/** A row's parsed value, or its error noted under the field's column title (and null). */
export function taker<K extends string>(errors: RowError[], title: (k: K) => string) {
  return <T>(k: K, p: Parsed<T>): T | null => {
    if (p.ok) return p.value;
    errors.push({ column: title(k), message: p.message, ...(p.unknownWord ? { unknownWord: true } : {}) });
    return null;
  };
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
  /** The credit code of a registrable enterprise the row names but the registry lacks (the user may have them created). */
  unregistered?: string;
  /** The enterprise this row registers, the user having asked for it. */
  newEnterprise?: { uscc: string; name: string };
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
  /** Rows per transaction (default `bulkBatchRows`). */
  batch?: number;
  /** Rows a transaction reads and applies at once, at most (default `bulkPartRows`). */
  part?: number;
  afterBatch?: (written: number) => Promise<void> | void;
}

export type { SheetRow };

const BATCH = 1000;

/** The file to preview and what the user settled for it. */
export interface PreviewSource {
  file: string;
  /** The name the user's computer gave the file. */
  name: string;
  maxRows: number;
  mapping: ImportMapping | null;
  kind: 'hazards' | 'enterprises';
}

const emptyCounts = (): ImportCounts => ({ create: 0, update: 0, unchanged: 0, error: 0, total: 0, cleaned: 0, cleanedRows: [], inferred: [] });

/** The head of a sheet read, with the rest still to come. */
interface Opened {
  wb: OpenedWorkbook;
  sheet: OpenedSheet;
  head: SheetRow[];
  rest: AsyncIterator<SheetRow>;
  chosenBy: ImportLayout['sheetChosenBy'];
}

async function readHead(rows: AsyncIterator<SheetRow>): Promise<SheetRow[]> {
  const head: SheetRow[] = [];
  while (head.length < SAMPLE_ROWS) {
    const n = await rows.next();
    if (n.done) break;
    head.push(n.value);
  }
  return head;
}


/**
 * The sheet to import: the one the user named; else the first visible sheet whose header has
 * every required column; else the one whose header matches most fields (read again from the
 * start, since a streamed workbook cannot go back).
 */
async function openSheet<K extends string>(source: PreviewSource, spec: ImportSpec<K>): Promise<Opened> {
  const open = async (pick: (s: OpenedSheet, wb: OpenedWorkbook) => Promise<'take' | 'skip' | 'stop'>): Promise<Opened | null> => {
    const wb = await openWorkbook(source.file, source.maxRows, source.name);
    const sheets = wb.sheets[Symbol.asyncIterator]();
    for (let n = await sheets.next(); !n.done; n = await sheets.next()) {
      const sheet = n.value;
      const rest = sheet.rows[Symbol.asyncIterator]();
      const verdict = await pick(sheet, wb);
      if (verdict === 'skip') {
        await skip(sheet);
        continue;
      }
      const head = await readHead(rest);
      return { wb, sheet, head, rest, chosenBy: wb.sheetNames.length === 1 ? 'only' : 'header' };
    }
    return null;
  };
  const wanted = source.mapping?.sheet;
  if (wanted) {
    const o = await open(async (s, wb) => {
      if (!wb.sheetNames.includes(wanted)) throw new ImportFileError(`文件中没有名为「${wanted}」的工作表（有：${wb.sheetNames.join('、')}）`);
      return s.name === wanted ? 'take' : 'skip';
    });
    if (o) return { ...o, chosenBy: 'user' };
  }
  // First pass: take the first visible sheet whose header is complete; note every sheet's score.
  const scores: { index: number; found: number; hidden: boolean }[] = [];
  let taken: Opened | null = null;
  const wb = await openWorkbook(source.file, source.maxRows, source.name);
  const sheets = wb.sheets[Symbol.asyncIterator]();
  for (let n = await sheets.next(); !n.done; n = await sheets.next()) {
    const sheet = n.value;
    const rest = sheet.rows[Symbol.asyncIterator]();
    const head = await readHead(rest);
    const score = headerScore(spec, head);
    if (!sheet.hidden && score.complete) {
      taken = { wb, sheet, head, rest, chosenBy: wb.sheetNames.length === 1 ? 'only' : 'header' };
      break;
    }
    scores.push({ index: sheet.index, found: score.found, hidden: sheet.hidden });
    await skip(sheet);
  }
  if (taken) return taken;
  if (!scores.length) throw new ImportFileError('文件中没有工作表');
  let best = scores.find((x) => !x.hidden) ?? scores[0];
  for (const x of scores) if (x.found > best.found && (!x.hidden || best.hidden || best.found === 0)) best = x;
  const again = await open(async (s) => (s.index === best.index ? 'take' : 'skip'));
  if (!again) throw new ImportFileError('文件中没有工作表');
  return again;
}

/** Empty for the blank-row test: quick for the plain values nearly every cell holds. */
function isEmptyCell(c: unknown): boolean {
  if (c === null || c === undefined) return true;
  if (typeof c === 'number' || typeof c === 'boolean' || c instanceof Date) return false;
  if (typeof c === 'string' && /[0-9A-Za-z\u4e00-\u9fff]/.test(c)) return false;
  return cellText(c) === '' && cellError(c) === null;
}

const TOTALS = /^(合计|小计|总计|共计|总共)[:：]?$/;
const SHOWN_ROWS = 20;
const MAX_DISTINCT = 5000;
const SHOWN_VALUES = 200;

export async function runPreview<K extends string>(
  ctx: ActorCtx,
  jobId: string,
  source: PreviewSource,
  spec: ImportSpec<K>,
  classify: (header: HeaderMatch<K>, batch: SheetRow[]) => Promise<Classified[]>,
): Promise<void> {
  const db = ctx.db;
  const o = await openSheet(source, spec);
  let mapping = source.mapping;
  let resolved = resolveLayout(spec, o.head, o.sheet.hiddenColumns, mapping);
  if (!resolved) throw new ImportFileError(headerNotFoundMessage(spec.headers, HEAD_ROWS));
  let saved: { id: string; name: string } | null = null;
  if (!mapping) {
    const found = await savedMappingFor(ctx, source.kind, resolved.signature);
    if (found) {
      mapping = JSON.parse(found.mapping_json) as ImportMapping;
      saved = { id: found.id, name: found.name };
      // The job holds the mapping it was read with, saved or chosen: previewing again starts from it.
      await db.updateTable('import_jobs').set({ mapping_json: found.mapping_json }).where('id', '=', jobId).execute();
      resolved = resolveLayout(spec, o.head, o.sheet.hiddenColumns, mapping) ?? resolved;
    }
  }
  const header = resolved.match;
  const layout: ImportLayout = {
    format: o.wb.format,
    encoding: o.wb.encoding,
    sheet: o.sheet.name,
    sheets: o.wb.sheetNames,
    sheetChosenBy: o.chosenBy,
    headerRow: header.headerRow + 1,
    signature: resolved.signature,
    columns: resolved.columns,
    missing: header.missing,
    fields: (Object.keys(spec.headers.fields) as K[]).map((key) => ({ key, title: fieldTitle(spec, key), required: !!spec.headers.fields[key].required })),
    savedMapping: saved,
    skipped: { totals: 0, totalsRows: [] },
    hiddenRows: 0,
    unknownValues: [],
    unregistered: 0,
    newEnterprises: { count: 0, items: [] },
  };
  const unregistered = new Set<string>();
  const fresh = new Set<string>();
  const counts = emptyCounts();
  const save = (status: DB['import_jobs']['status'], message: string | null = null) =>
    db
      .updateTable('import_jobs')
      .set({ status, message, rows_read: counts.total, counts_json: JSON.stringify(counts), layout_json: JSON.stringify(layout), updated_at: ctx.now().toISOString() })
      .where('id', '=', jobId)
      .execute();
  if (header.missing.length) {
    // Nothing is classified until the user says which columns hold what: the preview asks.
    await skip(o.sheet);
    await save('previewed', `${describeMissingHeaders(spec.headers, header.missing)}：请在预览中为这些字段选择文件中的列`);
    return;
  }
  await save('previewing');

  const mapped = Object.values(header.columns) as number[];
  const rewrites = valueRewrites(spec, header, mapping);
  const valueTitles = new Map((Object.keys(spec.values) as K[]).map((f) => [fieldTitle(spec, f), f]));
  const unknown = new Map<K, Map<string, number>>();
  let batch: SheetRow[] = [];

  const flush = async () => {
    if (!batch.length) return;
    noteCleaned(counts, batch);
    const classified = await classify(header, batch);
    for (const c of classified) {
      counts[c.action]++;
      noteInferred(counts, c);
      if (c.unregistered && unregistered.size < MAX_DISTINCT) unregistered.add(c.unregistered);
      if (c.newEnterprise && !fresh.has(c.newEnterprise.uscc)) {
        fresh.add(c.newEnterprise.uscc);
        if (layout.newEnterprises.items.length < SHOWN_VALUES) layout.newEnterprises.items.push(c.newEnterprise);
      }
      for (const e of c.errors) {
        const field = valueTitles.get(e.column);
        if (!field || !e.unknownWord) continue;
        const value = c.raw[e.column] ?? '';
        if (value === '') continue; // an empty cell means nothing a mapping could name
        let seen = unknown.get(field);
        if (!seen) unknown.set(field, (seen = new Map()));
        if (seen.has(value) || seen.size < MAX_DISTINCT) seen.set(value, (seen.get(value) ?? 0) + 1);
      }
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

  const take = async (row: SheetRow) => {
    if (row.rowNumber <= layout.headerRow) return;
    // A row blank in every column that feeds a field (a pre-numbered 序号 alone counts as blank).
    if (mapped.every((i) => isEmptyCell(row.cells[i]))) return;
    // 合计 / 小计 / 总计 standing alone in a cell: a totals row, not a record.
    if (row.cells.some((c) => typeof c === 'string' && c.length <= 12 && TOTALS.test(c.replace(/\s+/g, '')))) {
      layout.skipped.totals++;
      if (layout.skipped.totalsRows.length < SHOWN_ROWS) layout.skipped.totalsRows.push(row.rowNumber);
      return;
    }
    if (row.hidden) layout.hiddenRows++;
    for (const [col, words] of rewrites) {
      const to = words.get(cellText(row.cells[col]));
      if (to !== undefined) row.cells[col] = to;
    }
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  };
  for (const row of o.head) await take(row);
  for (let n = await o.rest.next(); !n.done; n = await o.rest.next()) await take(n.value);
  await flush();
  layout.unknownValues = [...unknown].map(([field, values]) => ({
    field,
    column: fieldTitle(spec, field),
    values: [...values].sort((a, b) => b[1] - a[1]).slice(0, SHOWN_VALUES).map(([value, count]) => ({ value, count })),
    allowed: spec.values[field] ?? [],
  }));
  layout.unregistered = unregistered.size;
  layout.newEnterprises.count = fresh.size;
  await save('previewed');
}

/**
 * One transaction's writer (a batch): `apply` takes the batch's rows a part at a time and answers
 * the ids of the records it wrote; `finish` writes what the batch gathered over its parts (the tally
 * cells it touched, the ledger's version) before the transaction commits.
 */
export interface BatchWriter {
  apply(rows: { rowNumber: number; data: unknown }[]): Promise<string[]>;
  finish(): Promise<void>;
}

type Pending = { rowNumber: number; data: unknown };

/**
 * Applies the previewed rows not yet applied, batch by batch: each batch one transaction that
 * moves the job's applied mark and writes its audit record. A batch reads and applies its rows in
 * equal parts of at most `bulkPartRows` (so it holds one part's rows in memory), and `begin`
 * answers the writer that applies them in the batch's transaction. On SQLite a write waiting for
 * the lock ends a batch after the part in hand and goes next (`letWaitingWritesIn`).
 */
export async function runCommit(
  ctx: ActorCtx,
  jobId: string,
  begin: (tx: ActorCtx, job: DB['import_jobs']) => BatchWriter,
  opts: CommitOptions = {},
): Promise<{ written: number }> {
  const job = await ctx.db.selectFrom('import_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
  let written = job.rows_written;
  const size = opts.batch ?? bulkBatchRows(ctx.dialect);
  const partsPerBatch = Math.ceil(size / Math.min(size, opts.part ?? bulkPartRows(ctx.dialect)));
  const part = Math.ceil(size / partsPerBatch);
  const read = async (db: ActorCtx['db'], after: number): Promise<Pending[]> =>
    (
      await db
        .selectFrom('import_rows')
        .select(['row_number', 'data_json'])
        .where('job_id', '=', jobId)
        .where('action', 'in', ['create', 'update'])
        .where('row_number', '>', after)
        .orderBy('row_number')
        .limit(part)
        .execute()
    ).map((p) => ({ rowNumber: p.row_number, data: JSON.parse(p.data_json!) as unknown }));
  // Where it pays (PostgreSQL), the part after this one is read on another connection while this
  // one is written: the previewed rows never change, so it is read the same either way. On SQLite
  // the next part is read after (one connection: nothing would overlap), inside the batch's transaction.
  const readAhead = readsOverlapWrites(ctx.dialect);
  let ahead: Promise<Pending[]> | null = null;
  let through = job.applied_through;
  const nextPart = (db: ActorCtx['db']): Promise<Pending[]> => {
    const rows = ahead ?? read(db, through);
    ahead = null;
    return rows;
  };
  const readAheadAfter = (rows: Pending[]) => {
    if (!readAhead || rows.length < part) return;
    ahead = read(ctx.db, rows[rows.length - 1].rowNumber);
    ahead.catch(() => undefined); // a failed read surfaces when awaited, not as an unhandled rejection
  };
  for (let first = true; ; first = false) {
    const head = await nextPart(ctx.db);
    if (!head.length) break;
    // A write request waiting for the lock goes between two batches (SQLite), not after the job.
    if (!first) await letWaitingWritesIn(ctx.dialect, ctx.db);
    await transact(ctx, async (tx) => {
      const writer = begin(tx, job);
      const rowNumbers: number[] = [];
      const ids: string[] = [];
      let last = through;
      for (let pending = head, n = 1; pending.length; pending = await nextPart(tx.db), n++) {
        readAheadAfter(pending);
        for (const id of await writer.apply(pending)) ids.push(id);
        for (const p of pending) rowNumbers.push(p.rowNumber);
        last = pending[pending.length - 1].rowNumber;
        through = last;
        // A write waiting for the lock (SQLite) ends the batch here: it waits for a part, not a batch.
        if (n === partsPerBatch || pending.length < part || aWriteIsWaiting(ctx.dialect, ctx.db)) break;
      }
      await writer.finish();
      written += rowNumbers.length;
      // Only while this commit still holds the job: one marked interrupted (its process seemed gone)
      // and resumed elsewhere is not written twice; this batch rolls back instead.
      const moved = await tx.db
        .updateTable('import_jobs')
        .set({ rows_written: written, applied_through: last, updated_at: ctx.now().toISOString() })
        .where('id', '=', jobId)
        .where('status', '=', 'committing')
        .where((eb) => (job.holder === null ? eb('holder', 'is', null) : eb('holder', '=', job.holder)))
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new Error(`import ${jobId} is no longer committing in this process; batch through row ${last} rolled back`);
      await audit(tx, { action: `${job.kind === 'hazards' ? 'hazard' : 'enterprise'}.imported`, entityType: 'import_job', entityId: jobId, after: { file: job.file_name, sha256: job.sha256, rows: rowNumbers, ids } });
    });
    await opts.afterBatch?.(written);
  }
  return { written };
}
