import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { UserInput, UserPatch } from '../../../shared/contracts/users';
import { ROLE_REGION_LEVEL, type Role } from '../../../shared/roles';
import { hashPassword } from '../../auth/password';
import { newSecret, sha256, TOKEN_PREFIX } from '../../auth/service';
import { audit, transact, type ActorCtx, type Ctx } from '../../context';
import { classifyDbError } from '../../db/dialect';
import type { DB } from '../../db/schema';
import { AppError, fieldError, notFound } from '../../errors/app-error';
import { findDepartment } from '../departments/repository';
import { findRegion } from '../regions/repository';
import { findUser } from './repository';

type Input = z.output<typeof UserInput>;

interface Placement {
  region_code: string;
  city_code: string;
  district_code: string | null;
  street_code: string | null;
  department_id: string | null;
  enterprise_id: string | null;
}

/** Works out a user's scope columns from role, region, department and enterprise, refusing combinations that make no sense. */
export async function resolvePlacement(db: Kysely<DB>, cityCode: string, input: { role: Role; regionCode: string; departmentId?: string | null; enterpriseId?: string | null }): Promise<Placement> {
  const region = await findRegion(db, input.regionCode);
  if (!region) throw fieldError('UNKNOWN_REGION', 'regionCode', `未知的区域代码：${input.regionCode}`, `Unknown region ${input.regionCode}`);
  const districtCode = region.level === 'district' ? region.code : region.level === 'street' ? region.parentCode : null;
  const inCity = region.level === 'city' ? region.code === cityCode : true;
  const need = ROLE_REGION_LEVEL[input.role];
  if (!inCity || (need !== 'any' && need !== region.level)) {
    const want = { city: '本市（310000）', district: '某个区', street: '某个街道/乡镇', any: '' }[need];
    throw fieldError('ROLE_SCOPE_MISMATCH', 'regionCode', `该角色的管辖区域应为${want}`, `This role's region must be a ${need}`);
  }
  let departmentId: string | null = null;
  if (input.role === 'dept_officer') {
    if (!input.departmentId) throw fieldError('UNKNOWN_DEPARTMENT', 'departmentId', '行业部门用户须指定所属部门', 'A department officer needs a department');
    const dept = await findDepartment(db, input.departmentId);
    if (!dept) throw fieldError('UNKNOWN_DEPARTMENT', 'departmentId', '所选部门不存在', 'Unknown department');
    if (dept.region_code !== input.regionCode) throw fieldError('ROLE_SCOPE_MISMATCH', 'regionCode', '行业部门用户的区域须与其部门一致', "A department officer's region must be its department's");
    departmentId = dept.id;
  }
  let enterpriseId: string | null = null;
  if (input.role === 'enterprise') {
    if (!input.enterpriseId) throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '企业用户须指定所属企业', 'An enterprise user needs an enterprise');
    const ent = await db.selectFrom('enterprises').select(['id', 'district_code', 'street_code']).where('id', '=', input.enterpriseId).executeTakeFirst();
    if (!ent) throw fieldError('UNKNOWN_ENTERPRISE', 'enterpriseId', '所选企业不存在', 'Unknown enterprise');
    enterpriseId = ent.id;
    return { region_code: ent.street_code ?? ent.district_code, city_code: cityCode, district_code: ent.district_code, street_code: ent.street_code, department_id: null, enterprise_id: enterpriseId };
  }
  return {
    region_code: region.code,
    city_code: cityCode,
    district_code: districtCode,
    street_code: region.level === 'street' ? region.code : null,
    department_id: departmentId,
    enterprise_id: enterpriseId,
  };
}

/**
 * Inserts a user; shared by the admin command, the first-start admin and the demo loader.
 * `passwordHash`: the password already hashed (`hashPassword`), for a caller that hashed it before
 * its transaction began; otherwise `password` is hashed here.
 */
