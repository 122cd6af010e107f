import type { Kysely } from 'kysely';
import { appendAudit, type AuditEntry } from './audit/audit';
import type { Config } from './config';
import type { DialectName } from './db/dialect';
import type { DB } from './db/schema';
import type { Actor } from './scope/scope';

/** What a command needs: who acts, on which database (or open transaction), and the clock. */
export interface Ctx {
  db: Kysely<DB>;
  dialect: DialectName;
  config: Config;
  actor: Actor | null;
  requestId: string | null;
  ip: string | null;
  now(): Date;
  inTransaction: boolean;
}

export interface ActorCtx extends Ctx {
  actor: Actor;
}

/** Runs `fn` in one transaction (reusing the open one, if any). */
export async function transact<C extends Ctx, T>(ctx: C, fn: (tx: C) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx, inTransaction: true }));
}

/** Appends an audit record for the acting user, in the caller's transaction. */
export async function audit(
  ctx: Ctx,
  entry: Omit<AuditEntry, 'chain' | 'at' | 'actorId' | 'actorName' | 'requestId' | 'ip'> & { actorId?: string | null; actorName?: string | null },
): Promise<void> {
  if (!ctx.inTransaction) throw new Error('audit() must run inside the business transaction');
  await appendAudit(ctx.db, {
    chain: ctx.actor?.cityCode ?? ctx.config.CITY_CODE,
    at: ctx.now().toISOString(),
    actorId: entry.actorId !== undefined ? entry.actorId : (ctx.actor?.userId || null),
    actorName: entry.actorName !== undefined ? entry.actorName : (ctx.actor?.username ?? null),
    requestId: ctx.requestId,
    ip: ctx.ip,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    districtCode: entry.districtCode,
    before: entry.before,
    after: entry.after,
  });
}

export function systemCtx(base: Omit<Ctx, 'actor' | 'requestId' | 'ip' | 'inTransaction' | 'now'> & { now?: () => Date }): Ctx {
  return { ...base, actor: null, requestId: null, ip: null, inTransaction: false, now: base.now ?? (() => new Date()) };
}
