import type { Kysely } from 'kysely';
import type { User } from '../../../shared/contracts/users';
import type { Role } from '../../../shared/roles';
import { containsText, type DialectName } from '../../db/dialect';
import type { DB } from '../../db/schema';

function withNames(db: Kysely<DB>) {
  return db
    .selectFrom('users')
    .leftJoin('regions', 'regions.code', 'users.region_code')
    .leftJoin('departments', 'departments.id', 'users.department_id')
    .leftJoin('enterprises', 'enterprises.id', 'users.enterprise_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.region_code',
      'users.department_id',
      'users.enterprise_id',
      'users.status',
      'users.must_change_password',
      'users.locked_until',
      'users.last_login_at',
      'users.created_at',
      'regions.name as region_name',
      'departments.name as department_name',
      'enterprises.name as enterprise_name',
    ]);
}

type UserView = Awaited<ReturnType<ReturnType<typeof withNames>['executeTakeFirstOrThrow']>>;

export const presentUser = (r: UserView): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role as Role,
  regionCode: r.region_code,
  regionName: r.region_name,
  departmentId: r.department_id,
  departmentName: r.department_name,
  enterpriseId: r.enterprise_id,
  enterpriseName: r.enterprise_name,
  status: r.status,
  mustChangePassword: r.must_change_password === 1,
  lockedUntil: r.locked_until,
  lastLoginAt: r.last_login_at,
  createdAt: r.created_at,
});

export async function findUser(db: Kysely<DB>, id: string): Promise<User | undefined> {
  const r = await withNames(db).where('users.id', '=', id).executeTakeFirst();
  return r && presentUser(r);
}

export async function listUsers(db: Kysely<DB>, dialect: DialectName, f: { q?: string; role?: Role; page: number; pageSize: number }) {
  let q = withNames(db);
  if (f.role) q = q.where('users.role', '=', f.role);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([containsText(dialect, 'users.username', text), containsText(dialect, 'users.display_name', text)]));
  }
  const [{ n }] = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await q.orderBy('users.username').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { items: rows.map(presentUser), total: Number(n), page: f.page, pageSize: f.pageSize };
}
