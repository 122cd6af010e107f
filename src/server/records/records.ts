/**
 * Shared machinery for every module's records (inspections, cases, draws — later tips, visits,
 * accidents): the timeline (`record_events`: who did which step when, with comment, data and files,
 * written in the step's own transaction) and human codes per kind, district and year
 * (JC-310115-2026-000001). It knows no module.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { DB } from '../db/schema';
import { AppError } from '../errors/app-error';

export interface RecordEventInput {
  entityType: string;
  entityId: string;
  action: string;
  actorId: string | null;
  actorName: string;
  at: string;
  comment?: string | null;
  data?: object | null;
  fileIds?: readonly string[];
}

export interface RecordEventView {
  seq: number;
  action: string;
  actorName: string;
  at: string;
  comment: string | null;
  data: Record<string, unknown> | null;
  attachmentIds: string[];
}

/** Appends the next event of a record; call it inside the transaction that makes the change. */
export async function appendRecordEvent(db: Kysely<DB>, e: RecordEventInput): Promise<void> {
  const last = await db
    .selectFrom('record_events')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('entity_type', '=', e.entityType)
    .where('entity_id', '=', e.entityId)
    .executeTakeFirst();
  await db
    .insertInto('record_events')
    .values({
      id: uuidv7(),
      entity_type: e.entityType,
      entity_id: e.entityId,
      seq: Number(last?.m ?? 0) + 1,
      action: e.action,
      actor_id: e.actorId,
      actor_name: e.actorName,
      at: e.at,
      comment: e.comment ?? null,
      data_json: e.data ? JSON.stringify(e.data) : null,
      file_ids_json: e.fileIds?.length ? JSON.stringify(e.fileIds) : null,
    })
    .execute();
  // Findable by file, so that whoever sees the record may read what its steps attached.
  if (e.fileIds?.length) {
    await db
      .insertInto('record_event_files')
      .values([...new Set(e.fileIds)].map((f) => ({ file_id: f, entity_type: e.entityType, entity_id: e.entityId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** A record's timeline, oldest first. */
export async function recordEvents(db: Kysely<DB>, entityType: string, entityId: string): Promise<RecordEventView[]> {
  const rows = await db.selectFrom('record_events').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('seq').execute();
  return rows.map((r) => ({
    seq: r.seq,
    action: r.action,
    actorName: r.actor_name,
    at: r.at,
    comment: r.comment,
    data: r.data_json ? (JSON.parse(r.data_json) as Record<string, unknown>) : null,
    attachmentIds: r.file_ids_json ? (JSON.parse(r.file_ids_json) as string[]) : [],
  }));
}

/** The next human code of a kind in a district and year: `${prefix}-${district}-${year}-${seq, 6 digits}`. */
export async function nextRecordCode(db: Kysely<DB>, prefix: string, districtCode: string, year: number): Promise<string> {
  return (await reserveRecordCodes(db, prefix, districtCode, year, 1))[0];
}

/** `n` consecutive codes at once (a draw's inspections): one counter update, not one per record. */
export async function reserveRecordCodes(db: Kysely<DB>, prefix: string, districtCode: string, year: number, n: number): Promise<string[]> {
  await db.insertInto('record_code_counters').values({ kind: prefix, district_code: districtCode, year, seq: 0 }).onConflict((oc) => oc.columns(['kind', 'district_code', 'year']).doNothing()).execute();
  const { seq } = await db
    .updateTable('record_code_counters')
    .set((eb) => ({ seq: eb('seq', '+', n) }))
    .where('kind', '=', prefix)
    .where('district_code', '=', districtCode)
    .where('year', '=', year)
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Array.from({ length: n }, (_, k) => `${prefix}-${districtCode}-${year}-${String(seq - n + 1 + k).padStart(6, '0')}`);
}

/** The first event of records just made (seq 1, no lookup), in bulk. */
export async function appendFirstEvents(db: Kysely<DB>, events: Omit<RecordEventInput, 'fileIds'>[]): Promise<void> {
  const rows = events.map((e) => ({ id: uuidv7(), entity_type: e.entityType, entity_id: e.entityId, seq: 1, action: e.action, actor_id: e.actorId, actor_name: e.actorName, at: e.at, comment: e.comment ?? null, data_json: e.data ? JSON.stringify(e.data) : null, file_ids_json: null }));
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('record_events').values(rows.slice(i, i + 500)).execute();
}

/** The tables whose records step under a version (optimistic lock). */
type Versioned = 'inspections' | 'expert_visits' | 'agency_engagements' | 'tips' | 'accidents' | 'risk_items';

/**
 * A step's claim on a record: it moves only from the version the caller saw (else 409 naming the
 * record, `what`), to the next one, with `set`, in the caller's transaction.
 */
export async function claimVersion(db: Kysely<DB>, table: Versioned, r: { id: string; version: number }, version: number, set: Record<string, unknown>, at: string, what: string): Promise<void> {
  if (version !== r.version) throw new AppError('VERSION_CONFLICT', `该${what}已被更新，请刷新后重试`, 'The record changed; reload and try again');
  const u = await (db as Kysely<any>)
    .updateTable(table)
    .set({ ...set, version: r.version + 1, updated_at: at })
    .where('id', '=', r.id)
    .where('version', '=', r.version)
    .executeTakeFirst();
  if (Number(u.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', `该${what}刚刚已被更新，请刷新后重试`, 'The record just changed; reload and try again');
}

/** One kind's code counters, keyed `district|year`: for a bulk load (the demo) that makes its codes itself. */
export async function recordCodeSeqs(db: Kysely<DB>, kind: string): Promise<Map<string, number>> {
  return new Map((await db.selectFrom('record_code_counters').selectAll().where('kind', '=', kind).execute()).map((c) => [`${c.district_code}|${c.year}`, c.seq]));
}

/** Sets counters to the last sequence a bulk load used, so the next code made one by one follows it. */
export async function saveRecordCodeSeqs(db: Kysely<DB>, rows: { kind: string; district_code: string; year: number; seq: number }[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('record_code_counters')
    .values(rows)
    .onConflict((oc) => oc.columns(['kind', 'district_code', 'year']).doUpdateSet((eb) => ({ seq: eb.ref('excluded.seq') })))
    .execute();
}

/** `recordCodeSeqs`'s map back into counter rows of a kind. */
export const seqRows = (kind: string, seqs: ReadonlyMap<string, number>) => [...seqs].map(([k, seq]) => ({ kind, district_code: k.split('|')[0], year: Number(k.split('|')[1]), seq }));
