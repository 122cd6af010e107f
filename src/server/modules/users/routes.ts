import { IdParam, listOf } from '../../../shared/contracts/common';
import { ApiToken, ApiTokenCreated, ApiTokenInput, ResetPassword, User, UserInput, UserPatch, UserQuery } from '../../../shared/contracts/users';
import { notFound } from '../../errors/app-error';
import { route } from '../../http/route';
import { createApiToken, createUser, listApiTokens, resetPassword, revokeApiToken, unlockUser, updateUser } from './commands';
import { findUser, listUsers } from './repository';

const manage = { permission: 'users.manage' } as const;
const tokens = { permission: 'tokens.manage' } as const;

export const userRoutes = [
  route({
    method: 'GET',
    url: '/api/users',
    summary: 'Accounts (administrators)',
    tags: ['users'],
    auth: manage,
    query: UserQuery,
    response: { status: 200, schema: listOf(User) },
    handler: ({ ctx, query }) => listUsers(ctx.db, ctx.dialect, query),
  }),
  route({
    method: 'POST',
    url: '/api/users',
    summary: 'Create an account with role and scope; the user must change the password at first login (audited)',
    tags: ['users'],
    auth: manage,
    body: UserInput,
    response: { status: 201, schema: User },
    errors: ['VALIDATION_FAILED', 'DUPLICATE_USERNAME', 'UNKNOWN_REGION', 'ROLE_SCOPE_MISMATCH', 'UNKNOWN_DEPARTMENT', 'UNKNOWN_ENTERPRISE'],
    handler: ({ ctx, body }) => createUser(ctx, body),
  }),
  route({
    method: 'GET',
    url: '/api/users/:id',
    summary: 'One account',
    tags: ['users'],
    auth: manage,
    params: IdParam,
    response: { status: 200, schema: User },
    async handler({ ctx, params }) {
      const u = await findUser(ctx.db, params.id);
      if (!u) throw notFound('用户', 'user');
      return u;
    },
  }),
  route({
    method: 'PATCH',
    url: '/api/users/:id',
    summary: 'Rename, disable or enable an account (audited; disabling ends its sessions)',
    tags: ['users'],
    auth: manage,
    params: IdParam,
    body: UserPatch,
    response: { status: 200, schema: User },
    handler: ({ ctx, params, body }) => updateUser(ctx, params.id, body),
  }),
  route({
    method: 'POST',
    url: '/api/users/:id/reset-password',
    summary: 'Set a new password; the user must change it at next login (audited)',
    tags: ['users'],
    auth: manage,
    params: IdParam,
    body: ResetPassword,
    response: { status: 204 },
    handler: ({ ctx, params, body }) => resetPassword(ctx, params.id, body.password),
  }),
  route({
    method: 'POST',
    url: '/api/users/:id/unlock',
    summary: 'Lift a lock after repeated failed logins (audited)',
    tags: ['users'],
    auth: manage,
    params: IdParam,
    response: { status: 204 },
    handler: ({ ctx, params }) => unlockUser(ctx, params.id),
  }),
  route({
    method: 'GET',
    url: '/api/tokens',
    summary: 'API tokens for machine clients (administrators)',
    tags: ['users'],
    auth: tokens,
    response: { status: 200, schema: listOf(ApiToken) },
    async handler({ ctx }) {
      const items = await listApiTokens(ctx.db);
      return { items, total: items.length, page: 1, pageSize: items.length };
    },
  }),
  route({
    method: 'POST',
    url: '/api/tokens',
    summary: 'Create an API token acting as the given user; the secret is shown once and stored only as a hash (audited)',
    tags: ['users'],
    auth: tokens,
    body: ApiTokenInput,
    response: { status: 201, schema: ApiTokenCreated },
    handler: ({ ctx, body }) => createApiToken(ctx, body),
  }),
  route({
    method: 'POST',
    url: '/api/tokens/:id/revoke',
    summary: 'Revoke an API token (audited)',
    tags: ['users'],
    auth: tokens,
    params: IdParam,
    response: { status: 204 },
    handler: ({ ctx, params }) => revokeApiToken(ctx, params.id),
  }),
];
