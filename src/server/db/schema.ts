/** Table types for Kysely. Columns stay snake_case; repositories map them to camelCase. */
import type { Insertable, Selectable, Updateable } from 'kysely';

export interface RegionsTable {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street';
  parent_code: string | null;
  kind: string | null;
  city_code: string;
  sort: number;
}

export interface IndustriesTable {
  code: string;
  name: string;
  level: 'section' | 'division';
  parent_code: string | null;
  sort: number;
}

export interface StandardsTable {
  id: string;
  title: string;
  doc_no: string | null;
  issuer: string | null;
  published: string | null;
  effective: string | null;
  scope: string | null;
  source: string | null;
  confidence: string | null;
  status: string | null;
  item_count: number | null;
  clauses_complete: number;
  clauses_missing: string | null;
  meta: string | null;
  sort: number;
  created_at: string;
  updated_at: string;
}

export interface StandardClausesTable {
  id: string;
  standard_id: string;
  no: string;
  category: string | null;
  text: string;
  source: string | null;
  is_lead_in: number;
  sort: number;
  meta: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface DepartmentsTable {
  id: string;
  city_code: string;
  region_code: string;
  district_code: string | null;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface DepartmentIndustriesTable {
  department_id: string;
  industry_code: string;
}

export interface EnterprisesTable {
  id: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  uscc: string;
  name: string;
  address: string;
  industry_code: string;
  principal_name: string;
  principal_phone: string | null;
  safety_manager_name: string | null;
  safety_manager_phone: string | null;
  risk_class: 'major' | 'high' | 'general' | 'low';
  standardization_level: 'level1' | 'level2' | 'level3' | 'none';
  lng: number | null;
  lat: number | null;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: string | null;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  region_code: string;
  city_code: string;
  district_code: string | null;
  street_code: string | null;
  department_id: string | null;
  enterprise_id: string | null;
  password_hash: string;
  status: 'active' | 'disabled';
  must_change_password: number;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  created_by: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: string;
  chain: string;
  seq: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  district_code: string | null;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface DB {
  regions: RegionsTable;
  industries: IndustriesTable;
  standards: StandardsTable;
  standard_clauses: StandardClausesTable;
  departments: DepartmentsTable;
  department_industries: DepartmentIndustriesTable;
  enterprises: EnterprisesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
}

export type EnterpriseRow = Selectable<EnterprisesTable>;
export type NewEnterpriseRow = Insertable<EnterprisesTable>;
export type EnterpriseUpdate = Updateable<EnterprisesTable>;
export type UserRow = Selectable<UsersTable>;