export async function insertUser(ctx: Ctx, input: Input & { mustChangePassword?: boolean; passwordHash?: string }): Promise<string> {
  const placement = await resolvePlacement(ctx.db, ctx.config.CITY_CODE, input);
  const passwordHash = input.passwordHash ?? (await hashPassword(input.password));
  const now = ctx.now().toISOString();
  const id = uuidv7();
  try {
    await ctx.db
      .insertInto('users')
      .values({
        id,
        username: input.username.toLowerCase(),
        display_name: input.displayName,
        role: input.role,
        ...placement,
        password_hash: passwordHash,
        status: 'active',
        must_change_password: input.mustChangePassword ? 1 : 0,
        failed_logins: 0,
        locked_until: null,
        last_login_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
  } catch (err) {
    if (classifyDbError(err)?.kind === 'unique') throw fieldError('DUPLICATE_USERNAME', 'username', '用户名已存在', 'This username is taken');
    throw err;
  }
  return id;
}

export async function createUser(ctx: ActorCtx, input: Input) {
  return transact(ctx, async (tx) => {
    // The administrator chose this password; the user replaces it at first login.
    const id = await insertUser(tx, { ...input, mustChangePassword: true });
    const user = (await findUser(tx.db, id))!;
    await audit(tx, { action: 'user.created', entityType: 'user', entityId: id, after: user });
    return user;
  });
}

async function existing(ctx: Ctx, id: string) {
  const user = await findUser(ctx.db, id);
  if (!user) throw notFound('用户', 'user');
  return user;
}

export async function updateUser(ctx: ActorCtx, id: string, patch: z.output<typeof UserPatch>) {
  return transact(ctx, async (tx) => {
    const before = await existing(tx, id);
    if (id === ctx.actor.userId && patch.status === 'disabled') {
      throw new AppError('FORBIDDEN', '不能停用自己的账号', 'You cannot disable your own account');
    }
    await tx.db
      .updateTable('users')
      .set((eb) => ({
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        updated_at: ctx.now().toISOString(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
    if (patch.status === 'disabled') await tx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    const after = (await findUser(tx.db, id))!;
    const action = patch.status && patch.status !== before.status ? (patch.status === 'disabled' ? 'user.disabled' : 'user.enabled') : 'user.updated';
    await audit(tx, { action, entityType: 'user', entityId: id, before, after });
    return after;
  });
}

export async function resetPassword(ctx: ActorCtx, id: string, password: string) {
  const hash = await hashPassword(password);
  await transact(ctx, async (tx) => {
    await existing(tx, id);
    await tx.db
      .updateTable('users')
      .set((eb) => ({ password_hash: hash, must_change_password: 1, failed_logins: 0, locked_until: null, updated_at: ctx.now().toISOString(), version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    await tx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
    await audit(tx, { action: 'user.password_reset', entityType: 'user', entityId: id });
  });
}

export async function unlockUser(ctx: ActorCtx, id: string) {
  await transact(ctx, async (tx) => {
    const before = await existing(tx, id);
    await tx.db.updateTable('users').set({ failed_logins: 0, locked_until: null, updated_at: ctx.now().toISOString() }).where('id', '=', id).execute();
    await audit(tx, { action: 'user.unlocked', entityType: 'user', entityId: id, before: { lockedUntil: before.lockedUntil } });
  });
}

export async function createApiToken(ctx: ActorCtx, input: { userId: string; name: string; expiresInDays?: number }) {
  return transact(ctx, async (tx) => {
    const user = await existing(tx, input.userId);
    const secret = `${TOKEN_PREFIX}${newSecret()}`;
    const now = ctx.now();
    const row = {
      id: uuidv7(),
      user_id: user.id,
      name: input.name,
      token_hash: sha256(secret),
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      created_at: now.toISOString(),
      created_by: ctx.actor.userId,
      expires_at: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString() : null,
      last_used_at: null,
      revoked_at: null,
    };
    await tx.db.insertInto('api_tokens').values(row).execute();
    const token = presentToken({ ...row, username: user.username });
    await audit(tx, { action: 'api_token.created', entityType: 'api_token', entityId: row.id, after: token });
    return { ...token, token: secret };
  });
}

export async function revokeApiToken(ctx: ActorCtx, id: string) {
  await transact(ctx, async (tx) => {
    const row = await tx.db.selectFrom('api_tokens').select(['id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('令牌', 'token');
    if (row.revoked_at) return;
    await tx.db.updateTable('api_tokens').set({ revoked_at: ctx.now().toISOString() }).where('id', '=', id).execute();
    await audit(tx, { action: 'api_token.revoked', entityType: 'api_token', entityId: id });
  });
}

export function presentToken(r: { id: string; user_id: string; username: string; name: string; prefix: string; created_at: string; expires_at: string | null; last_used_at: string | null; revoked_at: string | null }) {
  return { id: r.id, userId: r.user_id, username: r.username, name: r.name, prefix: r.prefix, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}

export async function listApiTokens(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.user_id', 'users.username', 'api_tokens.name', 'api_tokens.prefix', 'api_tokens.created_at', 'api_tokens.expires_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at'])
    .orderBy('api_tokens.id', 'desc')
    .execute();
  return rows.map(presentToken);
}
