/**
 * What a finding's origin learns when the hazard moves (shared machinery, knows no module): the
 * hazard loop calls `originStatusChanged` in the step's transaction; a module that keeps figures about
 * its findings (enforcement: the rectification rate of an inspection quarter's findings) registers an
 * observer for its origin type at start (app.ts), so the figure moves with the step; a module whose
 * records are not for every reader of the hazard (tips) says who may see the link.
 */
import type { Kysely } from 'kysely';
import type { DialectName } from '../db/dialect';
import type { DB } from '../db/schema';
import type { Actor } from '../scope/scope';

export interface OriginChange {
  db: Kysely<DB>;
  dialect: DialectName;
  hazardId: string;
  originId: string;
  from: string;
  to: string;
}

type Observer = (c: OriginChange) => Promise<void>;
const observers = new Map<string, Observer>();

export function observeOrigin(type: string, fn: Observer): void {
  observers.set(type, fn);
}

export async function originStatusChanged(db: Kysely<DB>, dialect: DialectName, hazardId: string, from: string, to: string): Promise<void> {
  if (from === to || !observers.size) return;
  const o = await db.selectFrom('hazard_origins').select(['origin_type', 'origin_id']).where('hazard_id', '=', hazardId).executeTakeFirst();
  const fn = o && observers.get(o.origin_type);
  if (fn) await fn({ db, dialect, hazardId, originId: o.origin_id, from, to });
}

type Viewer = (actor: Actor) => boolean;
const viewers = new Map<string, Viewer>();

/** Who may see that a hazard came from an origin of this type (a tip: its handlers, never the enterprise); unregistered types: whoever sees the hazard. */
export function showOriginTo(type: string, fn: Viewer): void {
  viewers.set(type, fn);
}

export const originShownTo = (type: string, actor: Actor): boolean => viewers.get(type)?.(actor) ?? true;

type Parent = (db: Kysely<DB>, originId: string) => Promise<string | null>;
const parents = new Map<string, Parent>();

/** Where an origin record sits, for a link back to it (a campaign's target: its campaign); unregistered types: nowhere further. */
export function originParent(type: string, fn: Parent): void {
  parents.set(type, fn);
}

export const parentOfOrigin = async (db: Kysely<DB>, type: string, originId: string): Promise<string | null> => (await parents.get(type)?.(db, originId)) ?? null;
