/**
 * Saved import mappings (导入映射): what an organisation settled for a file's header row, found
 * again by that row's signature. Each belongs to the importer's organisation — their enterprise,
 * department, street, district or city — and is seen and changed only there.
 */
import { uuidv7 } from 'uuidv7';
import type { ImportMapping } from '../../../shared/contracts/imports';
import { audit, transact, type ActorCtx } from '../../context';
import { notFound } from '../../errors/app-error';

/** The saved mapping for a header, in the importer's organisation. */
export async function savedMappingFor(ctx: ActorCtx, kind: 'hazards' | 'enterprises', signature: string) {
  return ctx.db
    .selectFrom('import_mappings')
    .select(['id', 'name', 'mapping_json'])
    .where('city_code', '=', ctx.actor.cityCode)
    .where('owner_key', '=', ownerKey(ctx.actor))
    .where('kind', '=', kind)
    .where('signature', '=', signature)
    .executeTakeFirst();
}

/** The organisation a user's saved mappings belong to: their enterprise, department, street, district or city. */
export function ownerKey(actor: ActorCtx['actor']): string {
  if (actor.enterpriseId) return `enterprise:${actor.enterpriseId}`;
  if (actor.departmentId) return `department:${actor.departmentId}`;
  return `region:${actor.streetCode ?? actor.districtCode ?? actor.cityCode}`;
}

/** Saves (or replaces) the organisation's mapping for a header row; in the caller's transaction. */
export async function saveMapping(tx: ActorCtx, kind: 'hazards' | 'enterprises', signature: string, name: string, mapping: ImportMapping) {
  const now = tx.now().toISOString();
  const { sheet: _sheet, ...kept } = mapping; // sheet names differ from file to file
  await tx.db
    .insertInto('import_mappings')
    .values({ id: uuidv7(), city_code: tx.actor.cityCode, owner_key: ownerKey(tx.actor), kind, signature, name, mapping_json: JSON.stringify(kept), created_by: tx.actor.userId, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['city_code', 'owner_key', 'kind', 'signature']).doUpdateSet({ name, mapping_json: JSON.stringify(kept), created_by: tx.actor.userId, updated_at: now }))
    .execute();
  await audit(tx, { action: 'import_mapping.saved', entityType: 'import_mapping', entityId: signature.slice(0, 200), after: { kind, name, mapping: kept } });
}

/** The organisation's saved mappings. */
export async function listMappings(ctx: ActorCtx, kind?: 'hazards' | 'enterprises') {
  let q = ctx.db.selectFrom('import_mappings').selectAll().where('city_code', '=', ctx.actor.cityCode).where('owner_key', '=', ownerKey(ctx.actor));
  if (kind) q = q.where('kind', '=', kind);
  const rows = await q.orderBy('updated_at', 'desc').execute();
  return rows.map((m) => ({ id: m.id, kind: m.kind, name: m.name, signature: m.signature, mapping: JSON.parse(m.mapping_json) as ImportMapping, updatedAt: m.updated_at }));
}

export async function deleteMapping(ctx: ActorCtx, id: string) {
  await transact(ctx, async (tx) => {
    const found = await tx.db.selectFrom('import_mappings').selectAll().where('id', '=', id).where('city_code', '=', ctx.actor.cityCode).where('owner_key', '=', ownerKey(ctx.actor)).executeTakeFirst();
    if (!found) throw notFound('导入映射', 'import mapping');
    await tx.db.deleteFrom('import_mappings').where('id', '=', id).execute();
    await audit(tx, { action: 'import_mapping.deleted', entityType: 'import_mapping', entityId: id, before: { name: found.name, kind: found.kind, mapping: JSON.parse(found.mapping_json) } });
  });
}

