import { randomPassword } from '../auth/password';
import { audit, transact, type Ctx } from '../context';
import { insertUser } from '../modules/users/commands';

/**
 * First start: creates `admin` once. Its password comes from ZHIBEN_ADMIN_PASSWORD, or is
 * generated and returned so the caller prints it once (and the admin must change it).
 */
export async function ensureAdmin(ctx: Ctx): Promise<{ created: boolean; generatedPassword?: string }> {
  const existing = await ctx.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirst();
  if (existing) return { created: false };
  const fromEnv = ctx.config.ZHIBEN_ADMIN_PASSWORD;
  const password = fromEnv ?? randomPassword();
  await transact(ctx, async (tx) => {
    const id = await insertUser(tx, {
      username: 'admin',
      displayName: '系统管理员',
      role: 'city_admin',
      regionCode: ctx.config.CITY_CODE,
      password,
      mustChangePassword: !fromEnv,
    });
    await audit(tx, { action: 'user.created', entityType: 'user', entityId: id, actorId: null, actorName: 'system', after: { username: 'admin', role: 'city_admin' } });
  });
  return { created: true, generatedPassword: fromEnv ? undefined : password };
}
