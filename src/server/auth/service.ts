import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, transact, type ActorCtx, type Ctx } from '../context';
import type { DB } from '../db/schema';
import { compiledOnce } from '../db/compiled';
import { AppError } from '../errors/app-error';
import type { Actor } from '../scope/scope';
import { actorFromUser } from './actor';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import type { RateLimiter } from './rate-limit';

export const SESSION_COOKIE = 'zhiben_session';
export const TOKEN_PREFIX = 'zbt_';
const TOUCH_AFTER_MS = 60_000;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const newSecret = () => randomBytes(32).toString('base64url');

const addMinutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

export interface LoginResult {
  token: string;
  expiresAt: Date;
  actor: Actor;
}

type LoginOutcome =
  | { ok: true; result: LoginResult }
  | { ok: false; error: AppError };

function lockedError(until: string, now: Date): AppError {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 60_000));
  return new AppError(
    'ACCOUNT_LOCKED',
    `密码错误次数过多，账号已临时锁定，请 ${minutes} 分钟后再试或联系管理员解锁`,
    `Too many failed attempts; the account is locked for ${minutes} more minute(s) or until an administrator unlocks it`,
    { headers: { 'retry-after': String(minutes * 60) } },
  );
}

const invalidCredentials = (left?: number) =>
  new AppError(
    'INVALID_CREDENTIALS',
    left !== undefined && left <= 2 ? `用户名或密码错误（再错 ${left} 次账号将被临时锁定）` : '用户名或密码错误',
    left !== undefined && left <= 2 ? `Wrong username or password (${left} attempt(s) left before the account is locked)` : 'Wrong username or password',
  );

/**
 * Checks a password and opens a session. Failures are counted per account and the account is
 * locked after LOGIN_MAX_FAILURES; failures and locks are audited (committed even though the
 * request then fails).
 */
