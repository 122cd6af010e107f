import { ChangePassword, Login, Me } from '../../shared/contracts/users';
import { AppError } from '../errors/app-error';
import { route } from '../http/route';
import { findUser } from '../modules/users/repository';
import { permissionsOf, type Actor } from '../scope/scope';
import { changeOwnPassword, login, logout, SESSION_COOKIE } from './service';
import type { RateLimiter } from './rate-limit';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

async function me(db: Kysely<DB>, actor: Actor) {
  const user = await findUser(db, actor.userId);
  if (!user) throw new AppError('UNAUTHENTICATED', '请先登录', 'Please log in');
  return { ...user, permissions: permissionsOf(actor) };
}

export function authRoutes(limiter: RateLimiter) {
  return [
    route({
      method: 'POST',
      url: '/api/auth/login',
      summary: 'Log in with username and password; sets the HttpOnly session cookie',
      tags: ['auth'],
      auth: 'public',
      body: Login,
      response: { status: 200, schema: Me },
      errors: ['INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_DISABLED', 'RATE_LIMITED'],
      async handler({ ctx, body, request, reply }) {
        const result = await login(ctx, { ...body, userAgent: request.headers['user-agent'] ?? null }, limiter);
        reply.setCookie(SESSION_COOKIE, result.token, {
          httpOnly: true,
          sameSite: 'lax',
          secure: ctx.config.COOKIE_SECURE,
          path: '/',
          expires: result.expiresAt,
        });
        return me(ctx.db, result.actor);
      },
    }),
    route({
      method: 'POST',
      url: '/api/auth/logout',
      summary: 'End the current session',
      tags: ['auth'],
      auth: 'user',
      response: { status: 204 },
      async handler({ ctx, request, reply }) {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await logout(ctx, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      },
    }),
    route({
      method: 'GET',
      url: '/api/me',
      summary: 'The logged-in user, with what the UI may offer them',
      tags: ['auth'],
      auth: 'user',
      response: { status: 200, schema: Me },
      handler: ({ ctx }) => me(ctx.db, ctx.actor),
    }),
    route({
      method: 'POST',
      url: '/api/me/password',
      summary: 'Change your own password (ends your other sessions; audited)',
      tags: ['auth'],
      auth: 'user',
      body: ChangePassword,
      response: { status: 204 },
      errors: ['WRONG_PASSWORD', 'VALIDATION_FAILED'],
      handler: ({ ctx, body, request }) => changeOwnPassword(ctx, body, request.cookies[SESSION_COOKIE] ?? null),
    }),
  ];
}

