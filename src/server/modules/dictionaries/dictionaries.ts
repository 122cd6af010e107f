/** 字典: configurable code lists. Hazard categories ship with a sensible default set. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { Int, Text } from '../../../shared/contracts/fields';
import { audit, transact, type ActorCtx } from '../../context';
import type { DB } from '../../db/schema';
import { fieldError } from '../../errors/app-error';
import { route } from '../../http/route';

export const DICTIONARY_KINDS = ['hazard_category'] as const;

/** Default hazard categories (a working list for the demo and first start; administrators adjust it). */
export const DEFAULT_HAZARD_CATEGORIES: [string, string][] = [
  ['electrical', '电气安全'],
  ['fire', '消防安全'],
  ['special_equipment', '特种设备'],
  ['hazardous_chemicals', '危险化学品'],
  ['confined_space', '有限空间'],
  ['dust_explosion', '粉尘防爆'],
  ['work_at_height', '高处作业'],
  ['hot_work', '动火作业'],
  ['machinery', '机械防护'],
  ['gas', '燃气安全'],
  ['construction', '建设施工'],
  ['management', '安全管理'],
  ['other', '其他'],
];

export async function seedDictionaries(db: Kysely<DB>): Promise<void> {
  await db
    .insertInto('dictionary_entries')
    .values(DEFAULT_HAZARD_CATEGORIES.map(([code, label], i) => ({ kind: 'hazard_category', code, label, sort: (i + 1) * 10, active: 1 })))
    .onConflict((oc) => oc.columns(['kind', 'code']).doNothing())
    .execute();
}

export async function assertActiveEntry(db: Kysely<DB>, kind: (typeof DICTIONARY_KINDS)[number], code: string, path: string) {
  const e = await db.selectFrom('dictionary_entries').select('code').where('kind', '=', kind).where('code', '=', code).where('active', '=', 1).executeTakeFirst();
  if (!e) throw fieldError('VALIDATION_FAILED', path, `未知或已停用的分类：${code}`, `Unknown or inactive category ${code}`);
}

const Entry = z.object({ code: z.string(), label: z.string(), sort: z.number().int(), active: z.boolean() });
const EntryInput = z
  .object({
    code: z.string().trim().regex(/^[a-z0-9_]{1,40}$/, '代码为小写字母、数字或下划线'),
    label: Text(50, { min: 1 }),
    sort: Int(0).default(1000),
    active: z.boolean().default(true),
  })
  .strict();
const Kind = z.object({ kind: z.enum(DICTIONARY_KINDS) });

async function upsert(ctx: ActorCtx, kind: string, input: z.output<typeof EntryInput>) {
  return transact(ctx, async (tx) => {
    const before = await tx.db.selectFrom('dictionary_entries').selectAll().where('kind', '=', kind).where('code', '=', input.code).executeTakeFirst();
    const row = { kind, code: input.code, label: input.label, sort: input.sort, active: input.active ? 1 : 0 };
    await tx.db
      .insertInto('dictionary_entries')
      .values(row)
      .onConflict((oc) => oc.columns(['kind', 'code']).doUpdateSet({ label: row.label, sort: row.sort, active: row.active }))
      .execute();
    await audit(tx, { action: before ? 'dictionary.updated' : 'dictionary.added', entityType: 'dictionary_entry', entityId: `${kind}:${input.code}`, before: before ?? null, after: row });
    return { code: row.code, label: row.label, sort: row.sort, active: input.active };
  });
}

export const dictionaryRoutes = [
  route({
    method: 'GET',
    url: '/api/dictionaries/:kind',
    summary: 'A code list, e.g. hazard categories (active entries first, in order)',
    tags: ['reference'],
    auth: 'user',
    params: Kind,
    response: { status: 200, schema: z.object({ items: z.array(Entry) }) },
    async handler({ ctx, params }) {
      const rows = await ctx.db.selectFrom('dictionary_entries').selectAll().where('kind', '=', params.kind).orderBy('active', 'desc').orderBy('sort').execute();
      return { items: rows.map((r) => ({ code: r.code, label: r.label, sort: r.sort, active: r.active === 1 })) };
    },
  }),
  route({
    method: 'PUT',
    url: '/api/dictionaries/:kind',
    summary: 'Add or change an entry (administrators; audited). Entries are deactivated, never deleted.',
    tags: ['reference'],
    auth: { permission: 'standards.edit' },
    params: Kind,
    body: EntryInput,
    response: { status: 200, schema: Entry },
    handler: ({ ctx, params, body }) => upsert(ctx, params.kind, body),
  }),
];
