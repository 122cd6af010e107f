import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { DB } from '../db/schema';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  chain: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  districtCode?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  ip?: string | null;
}

interface HashedFields {
  seq: number;
  prevHash: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  districtCode: string | null;
  beforeJson: string | null;
  afterJson: string | null;
  requestId: string | null;
  ip: string | null;
}

/** The record's hash covers every stored field and the previous record's hash. */
export function auditHash(f: HashedFields): string {
  const canonical = JSON.stringify([
    f.seq,
    f.prevHash,
    f.at,
    f.actorId,
    f.actorName,
    f.action,
    f.entityType,
    f.entityId,
    f.districtCode,
    f.beforeJson,
    f.afterJson,
    f.requestId,
    f.ip,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const toJson = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * Appends one record to its chain. Must run inside the business transaction: the
 * `update … set seq = seq + 1` takes the chain head's row lock on PostgreSQL, so
 * concurrent writers queue instead of forking the chain (SQLite serialises writers anyway).
 */
export async function appendAudit(trx: Kysely<DB>, entry: AuditEntry): Promise<{ id: string; seq: number; hash: string }> {
  await trx
    .insertInto('audit_heads')
    .values({ chain: entry.chain, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('chain').doNothing())
    .execute();
  const head = await trx
    .updateTable('audit_heads')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('chain', '=', entry.chain)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const fields: HashedFields = {
    seq: head.seq,
    prevHash: head.hash,
    at: entry.at,
    actorId: entry.actorId,
    actorName: entry.actorName,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    districtCode: entry.districtCode ?? null,
    beforeJson: toJson(entry.before),
    afterJson: toJson(entry.after),
    requestId: entry.requestId ?? null,
    ip: entry.ip ?? null,
  };
  const hash = auditHash(fields);
  const id = uuidv7();
  await trx
    .insertInto('audit_log')
    .values({
      id,
      chain: entry.chain,
      seq: fields.seq,
      at: fields.at,
      actor_id: fields.actorId,
      actor_name: fields.actorName,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      district_code: fields.districtCode,
      before_json: fields.beforeJson,
      after_json: fields.afterJson,
      request_id: fields.requestId,
      ip: fields.ip,
      prev_hash: fields.prevHash,
      hash,
    })
    .execute();
  await trx.updateTable('audit_heads').set({ hash }).where('chain', '=', entry.chain).execute();
  return { id, seq: fields.seq, hash };
}

export interface ChainReport {
  chain: string;
  records: number;
  ok: boolean;
  firstBroken?: { seq: number; id: string; reason: string };
}

/** Walks every chain in order and names the first record whose hash or link does not hold. */
export async function verifyAuditChains(db: Kysely<DB>, batch = 5000): Promise<ChainReport[]> {
  const chains = await db.selectFrom('audit_heads').select(['chain', 'seq', 'hash']).orderBy('chain').execute();
  const reports: ChainReport[] = [];
  for (const head of chains) {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let broken: ChainReport['firstBroken'];
    let count = 0;
    for (let after = 0; !broken; ) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('chain', '=', head.chain)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(batch)
        .execute();
      if (rows.length === 0) break;
      for (const r of rows) {
        count++;
        const reason =
          r.seq !== expectedSeq
            ? `missing record(s) before seq ${r.seq} (expected ${expectedSeq})`
            : r.prev_hash !== prevHash
              ? 'prev_hash does not match the previous record'
              : auditHash({
                    seq: r.seq,
                    prevHash: r.prev_hash,
                    at: r.at,
                    actorId: r.actor_id,
                    actorName: r.actor_name,
                    action: r.action,
                    entityType: r.entity_type,
                    entityId: r.entity_id,
                    districtCode: r.district_code,
                    beforeJson: r.before_json,
                    afterJson: r.after_json,
                    requestId: r.request_id,
                    ip: r.ip,
                  }) !== r.hash
                ? 'content does not match its hash (record altered)'
                : null;
        if (reason) {
          broken = { seq: r.seq, id: r.id, reason };
          break;
        }
        prevHash = r.hash;
        expectedSeq++;
        after = r.seq;
      }
    }
    if (!broken && (expectedSeq - 1 !== head.seq || prevHash !== head.hash)) {
      broken = { seq: expectedSeq, id: '', reason: `chain head says ${head.seq} records; the log ends at ${expectedSeq - 1} (records removed at the end)` };
    }
    reports.push({ chain: head.chain, records: count, ok: !broken, firstBroken: broken });
  }
  return reports;
}
