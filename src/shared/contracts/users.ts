import { z } from 'zod';
import { ROLES } from '../roles';
import { Id, QueryInt, SAFE_TEXT, Text, UNSAFE_TEXT } from './fields';

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  enterpriseId: z.string().nullable(),
  enterpriseName: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const Me = User.extend({
  permissions: z.array(z.string()).describe('what the UI may offer this user'),
});
export type Me = z.infer<typeof Me>;

export const PASSWORD_MIN = 10;
export const Password = z
  .string()
  .regex(SAFE_TEXT, UNSAFE_TEXT.zh)
  .min(PASSWORD_MIN, `密码至少 ${PASSWORD_MIN} 位`)
  .max(200)
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), '密码须同时包含字母和数字');

export const UserInput = z
  .object({
    username: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, '用户名为2–40位小写字母、数字、点、横线或下划线'),
    displayName: Text(50, { min: 1 }),
    role: z.enum(ROLES),
    regionCode: z.string().trim().regex(/^\d{6}(\d{3})?$/, '区域代码应为6位（市/区）或9位（街道）'),
    departmentId: Id.nullable().optional(),
    enterpriseId: Id.nullable().optional(),
    password: Password,
  })
  .strict();
export type UserInput = z.input<typeof UserInput>;

export const UserPatch = z
  .object({
    displayName: Text(50, { min: 1 }).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .strict();

export const UserQuery = z
  .object({
    page: QueryInt(1, 100_000).default(1),
    pageSize: QueryInt(1, 200).default(20),
    q: Text(50).optional(),
    role: z.enum(ROLES).optional(),
  })
  .strict();

export const ResetPassword = z.object({ password: Password }).strict();
export const ChangePassword = z.object({ currentPassword: Text(200, { min: 1, trim: false }), newPassword: Password }).strict();
export const Login = z.object({ username: Text(40, { min: 1 }), password: Text(200, { min: 1, trim: false }) }).strict();

export const ApiToken = z.object({
  id: z.string(),
  userId: z.string(),
  username: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const ApiTokenInput = z
  .object({
    userId: Id,
    name: Text(100, { min: 1 }),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
export const ApiTokenCreated = ApiToken.extend({ token: z.string().describe('shown once; store it now') });
