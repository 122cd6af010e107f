/**
 * The notification centre's delivery: modules say who must know what (a `Notice`), channels
 * deliver it. The in-app channel is built in and writes the inbox in the caller's transaction, so a
 * step and its notices commit or fail together. Other channels (SMS, e-mail, a government chat app)
 * plug in with `useChannels` without touching any module; one that reaches outside must not send
 * from inside the transaction — it records its own outbox row here and sends after commit.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Ctx } from '../context';
import type { DB } from '../db/schema';

export interface Notice {
  /** User ids; duplicates and the acting user are left out. */
  to: Iterable<string>;
  /** What happened, as `<module>.<event>` (`hazard.assign`, `hazard.digest`). */
  kind: string;
  title: string;
  body?: string | null;
  /** Where the reader goes from the notice, in the web app. */
  link: string;
  hazardId?: string | null;
  /** The reader is asked to act (accept, rectify), not only told. */
  needsAction: boolean;
  /** A reader gets one notice per key: the same event twice (a retried job, two servers) adds nothing. */
  dedupeKey: string;
}

export interface Delivery {
  userId: string;
  kind: string;
  title: string;
  body: string | null;
  link: string;
  hazardId: string | null;
  needsAction: boolean;
  dedupeKey: string;
  at: string;
}

export interface Channel {
  readonly name: string;
  /** Delivers within the caller's transaction (`db` is the transaction when there is one). */
  deliver(db: Kysely<DB>, deliveries: readonly Delivery[]): Promise<void>;
}

/** The inbox behind the bell: one row per reader and key. */
export const inAppChannel: Channel = {
  name: 'in_app',
  async deliver(db, deliveries) {
    for (let i = 0; i < deliveries.length; i += 500) {
      await db
        .insertInto('notifications')
        .values(
          deliveries.slice(i, i + 500).map((d) => ({
            id: uuidv7(),
            user_id: d.userId,
            kind: d.kind,
            hazard_id: d.hazardId,
            dedupe_key: d.dedupeKey,
            title: d.title,
            body: d.body,
            created_at: d.at,
            read_at: null,
            needs_action: d.needsAction ? 1 : 0,
            link: d.link,
          })),
        )
        .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
        .execute();
    }
  },
};

/** A channel that keeps what it was given, for tests and for a log of what would be sent. */
export function loggingChannel(): Channel & { sent: Delivery[] } {
  const sent: Delivery[] = [];
  return { name: 'log', sent, deliver: async (_db, deliveries) => void sent.push(...deliveries) };
}

let channels: readonly Channel[] = [inAppChannel];

/** The channels every notice goes through; the in-app inbox is always one of them. */
export function useChannels(extra: readonly Channel[]): void {
  channels = [inAppChannel, ...extra.filter((c) => c !== inAppChannel)];
}

/** Delivers a notice to its readers (never to the acting user) through every channel, in the caller's transaction. */
export async function notify(ctx: Pick<Ctx, 'db' | 'now' | 'actor'>, notice: Notice): Promise<number> {
  const at = ctx.now().toISOString();
  const readers = [...new Set(notice.to)].filter((u) => u !== ctx.actor?.userId);
  if (!readers.length) return 0;
  const deliveries = readers.map((userId) => ({
    userId,
    kind: notice.kind,
    title: notice.title,
    body: notice.body ?? null,
    link: notice.link,
    hazardId: notice.hazardId ?? null,
    needsAction: notice.needsAction,
    dedupeKey: notice.dedupeKey,
    at,
  }));
  for (const channel of channels) await channel.deliver(ctx.db, deliveries);
  return deliveries.length;
}

/**
 * Earlier calls to act about a hazard are answered (they stay in the inbox, no longer as "needs my
 * action") — all of them, or all but those of `stillCalled`, the people who can still act.
 */
export async function answerCalls(db: Kysely<DB>, hazardId: string, stillCalled: readonly string[] = []): Promise<void> {
  let q = db.updateTable('notifications').set({ needs_action: 0 }).where('hazard_id', '=', hazardId).where('needs_action', '=', 1);
  if (stillCalled.length) q = q.where('user_id', 'not in', stillCalled);
  await q.execute();
}
