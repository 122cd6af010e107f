/**
 * 台账读缓存: answers to ledger reads (lists, counts, stats), kept per scope and query until the
 * city's ledger version moves. Every command that changes what the ledger shows bumps the
 * version in its own transaction, so a cached answer is never served after a change — in this
 * process or any other sharing the database. The check costs one primary-key read.
 */
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { ActorCtx } from '../../context';
import { RawJson } from '../../http/route';
import type { DB } from '../../db/schema';
import type { Actor } from '../../scope/scope';
import { shanghaiDate } from './workflow';

export async function ledgerVersion(db: Kysely<DB>, cityCode: string): Promise<number> {
  const r = await db.selectFrom('ledger_versions').select('version').where('city_code', '=', cityCode).executeTakeFirst();
  return r?.version ?? 0;
}

export async function bumpLedgerVersion(db: Kysely<DB>, cityCode: string): Promise<void> {
  await db
    .insertInto('ledger_versions')
    .values({ city_code: cityCode, version: 1 })
    .onConflict((oc) => oc.column('city_code').doUpdateSet((eb) => ({ version: eb('ledger_versions.version', '+', 1) })))
    .execute();
}

/**
 * Everything about an actor that decides an answer: every field but those naming the person and how
 * they came in — so a field added to the actor (an expert's assigned enterprises) counts by default —
 * and, for an answer that depends on who asks (`personal`: the to-do filter and count leave out
 * what one submitted or first accepted oneself), the person too.
 */
export function scopeKey(a: Actor, personal: boolean): string {
  const { userId, username: _u, displayName: _d, via: _v, ...scope } = a;
  return JSON.stringify(personal ? [scope, userId] : [scope]);
}

export class LedgerCache {
  private readonly entries = new Map<string, { version: number; body: string }>();
  private bytes = 0;

  /** Bounded by entry count and by total size (UTF-16 length ×2), whichever bites first. */
  constructor(
    private readonly capacity = 2000,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  get(key: string, version: number): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.remove(key);
    if (e.version !== version) return undefined;
    // Re-insert to refresh its place: the map's order is the eviction order.
    this.entries.set(key, e);
    this.bytes += e.body.length * 2;
    return e.body;
  }

  set(key: string, version: number, body: string): void {
    if (body.length * 2 > this.maxBytes / 8) return; // one huge answer should not flush everything else
    this.remove(key);
    this.entries.set(key, { version, body });
    this.bytes += body.length * 2;
    while (this.entries.size > this.capacity || this.bytes > this.maxBytes) this.remove(this.entries.keys().next().value!);
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private remove(key: string) {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.body.length * 2;
  }
}

/** Answers from the ledger cache when the ledger has not changed since; otherwise computes and keeps the answer. */
export function cachedRead(cache: LedgerCache | null) {
  return async (ctx: ActorCtx, reply: FastifyReply, what: string, query: unknown, compute: () => Promise<unknown>, opts: { personal?: boolean } = {}) => {
    if (!cache) return compute();
    const version = await ledgerVersion(ctx.db, ctx.actor.cityCode);
    // Today's date is part of the key: overdue flags change at midnight in Shanghai.
    const key = `${scopeKey(ctx.actor, opts.personal ?? false)}#${what}#${JSON.stringify(query)}#${shanghaiDate(ctx.now())}`;
    let body = cache.get(key, version);
    if (body === undefined) {
      const answer = await compute();
      body = answer instanceof RawJson ? answer.text : JSON.stringify(answer);
      cache.set(key, version, body);
    }
    return reply.type('application/json; charset=utf-8').send(body);
  };
}