export async function login(ctx: Ctx, input: { username: string; password: string; userAgent: string | null }, limiter: RateLimiter): Promise<LoginResult> {
  const wait = limiter.hit(`login:${ctx.ip ?? 'unknown'}`, ctx.now().getTime());
  if (wait > 0) {
    throw new AppError('RATE_LIMITED', `登录尝试过于频繁，请 ${wait} 秒后再试`, `Too many login attempts; try again in ${wait} s`, {
      headers: { 'retry-after': String(wait) },
    });
  }
  const username = input.username.trim().toLowerCase();
  const user = await ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const now = ctx.now();
  if (!user) {
    await verifyPassword(input.password, await dummyPasswordHash());
    await transact(ctx, (tx) =>
      audit(tx, { action: 'auth.login_failed', entityType: 'user', entityId: null, actorId: null, actorName: username, after: { reason: 'unknown_user' } }),
    );
    throw invalidCredentials();
  }
  if (user.locked_until && Date.parse(user.locked_until) > now.getTime()) {
    await transact(ctx, (tx) =>
      audit(tx, { action: 'auth.login_refused_locked', entityType: 'user', entityId: user.id, actorId: user.id, actorName: user.username }),
    );
    throw lockedError(user.locked_until, now);
  }
  const passwordOk = await verifyPassword(input.password, user.password_hash);
  const outcome = await transact(ctx, async (tx): Promise<LoginOutcome> => {
    const who = { actorId: user.id, actorName: user.username };
    if (!passwordOk) {
      // Counted in the database, in one statement: attempts sent to several server processes at once all count.
      const counted = await tx.db
        .updateTable('users')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', user.id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      const failures = Number(counted.failed_logins);
      if (failures >= ctx.config.LOGIN_MAX_FAILURES) {
        const until = addMinutes(now, ctx.config.LOGIN_LOCK_MINUTES).toISOString();
        await tx.db.updateTable('users').set({ failed_logins: 0, locked_until: until }).where('id', '=', user.id).execute();
        await audit(tx, { ...who, action: 'auth.locked', entityType: 'user', entityId: user.id, after: { lockedUntil: until, failures } });
        return { ok: false, error: lockedError(until, now) };
      }
      await audit(tx, { ...who, action: 'auth.login_failed', entityType: 'user', entityId: user.id, after: { failures } });
      return { ok: false, error: invalidCredentials(ctx.config.LOGIN_MAX_FAILURES - failures) };
    }
    if (user.status !== 'active') {
      await audit(tx, { ...who, action: 'auth.login_refused_disabled', entityType: 'user', entityId: user.id });
      return { ok: false, error: new AppError('ACCOUNT_DISABLED', '账号已停用，请联系管理员', 'This account is disabled; contact an administrator') };
    }
    // Locked meanwhile by failures sent to another server process: the lock holds.
    const cleared = await tx.db
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null, last_login_at: now.toISOString() })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now.toISOString())]))
      .executeTakeFirst();
    if (Number(cleared.numUpdatedRows) !== 1) {
      const { locked_until } = await tx.db.selectFrom('users').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow();
      await audit(tx, { ...who, action: 'auth.login_refused_locked', entityType: 'user', entityId: user.id });
      return { ok: false, error: lockedError(locked_until!, now) };
    }
    const token = newSecret();
    const expiresAt = new Date(now.getTime() + ctx.config.SESSION_ABSOLUTE_HOURS * 3_600_000);
    await tx.db
      .insertInto('sessions')
      .values({
        id: sha256(token),
        user_id: user.id,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        ip: ctx.ip,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await audit(tx, { ...who, action: 'auth.login', entityType: 'user', entityId: user.id });
    return { ok: true, result: { token, expiresAt, actor: await actorFromUser(tx.db, user, 'session') } };
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

/** What a request needs of its user to act: identity, role, scope and status. */
const ACTOR_COLUMNS = [
  'users.id',
  'users.username',
  'users.display_name',
  'users.role',
  'users.region_code',
  'users.city_code',
  'users.district_code',
  'users.street_code',
  'users.department_id',
  'users.enterprise_id',
  'users.status',
] as const;

/** The actor behind a session token, or null when it is unknown, expired, idle too long or its user disabled. */
/** Every request's first read: compiled once per database handle (compiled.ts). */
const sessionRead = compiledOnce((db, hash: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as session_id', 'sessions.last_seen_at', 'sessions.expires_at', ...ACTOR_COLUMNS])
    .where('sessions.id', '=', hash),
);

export async function actorForSession(db: Kysely<DB>, token: string, now: Date, idleMinutes: number): Promise<Actor | null> {
  const row = (await db.executeQuery(sessionRead(db, sha256(token)))).rows[0];
  if (!row) return null;
  const t = now.getTime();
  const lastSeen = Date.parse(row.last_seen_at);
  if (Date.parse(row.expires_at) <= t || lastSeen + idleMinutes * 60_000 <= t || row.status !== 'active') {
    await db.deleteFrom('sessions').where('id', '=', row.session_id).execute();
    return null;
  }
  if (t - lastSeen > TOUCH_AFTER_MS) {
    // Not awaited: the request need not wait for a write (on SQLite, a bulk import's batch may hold
    // the write lock). A touch that fails only leaves the idle clock a minute behind.
    void db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString() })
      .where('id', '=', row.session_id)
      .execute()
      .catch(() => undefined);
  }
  return actorFromUser(db, row, 'session');
}

/** The actor behind an API token (`Authorization: Bearer zbt_…`). */
export async function actorForApiToken(db: Kysely<DB>, token: string, now: Date): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'api_tokens.expires_at', 'api_tokens.revoked_at', 'api_tokens.last_used_at', ...ACTOR_COLUMNS])
    .where('api_tokens.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.status !== 'active') return null;
  if (row.expires_at && Date.parse(row.expires_at) <= now.getTime()) return null;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_AFTER_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.token_id).execute();
  }
  return actorFromUser(db, row, 'token');
}

export async function logout(ctx: ActorCtx, token: string): Promise<void> {
  await transact(ctx, async (tx) => {
    await tx.db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
    await audit(tx, { action: 'auth.logout', entityType: 'user', entityId: ctx.actor.userId });
  });
}

export async function changeOwnPassword(ctx: ActorCtx, input: { currentPassword: string; newPassword: string }, keepSessionToken: string | null): Promise<void> {
  const user = await ctx.db.selectFrom('users').select(['password_hash']).where('id', '=', ctx.actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new AppError('WRONG_PASSWORD', '当前密码不正确', 'The current password is wrong', {
      errors: [{ path: 'currentPassword', code: 'WRONG_PASSWORD', message: '当前密码不正确' }],
    });
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError('VALIDATION_FAILED', '新密码不能与当前密码相同', 'The new password must differ from the current one', {
      errors: [{ path: 'newPassword', code: 'same_as_current', message: '新密码不能与当前密码相同' }],
    });
  }
  const hash = await hashPassword(input.newPassword);
  await transact(ctx, async (tx) => {
    await tx.db
      .updateTable('users')
      .set((eb) => ({ password_hash: hash, must_change_password: 0, updated_at: ctx.now().toISOString(), version: eb('version', '+', 1) }))
      .where('id', '=', ctx.actor.userId)
      .execute();
    // Other sessions of this user end: a changed password should lock out whoever else had it.
    let others = tx.db.deleteFrom('sessions').where('user_id', '=', ctx.actor.userId);
    if (keepSessionToken) others = others.where('id', '!=', sha256(keepSessionToken));
    await others.execute();
    await audit(tx, { action: 'user.password_changed', entityType: 'user', entityId: ctx.actor.userId });
  });
}
